/**
 * Schema versioning and imports with @duckside/migrator: the tracking table, applying built-in and user
 * migrations, rolling one back, the history; then importing trades from a CSV file and a Parquet file that this
 * example writes itself, with per-day verification against the source.
 * Run: pnpm example:migration --duration 5   (the duration scales the number of generated trades)
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Database } from '@duckside/core';
import { FileSource, Migrator, runImport } from '@duckside/migrator';
import { mulberry32 } from '@duckside/testkit';
import { parseExampleArgs } from './example-args.ts';
import { printTable } from './print-table.ts';

const { durationSeconds, db: dbPath } = parseExampleArgs();
const work = mkdtempSync(join(tmpdir(), 'duckside-migration-'));
const path = dbPath ?? join(work, 'migration.duckdb');
const tradesPerFile = Math.max(100, Math.round(durationSeconds * 2_000));

// A user migration next to the built-in ones: a table of strategy notes.
const dir = join(work, 'migrations');
mkdirSync(dir);
writeFileSync(
  join(dir, '1000_strategy_notes.up.sql'),
  'CREATE TABLE strategy_notes (strategy VARCHAR PRIMARY KEY, note VARCHAR NOT NULL);\n',
);
writeFileSync(join(dir, '1000_strategy_notes.down.sql'), 'DROP TABLE strategy_notes;\n');

await using db = await Database.open({ path, initialize: false });
const migrator = await Migrator.load(db, { dir });

const before = await migrator.status();
console.log(`tracking: ${before.applied.length} applied, ${before.pending.length} pending`);

const applied = await migrator.up();
printTable(
  'Applied migrations',
  applied.map((s) => ({ version: s.version, name: s.name, ms: s.durationMs })),
);

const rolledBack = await migrator.down({ steps: 1 });
console.log(`rolled back: ${rolledBack.map((s) => `${s.version} ${s.name}`).join(', ')}`);
await migrator.up();

const history = await migrator.status();
printTable(
  'History',
  history.applied.map((a) => ({
    version: a.version,
    name: a.name,
    checksum: a.checksum.slice(0, 12),
    appliedAt: a.appliedAt,
  })),
);
const verified = await migrator.verify();
console.log(
  `verify: ${verified.ok ? 'schema matches version' : 'schema differs at version'} ${history.current}`,
);

// Two files of trades over three days, written by the example: a CSV by hand, a Parquet file through DuckDB.
const rand = mulberry32(11);
const day0 = Date.parse('2024-03-01T00:00:00Z');
const header = 'time,symbol,venue,side,quantity,price,fee,order_id,trade_id,strategy';
const csvLines = [header];
for (let i = 0; i < tradesPerFile; i++) {
  const time = new Date(day0 + Math.floor((i / tradesPerFile) * 3 * 86_400_000)).toISOString();
  const side = rand() < 0.5 ? 'buy' : 'sell';
  const price = (60_000 * (1 + (rand() - 0.5) * 0.01)).toFixed(2);
  csvLines.push(
    `${time},BTC/USD,kraken,${side},${(rand() * 0.5 + 0.01).toFixed(4)},${price},0.5,o${i},csv-${i},mm-1`,
  );
}
const csvPath = join(work, 'trades.csv');
writeFileSync(csvPath, `${csvLines.join('\n')}\n`);

const parquetPath = join(work, 'trades.parquet');
await db.withConnection((c) =>
  c.run(
    `COPY (SELECT TIMESTAMP '2024-03-01' + INTERVAL (i * 259200 // ${tradesPerFile}) SECOND AS time,
            'ETH/USD' AS symbol, 'coinbase' AS venue, CASE WHEN i % 2 = 0 THEN 'buy' ELSE 'sell' END AS side,
            1 + (i % 7) * 0.25 AS quantity, 3000 + (i % 100) * 0.5 AS price, 0.1 AS fee,
            'o' || i AS order_id, 'pq-' || i AS trade_id, 'arb-2' AS strategy
          FROM range(${tradesPerFile}) t(i)) TO '${parquetPath}' (FORMAT parquet)`,
  ),
);

for (const [format, file] of [
  ['csv', csvPath],
  ['parquet', parquetPath],
] as const) {
  const source = await FileSource.open(db, { format, path: file, into: 'trading_trades' });
  const report = await runImport(db, source);
  await source.close();
  console.log(
    `imported ${report.rows} rows from ${format} in ${report.durationMs.toFixed(0)} ms (${Math.round(report.rowsPerSecond)} rows/s), ` +
      `${report.rejected} rejected; verification ${report.verification?.ok ? 'ok' : 'FAILED'}`,
  );
  printTable(
    `Per-day check (${format})`,
    (report.verification?.days ?? []).map((d) => ({
      day: d.day,
      sourceCount: d.sourceCount,
      targetCount: d.targetCount,
      sourceSum: d.sourceSum,
      targetSum: d.targetSum,
      ok: d.ok,
    })),
  );
  const again = await runImport(
    db,
    await FileSource.open(db, { format, path: file, into: 'trading_trades' }),
  );
  console.log(
    `re-run of the ${format} import: ${again.skipped ? 'skipped, already imported' : `${again.rows} rows`}`,
  );
}

printTable(
  'Table statistics',
  (await db.tableStats()).filter((t) => t.table === 'trading_trades'),
);
