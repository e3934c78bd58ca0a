import { parseArgs } from 'node:util';
import { Database } from '@duckside/core';
import type { MigrationStatus, MigrationStep } from '@duckside/core/schema';
import { MigratorError, UsageError } from '../errors/errors.ts';
import { exportParquet } from '../export/parquet-export.ts';
import { FileSource } from '../files/file-source.ts';
import { type ImportReport, runImport } from '../import/import-runner.ts';
import type { Source } from '../import/source.ts';
import { PostgresSource } from '../postgres/postgres-source.ts';
import { parsePairs } from '../targets/mapping.ts';
import { PRESETS, type PresetName } from '../targets/presets.ts';
import { createMigration } from '../versioning/create-migration.ts';
import { describeProblems, Migrator } from '../versioning/migrator.ts';
import { type ProgressOutput, ProgressReporter } from './progress.ts';
import { schemaForImport } from './schema-for-import.ts';
import { USAGE } from './usage.ts';

/** Streams and environment of a CLI run (tests pass their own). */
export interface CliIo {
  stdout: ProgressOutput;
  stderr: ProgressOutput;
  env: Readonly<Record<string, string | undefined>>;
}

const OPTIONS = {
  db: { type: 'string' },
  dir: { type: 'string' },
  json: { type: 'boolean' },
  quiet: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  to: { type: 'string' },
  from: { type: 'string' },
  steps: { type: 'string' },
  'dry-run': { type: 'boolean' },
  force: { type: 'boolean' },
  format: { type: 'string' },
  url: { type: 'string' },
  table: { type: 'string' },
  query: { type: 'string' },
  preset: { type: 'string' },
  'time-column': { type: 'string' },
  map: { type: 'string', multiple: true },
  set: { type: 'string', multiple: true },
  'source-id': { type: 'string' },
  'batch-rows': { type: 'string' },
  into: { type: 'string' },
  delimiter: { type: 'string' },
  'no-verify': { type: 'boolean' },
  out: { type: 'string' },
  overwrite: { type: 'boolean' },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];

const COMMON = ['db', 'json', 'quiet', 'help'];
const MAPPING = ['map', 'set', 'time-column', 'source-id', 'no-verify'];
const ALLOWED: Record<string, string[]> = {
  status: ['dir'],
  up: ['dir', 'to', 'dry-run', 'force'],
  down: ['dir', 'to', 'steps', 'dry-run', 'force'],
  verify: ['dir'],
  create: ['dir', 'format'],
  'import postgres': ['url', 'table', 'query', 'preset', 'batch-rows', ...MAPPING],
  'import csv': ['into', 'delimiter', ...MAPPING],
  'import parquet': ['into', ...MAPPING],
  'export parquet': ['table', 'out', 'overwrite'],
  'rollup rebuild': ['from', 'to'],
};

/**
 * Runs `duckside-migrate` with the given arguments and returns the exit code: 0 ok, 1 failed, 2 bad usage.
 * Results go to stdout (text, or JSON with `--json`); progress and errors to stderr.
 * @example process.exitCode = await main(['status', '--db', 'data/duckside.duckdb']);
 */
export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  let json = argv.includes('--json');
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      options: OPTIONS,
      allowPositionals: true,
      strict: true,
    });
    json = values.json ?? false;
    if (values.help || positionals.length === 0) {
      io.stdout.write(USAGE);
      return positionals.length === 0 && !values.help ? 2 : 0;
    }
    const [command, kind, ...rest] = positionals;
    const key =
      command === 'import' || command === 'export' || command === 'rollup'
        ? `${command} ${kind === 'timescale' ? 'postgres' : kind}`
        : (command as string);
    const allowed = ALLOWED[key];
    if (!allowed) throw new UsageError(`unknown command ${positionals.slice(0, 2).join(' ')}; see --help`);
    for (const name of Object.keys(values)) {
      if (!COMMON.includes(name) && !allowed.includes(name))
        throw new UsageError(`--${name} does not apply to ${key}`);
    }
    const args = key === command ? [kind, ...rest].filter((a) => a !== undefined) : rest;
    return await run(key, args as string[], values, io);
  } catch (error) {
    return fail(error, json, io);
  }
}

