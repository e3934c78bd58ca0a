import type { Severity } from './system-event.ts';

/**
 * The event severity of an OTLP `SeverityNumber`: TRACE (1-4) and DEBUG (5-8) are `debug`, INFO (9-12) `info`,
 * WARN (13-16) `warning`, ERROR (17-20) `error`, FATAL (21-24) `critical`; an unspecified or unknown number
 * falls back to the severity text (`warn`, `ERROR`, `fatal`, ...), else `info`. The original number and text
 * are stored beside it.
 * @example severityOfLogRecord(17, '') // 'error'
 */
export function severityOfLogRecord(severityNumber: number, severityText: string): Severity {
  if (severityNumber >= 1 && severityNumber <= 24) return BY_RANGE[(severityNumber - 1) >> 2] as Severity;
  return BY_TEXT[severityText.trim().toLowerCase()] ?? 'info';
}

const BY_RANGE: readonly Severity[] = ['debug', 'debug', 'info', 'warning', 'error', 'critical'];

const BY_TEXT: Readonly<Record<string, Severity>> = Object.freeze({
  trace: 'debug',
  debug: 'debug',
  info: 'info',
  information: 'info',
  notice: 'info',
  warn: 'warning',
  warning: 'warning',
  error: 'error',
  err: 'error',
  critical: 'critical',
  crit: 'critical',
  fatal: 'critical',
  alert: 'critical',
  emergency: 'critical',
  panic: 'critical',
});
