/** Most query shapes remembered (past this the hints start over). */
const MAX_SHAPES = 256;
/** Every this many queries of a shape start from the first shortcut again, so a part that now holds enough rows is found. */
const RETRY_EVERY = 16;

interface Hint {
  /** Index of the step that answered last time (the shortcuts, then the whole query). */
  answered: number;
  uses: number;
}

/**
 * Which shortcut answered queries of the same shape last time (order, limit and range width over the same
 * series), so the next one starts there instead of probing parts that were too small: on a small table every
 * part is one row group and a miss costs as much as the whole query. Now and then a query starts from the
 * first shortcut again. Only the cost changes, never the answer.
 * @example const first = hints.start(shape); ... hints.record(shape, answeredAt);
 */
export class ShortcutHints {
  private readonly hints = new Map<string, Hint>();

  /** The index of the first step to try for a shape. */
  start(shape: string): number {
    const hint = this.hints.get(shape);
    if (hint === undefined) return 0;
    hint.uses++;
    return hint.uses % RETRY_EVERY === 0 ? 0 : hint.answered;
  }

  /** Records which step answered a query of a shape. */
  record(shape: string, answered: number): void {
    const hint = this.hints.get(shape);
    if (hint) {
      hint.answered = answered;
      return;
    }
    if (this.hints.size >= MAX_SHAPES) this.hints.clear();
    this.hints.set(shape, { answered, uses: 0 });
  }
}
