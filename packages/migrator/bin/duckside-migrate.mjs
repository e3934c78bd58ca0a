#!/usr/bin/env node
// Launcher of `duckside-migrate`: runs the built CLI when there is one (dist/), otherwise the TypeScript sources
// through tsx with the `source` export condition (workspace checkouts, `pnpm exec duckside-migrate`).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const built = new URL('../dist/bin.js', import.meta.url);
if (existsSync(built)) {
  await import(built.href);
} else {
  const tsx = createRequire(import.meta.url).resolve('tsx');
  const entry = fileURLToPath(new URL('../src/bin.ts', import.meta.url));
  const child = spawnSync(
    process.execPath,
    ['--conditions=source', '--import', tsx, entry, ...process.argv.slice(2)],
    {
      stdio: 'inherit',
    },
  );
  process.exitCode = child.status ?? 1;
}