async function run(key: string, args: string[], v: Values, io: CliIo): Promise<number> {
  const print = (text: string, data: unknown) =>
    io.stdout.write(v.json ? `${JSON.stringify(data, replacer, 2)}\n` : text);
  if (key === 'create') {
    if (!v.dir) throw new UsageError('create needs --dir');
    if (args.length !== 1) throw new UsageError('create needs exactly one NAME');
    const format = v.format ?? 'sql';
    if (format !== 'sql' && format !== 'ts') throw new UsageError('--format must be sql or ts');
    const created = await createMigration(v.dir, args[0] as string, format);
    print(created.files.map((f) => `created ${f}\n`).join(''), { ok: true, ...created });
    return 0;
  }
  const expected = key.startsWith('import ') ? 1 : 0;
  if (key !== 'import postgres' && args.length !== expected) {
    throw new UsageError(
      `${key} takes ${expected === 0 ? 'no' : 'one'} argument${expected === 0 ? 's' : ''}`,
    );
  }
  if (key === 'import postgres' && args.length > 0) throw new UsageError(`${key} takes no arguments`);
  const db = await Database.open({
    path: v.db ?? io.env.DUCKSIDE_DB ?? './data/duckside.duckdb',
    initialize: false,
  });
  try {
    switch (key) {
      case 'status':
        return await status(db, v, print);
      case 'up':
      case 'down':
        return await migrate(db, key, v, print);
      case 'verify':
        return await verify(db, v, print);
      case 'rollup rebuild':
        return await rebuildRollups(db, v, print);
      case 'export parquet': {
        if (!v.table || !v.out) throw new UsageError('export parquet needs --table and --out');
        const report = await exportParquet(db, {
          table: v.table,
          out: v.out,
          overwrite: v.overwrite ?? false,
        });
        print(
          `exported ${report.rows} rows of ${report.table} to ${report.out} (${report.days.length} days)\n`,
          { ok: true, ...report },
        );
        return 0;
      }
      default:
        return await importCommand(db, key, args[0], v, io, print);
    }
  } finally {
    await db.close();
  }
}

type Print = (text: string, data: unknown) => void;

/** `rollup rebuild [--from T] [--to T]`: re-aggregates the rollups of a range from the raw rows. */
async function rebuildRollups(db: Database, v: Values, print: Print): Promise<number> {
  const started = performance.now();
  const report = await db.rebuildRollups({
    ...(v.from === undefined ? {} : { from: v.from }),
    ...(v.to === undefined ? {} : { to: v.to }),
  });
  const ms = Math.round(performance.now() - started);
  const text =
    report.levels.length === 0
      ? 'no rollup levels recorded: nothing to rebuild (open the database with rollups first)\n'
      : `rebuilt rollups ${report.levels.join(', ')}: ${report.marked} dirty buckets marked, ${report.consumed} consumed in ${ms} ms\n`;
  print(text, { ok: true, ...report, durationMs: ms });
  return 0;
}

async function status(db: Database, v: Values, print: Print): Promise<number> {
  const s = await (await Migrator.load(db, { dir: v.dir })).status();
  const ok = s.mismatched.length === 0 && s.gaps.length === 0;
  print(statusText(db.path, s), {
    ok,
    database: db.path,
    ...s,
    pending: s.pending.map(({ version, name }) => ({ version, name })),
  });
  return ok ? 0 : 1;
}

function statusText(path: string, s: MigrationStatus): string {
  const lines = [`database: ${path}`, `version: ${s.current} (latest ${s.latest})`];
  lines.push(
    `applied: ${s.applied.length === 0 ? 'none' : ''}`,
    ...s.applied.map((a) => `  ${a.version} ${a.name}`),
  );
  lines.push(
    `pending: ${s.pending.length === 0 ? 'none' : ''}`,
    ...s.pending.map((p) => `  ${p.version} ${p.name}`),
  );
  const problems = describeProblems(s);
  if (problems.length > 0) lines.push('problems:', ...problems.map((p) => `  ${p}`));
  return `${lines.map((l) => l.trimEnd()).join('\n')}\n`;
}

async function migrate(db: Database, direction: 'up' | 'down', v: Values, print: Print): Promise<number> {
  const migrator = await Migrator.load(db, { dir: v.dir });
  const to = integer(v.to, '--to', 0);
  const steps = integer(v.steps, '--steps', 1);
  if (to !== undefined && steps !== undefined) throw new UsageError('give --to or --steps, not both');
  const options = { to, steps, dryRun: v['dry-run'] ?? false, force: v.force ?? false };
  const done = direction === 'up' ? await migrator.up(options) : await migrator.down(options);
  print(stepsText(direction, done, options.dryRun), {
    ok: true,
    dryRun: options.dryRun,
    steps: done.map((s) => ({
      version: s.version,
      name: s.name,
      direction: s.direction,
      durationMs: s.durationMs,
      ...(options.dryRun ? { sql: s.sql } : {}),
    })),
  });
  return 0;
}

function stepsText(direction: 'up' | 'down', steps: MigrationStep[], dryRun: boolean): string {
  if (steps.length === 0) return `nothing to ${direction === 'up' ? 'apply' : 'roll back'}\n`;
  const verb = direction === 'up' ? 'applied' : 'rolled back';
  return steps
    .map((s) =>
      dryRun
        ? `-- would run ${s.direction} ${s.version} ${s.name}\n${s.sql.trim()}\n`
        : `${verb} ${s.version} ${s.name}\n`,
    )
    .join('');
}

