import { Database } from '@duckside/core';
import { SEQ_METRIC } from './seq-body-template.ts';

/** How the stored sequence numbers compare with the acknowledged ones. */
export interface SeqAudit {
  ackedPoints: number;
  storedRows: number;
  /** Acknowledged but not stored: must be 0. */
  missing: number;
  /** A few missing sequence numbers, for the failure message. */
  missingExamples: number[];
  /** Stored more than once. */
  duplicates: number;
  /** Stored but never acknowledged (the sidecar committed, then died or was cut off before answering). */
  storedUnacked: number;
}

/**
 * Reads the sequence numbers stored in a database file (the sidecar must not be running: the file is locked)
 * and compares them with the acknowledged requests.
 * @example const audit = await auditSeqs(dbPath, load.ackedFirstSeqs, template.points);
 */
export async function auditSeqs(
  dbPath: string,
  ackedFirstSeqs: readonly number[],
  pointsPerRequest: number,
  metric = SEQ_METRIC,
): Promise<SeqAudit> {
  const stored = await readStoredSeqs(dbPath, metric);
  let max = 0;
  for (const v of stored) max = Math.max(max, v);
  for (const s of ackedFirstSeqs) max = Math.max(max, s + pointsPerRequest);
  const seen = new Uint8Array(max + 1);
  let duplicates = 0;
  for (const v of stored) {
    const i = Math.trunc(v);
    if ((seen[i] as number) > 0) duplicates++;
    else seen[i] = 1;
  }
  let missing = 0;
  let acked = 0;
  const missingExamples: number[] = [];
  for (const first of ackedFirstSeqs) {
    for (let s = first; s < first + pointsPerRequest; s++) {
      acked++;
      if (seen[s] === 2) continue;
      if (seen[s] === 0) {
        missing++;
        if (missingExamples.length < 10) missingExamples.push(s);
      } else seen[s] = 2;
    }
  }
  let storedUnacked = 0;
  for (let i = 0; i < seen.length; i++) if (seen[i] === 1) storedUnacked++;
  return {
    ackedPoints: acked,
    storedRows: stored.length,
    missing,
    missingExamples,
    duplicates,
    storedUnacked,
  };
}

/** The values of `metric` in `trading_metrics` (opens the file with core, without migrating it). */
export async function readStoredSeqs(dbPath: string, metric = SEQ_METRIC): Promise<Float64Array> {
  const db = await Database.open({ path: dbPath, initialize: false });
  try {
    return await db.withConnection(async (c) => {
      const reader = await c.runAndReadAll('SELECT value FROM trading_metrics WHERE name = $1', [metric]);
      const column = reader.getColumns()[0] ?? [];
      return Float64Array.from(column as number[]);
    });
  } finally {
    await db.close();
  }
}
