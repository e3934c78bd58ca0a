import { z } from 'zod';
import type { Attributes } from '../attributes/attributes.ts';
import { nowNanos } from '../time/index.ts';
import { nameText, parseWith, timestampSchema } from './validation.ts';

/** Event severities, lowest first. */
export const SEVERITIES = ['debug', 'info', 'warning', 'error', 'critical'] as const;
/** One of {@link SEVERITIES}. */
export type Severity = (typeof SEVERITIES)[number];

/**
 * Numeric level of a severity (debug 0 ... critical 4), stored in `system_events.level`.
 * @example severityLevel('error') // 3
 */
export function severityLevel(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

/** zod schema of a system event as JSON. */
export const eventInputSchema = z
  .object({
    timestamp: timestampSchema.optional(),
    severity: z.enum(SEVERITIES),
    source: nameText(),
    message: z.string().min(1, 'must not be empty').max(65_536),
    attributes: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).optional(),
  })
  .strict();

/** The input shape of {@link eventInputSchema}. */
export type EventInput = z.input<typeof eventInputSchema>;

/**
 * Something that happened in a trading system: a disconnect, a risk limit, a deploy.
 * @example new SystemEvent({ severity: 'warning', source: 'gateway', message: 'reconnecting', attributes: { venue: 'kraken' } })
 */
export class SystemEvent {
  /** Unix nanoseconds (stored with microsecond precision). */
  readonly timestamp: bigint;
  readonly severity: Severity;
  readonly source: string;
  readonly message: string;
  readonly attributes: Readonly<Record<string, string | number | boolean | null>>;

  /** Validates and builds; `index` names the row in errors. */
  constructor(input: EventInput, index?: number) {
    const p = parseWith(eventInputSchema, input, index);
    this.timestamp = p.timestamp ?? nowNanos();
    this.severity = p.severity;
    this.source = p.source;
    this.message = p.message;
    this.attributes = Object.freeze({ ...(p.attributes ?? {}) });
    Object.freeze(this);
  }

  /** Validates JSON-shaped input. */
  static from(input: unknown, index?: number): SystemEvent {
    return new SystemEvent(input as EventInput, index);
  }

  /** Returns a validated copy with some fields changed. */
  with(changes: Partial<EventInput>): SystemEvent {
    return new SystemEvent({ ...this, ...changes });
  }

  /** Attributes as typed values for storage. */
  typedAttributes(): Attributes {
    const out: Attributes = {};
    for (const [k, v] of Object.entries(this.attributes)) {
      out[k] = typeof v === 'number' && Number.isSafeInteger(v) ? BigInt(v) : v;
    }
    return out;
  }
}
