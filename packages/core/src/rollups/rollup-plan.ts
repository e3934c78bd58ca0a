import type { TimeInterval, TimeRange } from '../time/index.ts';
import { coarsestLevel, type RollupLevel } from './rollup-levels.ts';

/** What a builder needs to answer from rollups: the levels maintained, finest first (`db.rollupPlan`). */
export interface RollupPlan {
  readonly levels: readonly RollupLevel[];
}

/**
 * How a bucketed query over a range is answered from one level: its buckets within `[from, to)` (the range
 * rounded inwards to the level; an open end stays open) from the rollup, the rest of the range (`edges`) from raw
 * rows.
 */
export interface RollupRoute {
  readonly level: RollupLevel;
  /** First level bucket used (unix ns), undefined for an open start. */
  readonly from?: bigint;
  /** End of the last level bucket used (unix ns), undefined for an open end. */
  readonly to?: bigint;
  /** Whether raw rows answer part of the range (it is not aligned to the level). */
  readonly edges: boolean;
  /** `rollup:<level>`, or `rollup:<level>+raw` with edges. */
  readonly source: string;
}

const floorTo = (t: bigint, width: bigint) => {
  const r = t % width;
  return r < 0n ? t - r - width : t - r;
};

/**
 * The route of a query with buckets of `interval` over `range`: the coarsest level whose buckets make up the
 * query's, provided the range holds at least one whole bucket of it. Undefined: answer from raw rows.
 * @example routeRollup(db.rollupPlan, TimeInterval.Hour, { from, to })?.source // 'rollup:1h'
 */
export function routeRollup(
  plan: RollupPlan | undefined,
  interval: TimeInterval,
  range: TimeRange,
): RollupRoute | undefined {
  const level = plan && coarsestLevel(plan.levels, interval);
  if (!level) return undefined;
  const width = BigInt(level.seconds) * 1_000_000_000n;
  const from = range.from === undefined ? undefined : -floorTo(-range.from, width);
  const to = range.to === undefined ? undefined : floorTo(range.to, width);
  if (from !== undefined && to !== undefined && from >= to) return undefined;
  const edges = from !== range.from || to !== range.to;
  const source = `rollup:${level.label}${edges ? '+raw' : ''}`;
  return Object.freeze({
    level,
    ...(from === undefined ? {} : { from }),
    ...(to === undefined ? {} : { to }),
    edges,
    source,
  });
}
