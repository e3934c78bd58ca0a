/** One command-line option: its flag, environment variable, config-file key and help. */
export interface OptionDefinition {
  /** Long flag without dashes, e.g. `port`. */
  readonly flag: string;
  readonly short?: string;
  /** Environment variable, e.g. `DUCKSIDE_PORT`. */
  readonly env?: string;
  /** Dotted config-file key, e.g. `query.timeout`; undefined for CLI-only options. */
  readonly key?: string;
  /** `boolean` flags take no value; `multiple` flags may repeat (env: comma-separated). */
  readonly type: 'string' | 'boolean';
  readonly multiple?: boolean;
  /** Value placeholder in help, e.g. `<n>`. */
  readonly value?: string;
  readonly description: string;
  /** Default shown in help. */
  readonly defaultText?: string;
  readonly section:
    | 'General'
    | 'Security'
    | 'Queries'
    | 'Ingest'
    | 'Retention'
    | 'Telemetry'
    | 'DuckDB'
    | 'Plugins'
    | 'Forwarding'
    | 'Testing';
}

/**
 * Every option of the `duckside` CLI: the one source for flag parsing, environment variables, config keys
 * and `--help`.
 */
export const OPTION_DEFINITIONS: readonly OptionDefinition[] = Object.freeze([
  {
    flag: 'config',
    short: 'c',
    env: 'DUCKSIDE_CONFIG',
    type: 'string',
    value: '<file>',
    description: 'JSON config file (keys as listed below); flags and environment variables override it',
    section: 'General',
  },
  {
    flag: 'host',
    env: 'DUCKSIDE_HOST',
    key: 'host',
    type: 'string',
    value: '<address>',
    description: 'Address to listen on; a non-loopback address requires a token',
    defaultText: '127.0.0.1',
    section: 'General',
  },
  {
    flag: 'port',
    short: 'p',
    env: 'DUCKSIDE_PORT',
    key: 'port',
    type: 'string',
    value: '<n>',
    description: 'Port to listen on (0 picks a free port)',
    defaultText: '4318',
    section: 'General',
  },
  {
    flag: 'grpc-port',
    env: 'DUCKSIDE_GRPC_PORT',
    key: 'grpcPort',
    type: 'string',
    value: '<n>',
    description: 'OTLP/gRPC port, on the same address (0 picks a free port; off with --disable-plugin grpc)',
    defaultText: '4317, or a free port when --port is 0',
    section: 'General',
  },
  {
    flag: 'db',
    short: 'd',
    env: 'DUCKSIDE_DB',
    key: 'database',
    type: 'string',
    value: '<file>',
    description: 'DuckDB database file (its folder is created)',
    defaultText: './data/duckside.duckdb',
    section: 'General',
  },
  {
    flag: 'log-level',
    env: 'DUCKSIDE_LOG_LEVEL',
    key: 'log.level',
    type: 'string',
    value: '<level>',
    description: 'debug, info, warn or error',
    defaultText: 'info',
    section: 'General',
  },
  {
    flag: 'log-format',
    env: 'DUCKSIDE_LOG_FORMAT',
    key: 'log.format',
    type: 'string',
    value: '<format>',
    description: 'json (one object per line), pretty, or auto (pretty on a terminal, else json)',
    defaultText: 'auto',
    section: 'General',
  },
  {
    flag: 'shutdown-timeout',
    env: 'DUCKSIDE_SHUTDOWN_TIMEOUT',
    key: 'shutdownTimeout',
    type: 'string',
    value: '<duration>',
    description: 'Longest a graceful shutdown (SIGTERM/SIGINT) may take before the process exits anyway',
    defaultText: '10s',
    section: 'General',
  },
  {
    flag: 'token',
    env: 'DUCKSIDE_TOKEN',
    key: 'token',
    type: 'string',
    value: '<secret>',
    description: 'Bearer token required on every route but /healthz (at least 16 characters)',
    section: 'Security',
  },
  {
    flag: 'token-file',
    env: 'DUCKSIDE_TOKEN_FILE',
    key: 'tokenFile',
    type: 'string',
    value: '<file>',
    description: 'Read the bearer token from this file (keeps it out of the process list)',
    section: 'Security',
  },
  {
    flag: 'tls-cert',
    env: 'DUCKSIDE_TLS_CERT',
    key: 'tlsCert',
    type: 'string',
    value: '<file>',
    description: 'Serve HTTPS and OTLP/gRPC over TLS with this PEM certificate (chain); needs --tls-key',
    defaultText: 'plaintext',
    section: 'Security',
  },
  {
    flag: 'tls-key',
    env: 'DUCKSIDE_TLS_KEY',
    key: 'tlsKey',
    type: 'string',
    value: '<file>',
    description: 'PEM private key of --tls-cert',
    section: 'Security',
  },
  {
    flag: 'cors-origin',
    env: 'DUCKSIDE_CORS_ORIGINS',
    key: 'corsOrigins',
    type: 'string',
    multiple: true,
    value: '<origin>',
    description: 'Allow browser requests from this origin (repeatable); no CORS headers without one',
    section: 'Security',
  },
  {
    flag: 'query-timeout',
    env: 'DUCKSIDE_QUERY_TIMEOUT',
    key: 'query.timeout',
    type: 'string',
    value: '<duration>',
    description: 'Time limit of one query; slower queries are interrupted and answered 504',
    defaultText: '5s',
    section: 'Queries',
  },
  {
    flag: 'max-rows',
    env: 'DUCKSIDE_MAX_ROWS',
    key: 'query.maxRows',
    type: 'string',
    value: '<n>',
    description: 'Most rows in one query response (the response then says "truncated": true)',
    defaultText: '50000',
    section: 'Queries',
  },
  {
    flag: 'max-buckets',
    env: 'DUCKSIDE_MAX_BUCKETS',
    key: 'query.maxBuckets',
    type: 'string',
    value: '<n>',
    description: 'Most time buckets a from/to range may hold in aggregate and candle queries (else 400)',
    defaultText: '100000',
    section: 'Queries',
  },
  {
    flag: 'max-concurrent-queries',
    env: 'DUCKSIDE_MAX_CONCURRENT_QUERIES',
    key: 'query.maxConcurrent',
    type: 'string',
    value: '<n>',
    description: 'Queries running at once; keep it below UV_THREADPOOL_SIZE so ingest stays responsive',
    defaultText: 'half of UV_THREADPOOL_SIZE, at most 8',
    section: 'Queries',
  },
  {
    flag: 'max-queued-queries',
    env: 'DUCKSIDE_MAX_QUEUED_QUERIES',
    key: 'query.maxQueued',
    type: 'string',
    value: '<n>',
    description: 'Queries waiting for a slot before new ones are answered 503 with Retry-After',
    defaultText: '64',
    section: 'Queries',
  },
  {
    flag: 'max-body-size',
    env: 'DUCKSIDE_MAX_BODY_SIZE',
    key: 'ingest.maxBodyBytes',
    type: 'string',
    value: '<size>',
    description: 'Largest JSON/NDJSON ingest body, on the wire and once inflated (else 413)',
    defaultText: '16MiB',
    section: 'Ingest',
  },
  {
    flag: 'otlp-max-body-size',
    env: 'DUCKSIDE_OTLP_MAX_BODY_SIZE',
    key: 'otlp.maxBodyBytes',
    type: 'string',
    value: '<size>',
    description: 'Largest OTLP/HTTP body, on the wire and once inflated (else 413)',
    defaultText: "the OTLP receiver's default",
    section: 'Ingest',
  },
  {
    flag: 'max-series-per-metric',
    env: 'DUCKSIDE_MAX_SERIES_PER_METRIC',
    key: 'ingest.maxSeriesPerMetric',
    type: 'string',
    value: '<n>',
    description:
      'Most series per metric name; points of new series past it go to the metric overflow series ' +
      '(attribute otel.metric.overflow=true), counted in /metrics; 0 for no limit',
    defaultText: '10000',
    section: 'Ingest',
  },
  {
    flag: 'retention',
    env: 'DUCKSIDE_RETENTION',
    key: 'retention.maxAge',
    type: 'string',
    multiple: true,
    value: '<table=age>',
    description:
      'Delete rows of a table older than age, e.g. trading_metrics=30d (repeatable; env comma-separated; ' +
      'tables: trading_metrics, otel_histograms, otel_exp_histograms, otel_summaries, trading_candles, ' +
      'trading_trades, system_events)',
    section: 'Retention',
  },
  {
    flag: 'retention-interval',
    env: 'DUCKSIDE_RETENTION_INTERVAL',
    key: 'retention.interval',
    type: 'string',
    value: '<duration>',
    description: 'How often retention runs (also once at start)',
    defaultText: '1h',
    section: 'Retention',
  },
  {
    flag: 'hot-days',
    env: 'DUCKSIDE_HOT_DAYS',
    key: 'tiering.hotDays',
    type: 'string',
    value: '<n>',
    description:
      'Cold tier: whole UTC days older than n days move from the database file to day-partitioned Parquet ' +
      '(<db>.cold/<table>/date=YYYY-MM-DD/part-N.parquet); queries read both tiers (see docs/operations.md)',
    defaultText: 'off',
    section: 'Retention',
  },
  {
    flag: 'cold-dir',
    env: 'DUCKSIDE_COLD_DIR',
    key: 'tiering.dir',
    type: 'string',
    value: '<dir>',
    description: "Folder of the cold tier's Parquet files",
    defaultText: '<database>.cold',
    section: 'Retention',
  },
  {
    flag: 'offload-interval',
    env: 'DUCKSIDE_OFFLOAD_INTERVAL',
    key: 'tiering.interval',
    type: 'string',
    value: '<duration>',
    description: 'How often days are moved to the cold tier (also once at start)',
    defaultText: '10m',
    section: 'Retention',
  },
  {
    flag: 'max-db-size',
    env: 'DUCKSIDE_MAX_DB_SIZE',
    key: 'retention.maxDbSize',
    type: 'string',
    value: '<size>',
    description:
      'When the data in the database file outgrows this (e.g. 10GiB), delete the oldest rows first, table by ' +
      'table in bounded batches, down to 90% of it (checked every 10s; see docs/operations.md)',
    defaultText: 'off',
    section: 'Retention',
  },
  {
    flag: 'self-telemetry',
    env: 'DUCKSIDE_SELF_TELEMETRY',
    key: 'selfTelemetry.enabled',
    type: 'boolean',
    description:
      "Also store Duckside's own OpenTelemetry metrics (commits, rows per table, query durations, pool) in its " +
      'database, service.name=duckside (see docs/operations.md)',
    section: 'Telemetry',
  },
  {
    flag: 'self-telemetry-interval',
    env: 'DUCKSIDE_SELF_TELEMETRY_INTERVAL',
    key: 'selfTelemetry.interval',
    type: 'string',
    value: '<duration>',
    description: 'How often --self-telemetry stores its metrics',
    defaultText: '10s',
    section: 'Telemetry',
  },
  {
    flag: 'downsample',
    env: 'DUCKSIDE_DOWNSAMPLE',
    key: 'retention.downsample',
    type: 'string',
    multiple: true,
    value: '<what=age>',
    description:
      'Downsampling retention: keep raw points and trades (raw=14d) and each rollup level (1m=180d) this long; ' +
      'levels not named are kept forever; rollup answers stay as they were (repeatable; env comma-separated; ' +
      'see docs/rollups.md)',
    defaultText: 'off',
    section: 'Retention',
  },
  {
    flag: 'rollup-levels',
    env: 'DUCKSIDE_ROLLUP_LEVELS',
    key: 'rollups.levels',
    type: 'string',
    value: '<list>',
    description:
      'Keep rollups at these levels up to date (opt-in; e.g. 1m,1h), each dividing a day and a multiple of the one ' +
      'below; an empty list turns them off for the file and drops them (see docs/rollups.md)',
    defaultText: 'off',
    section: 'Retention',
  },
  {
    flag: 'rollup-interval',
    env: 'DUCKSIDE_ROLLUP_INTERVAL',
    key: 'rollups.maintainEvery',
    type: 'string',
    value: '<duration>',
    description: 'How often the rollup maintenance step re-aggregates the buckets written since',
    defaultText: '1s',
    section: 'Retention',
  },
  {
    flag: 'memory-limit',
    env: 'DUCKSIDE_MEMORY_LIMIT',
    key: 'duckdb.memoryLimit',
    type: 'string',
    value: '<size>',
    description: 'DuckDB memory_limit, e.g. 2GB',
    defaultText: "DuckDB's default (80% of RAM)",
    section: 'DuckDB',
  },
  {
    flag: 'checkpoint-threshold',
    env: 'DUCKSIDE_CHECKPOINT_THRESHOLD',
    key: 'duckdb.checkpointThreshold',
    type: 'string',
    value: '<size>',
    description:
      'WAL size that triggers a checkpoint; larger makes sustained ingest cheaper and crash replay longer',
    defaultText: '64MB',
    section: 'DuckDB',
  },
  {
    flag: 'threads',
    env: 'DUCKSIDE_THREADS',
    key: 'duckdb.threads',
    type: 'string',
    value: '<n>',
    description: 'DuckDB worker threads',
    defaultText: 'number of cores',
    section: 'DuckDB',
  },
  {
    flag: 'pool-size',
    env: 'DUCKSIDE_POOL_SIZE',
    key: 'duckdb.poolSize',
    type: 'string',
    value: '<n>',
    description: 'Database connections in the pool',
    defaultText: 'max concurrent queries + 4',
    section: 'DuckDB',
  },
  {
    flag: 'write-queue-size',
    env: 'DUCKSIDE_WRITE_QUEUE_SIZE',
    key: 'duckdb.maxQueueBytes',
    type: 'string',
    value: '<size>',
    description: 'Bytes of writes waiting to commit before ingest is answered 503 with Retry-After',
    defaultText: '64MiB',
    section: 'DuckDB',
  },
  {
    flag: 'wal-recovery',
    env: 'DUCKSIDE_WAL_RECOVERY',
    key: 'duckdb.walRecovery',
    type: 'string',
    value: '<policy>',
    description:
      'When the .wal cannot be replayed at start: move-aside (rename it to .wal.corrupt-<time>, log an error, ' +
      'count it in /metrics, record a critical system event, start) or fail (exit 1)',
    defaultText: 'move-aside',
    section: 'DuckDB',
  },
  {
    flag: 'plugin',
    env: 'DUCKSIDE_PLUGINS',
    key: 'pluginModules',
    type: 'string',
    multiple: true,
    value: '<module>',
    description: 'Load a plugin module (path or package name; repeatable; env comma-separated)',
    section: 'Plugins',
  },
  {
    flag: 'disable-plugin',
    env: 'DUCKSIDE_DISABLE_PLUGINS',
    key: 'disablePlugins',
    type: 'string',
    multiple: true,
    value: '<name>',
    description:
      'Turn off a built-in plugin: health, self-metrics, self-telemetry, otlp, grpc, ingest, query, prometheus, ' +
      'retention, dashboard, forward, tiering (repeatable)',
    section: 'Plugins',
  },
  {
    flag: 'forward-otlp',
    env: 'DUCKSIDE_FORWARD_OTLP',
    key: 'forward.otlp',
    type: 'string',
    multiple: true,
    value: '<url>',
    description:
      'Forward every committed OTLP request to this OTLP/HTTP metrics endpoint, e.g. ' +
      'http://collector:4318/v1/metrics (no path: /v1/metrics; logs go to /v1/logs beside it); queued on disk ' +
      'in <db>.forward/, at least once, in order (repeatable; env comma-separated; see docs/operations.md)',
    section: 'Forwarding',
  },
  {
    flag: 'forward-otlp-header',
    env: 'DUCKSIDE_FORWARD_OTLP_HEADERS',
    key: 'forward.headers',
    type: 'string',
    multiple: true,
    value: '<name=value>',
    description:
      'A header sent to every upstream, e.g. authorization=Bearer abc (repeatable; env comma-separated)',
    section: 'Forwarding',
  },
  {
    flag: 'forward-queue-max-bytes',
    env: 'DUCKSIDE_FORWARD_QUEUE_MAX_BYTES',
    key: 'forward.queueMaxBytes',
    type: 'string',
    value: '<size>',
    description: 'Most bytes queued per upstream; requests past it are not forwarded (counted in /metrics)',
    defaultText: '256MiB',
    section: 'Forwarding',
  },
  {
    flag: 'enable-fault-injection',
    env: 'DUCKSIDE_ENABLE_FAULT_INJECTION',
    key: 'faults.enabled',
    type: 'boolean',
    description: 'Honour DUCKSIDE_FAULTS outside NODE_ENV=test (reliability tests only)',
    section: 'Testing',
  },
  {
    flag: 'faults',
    env: 'DUCKSIDE_FAULTS',
    key: 'faults.spec',
    type: 'string',
    value: '<spec>',
    description: 'Injected faults, e.g. ingest503:0.3,ingest-delay:200 (only with fault injection enabled)',
    section: 'Testing',
  },
] satisfies OptionDefinition[]);
