import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SchemaReport } from '../src/entries/schema.ts';
import {
  type Aggregation,
  aggregateMetrics,
  type CompiledQuery,
  candles,
  DATA_TABLES,
  Database,
  DatabaseError,
  type DataTable,
  deleteOlderThan,
  type EventInput,
  histogramQuantiles,
  MetricRecord,
  performanceSummary,
  type Severity,
  selectEvents,
  selectMetrics,
  selectTrades,
  tableStatistics,
  ValidationError,
} from '../src/index.ts';
import { countRows } from './support/count-rows.ts';
import { sampleCandle, sampleTrade } from './support/sample-records.ts';
import { tempDirectory } from './support/temp-directory.ts';

const dir = tempDirectory();
const LEAK = dir.path('leak.csv');
const T0 = Date.UTC(2024, 0, 2);

/** Hostile text for every filter: quoting, statement breaks, NUL, size, unicode, LIKE and JSON-path syntax. */
const PAYLOADS = [
  "'",
  "''",
  '"',
  '`',
  '\\',
  "'; DROP TABLE trading_metrics; --",
  '"; DROP TABLE trading_metrics; --',
  "x'); DELETE FROM trading_trades; --",
  "1' OR '1'='1",
  "' OR 1=1 --",
  "' UNION SELECT version, name, checksum, NULL, NULL, NULL, NULL, NULL FROM duckside_migrations --",
  `'; COPY trading_metrics TO '${LEAK}'; --`,
  `'; ATTACH '${dir.path('evil.duckdb')}' AS evil; --`,
  '/* comment */',
  '\n; DROP TABLE system_events;\r\n--',
  'a\u0000b',
  '\u0000',
  'x'.repeat(10 * 1024),
  'ünïcødé 日本語 🚀 \u202eevil',
  '\uD800',
  '%',
  '_',
  '?',
  '$1',
  ':name',
  'NULL',
  '$',
  '$.exchange',
  '$..*',
  '$["exchange"]',
  '/exchange',
  'exchange/x',
  '~0~1',
  '[0]',
  '*',
  'a.b',
  '{"a":1}',
];

/** SQL we generate; an error message may echo the caller's own text but never contain these. */
const SQL_TEXT =
  /\b(SELECT|FROM|WHERE|GROUP BY|ORDER BY|INSERT|DELETE|UPDATE|DROP|UNION|ATTACH|COPY)\b|json_extract|time_bucket|\?::|::TIMESTAMP/;

interface Probe {
  /** What the payload goes through. */
  filter: string;
  query: (payload: string) => { compile(): CompiledQuery<unknown> } | CompiledQuery<unknown>;
  /** Rows the query must return when it accepts the payload (from the seeded data), if known. */
  expectedRows?: (payload: string) => number;
}

// Seeded rows carry the payloads that the models accept, so that filters must match them exactly and only them.
const nameOk = (p: string, max: number) => p.length > 0 && p.length <= max && !p.includes('\u0000');
const seededMetrics = (key: 'symbol' | 'label' | 'labelKey', p: string) =>
  key === 'symbol'
    ? nameOk(p, 64)
      ? 1
      : 0
    : key === 'label'
      ? p.length <= 4096
        ? 1
        : 0
      : nameOk(p, 256)
        ? 1
        : 0;
const seededShort = (p: string) => (nameOk(p, 64) ? 1 : 0);

