import { describe, expect, it } from 'vitest';
import { errorOf } from '../../test/support/error-of.ts';
import { ValidationError } from '../errors/errors.ts';
import { type EventInput, eventInputSchema, SEVERITIES, SystemEvent, severityLevel } from './system-event.ts';

const valid: EventInput = {
  timestamp: '2024-01-02T03:04:05Z',
  severity: 'warning',
  source: 'gateway',
  message: 'reconnecting',
  attributes: { venue: 'kraken', attempt: 3, backoff: 0.5, fatal: false, reason: null },
};

describe('SystemEvent', () => {
  it('orders severities from debug to critical', () => {
    expect(SEVERITIES).toEqual(['debug', 'info', 'warning', 'error', 'critical']);
    expect(SEVERITIES.map(severityLevel)).toEqual([0, 1, 2, 3, 4]);
  });

  it('builds a frozen event', () => {
    const event = new SystemEvent(valid);
    expect(event).toMatchObject({ severity: 'warning', source: 'gateway', message: 'reconnecting' });
    expect(event.timestamp).toBe(BigInt(Date.UTC(2024, 0, 2, 3, 4, 5)) * 1_000_000n);
    expect(Object.isFrozen(event)).toBe(true);
    expect(Object.isFrozen(event.attributes)).toBe(true);
  });

  it('types attributes for storage: integers as ints', () => {
    expect(new SystemEvent(valid).typedAttributes()).toEqual({
      venue: 'kraken',
      attempt: 3n,
      backoff: 0.5,
      fatal: false,
      reason: null,
    });
  });

  it('stamps the current time when none is given', () => {
    const before = BigInt(Date.now()) * 1_000_000n;
    expect(new SystemEvent({ severity: 'info', source: 's', message: 'm' }).timestamp).toBeGreaterThanOrEqual(
      before,
    );
  });

  it('copies with changes and validates JSON with from()', () => {
    const event = SystemEvent.from(valid);
    const critical = event.with({ severity: 'critical' });
    expect(critical.severity).toBe('critical');
    expect(critical.timestamp).toBe(event.timestamp);
    expect(event.severity).toBe('warning');
  });

  it.each([
    ['an unknown severity', { severity: 'fatal' }, 'severity'],
    ['an empty message', { message: '' }, 'message'],
    ['an empty source', { source: '' }, 'source'],
    ['a nested attribute', { attributes: { deep: { x: 1 } } }, 'attributes.deep'],
    ['a bad timestamp', { timestamp: '2024-04-31T00:00:00Z' }, 'timestamp'],
  ])('rejects %s naming the field', async (_what, change, field) => {
    const error = await errorOf(
      ValidationError,
      () => new SystemEvent({ ...valid, ...change } as EventInput, 2),
    );
    expect(error.field).toBe(field);
    expect(error.index).toBe(2);
  });

  it('rejects unknown fields, naming them', async () => {
    expect(
      (await errorOf(ValidationError, () => SystemEvent.from({ ...valid, level: 3 }))).message,
    ).toContain('level');
  });

  it('exposes its zod schema', () => {
    expect(eventInputSchema.safeParse(valid).success).toBe(true);
    expect(eventInputSchema.safeParse({ ...valid, severity: 'loud' }).success).toBe(false);
  });
});
