import type { DuckDBConnection } from '@duckdb/node-api';
import { type Database, MigrationError } from '@duckside/core';
import {
  BUILTIN_MIGRATIONS,
  BUILTIN_VERSIONS,
  type MigrateOptions,
  type Migration,
  MigrationRunner,
  type MigrationStatus,
  type MigrationStep,
  type SchemaReport,
  USER_VERSIONS,
  verifySchema,
} from '@duckside/core/schema';
import { loadUserMigrations } from './user-migrations.ts';

/** Result of `verify`: the migration history and the schema compared with what the migrations produce. */
export interface VerifyReport {
  ok: boolean;
  status: MigrationStatus;
  schema: SchemaReport;
}

/**
 * Versions a Duckside database with core's built-in migrations plus the user's (from `--dir`), tracked in the same
 * table. Built-in migrations (versions 1..999) always come before user ones (1000..): `up` applies missing
 * built-ins first, `down` rolls back user migrations first. Each list is checked to be an in-order prefix of its
 * known migrations (checksum and name), so an edited applied migration or a gap is an error unless `force`.
 * Every migration runs in its own transaction (core's `MigrationRunner`).
 * @example
 * const migrator = await Migrator.load(db, { dir: './migrations' });
 * await migrator.up();
 */
export class Migrator {
  /** Built-in then user migrations, in version order. */
  readonly migrations: readonly Migration[];

  constructor(
    private readonly db: Database,
    readonly userMigrations: readonly Migration[] = [],
  ) {
    this.migrations = [...BUILTIN_MIGRATIONS, ...userMigrations];
  }

  /** Creates a migrator with the user migrations of `options.dir` (none without it). */
  static async load(db: Database, options: { dir?: string } = {}): Promise<Migrator> {
    return new Migrator(db, options.dir ? await loadUserMigrations(options.dir) : []);
  }

  /** Applied, pending, mismatched and missing migrations of both lists. */
  status(): Promise<MigrationStatus> {
    return this.db.withConnection((c) => this.statusOn(c));
  }

  /** Applies pending migrations up to version `to` (default: all); a dry run returns the SQL without running it. */
  up(options: MigrateOptions = {}): Promise<MigrationStep[]> {
    return this.db.withConnection(async (c) => {
      await this.checkConsistent(c, options);
      const { builtin, user } = this.runners(c);
      const steps = await builtin.up({
        ...options,
        to: options.to === undefined ? undefined : Math.min(options.to, BUILTIN_VERSIONS.max),
      });
      if (options.to !== undefined && options.to < USER_VERSIONS.min) return steps;
      return [...steps, ...(await user.up(options))];
    });
  }

  /** Rolls back user then built-in migrations, newest first: down to version `to`, or `steps` of them (default 1). */
  down(options: MigrateOptions = {}): Promise<MigrationStep[]> {
    return this.db.withConnection(async (c) => {
      const status = await this.checkConsistent(c, options);
      const { builtin, user } = this.runners(c);
      if (options.to !== undefined) {
        const steps = await user.down({ ...options, to: Math.max(options.to, BUILTIN_VERSIONS.max) });
        if (options.to >= USER_VERSIONS.min) return steps;
        return [...steps, ...(await builtin.down(options))];
      }
      const wanted = options.steps ?? 1;
      const userApplied = status.applied.filter((a) => a.version >= USER_VERSIONS.min).length;
      const fromUser = Math.min(wanted, userApplied);
      const steps = fromUser > 0 ? await user.down({ ...options, steps: fromUser }) : [];
      const fromBuiltin = wanted - fromUser;
      return fromBuiltin > 0
        ? [...steps, ...(await builtin.down({ ...options, steps: fromBuiltin }))]
        : steps;
    });
  }

  /** Checks the history is complete and consistent and the schema equals what the migrations produce. */
  verify(): Promise<VerifyReport> {
    return this.db.withConnection(async (c) => {
      const status = await this.statusOn(c);
      const schema = await verifySchema(c, this.migrations);
      const ok =
        schema.differences.length === 0 &&
        status.pending.length === 0 &&
        status.mismatched.length === 0 &&
        status.gaps.length === 0;
      return { ok, status, schema };
    });
  }

  private runners(c: DuckDBConnection) {
    return {
      builtin: new MigrationRunner(c, BUILTIN_MIGRATIONS, { range: BUILTIN_VERSIONS }),
      user: new MigrationRunner(c, this.userMigrations, { range: USER_VERSIONS }),
    };
  }

  private async statusOn(c: DuckDBConnection): Promise<MigrationStatus> {
    const { builtin, user } = this.runners(c);
    const b = await builtin.status();
    const u = await user.status();
    return {
      applied: [...b.applied, ...u.applied],
      pending: [...b.pending, ...u.pending],
      mismatched: [...b.mismatched, ...u.mismatched],
      gaps: [...b.gaps, ...u.gaps],
      current: u.applied.length > 0 ? u.current : b.current,
      latest: this.migrations[this.migrations.length - 1]?.version ?? 0,
    };
  }

  /** Fails before anything runs when either list is inconsistent (unless `force`). */
  private async checkConsistent(c: DuckDBConnection, options: MigrateOptions): Promise<MigrationStatus> {
    const status = await this.statusOn(c);
    if (!options.force && (status.mismatched.length > 0 || status.gaps.length > 0)) {
      throw new MigrationError(`migration history is inconsistent: ${describeProblems(status).join('; ')}`);
    }
    return status;
  }
}

/**
 * One line per problem of a status: edited/renamed applied migrations and gaps.
 * @example describeProblems(status) // ['version 2 (create_trading_tables): checksum differs: the migration was edited']
 */
export function describeProblems(status: MigrationStatus): string[] {
  return [
    ...status.mismatched.map((m) => `version ${m.version} (${m.name}): ${m.reason}`),
    ...status.gaps.map((v) => `version ${v}: gap in the applied list`),
  ];
}
