import { join } from 'node:path';
import { Database, MetricRecord } from '@duckside/core';
import { tempDir } from '@duckside/testkit';
import { describe, expect, it } from 'vitest';
import { auditSeqs } from './stored-seqs.ts';

describe('auditSeqs', () => {
  it('finds missing, duplicated and unacknowledged sequence numbers', async () => {
    await using dir = await tempDir('reliability-audit-');
    const path = join(dir.path, 'a.duckdb');
    const db = await Database.open({ path });
    // Requests of 3 points: 0..2 stored, 3..5 stored but 4 twice and 5 missing, 6..8 stored but never acked.
    const stored = [0, 1, 2, 3, 4, 4, 6, 7, 8];
    await db.insertMetrics(stored.map((v) => new MetricRecord('reliability_seq', v)));
    await db.insertMetrics([new MetricRecord('other_metric', 5)]);
    await db.close();

    const audit = await auditSeqs(path, [0, 3], 3);
    expect(audit).toEqual({
      ackedPoints: 6,
      storedRows: 9,
      missing: 1,
      missingExamples: [5],
      duplicates: 1,
      storedUnacked: 3,
    });
  });
});
