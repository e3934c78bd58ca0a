import { OPTION_DEFINITIONS, type OptionDefinition } from './option-definitions.ts';

/**
 * The `duckside --help` text: usage, every option with its environment variable, config key and default.
 * @example process.stdout.write(helpText('0.1.0'));
 */
export function helpText(version: string): string {
  const sections = new Map<string, OptionDefinition[]>();
  for (const d of OPTION_DEFINITIONS) {
    const list = sections.get(d.section) ?? [];
    list.push(d);
    sections.set(d.section, list);
  }
  let out = `duckside ${version}: observability sidecar for trading services (OTLP metrics, candles, trades and
events in one DuckDB file, with a query API)

Usage: duckside [options]

Precedence: flags, then DUCKSIDE_* environment variables, then the config file (--config), then defaults.
Durations: milliseconds or text like 500ms, 5s, 1m, 1h, 30d. Sizes: bytes or text like 512KiB, 16MiB.
`;
  for (const [section, defs] of sections) {
    out += `\n${section}:\n`;
    for (const d of defs) out += formatOption(d);
  }
  out += `
  -h, --help                    Show this help and exit
  -v, --version                 Print the version and exit

Config file only: "plugins": { "<plugin name>": { ...options handed to that plugin... } }

Signals: SIGTERM or SIGINT stop accepting requests, finish those in flight, flush writes, checkpoint and exit 0.
Exit codes: 0 stopped cleanly, 1 runtime failure (database locked or unreadable, port in use), 2 bad usage or
configuration.
`;
  return out;
}

function formatOption(d: OptionDefinition): string {
  const name = `${d.short ? `-${d.short}, ` : '    '}--${d.flag}${d.value ? ` ${d.value}` : ''}`;
  const details = [
    d.env ? `env ${d.env}` : undefined,
    d.key ? `config "${d.key}"` : undefined,
    d.defaultText ? `default ${d.defaultText}` : undefined,
  ].filter(Boolean);
  // A name too long for its column gets the description on a line of its own.
  const first =
    name.length < 30
      ? `  ${name.padEnd(30)}${d.description}\n`
      : `  ${name}\n${' '.repeat(32)}${d.description}\n`;
  return details.length > 0 ? `${first}${' '.repeat(32)}(${details.join('; ')})\n` : first;
}
