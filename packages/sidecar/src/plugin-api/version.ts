import { readFileSync } from 'node:fs';

/**
 * The version of `@duckside/sidecar`, read from its package.json (two levels above this file, in `src/plugin-api/` or `dist/plugin-api/`).
 * @example console.log(SIDECAR_VERSION); // '0.1.0'
 */
export const SIDECAR_VERSION: string = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
