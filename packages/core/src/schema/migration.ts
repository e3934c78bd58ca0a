/**
 * A versioned schema change. `up` and `down` are SQL scripts (several statements allowed) run in one transaction.
 * @example const m: Migration = { version: 1000, name: 'add_x', up: 'ALTER TABLE ...', down: 'ALTER TABLE ...' };
 */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly up: string;
  readonly down: string;
}

/** An inclusive range of migration versions. */
export interface VersionRange {
  readonly min: number;
  readonly max: number;
}
