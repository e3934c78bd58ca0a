import { setTimeout as sleep } from 'node:timers/promises';
import type { MiddlewareHandler } from 'hono';
import { ConfigError, InjectedFaultError } from '../plugin-api/errors.ts';

/** Faults injected into ingest requests (every POST), for reliability tests. */
export interface FaultSpec {
  /** Probability (0..1) of answering an ingest request 503 before reading it. */
  ingest503: number;
  /** Milliseconds to wait before handling each ingest request. */
  ingestDelayMs: number;
}

/**
 * Parses `DUCKSIDE_FAULTS`, e.g. `ingest503:0.3,ingest-delay:200`.
 * @throws ConfigError on an unknown fault or a bad value.
 * @example parseFaults('ingest503:0.3') // { ingest503: 0.3, ingestDelayMs: 0 }
 */
export function parseFaults(spec: string): FaultSpec {
  const faults: FaultSpec = { ingest503: 0, ingestDelayMs: 0 };
  for (const part of spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [name, value = ''] = part.split(':');
    const n = Number(value);
    if (name === 'ingest503' && value !== '' && n >= 0 && n <= 1) faults.ingest503 = n;
    else if (name === 'ingest-delay' && /^\d+$/.test(value)) faults.ingestDelayMs = n;
    else {
      throw new ConfigError(
        `faults: cannot use ${JSON.stringify(part)} (known: ingest503:<probability 0..1>, ingest-delay:<ms>)`,
      );
    }
  }
  return faults;
}

/**
 * Middleware applying {@link FaultSpec} to POST requests.
 * @example app.use('*', faultInjection(parseFaults('ingest503:0.3')));
 */
export function faultInjection(faults: FaultSpec, random: () => number = Math.random): MiddlewareHandler {
  return async (c, next) => {
    if (c.req.method === 'POST') {
      if (faults.ingestDelayMs > 0) await sleep(faults.ingestDelayMs);
      if (faults.ingest503 > 0 && random() < faults.ingest503) throw new InjectedFaultError('ingest503');
    }
    return next();
  };
}
