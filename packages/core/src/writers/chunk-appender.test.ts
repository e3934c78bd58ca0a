import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTable } from '../../test/support/read-table.ts';
import { Database } from '../database/database.ts';
import { joinNanos } from '../time/index.ts';
import { type AppendOptions, appendTable } from './chunk-appender.ts';
import type { ColumnarTable } from './columnar-table.ts';
import { emptySeriesContext } from './empty-points.ts';
import { MetricBatch, MetricKind, Temporality } from './metric-batch.ts';

const ROWS = 5000; // more than two 2048-row data chunks
const START_MICROS = 1_704_164_645_000_000;

function scalarBatch(name: string, rows: number): MetricBatch {
  const batch = new MetricBatch();
  const series = emptySeriesContext(name);
  for (let i = 0; i < rows; i++) {
    batch.pushScalar(series, {
      timeMicros: START_MICROS + i,
      timeNanos: i % 1000,
      startMicros: i % 5 === 0 ? null : START_MICROS,
      startNanos: 999 - (i % 1000),
      attributes: `{"i":${i}}`,
      symbol: i % 7 === 0 ? null : `S${i % 3}`,
      exemplars: null,
      flags: i % 2,
      kind: MetricKind.Sum,
      temporality: Temporality.Cumulative,
      isMonotonic: i % 4 === 0 ? null : i % 2 === 0,
      value: i * 0.5,
      valueInt: i % 3 === 0 ? null : BigInt(i) * 1_000_000_000_000n,
    });
  }
  return batch;
}

/** Stores the batch's series rows and returns its points table (for `appendTable`). */
async function pointsOf(batch: MetricBatch): Promise<ColumnarTable> {
  const [series, points] = batch.toTables();
  if (!series || !points) throw new Error('no tables');
  await db.writeTables([series]);
  return points;
}

let db: Database;
beforeAll(async () => {
  db = await Database.open(':memory:');
});
afterAll(() => db.close());

describe('appendTable', () => {
  it('writes several data chunks with every value in place, nulls included', async () => {
    const table = await pointsOf(scalarBatch('chunks', ROWS));
    await db.transaction((c) => appendTable(c, table));
    const rows = await readTable(
      db,
      `SELECT epoch_us(ts) AS us, time_unix_nano AS t, start_time_unix_nano AS st, symbol, flags, is_monotonic AS m, value, value_int AS vi, attributes
       FROM trading_metrics WHERE name = 'chunks' ORDER BY time_unix_nano`,
    );
    expect(rows).toHaveLength(ROWS);
    rows.forEach((row, i) => {
      expect(row).toEqual({
        us: BigInt(START_MICROS + i),
        t: joinNanos(START_MICROS + i, i % 1000),
        st: i % 5 === 0 ? null : joinNanos(START_MICROS, 999 - (i % 1000)),
        symbol: i % 7 === 0 ? null : `S${i % 3}`,
        flags: i % 2,
        m: i % 4 === 0 ? null : i % 2 === 0,
        value: i * 0.5,
        vi: i % 3 === 0 ? null : BigInt(i) * 1_000_000_000_000n,
        attributes: `{"i":${i}}`,
      });
    });
  });

  /** Appends `rows` points of a new series and returns the event-loop turns taken meanwhile and the rows stored. */
  async function appendCountingTurns(name: string, rows: number, options?: AppendOptions) {
    const table = await pointsOf(scalarBatch(name, rows));
    let turns = 0;
    let appending = true;
    const tick = () => {
      if (!appending) return;
      turns++;
      setImmediate(tick);
    };
    await db.transaction(async (c) => {
      // Count turns only once the appender exists: every turn after that comes from a flush point.
      const appended = appendTable(c, table, options);
      setImmediate(tick);
      await appended;
      appending = false;
    });
    const [row] = await readTable(db, `SELECT count(*) AS n FROM trading_metrics WHERE name = '${name}'`);
    await db.withConnection((c) =>
      c.run(
        `DELETE FROM metric_points WHERE series_id IN (SELECT series_id FROM metric_series WHERE name = '${name}')`,
      ),
    );
    return { turns, stored: row?.n };
  }

  it('gives the event loop turns while appending a large table, and stores every row', async () => {
    const { turns, stored } = await appendCountingTurns('yields', 60_000);
    // 60k rows flush first after 4096 rows, then after more as the pacer learns the flushes are cheap (at most
    // 65536): at least 3 flush points (4096, 8192, 16384, ... rows), each followed by a turn of the event loop.
    expect(turns).toBeGreaterThanOrEqual(3);
    expect(stored).toBe(60_000n);
  });

  it('flushes a bulk load once when asked to, and stores every row', async () => {
    const { turns, stored } = await appendCountingTurns('bulk', 60_000, { rowsPerFlush: Infinity });
    expect(turns).toBeLessThanOrEqual(1);
    expect(stored).toBe(60_000n);
  });

  it('refuses a flush interval that would never flush or flush before every chunk', async () => {
    const table = await pointsOf(scalarBatch('bad-interval', 10));
    for (const rowsPerFlush of [0, -5, Number.NaN]) {
      await expect(db.transaction((c) => appendTable(c, table, { rowsPerFlush }))).rejects.toThrow(
        /rowsPerFlush must be at least 1/,
      );
    }
  });

  it('writes text columns exactly whether their strings repeat within a chunk or not, nulls included', async () => {
    // Repeats (short and longer than the 12 bytes DuckDB inlines), runs, nulls and columns of distinct strings.
    const text = (i: number) => [
      i % 11 === 0 ? null : `resource {"service.name":"svc-${Math.floor(i / 700)}"}`,
      i % 5 === 0 ? null : ['info', 'warning', 'error'][i % 3],
      i % 13 === 0 ? null : `distinct ${i} ${'x'.repeat(i % 20)}`,
      i < 100 ? `early ${i}` : `late ${i % 4} and long enough to be stored out of line`,
      // Multi-byte UTF-8 on both sides of the 12 inlined bytes; long rows outgrow the scratch heap and its 4 MiB cap.
      `${'é'.repeat(i % 9)}ü${i % 50}🙂`,
      `${'y'.repeat(2100 + (i % 7))}${i}`,
    ];
    const rowsOf = Array.from({ length: ROWS }, (_, i) => [i, ...text(i)]);
    const columns = [0, 1, 2, 3, 4, 5, 6].map((c) => rowsOf.map((row) => row[c]));
    const names = ['runs', 'short', 'each', 'mixed', 'utf8', 'long'];
    await db.withConnection((c) =>
      c.run(`CREATE TABLE texts (i INTEGER, ${names.map((n) => `${n} VARCHAR`).join(', ')})`),
    );
    const spec = [
      { name: 'i', kind: 'integer' as const },
      ...names.map((name) => ({ name, kind: 'varchar' as const })),
    ];
    await db.transaction((c) => appendTable(c, { table: 'texts', spec, columns, length: ROWS }));
    const rows = await readTable(db, `SELECT ${names.join(', ')} FROM texts ORDER BY i`);
    expect(rows).toHaveLength(ROWS);
    rows.forEach((row, i) => {
      expect(row).toEqual(Object.fromEntries(names.map((n, c) => [n, text(i)[c]])));
    });
  });

  it('does nothing for an empty table', async () => {
    const table = { table: 'metric_points', spec: [], columns: [], length: 0 };
    await db.transaction((c) => appendTable(c, table));
    expect(
      await readTable(db, "SELECT count(*)::INTEGER AS n FROM trading_metrics WHERE name <> 'chunks'"),
    ).toEqual([{ n: 0 }]);
  });
});
