/**
 * Names of what core reports through `@opentelemetry/api`: instruments and attribute keys. Where the OpenTelemetry
 * database semantic conventions define one, its name is used (`db.client.*`, `db.*`); Duckside's own carry the
 * `duckside.` prefix. Listed in docs/operations.md ("Self-instrumentation").
 */
export const TELEMETRY = Object.freeze({
  /** Instrumentation scope of every meter and tracer core uses. */
  scope: '@duckside/core',
  metrics: Object.freeze({
    /** Histogram (s): commit rounds (`db.operation.name=COMMIT`) and queries (`SELECT`, by `db.query.summary`). */
    operationDuration: 'db.client.operation.duration',
    /** Histogram ({row}): rows a query returned. */
    returnedRows: 'db.client.response.returned_rows',
    /** Counter ({row}): rows committed, by `db.collection.name` (series rows included). */
    rowsWritten: 'duckside.db.client.rows_written',
    /** Histogram ({row}): rows per commit round. */
    commitRows: 'duckside.db.client.commit.rows',
    /** UpDownCounter ({connection}), observed: pool connections by `db.client.connection.state` (idle, used). */
    connectionCount: 'db.client.connection.count',
    /** UpDownCounter ({connection}), observed: the pool's maximum. */
    connectionMax: 'db.client.connection.max',
    /** UpDownCounter ({connection}), observed: idle connections the pool keeps. */
    connectionIdleMin: 'db.client.connection.idle.min',
    /** UpDownCounter ({request}), observed: callers waiting for a connection. */
    pendingRequests: 'db.client.connection.pending_requests',
  }),
  spans: Object.freeze({
    /** Around `Database.open` (instance, migrations, series limit). */
    open: 'duckside.db.open',
    /** Around the built-in migrations, a child of `open` (or on its own from `initialize`). */
    migrate: 'duckside.db.migrate',
    /** One group-commit round (every table of the round, one transaction). */
    commit: 'COMMIT',
  }),
  attributes: Object.freeze({
    system: 'db.system.name',
    namespace: 'db.namespace',
    operation: 'db.operation.name',
    collection: 'db.collection.name',
    summary: 'db.query.summary',
    returnedRows: 'db.response.returned_rows',
    errorType: 'error.type',
    connectionState: 'db.client.connection.state',
    poolName: 'db.client.connection.pool.name',
    /** The caller's name for a query (e.g. the HTTP endpoint), when it gave one (`QueryOptions.kind`). */
    queryKind: 'duckside.query.kind',
    /** Rows committed by a round (span attribute). */
    commitRows: 'duckside.db.commit.rows',
    /** Write jobs coalesced into a round (span attribute). */
    commitJobs: 'duckside.db.commit.jobs',
    /** Migrations applied by `initialize` (span attribute). */
    migrationsApplied: 'duckside.db.migrations.applied',
  }),
  /** `db.system.name` of every record. */
  system: 'duckdb',
});

/** Bucket boundaries (s) of the operation-duration histogram, as the database semantic conventions advise. */
export const DURATION_BUCKETS_S = Object.freeze([0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10]);

/** Bucket boundaries ({row}) of the rows-per-commit and returned-rows histograms. */
export const ROW_BUCKETS = Object.freeze([1, 10, 100, 1_000, 10_000, 100_000, 1_000_000]);
