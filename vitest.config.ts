import { defineConfig } from 'vitest/config';

/** Root vitest config: one project per workspace package, TS sources resolved through the `source` condition. */
export default defineConfig({
  test: {
    projects: ['packages/*', 'apps/*'],
  },
});
