import { Database } from '@duckside/core';
import { startPostgres, tempDir } from '@duckside/testkit';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyticsData } from '../analytics/analytics-data.ts';
import { loadDuckside, loadPostgresAnalytics } from '../analytics/analytics-load.ts';
import { ANALYTICS_WORKLOADS, assertSameFigures } from '../analytics/analytics-workloads.ts';

const data = analyticsData(60_000, 4_000);
let dir: Awaited<ReturnType<typeof tempDir>>;
let db: Database;
let server: Awaited<ReturnType<typeof startPostgres>>;
let client: pg.Client;

beforeAll(async () => {
  dir = await tempDir('bench-analytics-test-');
  db = await Database.open({ path: `${dir.path}/a.duckdb` });
  await loadDuckside(db, data);
  server = await startPostgres();
  client = new pg.Client({ connectionString: server.url });
  await client.connect();
  await loadPostgresAnalytics(client, data);
}, 120_000);

afterAll(async () => {
  await client?.end();
  await server?.stop();
  await db?.close();
  await dir?.remove();
});

describe('the analytics benchmark measures the same work on both engines', () => {
  for (const w of ANALYTICS_WORKLOADS) {
    it(`${w.id}: Duckside and PostgreSQL agree on non-trivial figures`, async () => {
      const duckside = await w.duckside(db);
      const postgres = await w.postgres(client);
      assertSameFigures(w.id, duckside, postgres);
      expect(Object.values(duckside).every((v) => Number.isFinite(v))).toBe(true);
      expect(Object.values(duckside).filter((v) => v !== 0).length).toBeGreaterThan(1);
    });
  }

  it('a difference is caught', () => {
    expect(() => assertSameFigures('x', { a: 1, b: 2 }, { a: 1, b: 2.001 })).toThrow(/differ on b/);
  });
});
