// The token prompt: a modal form shown when the API answers 401. One prompt at a time, shared by all callers.

/**
 * Returns `ask(rejected)`, which opens the dialog and resolves with the token typed in.
 * `rejected` says a token was sent and refused.
 */
export function createTokenPrompt(dialog) {
  const form = dialog.querySelector('form');
  const input = dialog.querySelector('input[name="token"]');
  const message = dialog.querySelector('[data-role="message"]');
  let pending = null;

  return function ask(rejected) {
    if (pending) return pending;
    pending = new Promise((resolve) => {
      message.textContent = rejected
        ? 'That token was refused. Enter the sidecar token (--token / DUCKSIDE_TOKEN).'
        : 'This sidecar needs a token. Enter it (--token / DUCKSIDE_TOKEN).';
      input.value = '';
      const onSubmit = (event) => {
        event.preventDefault();
        const token = input.value.trim();
        if (token === '') return;
        form.removeEventListener('submit', onSubmit);
        dialog.close();
        pending = null;
        resolve(token);
      };
      form.addEventListener('submit', onSubmit);
      dialog.addEventListener('cancel', (event) => event.preventDefault(), { once: true });
      dialog.showModal();
      input.focus();
    });
    return pending;
  };
}
