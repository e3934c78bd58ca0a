import { describe, expect, it } from 'vitest';
import { Database } from '../database/database.ts';
import { compiled } from '../query/compiled-query.ts';
import { drawIds } from './sequenced-tables.ts';

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

describe('drawIds', () => {
  it('draws consecutive ids in order, and every id in order when they are not consecutive', async () => {
    await using db = await Database.open(':memory:');
    const drawn = await db.withConnection(async (c) => {
      await c.run('CREATE SEQUENCE from_five START 5; CREATE SEQUENCE by_three START 1 INCREMENT BY 3');
      return [
        await drawIds(c, 'from_five', 4),
        await drawIds(c, 'from_five', 2),
        await drawIds(c, 'by_three', 5),
      ];
    });
    expect(drawn).toEqual([
      [5n, 6n, 7n, 8n],
      [9n, 10n],
      [16n, 19n, 22n, 25n, 28n],
    ]);
  });
});
