// What every data panel holds: the API client, its section, its status line and its controls, and the count of
// its renders that the tests wait on.

/** A panel inside `root` (its section): `controls` maps each field to the selector of its element in `root`. */
export class Panel {
  constructor(root, api, controls) {
    this.api = api;
    this.root = root;
    this.status = root.querySelector('[data-role="status"]');
    for (const [field, selector] of Object.entries(controls)) this[field] = root.querySelector(selector);
  }

  /** Counts the panel's renders (tests wait for the next one). */
  rendered() {
    this.root.dataset.renders = String(Number(this.root.dataset.renders ?? 0) + 1);
  }
}
