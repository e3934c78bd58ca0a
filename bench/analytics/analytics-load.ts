import { once } from 'node:events';
import { type Database, TradeRecord } from '@duckside/core';
import { emptyScalarPoint, emptySeriesContext, MetricBatch } from '@duckside/core/ingest';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import {
  ANALYTICS_STRATEGIES,
  ANALYTICS_SYMBOLS,
  ANALYTICS_VENUES,
  type AnalyticsData,
  type FillColumns,
  type PointColumns,
} from './analytics-data.ts';

const BATCH = 100_000;
const SYMBOL_NAMES = ANALYTICS_SYMBOLS.map((s) => s.symbol);

/** Writes one metric's points through core, batch by batch (one series per symbol, no labels). */
async function writePoints(db: Database, name: string, points: PointColumns): Promise<void> {
  const context = emptySeriesContext(name);
  const point = emptyScalarPoint();
  for (let start = 0; start < points.length; start += BATCH) {
    const batch = new MetricBatch();
    for (let i = start; i < Math.min(points.length, start + BATCH); i++) {
      point.timeMicros = points.micros[i] as number;
      point.symbol = SYMBOL_NAMES[points.symbol[i] as number] as string;
      point.value = points.value[i] as number;
      batch.pushScalar(context, point);
    }
    await db.writeMetricBatch(batch);
  }
}

/** Fills as trade records (validated like any trade). */
function fillRecords(fills: FillColumns, start: number, end: number): TradeRecord[] {
  const records: TradeRecord[] = [];
  for (let i = start; i < end; i++) {
    records.push(
      new TradeRecord({
        timestamp: BigInt(fills.micros[i] as number) * 1000n,
        symbol: SYMBOL_NAMES[fills.symbol[i] as number] as string,
        venue: ANALYTICS_VENUES[fills.venue[i] as number] as string,
        side: fills.side[i] === 1 ? 'buy' : 'sell',
        quantity: fills.quantity[i] as number,
        price: fills.price[i] as number,
        fee: fills.fee[i] as number,
        strategy: ANALYTICS_STRATEGIES[fills.strategy[i] as number] as string,
      }),
    );
  }
  return records;
}

/**
 * Loads the data set into Duckside: mids as metric `mid`, spreads as `spread_bps`, fills as trades.
 * @example await loadDuckside(db, analyticsData(1_000_000, 100_000));
 */
export async function loadDuckside(db: Database, data: AnalyticsData): Promise<void> {
  await writePoints(db, 'mid', data.mids);
  await writePoints(db, 'spread_bps', data.spreads);
  for (let start = 0; start < data.fills.length; start += BATCH) {
    await db.insertTrades(fillRecords(data.fills, start, Math.min(data.fills.length, start + BATCH)));
  }
}

/**
 * The PostgreSQL tables: prices (name, symbol, ts, value) with the best index for the lateral as-of form —
 * `(name, symbol, ts)` including `value`, so each lookup is one index-only descent — and trades.
 */
export const ANALYTICS_POSTGRES_DDL = `
DROP TABLE IF EXISTS prices; DROP TABLE IF EXISTS trades;
CREATE TABLE prices (name text NOT NULL, symbol text NOT NULL, ts timestamp NOT NULL, value float8 NOT NULL);
CREATE TABLE trades (ts timestamp NOT NULL, symbol text NOT NULL, venue text NOT NULL, side text NOT NULL,
  quantity float8 NOT NULL, price float8 NOT NULL, fee float8 NOT NULL, strategy text)`;

/** `YYYY-MM-DD HH:MM:SS.ffffff` of unix microseconds. */
export function timestampText(micros: number): string {
  const iso = new Date(Math.floor(micros / 1000)).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}.${String(micros % 1_000_000).padStart(6, '0')}`;
}

async function copyRows(
  client: pg.Client,
  sql: string,
  rows: number,
  line: (i: number) => string,
): Promise<void> {
  const stream = client.query(copyFrom(sql));
  const finished = new Promise<void>((resolve, reject) => {
    stream.once('finish', resolve);
    stream.once('error', reject);
  });
  for (let start = 0; start < rows; start += 10_000) {
    const lines: string[] = [];
    for (let i = start; i < Math.min(rows, start + 10_000); i++) lines.push(line(i));
    if (!stream.write(lines.join(''))) await once(stream, 'drain');
  }
  stream.end();
  await finished;
}

/**
 * Loads the same data set into PostgreSQL with COPY, builds the indexes and runs `VACUUM ANALYZE` (which also
 * sets the visibility map that index-only scans need).
 * @example await loadPostgresAnalytics(client, data);
 */
export async function loadPostgresAnalytics(client: pg.Client, data: AnalyticsData): Promise<void> {
  await client.query(ANALYTICS_POSTGRES_DDL);
  for (const [name, points] of [
    ['mid', data.mids],
    ['spread_bps', data.spreads],
  ] as const) {
    await copyRows(
      client,
      'COPY prices FROM STDIN',
      points.length,
      (i) =>
        `${name}\t${SYMBOL_NAMES[points.symbol[i] as number]}\t${timestampText(points.micros[i] as number)}\t${points.value[i]}\n`,
    );
  }
  const f = data.fills;
  await copyRows(
    client,
    'COPY trades FROM STDIN',
    f.length,
    (i) =>
      `${timestampText(f.micros[i] as number)}\t${SYMBOL_NAMES[f.symbol[i] as number]}\t${ANALYTICS_VENUES[f.venue[i] as number]}\t` +
      `${f.side[i] === 1 ? 'buy' : 'sell'}\t${f.quantity[i]}\t${f.price[i]}\t${f.fee[i]}\t${ANALYTICS_STRATEGIES[f.strategy[i] as number]}\n`,
  );
  await client.query('CREATE INDEX prices_name_symbol_ts ON prices (name, symbol, ts) INCLUDE (value)');
  await client.query('CREATE INDEX trades_ts ON trades (ts)');
  await client.query('VACUUM ANALYZE prices');
  await client.query('VACUUM ANALYZE trades');
}
