import { ValidationError } from '../errors/errors.ts';
import { checkText, labelPointer } from '../query/builder-base.ts';
import { type CompiledQuery, compiled } from '../query/compiled-query.ts';
import { RangedBuilder } from '../query/ranged-builder.ts';
import { addTimeRange } from '../query/time-range-clause.ts';
import type { TradeRow } from '../query/trade-query.ts';
import { LEFT_SIDE } from './asof-clause.ts';
import { rightTimeBounds } from './asof-join.ts';
import { probeCtes } from './asof-probes.ts';
import { type Fragment, type LabelFilter, type MatchKeys, sideCte } from './asof-sources.ts';
import { type Duration, parseDuration, parseDurations } from './duration.ts';
import { numberedSeries } from './numbered-series.ts';

/** One fill with its arrival mid, slippage, markouts and latency (see docs/analytics.md for the definitions). */
export interface FillAnalysisRow extends TradeRow {
  /** price × quantity. */
  notional: number;
  /** The latest mid at or before the fill (strictly before with `strictlyBefore`), within the tolerance. */
  arrival_mid: number | null;
  arrival_ts: Date | null;
  /** side × (price − arrival_mid) / arrival_mid × 10⁴: positive = paid above mid (buy) or sold below it (sell). */
  slippage_bps: number | null;
  /** fee / notional × 10⁴ (a rebate, a negative fee, is negative). */
  fee_bps: number | null;
  /** slippage_bps + fee_bps: the all-in cost against arrival. */
  cost_bps: number | null;
  /** The latest latency point at or before the fill, within the tolerance (null without a latency metric). */
  latency: number | null;
  /** The mid at fill time + each horizon (as-of, within the tolerance), in horizon order. */
  mid_after: (number | null)[];
  /** side × (mid_after − price) / price × 10⁴ per horizon: positive = the price moved in the fill's favour. */
  markout_bps: (number | null)[];
  /** markout_bps − fee_bps per horizon. */
  net_markout_bps: (number | null)[];
}

/** Average and percentiles (linear interpolation, `quantile_cont`) of a per-fill figure; null without samples. */
export interface FillStats {
  avg: number | null;
  p10: number | null;
  p50: number | null;
  p90: number | null;
}

/** Summary of one markout horizon over a group's fills (fills without a markout left out). */
export interface MarkoutSummary extends FillStats {
  horizon: string;
  samples: number;
  /** Average of net_markout_bps. */
  net_avg: number | null;
  /** Share of fills (with a markout) whose markout_bps is negative, 0..1. */
  negative_share: number | null;
}

/** Fill analysis summary of one strategy/symbol/venue group (keys left out of `by` are null). */
export interface FillSummaryRow {
  strategy: string | null;
  symbol: string | null;
  venue: string | null;
  fills: number;
  /** Fills with an arrival mid. */
  priced: number;
  notional: number;
  fees: number;
  slippage_bps: FillStats;
  cost_bps: FillStats;
  markouts: MarkoutSummary[];
}

/** Keys a fill summary can group by. */
export const FILL_SUMMARY_KEYS = ['strategy', 'symbol', 'venue'] as const;
/** One of {@link FILL_SUMMARY_KEYS}. */
export type FillSummaryKey = (typeof FILL_SUMMARY_KEYS)[number];

/** The fills an analysis covers: any combination of symbol, venue and strategy. */
export interface FillFilter {
  symbol?: string | undefined;
  venue?: string | undefined;
  strategy?: string | undefined;
}

interface State {
  mid: { name: string; labels?: LabelFilter };
  latency?: { name: string; labels?: LabelFilter };
  venueLabel?: string;
  horizons: readonly Duration[];
  tolerance?: Duration;
  strict: boolean;
  symbol?: string;
  venue?: string;
  strategy?: string;
  from?: bigint;
  to?: bigint;
  limit: number;
  /** Summary grouping keys. */
  by: readonly FillSummaryKey[];
}

