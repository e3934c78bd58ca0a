/** Where progress goes: a stream and whether it is a terminal. */
export interface ProgressOutput {
  write(text: string): unknown;
  isTTY?: boolean;
}

const BAR = 30;
const REDRAW_MS = 100;

/**
 * Shows import progress: on a terminal a bar with rows/s and ETA redrawn in place; otherwise (CI) one plain line
 * per 10% (per million rows when the total is unknown).
 * @example const p = new ProgressReporter(process.stderr, 'import'); p.update(500, 1000); p.done(1000);
 */
export class ProgressReporter {
  private readonly started = performance.now();
  private lastDraw = 0;
  private lastStep = 0;

  constructor(
    private readonly out: ProgressOutput,
    private readonly label: string,
  ) {}

  /** Reports `rows` done of `total` (when known). */
  update(rows: number, total?: number): void {
    const seconds = (performance.now() - this.started) / 1000;
    const rate = seconds > 0 ? rows / seconds : 0;
    const fraction = total ? Math.min(1, rows / total) : undefined;
    if (this.out.isTTY) {
      const now = performance.now();
      if (now - this.lastDraw < REDRAW_MS) return;
      this.lastDraw = now;
      const bar =
        fraction === undefined
          ? ''
          : `[${'#'.repeat(Math.round(fraction * BAR)).padEnd(BAR, '.')}] ${pct(fraction)} `;
      const eta = fraction && rate > 0 && total ? ` ETA ${formatSeconds((total - rows) / rate)}` : '';
      this.out.write(`\r${this.label} ${bar}${fmt(rows)} rows ${fmt(rate)} rows/s${eta}\x1b[K`);
      return;
    }
    const step = fraction === undefined ? Math.floor(rows / 1_000_000) : Math.floor(fraction * 10);
    if (step > this.lastStep) {
      this.lastStep = step;
      const where = fraction === undefined ? '' : `${step * 10}% `;
      this.out.write(`${this.label} ${where}${fmt(rows)} rows ${fmt(rate)} rows/s\n`);
    }
  }

  /** Finishes with a summary line (rows, time and rate). */
  done(rows: number): void {
    const seconds = (performance.now() - this.started) / 1000;
    const rate = seconds > 0 ? rows / seconds : 0;
    this.out.write(
      `${this.out.isTTY ? '\r' : ''}${this.label} done: ${fmt(rows)} rows in ${formatSeconds(seconds)} (${fmt(rate)} rows/s)${this.out.isTTY ? '\x1b[K' : ''}\n`,
    );
  }
}

function pct(f: number): string {
  return `${Math.floor(f * 100)}%`.padStart(4);
}

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

function formatSeconds(s: number): string {
  return s < 60 ? `${s.toFixed(1)} s` : `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}
