import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Database } from '@duckside/core';
import { toMetricBatch } from './core/to-metric-batch.ts';
import { TradingDataGenerator } from './core/trading-data.ts';
const dir = mkdtempSync(join(tmpdir(), 'prof-'));
const db = await Database.open({ path: join(dir, 'p.duckdb') });
const gen = new TradingDataGenerator(2_000_000);
let ms = 0, tb = 0;
for (let b = gen.next(100_000); b; b = gen.next(100_000)) {
  const batch = toMetricBatch(b);
  const t0 = performance.now();
  await db.writeMetricBatch(batch);
  ms += performance.now() - t0;
}
const f = ((globalThis as any).__flush ?? []).sort((a: number, b: number) => a - b); console.log('flushes', f.length, 'p50', f[f.length >> 1]?.toFixed(2), 'p99', f[Math.floor(f.length * 0.99)]?.toFixed(2), 'max', f.at(-1)?.toFixed(2));
console.log('write ms', ms.toFixed(0), 'rows/s', (2_000_000 / ms * 1000).toFixed(0));
await db.close();
