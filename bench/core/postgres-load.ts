import { once } from 'node:events';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { timeMs } from '../lib/timing.ts';
import { ATTRIBUTE_TEXTS, METRIC_SERIES, SYMBOLS } from './trading-catalog.ts';
import { DATA_START, type MetricRows, TradingDataGenerator } from './trading-data.ts';

/**
 * The PostgreSQL table: the same columns as Duckside's `trading_metrics`. Point attributes are `jsonb` (label
 * filters need it); resource, scope and exemplars, which are only stored and returned, are `text`, which
 * COPY loads faster than `jsonb`.
 */
export const POSTGRES_DDL = `CREATE TABLE trading_metrics (
  ts timestamp NOT NULL,
  time_unix_nano bigint NOT NULL,
  start_time_unix_nano bigint,
  name text NOT NULL,
  unit text NOT NULL,
  description text NOT NULL,
  symbol text,
  service text,
  attributes jsonb NOT NULL,
  resource text NOT NULL,
  scope text NOT NULL,
  exemplars text,
  flags integer NOT NULL,
  kind smallint NOT NULL,
  temporality smallint NOT NULL,
  is_monotonic boolean,
  value double precision NOT NULL,
  value_int bigint
)`;

/** Figures of loading PostgreSQL. */
export interface PostgresLoadResult {
  copyMs: number;
  copyRowsPerS: number;
  indexMs: number;
  vacuumAnalyzeMs: number;
  /** Table plus index, `pg_total_relation_size`. */
  totalBytes: number;
}

const COPY_ROWS = 10_000;

/**
 * Loads the same synthetic rows into PostgreSQL with `COPY ... FROM STDIN` (text format, encoded in this
 * process, which is part of the timed cost as it is for any client), then builds the btree on (name, ts)
 * and runs `VACUUM ANALYZE`, each timed on its own.
 * @example const r = await loadPostgres(client, 1_000_000); r.copyRowsPerS
 */
export async function loadPostgres(client: pg.Client, rows: number): Promise<PostgresLoadResult> {
  await client.query('DROP TABLE IF EXISTS trading_metrics');
  await client.query(POSTGRES_DDL);
  const generator = new TradingDataGenerator(rows);
  const copyMs = await timeMs(async () => {
    const stream = client.query(copyFrom('COPY trading_metrics FROM STDIN'));
    const finished = new Promise<void>((resolve, reject) => {
      stream.once('finish', resolve);
      stream.once('error', reject);
    });
    for (let batch = generator.next(COPY_ROWS); batch; batch = generator.next(COPY_ROWS)) {
      if (!stream.write(copyText(batch))) await once(stream, 'drain');
    }
    stream.end();
    await finished;
  });
  const indexMs = await timeMs(() =>
    client.query('CREATE INDEX trading_metrics_name_ts ON trading_metrics (name, ts)'),
  );
  const vacuumAnalyzeMs = await timeMs(() => client.query('VACUUM ANALYZE trading_metrics'));
  const size = await client.query<{ bytes: string }>(
    `SELECT pg_total_relation_size('trading_metrics') AS bytes`,
  );
  return {
    copyMs,
    copyRowsPerS: rows / (copyMs / 1000),
    indexMs,
    vacuumAnalyzeMs,
    totalBytes: Number(size.rows[0]?.bytes ?? 0),
  };
}

const START_NANOS_TEXT = `${DATA_START}000000`;
const NAME_PART = METRIC_SERIES.map((m) => `${m.name}\t${m.unit}\t${m.description}`);
const SERVICE_OF = METRIC_SERIES.map((m) => m.service);
const CONTEXT_OF = METRIC_SERIES.map((m) => `${m.resource}\t${m.scope}`);
const TAIL_OF = METRIC_SERIES.map(
  (m) => `\t\\N\t0\t${m.kind}\t${m.temporality}\t${m.counter ? 't' : '\\N'}\t`,
);
const START_OF = METRIC_SERIES.map((m) => (m.counter ? START_NANOS_TEXT : '\\N'));

/** COPY text lines of a batch (our strings hold no tab, newline or backslash, so none needs escaping). */
function copyText(rows: MetricRows): string {
  const lines: string[] = new Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const us = rows.timeMicros[i]!;
    const metric = rows.metric[i]!;
    const iso = new Date(Math.floor(us / 1000)).toISOString();
    const frac = String(us % 1_000_000).padStart(6, '0');
    const nanos = String(rows.timeNanos[i]!).padStart(3, '0');
    lines[i] =
      `${iso.slice(0, 10)} ${iso.slice(11, 19)}.${frac}\t${us}${nanos}\t${START_OF[metric]}\t${NAME_PART[metric]}\t` +
      `${SYMBOLS[rows.symbol[i]!]!.symbol}\t${SERVICE_OF[metric]}\t${ATTRIBUTE_TEXTS[rows.attributes[i]!]}\t` +
      `${CONTEXT_OF[metric]}${TAIL_OF[metric]}${rows.value[i]}\t\\N\n`;
  }
  return lines.join('');
}