/** Setters shared by the per-fill and the summary query. Each returns a new builder. */
abstract class FillQueryBuilder extends RangedBuilder<State> {
  /** Which fills: only those of this symbol, venue and/or strategy (each optional, replacing earlier ones). */
  fills(filter: FillFilter): this {
    return this.with({ symbol: filter.symbol, venue: filter.venue, strategy: filter.strategy });
  }
  /** Only mid points with these labels (e.g. `{ source: 'consolidated' }`). */
  midLabels(labels: LabelFilter): this {
    return this.with({ mid: { ...this.state.mid, labels: checkLabels(labels) } });
  }
  /** Take mids and latencies of the fill's venue: their label `label` (default `venue`) equals the fill's venue. */
  matchVenue(label = 'venue'): this {
    labelPointer(label);
    return this.with({ venueLabel: label });
  }
  /** Markout horizons, e.g. `1s,5s,60s` (the default), at most 10. */
  horizons(horizons: string | readonly (string | number | Duration)[]): this {
    return this.with({ horizons: parseDurations(horizons, 'horizons') });
  }
  /** The latency metric read at fill time (as-of), optionally with labels. */
  latency(name: string, labels?: LabelFilter): this {
    return this.with({
      latency: { name: checkText('latency', name), ...(labels ? { labels: checkLabels(labels) } : {}) },
    });
  }
  /** Ignore mids and latencies older than this before the time they are read at (e.g. `2s`). */
  tolerance(tolerance: string | number | Duration): this {
    return this.with({ tolerance: parseDuration(tolerance, 'tolerance') });
  }
  /** The arrival mid must be strictly before the fill (default: at or before). */
  strictlyBefore(strict = true): this {
    return this.with({ strict });
  }

  /** The flat per-fill CTEs (`a` holds one row per fill with `_m<i>`, `_mk<i>`, `_nmk<i>` per horizon). */
  protected analysisSql(): Fragment {
    const s = this.state;
    const keys: MatchKeys = { venue: s.venueLabel !== undefined, labels: [] };
    const equal = { symbol: s.symbol, venue: s.venue };
    const fills = sideCte(
      { kind: 'trades', ...(s.strategy ? { strategy: s.strategy } : {}) },
      'left',
      keys,
      LEFT_SIDE,
      {
        equal,
        time: (w) => addTimeRange(w, s),
      },
    );
    const longest = s.horizons.reduce((a, h) => (h.micros > a.micros ? h : a));
    const series = (alias: string, m: { name: string; labels?: LabelFilter }, lookAhead?: Duration) => {
      const right = { ...m, ...(s.venueLabel ? { venueLabel: s.venueLabel } : {}) };
      return numberedSeries(alias, right, keys, {
        equal: { symbol: s.symbol },
        time: (w) => rightTimeBounds(w, { kind: 'metric', ...right }, s, s.tolerance, lookAhead),
      });
    };
    const mid = series('mid', s.mid, longest);
    const latency = s.latency ? series('lat', s.latency) : undefined;
    const n = s.horizons.length;
    // Probe 0 is the arrival, 1..n the horizons; latency is read at probe 0 unless that one is strict.
    const latencyProbe = s.strict ? n + 1 : 0;
    const probes = [
      { time: LEFT_SIDE.time, strict: s.strict },
      ...s.horizons.map((_, i) => ({ time: `_h${i}`, strict: false })),
      ...(latency && s.strict ? [{ time: LEFT_SIDE.time, strict: false }] : []),
    ];
    const lookups = probeCtes({
      left: 'f',
      series: [{ cte: 'mid', key: '_n0' }, ...(latency ? [{ cte: 'lat', key: '_n1' }] : [])],
      probes,
      wanted: [
        [0, 0],
        ...s.horizons.map((_, i) => [0, i + 1] as const),
        ...(latency ? [[1, latencyProbe] as const] : []),
      ],
      timed: [[0, 0]],
      ...(s.tolerance ? { tolerance: s.tolerance } : {}),
    });
    const shifts = s.horizons.map((_, i) => `${LEFT_SIDE.time} + ?::INTERVAL AS _h${i}`);
    const mids = s.horizons.map((_, i) => `_v0_${i + 1} AS _m${i}`);
    const markouts = s.horizons.map(
      (_, i) =>
        `_sign * (_m${i} - price) / nullif(price, 0) * 1e4 AS _mk${i}, _sign * (_m${i} - price) / nullif(price, 0) * 1e4 - fee_bps AS _nmk${i}`,
    );
    const sql = `WITH l AS (${fills.sql}),
${mid.sql},${latency ? `\n${latency.sql},` : ''}
ln AS (SELECT *, row_number() OVER () AS _fid, CASE WHEN side = 'sell' THEN -1 ELSE 1 END AS _sign, ${shifts.join(', ')} FROM l),
f AS (SELECT ln.*, mid_n._n AS _n0${latency ? ', lat_n._n AS _n1' : ''} FROM ln${mid.leftJoin('ln', LEFT_SIDE.key)}${latency?.leftJoin('ln', LEFT_SIDE.key) ?? ''}),
${lookups.sql},
j AS (SELECT f.*, _v0_0 AS arrival_mid, _t0_0 AS arrival_ts, ${mids.join(', ')},
  ${latency ? `_v1_${latencyProbe}` : 'NULL::DOUBLE'} AS latency FROM f LEFT JOIN probed USING (_fid)),
s AS (SELECT *, price * quantity AS notional, fee / nullif(price * quantity, 0) * 1e4 AS fee_bps,
  _sign * (price - arrival_mid) / nullif(arrival_mid, 0) * 1e4 AS slippage_bps FROM j),
a AS (SELECT *, slippage_bps + fee_bps AS cost_bps, ${markouts.join(', ')} FROM s)`;
    return {
      sql,
      params: [
        ...fills.params,
        ...mid.params,
        ...(latency?.params ?? []),
        ...s.horizons.map((h) => h.sql),
        ...lookups.params,
      ],
    };
  }
}

