import type { Fill, Quote } from './trading-simulator.ts';

/** Markout horizons the example reports, in milliseconds, and their names in the fill analysis. */
export const MARKOUT_HORIZONS = [
  { ms: 500, name: '500ms' },
  { ms: 1000, name: '1s' },
];
/** A quote older than this before the time it is read at counts as none (the analysis' tolerance). */
export const MARKOUT_TOLERANCE = { ms: 300, name: '300ms' };

/** One strategy's figures: fills, mean slippage and mean markout per horizon (bps), as printed. */
export type FillFigures = Record<string, string | number | null>;

const mean = (values: readonly number[]) =>
  values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;

/**
 * What the simulator knows to be true about its fills: it keeps every quote and fill with its time and computes
 * slippage against the mid of the quote at the fill's time (the simulator's own `slippageBps`) and markouts
 * against the latest quote at or before fill time + horizon (none when older than the tolerance), per strategy —
 * the definitions of docs/analytics.md, computed without the database.
 * @example const truth = new FillGroundTruth(); truth.record(now, step.quotes, step.fills); truth.perStrategy();
 */
export class FillGroundTruth {
  private readonly quotes = new Map<string, { at: number; mid: number }[]>();
  private readonly fills: { at: number; fill: Fill }[] = [];

  /** Records one step's quotes and fills, all at time `at` (unix ms). */
  record(at: number, quotes: readonly Quote[], fills: readonly Fill[]): void {
    for (const q of quotes) {
      const list = this.quotes.get(q.symbol) ?? [];
      list.push({ at, mid: q.mid });
      this.quotes.set(q.symbol, list);
    }
    for (const fill of fills) this.fills.push({ at, fill });
  }

  /** Per strategy, sorted by name: fills, slippage_bps and markout_<horizon> means. */
  perStrategy(): FillFigures[] {
    const strategies = [...new Set(this.fills.map((f) => f.fill.strategy))].sort();
    return strategies.map((strategy) => {
      const own = this.fills.filter((f) => f.fill.strategy === strategy);
      const row: FillFigures = {
        strategy,
        fills: own.length,
        slippage_bps: mean(own.map((f) => f.fill.slippageBps)),
      };
      for (const h of MARKOUT_HORIZONS) {
        const markouts = own.flatMap(({ at, fill }) => {
          const mid = this.midAt(fill.symbol, at + h.ms);
          const sign = fill.side === 'buy' ? 1 : -1;
          return mid === undefined ? [] : [((sign * (mid - fill.price)) / fill.price) * 10_000];
        });
        row[`markout_${h.name}`] = mean(markouts);
      }
      return row;
    });
  }

  private midAt(symbol: string, at: number): number | undefined {
    const latest = (this.quotes.get(symbol) ?? []).filter((q) => q.at <= at).at(-1);
    return latest && latest.at >= at - MARKOUT_TOLERANCE.ms ? latest.mid : undefined;
  }
}
