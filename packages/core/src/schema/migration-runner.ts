import { createHash } from 'node:crypto';
import type { DuckDBConnection } from '@duckdb/node-api';
import { MIGRATIONS_TABLE } from '../catalog/bookkeeping-tables.ts';
import { MigrationError } from '../errors/errors.ts';
import { MIGRATIONS_TABLE_DDL } from './builtin-migrations.ts';
import type { Migration, VersionRange } from './migration.ts';

/** A row of the tracking table. */
export interface AppliedMigration {
  version: number;
  name: string;
  checksum: string;
  appliedAt: Date;
  durationMs: number;
}

/** Where the database stands against a list of known migrations. */
export interface MigrationStatus {
  applied: AppliedMigration[];
  pending: Migration[];
  /** Applied migrations whose checksum or name differs from the known one. */
  mismatched: { version: number; name: string; reason: string }[];
  /** Applied versions that are not in the known list, or known versions skipped below applied ones. */
  gaps: number[];
  current: number;
  latest: number;
}

/** Options of `up` and `down`. */
export interface MigrateOptions {
  /** Target version (inclusive for up; down rolls back to this version). */
  to?: number;
  /** For down: how many migrations to roll back (default 1 when `to` is absent). */
  steps?: number;
  /** Only report the SQL that would run. */
  dryRun?: boolean;
  /** Proceed despite checksum mismatches or gaps. */
  force?: boolean;
}

/** One migration that ran (or would run, in a dry run). */
export interface MigrationStep {
  version: number;
  name: string;
  direction: 'up' | 'down';
  sql: string;
  durationMs: number;
}

/**
 * Checksum of a migration: sha256 of its name and up script, so an edited applied migration is detected.
 * @example checksumOf(BUILTIN_MIGRATIONS[0])
 */
export function checksumOf(m: Migration): string {
  return createHash('sha256').update(`${m.name}\n${m.up.trim()}`).digest('hex');
}

/** Options of a {@link MigrationRunner}. */
export interface RunnerOptions {
  /**
   * The versions this runner owns: tracking rows outside the range belong to another list (built-in vs user
   * migrations) and are left alone. Default: every version.
   */
  range?: VersionRange;
}

/** Checks a list of migrations is strictly increasing in version with unique names (and inside `range`). */
export function validateMigrationList(list: readonly Migration[], range?: VersionRange): void {
  let last = 0;
  for (const m of list) {
    if (range && (m.version < range.min || m.version > range.max)) {
      throw new MigrationError(
        `migration ${m.version} (${m.name}) is outside versions ${range.min}..${range.max}`,
      );
    }
    if (!Number.isInteger(m.version) || m.version <= last) {
      throw new MigrationError(`migration versions must increase: ${m.version} (${m.name}) after ${last}`);
    }
    last = m.version;
  }
}

/**
 * Applies and rolls back versioned migrations against the tracking table, each in its own transaction.
 * The applied set must be an in-order prefix of the known list; anything else is an error unless `force`.
 * @example await new MigrationRunner(conn, BUILTIN_MIGRATIONS).up();
 */
export class MigrationRunner {
  private readonly range: VersionRange;

  constructor(
    private readonly connection: DuckDBConnection,
    private readonly known: readonly Migration[],
    options: RunnerOptions = {},
  ) {
    this.range = options.range ?? { min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER };
    validateMigrationList(known, options.range);
  }

  /** Reads the tracking table and compares it with the known list. */
  async status(): Promise<MigrationStatus> {
    await this.connection.run(MIGRATIONS_TABLE_DDL);
    const reader = await this.connection.runAndReadAll(
      `SELECT version, name, checksum, applied_at, duration_ms FROM ${MIGRATIONS_TABLE}
       WHERE version BETWEEN ? AND ? ORDER BY version`,
      [this.range.min, this.range.max],
    );
    const applied = reader.getRowObjectsJS().map((r) => ({
      version: Number(r.version),
      name: String(r.name),
      checksum: String(r.checksum),
      appliedAt: r.applied_at as Date,
      durationMs: Number(r.duration_ms),
    }));
    const knownByVersion = new Map(this.known.map((m) => [m.version, m]));
    const appliedVersions = new Set(applied.map((a) => a.version));
    const mismatched: MigrationStatus['mismatched'] = [];
    const gaps: number[] = [];
    for (const a of applied) {
      const k = knownByVersion.get(a.version);
      if (!k) gaps.push(a.version);
      else if (k.name !== a.name)
        mismatched.push({ version: a.version, name: a.name, reason: `name is now ${k.name}` });
      else if (checksumOf(k) !== a.checksum) {
        mismatched.push({
          version: a.version,
          name: a.name,
          reason: 'checksum differs: the migration was edited',
        });
      }
    }
    const current = applied.length > 0 ? (applied[applied.length - 1] as AppliedMigration).version : 0;
    for (const k of this.known)
      if (k.version < current && !appliedVersions.has(k.version)) gaps.push(k.version);
    gaps.sort((a, b) => a - b);
    const pending = this.known.filter((k) => !appliedVersions.has(k.version) && k.version > current);
    const latest = this.known.length > 0 ? (this.known[this.known.length - 1] as Migration).version : 0;
    return { applied, pending, mismatched, gaps, current, latest };
  }

