// Small DOM helpers shared by the panels.

/** Replaces a select's options with `[value, text]` pairs (or `{ label, options }` groups); keeps `preferred` or the current value when offered. */
export function fillSelect(select, options, preferred) {
  const keep = preferred ?? select.value;
  const values = [];
  const toOption = ([value, text]) => {
    const option = document.createElement('option');
    option.value = value;
    option.textContent = text;
    values.push(value);
    return option;
  };
  select.replaceChildren(
    ...options.map((entry) => {
      if (Array.isArray(entry)) return toOption(entry);
      const group = document.createElement('optgroup');
      group.label = entry.label;
      group.append(...entry.options.map(toOption));
      return group;
    }),
  );
  if (values.includes(keep)) select.value = keep;
}

/** An element with a class and text. */
export function element(tag, className, text) {
  const el = document.createElement(tag);
  if (className) el.className = className;
  if (text !== undefined) el.textContent = text;
  return el;
}