/**
 * Per-fill analysis: arrival mid, slippage, markouts at each horizon, latency at fill time, fee-adjusted. Fills in
 * time order. A fill before the first mid (or beyond the tolerance) has no arrival mid and no slippage; its
 * markouts are still computed when a mid exists by then, since they are measured against the fill price.
 * @example fillAnalysis('mid_price').fills({ symbol: 'BTC/USD' }).horizons('1s,5s,60s').latency('order_latency_ms').compile()
 */
export class FillAnalysisBuilder extends FillQueryBuilder {
  /**
   * The summary per strategy, symbol and venue (or the keys in `by`) of the same fills — all of them: the fill
   * limit bounds only the per-fill rows; the summary's own `limit` bounds its groups (default 100,000).
   */
  summary(by: readonly FillSummaryKey[] = FILL_SUMMARY_KEYS): FillSummaryBuilder {
    for (const key of by) {
      if (!FILL_SUMMARY_KEYS.includes(key)) {
        throw new ValidationError('by', `must be among ${FILL_SUMMARY_KEYS.join(', ')}`);
      }
    }
    return new FillSummaryBuilder({ ...this.state, by: [...new Set(by)], limit: 100_000 });
  }

  /** Compiles to frozen SQL and parameters. */
  compile(): CompiledQuery<FillAnalysisRow> {
    const a = this.analysisSql();
    const n = this.state.horizons.length;
    const list = (prefix: string) => `[${Array.from({ length: n }, (_, i) => `${prefix}${i}`).join(', ')}]`;
    return compiled(
      `${a.sql}
SELECT ts, symbol, venue, strategy, side, quantity, price, fee, order_id, trade_id, notional, arrival_mid, arrival_ts,
  slippage_bps, fee_bps, cost_bps, latency, ${list('_m')} AS mid_after, ${list('_mk')} AS markout_bps,
  ${list('_nmk')} AS net_markout_bps
FROM a ORDER BY ts LIMIT ?`,
      [...a.params, this.state.limit],
    );
  }
}