  /** Applies pending migrations up to `to` (default: all). */
  async up(options: MigrateOptions = {}): Promise<MigrationStep[]> {
    const status = await this.checkedStatus(options);
    const targets = status.pending.filter((m) => options.to === undefined || m.version <= options.to);
    const steps: MigrationStep[] = [];
    for (const m of targets) steps.push(await this.runOne(m, 'up', options.dryRun ?? false));
    await this.checkpoint(steps, options);
    return steps;
  }

  /** Rolls back applied migrations, newest first, down to version `to` or by `steps` (default 1). */
  async down(options: MigrateOptions = {}): Promise<MigrationStep[]> {
    const status = await this.checkedStatus(options);
    const applied = [...status.applied].reverse();
    const count =
      options.to !== undefined
        ? applied.filter((a) => a.version > (options.to as number)).length
        : (options.steps ?? 1);
    const steps: MigrationStep[] = [];
    for (const a of applied.slice(0, count)) {
      const m = this.known.find((k) => k.version === a.version);
      if (!m) throw new MigrationError(`cannot roll back version ${a.version}: it is not in the known list`);
      steps.push(await this.runOne(m, 'down', options.dryRun ?? false));
    }
    await this.checkpoint(steps, options);
    return steps;
  }

  /**
   * Checkpoints after schema changes, so that no DDL is left in the write-ahead log: DuckDB 1.5.6 fails to replay
   * an `ALTER TABLE ... ADD COLUMN` of a table whose default draws from a sequence (`system_events`), and the file
   * would not open after a crash.
   */
  private async checkpoint(steps: readonly MigrationStep[], options: MigrateOptions): Promise<void> {
    if (steps.length > 0 && !options.dryRun) await this.connection.run('CHECKPOINT');
  }

  private async checkedStatus(options: MigrateOptions): Promise<MigrationStatus> {
    const status = await this.status();
    if (!options.force && (status.mismatched.length > 0 || status.gaps.length > 0)) {
      const problems = [
        ...status.mismatched.map((m) => `version ${m.version} (${m.name}): ${m.reason}`),
        ...status.gaps.map((v) => `version ${v}: gap in the applied list`),
      ];
      throw new MigrationError(`migration history is inconsistent: ${problems.join('; ')}`);
    }
    return status;
  }

  private async runOne(m: Migration, direction: 'up' | 'down', dryRun: boolean): Promise<MigrationStep> {
    const sql = direction === 'up' ? m.up : m.down;
    if (dryRun) return { version: m.version, name: m.name, direction, sql, durationMs: 0 };
    const started = performance.now();
    await this.connection.run('BEGIN TRANSACTION');
    try {
      await this.connection.run(sql);
      const durationMs = performance.now() - started;
      if (direction === 'up') {
        await this.connection.run(`INSERT INTO ${MIGRATIONS_TABLE} VALUES (?, ?, ?, now()::TIMESTAMP, ?)`, [
          m.version,
          m.name,
          checksumOf(m),
          durationMs,
        ]);
      } else {
        await this.connection.run(`DELETE FROM ${MIGRATIONS_TABLE} WHERE version = ?`, [m.version]);
      }
      await this.connection.run('COMMIT');
      return { version: m.version, name: m.name, direction, sql, durationMs };
    } catch (error) {
      await this.connection.run('ROLLBACK').catch(() => undefined);
      throw new MigrationError(
        `migration ${m.version} (${m.name}) ${direction} failed and was rolled back: ${firstLine(error)}`,
        { cause: error },
      );
    }
  }
}

function firstLine(error: unknown): string {
  return String((error as Error)?.message ?? error).split('\n')[0] ?? '';
}
