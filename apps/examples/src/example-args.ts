import { parseArgs } from 'node:util';

/** Options every example accepts. */
export interface ExampleArgs {
  /** How long the example runs, in seconds. */
  durationSeconds: number;
  /** Database file (a temp file by default). */
  db: string | undefined;
  /** Extra string options. */
  values: Record<string, string | undefined>;
}

/**
 * Parses `--duration <seconds>` (also `10s`, `2m`), `--db <path>` and the given extra string options.
 * @example const { durationSeconds } = parseExampleArgs(['mode']);
 */
export function parseExampleArgs(extra: string[] = [], argv = process.argv.slice(2)): ExampleArgs {
  const options = Object.fromEntries([
    ['duration', { type: 'string' as const }],
    ['db', { type: 'string' as const }],
    ...extra.map((name) => [name, { type: 'string' as const }]),
  ]);
  const parsed = parseArgs({ args: argv.filter((a) => a !== '--'), options, allowPositionals: false });
  const values = parsed.values as Record<string, string | undefined>;
  return {
    durationSeconds: parseDuration(values.duration ?? '5'),
    db: values.db,
    values,
  };
}

function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(s|m)?$/.exec(text);
  if (!m) throw new Error(`--duration must be seconds like 5, 10s or 2m (got ${text})`);
  return Number(m[1]) * (m[2] === 'm' ? 60 : 1);
}