/** The aggregates of a {@link FillStats}: the average and one `quantile_cont` for all three levels (one sort). */
const statsAggregates = (column: string, name: string) =>
  `avg(${column}) AS ${name}_avg, quantile_cont(${column}, [0.1, 0.5, 0.9]) AS ${name}_q`;
/** The {@link FillStats} struct from the columns of {@link statsAggregates}. */
const statsStruct = (name: string) =>
  `'avg': ${name}_avg, 'p10': ${name}_q[1], 'p50': ${name}_q[2], 'p90': ${name}_q[3]`;

/**
 * Summary of a fill analysis per group: counts, notional, fees, slippage and cost statistics, and per horizon the
 * markout statistics and the share of negative markouts. Plain (unweighted) per-fill averages.
 * @example fillAnalysis('mid_price').between(from, to).summary(['strategy']).compile()
 */
export class FillSummaryBuilder extends FillQueryBuilder {
  /** Compiles to frozen SQL and parameters. */
  compile(): CompiledQuery<FillSummaryRow> {
    const a = this.analysisSql();
    const keys = FILL_SUMMARY_KEYS.map((k) => (this.state.by.includes(k) ? k : `NULL::VARCHAR AS ${k}`));
    const groups = FILL_SUMMARY_KEYS.filter((k) => this.state.by.includes(k));
    const horizons = this.state.horizons.map((_, i) => i);
    const aggregates = horizons.map(
      (
        i,
      ) => `count(_mk${i})::DOUBLE AS _c${i}, ${statsAggregates(`_mk${i}`, `_m${i}`)}, avg(_nmk${i}) AS _n${i},
  avg(CASE WHEN _mk${i} < 0 THEN 1.0 WHEN _mk${i} >= 0 THEN 0.0 END) AS _s${i}`,
    );
    const markouts = horizons.map(
      (i) =>
        `{'horizon': ?, 'samples': _c${i}, ${statsStruct(`_m${i}`)}, 'net_avg': _n${i}, 'negative_share': _s${i}}`,
    );
    const groupBy = groups.length > 0 ? ` GROUP BY ${groups.join(', ')}` : '';
    const orderBy = groups.length > 0 ? ` ORDER BY ${groups.map((g) => `${g} NULLS FIRST`).join(', ')}` : '';
    return compiled(
      `${a.sql},
g AS (SELECT ${keys.join(', ')}, count(*) AS fills, count(arrival_mid) AS priced,
  coalesce(sum(notional), 0) AS notional, coalesce(sum(fee), 0) AS fees, ${statsAggregates('slippage_bps', '_sl')},
  ${statsAggregates('cost_bps', '_co')}, ${aggregates.join(', ')}
  FROM a${groupBy})
SELECT ${FILL_SUMMARY_KEYS.join(', ')}, fills, priced, notional, fees, {${statsStruct('_sl')}} AS slippage_bps,
  {${statsStruct('_co')}} AS cost_bps, [${markouts.join(', ')}] AS markouts
FROM g${orderBy} LIMIT ?`,
      [...a.params, ...this.state.horizons.map((h) => h.text), this.state.limit],
    );
  }
}

function checkLabels(labels: LabelFilter): LabelFilter {
  for (const [key, value] of Object.entries(labels)) {
    labelPointer(key);
    checkText(`label.${key}`, value, 4096);
  }
  return { ...labels };
}

/**
 * Starts a fill analysis against the mid-price metric `mid` (horizons 1s, 5s, 60s; no tolerance; 100,000 fills).
 * @example db.execute(fillAnalysis('mid').fills({ strategy: 'mm-1' }).tolerance('2s').between(from, to).summary())
 */
export function fillAnalysis(mid: string): FillAnalysisBuilder {
  return new FillAnalysisBuilder({
    mid: { name: checkText('mid', mid) },
    horizons: parseDurations('1s,5s,60s', 'horizons'),
    strict: false,
    limit: 100_000,
    by: FILL_SUMMARY_KEYS,
  });
}
