import type { SqlParam } from '../query/compiled-query.ts';
import { type ColdPartition, daysOf, hotAndFilesSql } from './cold-views.ts';
import type { ReadScope } from './read-scope.ts';
import { dayInRange, statementRange, withCtes } from './statement-range.ts';
import { TIER_TABLES, type TierTable, type TierView } from './tier-tables.ts';

/** Tables a statement may read beside the tier views without making its range uncertain (they have no `ts`). */
const NEUTRAL = new Set(['metric_series']);

const VIEWS = new Map<string, { tier: TierTable; view: TierView }>(
  TIER_TABLES.flatMap((tier) => tier.views.map((view) => [view.name, { tier, view }] as const)),
);
const VIEW_NAMES: ReadonlySet<string> = new Set(VIEWS.keys());

/**
 * The read scope of a cold tier: a statement whose time range is certain (see `statementRange`) reads, in place of
 * each tier view it names, a CTE of the same name holding the hot rows and one read of the files of the cold days
 * its range touches.
 * It keeps the live files in memory; the tier calls `changing` before a commit that changes them and `changed`
 * after it (with the live files then), so that `generation` tells a statement when its list went stale.
 * @example const scope = new ColdReadScope(dir, await livePartitions(c));
 */
export class ColdReadScope implements ReadScope {
  private days = new Map<string, Map<string, string[]>>();
  private current = 0;

  constructor(
    private readonly dir: string,
    partitions: readonly ColdPartition[],
  ) {
    this.load(partitions);
  }

  /** Even when no change is committing. */
  get generation(): number {
    return this.current;
  }

  /** Marks a change of the cold files as committing (statements rewritten from now on are not trusted). */
  changing(): void {
    if (this.current % 2 === 0) this.current++;
  }

  /** Takes the live files after a change committed (or failed) and ends the committing state. */
  changed(partitions: readonly ColdPartition[]): void {
    this.load(partitions);
    this.current += this.current % 2 === 0 ? 2 : 1;
  }

  rewrite(sql: string, params: readonly SqlParam[]): string | undefined {
    const range = statementRange(sql, params, VIEW_NAMES, NEUTRAL);
    if (range === undefined) return undefined;
    const ctes: string[] = [];
    for (const name of range.views) {
      const found = VIEWS.get(name);
      if (found === undefined) return undefined;
      const all = this.days.get(found.tier.name) ?? new Map<string, string[]>();
      const files = [...all]
        .filter(([day]) => dayInRange(day, range.from, range.to))
        .sort(([a], [b]) => a.localeCompare(b))
        .flatMap(([, dayFiles]) => dayFiles);
      ctes.push(`${name} AS NOT MATERIALIZED (\n${hotAndFilesSql(this.dir, found.view, files)}\n)`);
    }
    return withCtes(sql, ctes);
  }

  private load(partitions: readonly ColdPartition[]): void {
    this.days = new Map(TIER_TABLES.map((t) => [t.name, daysOf(t, partitions)]));
  }
}
