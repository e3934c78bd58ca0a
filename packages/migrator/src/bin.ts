#!/usr/bin/env node
// Entry of the `duckside-migrate` CLI. The libuv thread pool is sized before anything uses it: DuckDB's async
// calls share it with fs and zlib (see the design's known pitfalls).
process.env.UV_THREADPOOL_SIZE ??= '8';
const { main } = await import('./cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
