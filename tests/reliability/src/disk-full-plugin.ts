/**
 * Test-only sidecar plugin (`duckside --plugin <this file>`), the fallback of the disk-full scenario where no
 * tmpfs can be mounted: while the file named by `$DUCKSIDE_DISK_FULL_FLAG` exists, every write to the database
 * fails the way DuckDB's does on a full disk (core's `WriteError`, "No space left on device"). It wraps the
 * database's write methods; the sidecar's code is unchanged.
 */
import { existsSync } from 'node:fs';
import { WriteError } from '@duckside/core';
import type { DucksidePlugin } from '@duckside/sidecar';

const WRITE_METHODS = [
  'writeTables',
  'writeMetricBatch',
  'insertMetrics',
  'insertCandles',
  'insertTrades',
  'insertEvents',
];

const diskFullPlugin: DucksidePlugin = {
  name: 'reliability-disk-full',
  setup(ctx) {
    const flag = process.env.DUCKSIDE_DISK_FULL_FLAG;
    if (!flag) throw new Error('DUCKSIDE_DISK_FULL_FLAG is not set');
    const db = ctx.db as unknown as Record<string, (...args: unknown[]) => Promise<void>>;
    for (const method of WRITE_METHODS) {
      const original = db[method]?.bind(ctx.db);
      if (!original) continue;
      db[method] = (...args) =>
        existsSync(flag)
          ? Promise.reject(
              new WriteError('IO Error: could not write file: No space left on device (injected)'),
            )
          : original(...args);
    }
    ctx.logger.warn('disk-full fault plugin loaded', { flag });
  },
};

export default diskFullPlugin;