const PROBES: Probe[] = [
  { filter: 'selectMetrics.name', query: (p) => selectMetrics().name(p), expectedRows: () => 0 },
  {
    filter: 'selectMetrics.symbol',
    query: (p) => selectMetrics().name('inj').symbol(p),
    expectedRows: (p) => seededMetrics('symbol', p),
  },
  { filter: 'selectMetrics.service', query: (p) => selectMetrics().service(p), expectedRows: () => 0 },
  {
    filter: 'selectMetrics.label value',
    query: (p) => selectMetrics().name('inj').label('k', p),
    expectedRows: (p) => seededMetrics('label', p),
  },
  {
    filter: 'selectMetrics.label key',
    query: (p) => selectMetrics().name('inj').label(p, 'keyed'),
    expectedRows: (p) => seededMetrics('labelKey', p),
  },
  { filter: 'selectMetrics.between from', query: (p) => selectMetrics().between(p, undefined) },
  { filter: 'selectMetrics.between to', query: (p) => selectMetrics().between(undefined, p) },
  { filter: 'aggregateMetrics.name', query: (p) => aggregateMetrics(p), expectedRows: () => 0 },
  {
    filter: 'aggregateMetrics.symbol',
    query: (p) => aggregateMetrics('inj').fn('count').symbol(p),
    expectedRows: (p) => seededMetrics('symbol', p),
  },
  {
    filter: 'aggregateMetrics.label',
    query: (p) => aggregateMetrics('inj').label(p, 'keyed').label('k', p),
    expectedRows: () => 0,
  },
  {
    filter: 'aggregateMetrics.groupBy label',
    query: (p) => aggregateMetrics('inj').groupBy({ by: 'label', key: p }),
  },
  {
    filter: 'aggregateMetrics.rate groupBy label',
    query: (p) => aggregateMetrics('inj').fn('rate').groupBy({ by: 'label', key: p }),
  },
  { filter: 'aggregateMetrics.interval', query: (p) => aggregateMetrics('inj').interval(p) },
  { filter: 'aggregateMetrics.fn', query: (p) => aggregateMetrics('inj').fn(p as Aggregation) },
  { filter: 'aggregateMetrics.between', query: (p) => aggregateMetrics('inj').between(p, p) },
  { filter: 'histogramQuantiles.name', query: (p) => histogramQuantiles(p), expectedRows: () => 0 },
  {
    filter: 'histogramQuantiles.symbol',
    query: (p) => histogramQuantiles('h').symbol(p),
    expectedRows: () => 0,
  },
  {
    filter: 'histogramQuantiles.groupBy label',
    query: (p) => histogramQuantiles('h').groupBy({ by: 'label', key: p }),
  },
  { filter: 'histogramQuantiles.interval', query: (p) => histogramQuantiles('h').interval(p) },
  {
    filter: 'candles.symbol (stored)',
    query: (p) => candles(p).interval('1m'),
    expectedRows: (p) => seededShort(p),
  },
  {
    filter: 'candles.venue (stored)',
    query: (p) => candles().venue(p),
    expectedRows: (p) => seededShort(p),
  },
  {
    filter: 'candles.symbol (trades)',
    query: (p) => candles(p).fromTrades(),
    expectedRows: (p) => seededShort(p),
  },
  {
    filter: 'candles.venue (trades)',
    query: (p) => candles().fromTrades().venue(p),
    expectedRows: (p) => seededShort(p),
  },
  { filter: 'candles.fromMetric', query: (p) => candles().fromMetric(p), expectedRows: () => 0 },
  { filter: 'candles.interval', query: (p) => candles('BTC/USD').interval(p) },
  { filter: 'candles.between', query: (p) => candles('BTC/USD').fromTrades().between(p, undefined) },
  {
    filter: 'selectTrades.symbol',
    query: (p) => selectTrades().symbol(p),
    expectedRows: (p) => seededShort(p),
  },
  {
    filter: 'selectTrades.venue',
    query: (p) => selectTrades().venue(p),
    expectedRows: (p) => seededShort(p),
  },
  {
    filter: 'selectTrades.strategy',
    query: (p) => selectTrades().strategy(p),
    expectedRows: (p) => seededShort(p),
  },
  {
    filter: 'selectTrades.side',
    query: (p) =>
      selectTrades()
        .symbol('none')
        .side(p as 'buy'),
    expectedRows: () => 0,
  },
  { filter: 'selectTrades.between', query: (p) => selectTrades().between(undefined, p) },
  {
    filter: 'selectEvents.source',
    query: (p) => selectEvents().source(p),
    expectedRows: (p) => seededShort(p),
  },
  {
    filter: 'selectEvents.text',
    query: (p) => selectEvents().source('inj').text(p),
    expectedRows: (p) => EVENTS.filter((e) => e.message.toLowerCase().includes(p.toLowerCase())).length,
  },
  { filter: 'selectEvents.minSeverity', query: (p) => selectEvents().minSeverity(p as Severity) },
  { filter: 'selectEvents.between', query: (p) => selectEvents().between(p, undefined) },
  {
    filter: 'performanceSummary.strategy',
    query: (p) => performanceSummary().strategy(p),
    expectedRows: (p) => seededShort(p),
  },
  {
    filter: 'performanceSummary.symbol',
    query: (p) => performanceSummary().symbol(p),
    expectedRows: (p) => seededShort(p),
  },
  { filter: 'performanceSummary.between', query: (p) => performanceSummary().between(p, p) },
  { filter: 'tableStatistics.table', query: (p) => tableStatistics([p as DataTable]) },
  { filter: 'deleteOlderThan.table', query: (p) => deleteOlderThan(p, T0) },
  { filter: 'deleteOlderThan.cutoff', query: (p) => deleteOlderThan('trading_metrics', p) },
];

