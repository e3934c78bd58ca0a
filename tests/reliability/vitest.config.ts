import { fileURLToPath } from 'node:url';
import { defineProject, mergeConfig } from 'vitest/config';
import { packageProject } from '../../vitest.shared.ts';

/**
 * The reliability suite: one file per scenario, run one at a time (they measure latencies and start real
 * sidecar processes, so running them side by side on 2 cores would distort the figures).
 */
export default mergeConfig(
  packageProject('reliability', { include: ['**/*.test.ts'], testTimeout: 900_000 }),
  defineProject({
    test: {
      fileParallelism: false,
      globalSetup: [fileURLToPath(new URL('./src/summary-setup.ts', import.meta.url))],
    },
  }),
);
