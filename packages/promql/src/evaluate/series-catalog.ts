import type { CompiledQuery, QueryOptions } from '@duckside/core';
import type { PointTables } from '../compile/point-tables.ts';
import { seriesLabelsSql } from '../sql/series-labels-sql.ts';
import type { PromqlRunner } from './promql-runner.ts';

/** One stored series as PromQL sees it before its point shape is known (see `seriesLabelsSql`). */
export interface CatalogSeries {
  /** `metric_series.series_id` in decimal. */
  readonly id: string;
  /** Sanitized name with its unit suffix (no `_total`/`_ratio`, which depend on the points). */
  readonly base: string;
  /** The unit without `{annotations}`. */
  readonly bareUnit: string;
  /** Label entries but `__name__` (job, instance, symbol, attributes), empty values dropped, by name. */
  readonly entries: readonly (readonly [string, string])[];
}

/** What one freshness probe of the catalog finds. */
export interface CatalogSnapshot {
  readonly series: readonly CatalogSeries[];
  /** Series by base name. */
  readonly byBase: ReadonlyMap<string, readonly CatalogSeries[]>;
  /** Series by id. */
  readonly byId: ReadonlyMap<string, CatalogSeries>;
  readonly pointTables: PointTables;
}

interface ProbeRow {
  n: number;
  x: string | null;
  histograms: boolean;
  summaries: boolean;
}

/** Row count and xor of the series ids (they change whenever a series is added or removed), plus which derived point tables hold rows. */
const PROBE: CompiledQuery<ProbeRow> = Object.freeze({
  sql: `SELECT count(*)::BIGINT AS n, bit_xor(series_id)::VARCHAR AS x,
    EXISTS (SELECT 1 FROM histogram_points) AS histograms, EXISTS (SELECT 1 FROM summary_points) AS summaries
    FROM metric_series`,
  params: Object.freeze([]),
});

interface CatalogRow {
  id: string;
  base: string;
  bare_unit: string;
  entries: { key: string; value: string | null }[];
}

const LOAD: CompiledQuery<CatalogRow> = Object.freeze({
  sql: `SELECT series_id::VARCHAR AS id, base, bare_unit, entries FROM (${seriesLabelsSql()})`,
  params: Object.freeze([]),
});

/**
 * The label entries of every stored series, kept in memory: read with one statement the first time and again
 * only when `metric_series` changed (its row count or the xor of its ids differ; series ids are content hashes,
 * so a changed series is a new id). Each use costs one probe that reads the ids only. Shared by the PromQL
 * compiler (series are matched here, not in every statement) and the `/series`, `/labels` calls.
 * @example const snapshot = await catalog.snapshot(db);
 */
export class SeriesCatalog {
  private token = '';
  private current: CatalogSnapshot | undefined;
  private loading: Promise<CatalogSnapshot> | undefined;

  /**
   * `reader`, when given, reads the catalog instead of the caller's runner: e.g. the database itself, so that
   * a store with more series than a query API's row cap still loads its whole catalog.
   */
  constructor(private readonly reader?: PromqlRunner) {}

  /** The catalog as of now (one probe; a reload when series were added or removed since the last one). */
  async snapshot(caller: PromqlRunner, run: QueryOptions = {}): Promise<CatalogSnapshot> {
    const runner = this.reader ?? caller;
    const probe = (await runner.query(PROBE, run)).rows[0];
    const pointTables = { histograms: probe?.histograms ?? true, summaries: probe?.summaries ?? true };
    const token = `${probe?.n ?? 0}:${probe?.x ?? ''}`;
    if (this.current === undefined || token !== this.token) {
      this.loading ??= this.load(runner, run, token).finally(() => {
        this.loading = undefined;
      });
      await this.loading;
    }
    return { ...(this.current as CatalogSnapshot), pointTables };
  }

  private async load(runner: PromqlRunner, run: QueryOptions, token: string): Promise<CatalogSnapshot> {
    const { rows } = await runner.query(LOAD, run);
    const series = rows.map(
      (r): CatalogSeries => ({
        id: r.id,
        base: r.base,
        bareUnit: r.bare_unit ?? '',
        entries: r.entries
          .filter((e) => e.value !== null && e.value !== '')
          .map((e) => [e.key, e.value as string] as const)
          .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)),
      }),
    );
    const byBase = new Map<string, CatalogSeries[]>();
    for (const s of series) {
      const list = byBase.get(s.base);
      if (list) list.push(s);
      else byBase.set(s.base, [s]);
    }
    const byId = new Map(series.map((s) => [s.id, s]));
    this.current = { series, byBase, byId, pointTables: { histograms: true, summaries: true } };
    this.token = token;
    return this.current;
  }
}
