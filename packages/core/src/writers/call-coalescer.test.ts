import { describe, expect, it } from 'vitest';
import { countRows } from '../../test/support/count-rows.ts';
import { Database } from '../database/database.ts';
import { MetricRecord } from '../models/metric-record.ts';
import { CallCoalescer } from './call-coalescer.ts';

describe('CallCoalescer', () => {
  it('writes the calls of one turn as one batch, and a later turn as another', async () => {
    const writes: number[][] = [];
    const coalescer = new CallCoalescer<number>(async (items) => {
      writes.push(items);
    });
    await Promise.all([1, 2, 3].map((n) => coalescer.add(n)));
    await coalescer.add(4);
    expect(writes).toEqual([[1, 2, 3], [4]]);
  });

  it('retries one by one when the shared write fails, so only the bad item fails', async () => {
    const writes: number[][] = [];
    const coalescer = new CallCoalescer<number>(async (items) => {
      writes.push(items);
      if (items.includes(13)) throw new Error('bad item 13');
    });
    const outcomes = await Promise.allSettled([12, 13, 14].map((n) => coalescer.add(n)));
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((outcomes[1] as PromiseRejectedResult).reason.message).toBe('bad item 13');
    expect(writes).toEqual([[12, 13, 14], [12], [13], [14]]);
  });

  it('makes 2,000 concurrent insertMetric calls one write: all stored, in one or two commits', async () => {
    await using db = await Database.open(':memory:');
    const before = db.writerStats().commits;
    const t = Date.UTC(2024, 0, 2);
    await Promise.all(
      Array.from({ length: 2000 }, (_, i) => db.insertMetric(new MetricRecord('coalesced', i, t + i))),
    );
    expect(await countRows(db, 'trading_metrics')).toBe(2000);
    expect(db.writerStats().commits - before).toBeLessThanOrEqual(2);
  });
});