const short = PAYLOADS.filter((p) => nameOk(p, 64));
const EVENTS = short.map((p) => ({ message: `event about ${p}` }));

let db: Database;
let schemaBefore: SchemaReport;
const countsBefore: Record<string, number> = {};

beforeAll(async () => {
  db = await Database.open(dir.path('injection.duckdb'));
  await db.insertMetrics(
    PAYLOADS.flatMap((p) => {
      const records: MetricRecord[] = [];
      if (nameOk(p, 64)) records.push(new MetricRecord('inj', 1, T0).withSymbol(p));
      if (p.length <= 4096) records.push(new MetricRecord('inj', 2, T0).addLabel('k', p));
      if (nameOk(p, 256)) records.push(new MetricRecord('inj', 3, T0).addLabel(p, 'keyed'));
      return records;
    }),
  );
  await db.insertTrades(short.map((p) => sampleTrade({ symbol: p, venue: p, strategy: p })));
  await db.insertCandles(short.map((p) => sampleCandle({ symbol: p, venue: p })));
  await db.insertEvents(
    short.map((p, i): EventInput => ({ severity: 'info', source: p, message: 'x', timestamp: T0 + i })),
  );
  await db.insertEvents(
    EVENTS.map((e) => ({ severity: 'info', source: 'inj', message: e.message, timestamp: T0 })),
  );
  schemaBefore = await db.verify();
  for (const table of DATA_TABLES) countsBefore[table] = await countRows(db, table);
});
afterAll(() => db.close());

describe('SQL injection through every filter', () => {
  it.each(PROBES.map((p) => [p.filter, p] as const))(
    '%s treats every payload as data',
    async (_name, probe) => {
      for (const payload of PAYLOADS) {
        const context = `${probe.filter} with ${JSON.stringify(payload.slice(0, 60))}`;
        let rows: unknown[] | undefined;
        try {
          rows = (await db.execute(probe.query(payload))).rows;
        } catch (error) {
          // Refused up front as invalid input, or at worst a DatabaseError: never a raw driver error.
          expect(error, context).toBeInstanceOf(DatabaseError);
          expect(error, `${context}: only invalid input may fail`).toBeInstanceOf(ValidationError);
          const message = (error as Error).message.replaceAll(payload, '<payload>');
          expect(message, context).not.toMatch(SQL_TEXT);
          continue;
        }
        const expected = probe.expectedRows?.(payload);
        if (expected !== undefined) expect(rows?.length, context).toBe(expected);
      }
    },
  );

  it('left the schema, the data and the file system unchanged', async () => {
    expect(schemaBefore.ok).toBe(true);
    expect(await db.verify()).toEqual(schemaBefore);
    for (const table of DATA_TABLES) expect(await countRows(db, table), table).toBe(countsBefore[table]);
    expect(countsBefore.trading_metrics).toBeGreaterThan(PAYLOADS.length);
    expect(existsSync(LEAK)).toBe(false);
    expect(existsSync(dir.path('evil.duckdb'))).toBe(false);
  });

  it('keeps payloads intact when written and read back', async () => {
    const { rows } = await db.execute(selectMetrics().name('inj').limit(10_000));
    const symbols = new Set(rows.map((r) => r.symbol));
    for (const p of short.filter((s) => s !== '\uD800')) expect(symbols.has(p), JSON.stringify(p)).toBe(true);
  });
});