async function verify(db: Database, v: Values, print: Print): Promise<number> {
  const report = await (await Migrator.load(db, { dir: v.dir })).verify();
  const lines = report.ok
    ? [`schema ok at version ${report.status.current}`]
    : [
        `schema differs from version ${report.status.latest} (database at ${report.status.current})`,
        ...report.status.pending.map((p) => `  pending ${p.version} ${p.name}`),
        ...describeProblems(report.status).map((p) => `  ${p}`),
        ...report.schema.differences.map((d) => `  ${d.kind} ${d.table}: ${d.detail}`),
      ];
  print(`${lines.join('\n')}\n`, {
    ok: report.ok,
    current: report.status.current,
    latest: report.status.latest,
    differences: report.schema.differences,
    problems: describeProblems(report.status),
    pending: report.status.pending.map((p) => p.version),
  });
  return report.ok ? 0 : 1;
}

async function importCommand(
  db: Database,
  key: string,
  path: string | undefined,
  v: Values,
  io: CliIo,
  print: Print,
): Promise<number> {
  const applied = await schemaForImport(db);
  if (applied.length > 0) {
    io.stderr.write(
      `duckside-migrate: ${db.path} had no schema: applied the built-in migrations ${applied
        .map((m) => m.version)
        .join(', ')} first (as \`duckside-migrate up\` does)\n`,
    );
  }
  const mapping = {
    map: parsePairs(v.map ?? [], '--map'),
    set: parsePairs(v.set ?? [], '--set'),
    timeColumn: v['time-column'],
    sourceId: v['source-id'],
  };
  let source: Source;
  if (key === 'import postgres') {
    if (!v.preset || !Object.hasOwn(PRESETS, v.preset))
      throw new UsageError(`--preset must be one of ${Object.keys(PRESETS).join(', ')}`);
    source = await PostgresSource.open({
      ...mapping,
      url: v.url,
      table: v.table,
      query: v.query,
      preset: v.preset as PresetName,
      batchRows: integer(v['batch-rows'], '--batch-rows', 1),
    });
  } else {
    if (!v.into) throw new UsageError(`${key} needs --into TABLE`);
    source = await FileSource.open(db, {
      ...mapping,
      format: key === 'import csv' ? 'csv' : 'parquet',
      path: path as string,
      into: v.into,
      delimiter: v.delimiter,
    });
  }
  try {
    const progress = v.quiet ? null : new ProgressReporter(io.stderr, `import ${source.target.name}`);
    const report = await runImport(db, source, {
      verify: !v['no-verify'],
      onProgress: (n, total) => progress?.update(n, total),
    });
    progress?.done(report.rows);
    const ok = report.verification?.ok ?? true;
    print(importText(report), {
      ok,
      ...report,
      appliedMigrations: applied.map(({ version, name }) => ({ version, name })),
      durationMs: undefined,
      rowsPerSecond: undefined,
    });
    return ok ? 0 : 1;
  } finally {
    await source.close();
  }
}

function importText(r: ImportReport): string {
  const lines = [
    r.skipped
      ? `${r.sourceId} was already imported into ${r.target}: nothing to do`
      : `imported ${r.rows} rows from ${r.sourceId} into ${r.target}`,
    `watermark: ${r.watermark ?? 'none'} (${r.totalRows} rows imported in total)`,
  ];
  if (r.rejected > 0) {
    lines.push(
      `rejected ${r.rejected} bad rows${r.rejected > r.badRows.length ? `, the first ${r.badRows.length}` : ''}:`,
    );
    lines.push(...r.badRows.map((b) => `  ${b.file}:${b.line}: ${b.problem}`));
  }
  const v = r.verification;
  if (v) {
    const what = v.sumColumn ? `counts and sums of ${v.sumColumn}` : 'counts';
    lines.push(
      `verification: ${v.ok ? 'ok' : 'FAILED'}: ${what} of ${v.days.length} days, ${v.sourceRows} source rows, ${v.targetRows} target rows`,
    );
    for (const d of v.days.filter((day) => !day.ok)) {
      lines.push(
        `  ${d.day}: source ${d.sourceCount} rows, sum ${d.sourceSum}; target ${d.targetCount} rows, sum ${d.targetSum}`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

function integer(text: string | undefined, option: string, min: number): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < min) throw new UsageError(`${option} must be an integer >= ${min}`);
  return n;
}

function fail(error: unknown, json: boolean, io: CliIo): number {
  const usage =
    error instanceof UsageError ||
    (error instanceof MigratorError && error.code === 'mapping') ||
    (typeof (error as { code?: unknown })?.code === 'string' &&
      String((error as { code: string }).code).startsWith('ERR_PARSE_ARGS'));
  const code = (error as { code?: unknown })?.code;
  const message = (error as Error)?.message ?? String(error);
  if (json)
    io.stdout.write(
      `${JSON.stringify({ ok: false, error: { code: typeof code === 'string' ? code : 'error', message } }, null, 2)}\n`,
    );
  else io.stderr.write(`duckside-migrate: ${message}\n${usage ? 'see duckside-migrate --help\n' : ''}`);
  return usage ? 2 : 1;
}

function replacer(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}

function processIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, env: process.env };
}
