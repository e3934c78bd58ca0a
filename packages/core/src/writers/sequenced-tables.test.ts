import { describe, expect, it } from 'vitest';
import { Database } from '../database/database.ts';
import { compiled } from '../query/compiled-query.ts';

const event = (message: string) => ({
  timestamp: new Date(1_700_000_000_000),
  severity: 'info' as const,
  source: 'oms',
  message,
});

describe('events get sequence ids without a stage', () => {
  it('numbers events in the order they were written, within a commit round and across rounds and SQL inserts', async () => {
    await using db = await Database.open(':memory:');
    // Concurrent writes share one commit round; each call's events keep their order.
    await Promise.all([
      db.insertEvents([event('a1'), event('a2')]),
      db.insertEvents([event('b1'), event('b2'), event('b3')]),
    ]);
    await db.withConnection((c) =>
      c.run(
        "INSERT INTO system_events (ts, severity, level, source, message) VALUES (now()::TIMESTAMP, 'info', 2, 'sql', 'c1')",
      ),
    );
    await db.insertEvents([event('d1')]);
    const rows = await db.all(
      compiled<{ id: number; message: string }>('SELECT id, message FROM system_events ORDER BY id', []),
    );
    expect(rows).toEqual([
      { id: 1, message: 'a1' },
      { id: 2, message: 'a2' },
      { id: 3, message: 'b1' },
      { id: 4, message: 'b2' },
      { id: 5, message: 'b3' },
      { id: 6, message: 'c1' },
      { id: 7, message: 'd1' },
    ]);
  });
});
