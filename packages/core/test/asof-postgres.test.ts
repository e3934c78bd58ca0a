import { type PostgresServer, startPostgres } from '@duckside/testkit';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asofJoin, Database } from '../src/index.ts';
import { MARKET_T0, seededMarket } from './support/market-data.ts';
import { writePoints } from './support/write-points.ts';

/**
 * The as-of join against the textbook PostgreSQL form on the same data: for each fill, a
 * `LEFT JOIN LATERAL (SELECT ... WHERE ts <= fill.ts ORDER BY ts DESC LIMIT 1)`.
 */
const market = seededMarket(31, 600);
let server: PostgresServer;
let client: pg.Client;
let db: Database;

beforeAll(async () => {
  server = await startPostgres();
  client = new pg.Client({ connectionString: server.url });
  await client.connect();
  await client.query(`CREATE TABLE trades (ts timestamp, symbol text, venue text, side text, quantity float8, price float8);
    CREATE TABLE mids (ts timestamp, symbol text, venue text, value float8);
    CREATE INDEX ON mids (symbol, ts DESC);
    CREATE INDEX ON mids (symbol, venue, ts DESC);`);
  const iso = (ms: number) => new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
  await client.query(
    `INSERT INTO trades SELECT * FROM unnest($1::timestamp[], $2::text[], $3::text[], $4::text[], $5::float8[], $6::float8[])`,
    [
      market.trades.map((t) => iso(t.timestamp)),
      market.trades.map((t) => t.symbol),
      market.trades.map((t) => t.venue),
      market.trades.map((t) => t.side),
      market.trades.map((t) => t.quantity),
      market.trades.map((t) => t.price),
    ],
  );
  await client.query(
    `INSERT INTO mids SELECT * FROM unnest($1::timestamp[], $2::text[], $3::text[], $4::float8[])`,
    [
      market.mids.map((p) => iso(Number(p.time / 1_000_000n))),
      market.mids.map((p) => p.symbol),
      market.mids.map((p) => p.labels?.venue),
      market.mids.map((p) => p.value),
    ],
  );
  db = await Database.open(':memory:');
  await writePoints(db, market.mids);
  await db.insertTrades(market.trades);
}, 120_000);

afterAll(async () => {
  await client?.end();
  await server?.stop();
  await db?.close();
});

interface Variant {
  strict?: boolean;
  tolerance?: string;
  toleranceSql?: string;
  venue?: boolean;
  symbol?: string;
  range?: [number, number];
}

async function lateral(v: Variant): Promise<string[]> {
  const conditions = ['m.symbol = t.symbol', `m.ts ${v.strict ? '<' : '<='} t.ts`];
  if (v.venue) conditions.push('m.venue = t.venue');
  if (v.toleranceSql) conditions.push(`m.ts >= t.ts - interval '${v.toleranceSql}'`);
  const where: string[] = [];
  const params: unknown[] = [];
  if (v.symbol) where.push(`t.symbol = $${params.push(v.symbol)}`);
  if (v.range) {
    where.push(`t.ts >= to_timestamp($${params.push(v.range[0] / 1000)}) AT TIME ZONE 'UTC'`);
    where.push(`t.ts < to_timestamp($${params.push(v.range[1] / 1000)}) AT TIME ZONE 'UTC'`);
  }
  const { rows } = await client.query(
    `SELECT (extract(epoch FROM t.ts) * 1000)::float8 AS ts, t.symbol, t.venue, t.side, t.quantity, t.price,
       (extract(epoch FROM m.ts) * 1000)::float8 AS mts, m.value
     FROM trades t LEFT JOIN LATERAL (
       SELECT ts, value FROM mids m WHERE ${conditions.join(' AND ')} ORDER BY ts DESC LIMIT 1
     ) m ON true ${where.length ? `WHERE ${where.join(' AND ')}` : ''}`,
    params,
  );
  return rows
    .map((r) => JSON.stringify([r.ts, r.symbol, r.venue, r.side, r.quantity, r.price, r.mts, r.value]))
    .sort();
}

async function duckside(v: Variant): Promise<string[]> {
  let q = asofJoin({ kind: 'trades' }, { kind: 'metric', name: 'mid' }).strictlyBefore(v.strict ?? false);
  if (v.venue) q = q.matchVenue();
  if (v.tolerance) q = q.tolerance(v.tolerance);
  if (v.symbol) q = q.symbol(v.symbol);
  if (v.range) q = q.between(v.range[0], v.range[1]);
  const { rows } = await db.execute(q);
  return rows
    .map((r) =>
      JSON.stringify([
        r.ts.getTime(),
        r.symbol,
        r.venue,
        r.side,
        r.quantity,
        r.price,
        r.right_ts?.getTime() ?? null,
        r.right_value,
      ]),
    )
    .sort();
}

describe('asofJoin equals PostgreSQL LATERAL ... ORDER BY ts DESC LIMIT 1', () => {
  const VARIANTS: [string, Variant][] = [
    ['at or before, on symbol', {}],
    ['strictly before', { strict: true }],
    ['within a tolerance', { tolerance: '900ms', toleranceSql: '900 milliseconds' }],
    [
      'on symbol and venue, strict, with a tolerance',
      { venue: true, strict: true, tolerance: '2s', toleranceSql: '2 seconds' },
    ],
    ['one symbol over part of the range', { symbol: 'ETH/USD', range: [MARKET_T0 + 1, MARKET_T0 + 90_000] }],
  ];
  for (const [label, variant] of VARIANTS) {
    it(label, async () => {
      const want = await lateral(variant);
      expect(want.length).toBeGreaterThan(50);
      expect(want.some((r) => r.endsWith(',null,null]'))).toBe(true);
      expect(await duckside(variant)).toEqual(want);
    });
  }
});
