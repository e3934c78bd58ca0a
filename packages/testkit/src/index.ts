export { TestkitError, type TestkitErrorCode } from './errors.ts';
export { type CleanupStep, onExit } from './exit-cleanup.ts';
export { freePort } from './free-port.ts';
export { mulberry32 } from './mulberry32.ts';
export { type PostgresOptions, type PostgresServer, startPostgres } from './start-postgres.ts';
export { type TempDir, tempDir } from './temp-dir.ts';
