import type { Logger } from '../plugin-api/plugin.ts';

/** Log levels, lowest first. */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
/** One of {@link LOG_LEVELS}. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** How log lines look: one JSON object per line, or a readable line for terminals. */
export type LogFormat = 'json' | 'pretty';

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  level?: LogLevel;
  format?: LogFormat;
  /** Where lines go (default: `process.stdout`). */
  write?: (line: string) => void;
  /** Fields added to every line. */
  base?: Record<string, unknown>;
  /** Colour the readable format (default: when stdout is a terminal). */
  color?: boolean;
}

/** A {@link Logger} that can derive loggers with extra fields. */
export interface SidecarLogger extends Logger {
  child(fields: Record<string, unknown>): SidecarLogger;
}

const COLORS: Record<LogLevel, string> = {
  debug: '\u001b[90m',
  info: '\u001b[36m',
  warn: '\u001b[33m',
  error: '\u001b[31m',
};

/**
 * Creates a structured logger: one JSON line per event (`time`, `level`, `msg`, fields), or a readable line
 * (`12:00:01.123 INFO  listening url=...`) for terminals. Errors in fields are written with name, code,
 * message, stack and cause.
 * @example
 * const log = createLogger({ level: 'info', format: 'json' });
 * log.info('listening', { url: 'http://127.0.0.1:4318' });
 */
export function createLogger(options: LoggerOptions = {}): SidecarLogger {
  const min = LOG_LEVELS.indexOf(options.level ?? 'info');
  const format = options.format ?? 'json';
  const write = options.write ?? ((line: string) => process.stdout.write(line));
  const color = options.color ?? Boolean(process.stdout.isTTY);
  const base = options.base ?? {};

  const log = (level: LogLevel, msg: string, fields?: Record<string, unknown>) => {
    if (LOG_LEVELS.indexOf(level) < min) return;
    const all = { ...base, ...fields };
    write(
      format === 'json' ? jsonLine(level, msg, all) : prettyLine(level, msg, all, color ? COLORS[level] : ''),
    );
  };
  return {
    debug: (msg, fields) => log('debug', msg, fields),
    info: (msg, fields) => log('info', msg, fields),
    warn: (msg, fields) => log('warn', msg, fields),
    error: (msg, fields) => log('error', msg, fields),
    child: (fields) => createLogger({ ...options, base: { ...base, ...fields } }),
  };
}

function jsonLine(level: LogLevel, msg: string, fields: Record<string, unknown>): string {
  return `${JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields }, logReplacer)}\n`;
}

function prettyLine(level: LogLevel, msg: string, fields: Record<string, unknown>, color: string): string {
  const time = new Date().toISOString().slice(11, 23);
  const reset = color ? '\u001b[0m' : '';
  let line = `${time} ${color}${level.toUpperCase().padEnd(5)}${reset} ${msg}`;
  let stack = '';
  for (const [key, value] of Object.entries(fields)) {
    if (value instanceof Error) {
      line += ` ${key}=${JSON.stringify(describeError(value).message)}`;
      stack += `\n${value.stack ?? ''}${value.cause ? `\n  caused by: ${String(value.cause)}` : ''}`;
    } else {
      line += ` ${key}=${typeof value === 'string' ? quoteIfNeeded(value) : JSON.stringify(value, logReplacer)}`;
    }
  }
  return `${line}${stack}\n`;
}

function quoteIfNeeded(text: string): string {
  return /^[\w./:@-]+$/.test(text) ? text : JSON.stringify(text);
}

/** JSON replacer for log fields: errors become objects, bigints text. */
function logReplacer(_key: string, value: unknown): unknown {
  if (value instanceof Error) return describeError(value);
  if (typeof value === 'bigint') return value.toString();
  return value;
}

function describeError(error: Error, depth = 0): Record<string, unknown> {
  const out: Record<string, unknown> = { name: error.name, message: error.message };
  const code = (error as { code?: unknown }).code;
  if (code !== undefined) out.code = code;
  if (error.stack) out.stack = error.stack;
  if (error.cause !== undefined && depth < 3) {
    out.cause = error.cause instanceof Error ? describeError(error.cause, depth + 1) : String(error.cause);
  }
  return out;
}
