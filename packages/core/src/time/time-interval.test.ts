import { describe, expect, it } from 'vitest';
import { errorOf } from '../../test/support/error-of.ts';
import { ValidationError } from '../errors/errors.ts';
import { TimeInterval } from './time-interval.ts';

describe('TimeInterval', () => {
  it.each([
    ['1s', 1, 's', 1, '1 second'],
    ['30s', 30, 's', 30, '30 second'],
    ['5m', 5, 'm', 300, '5 minute'],
    ['2h', 2, 'h', 7200, '2 hour'],
    ['1d', 1, 'd', 86_400, '1 day'],
    ['1w', 1, 'w', 604_800, '1 week'],
    ['3M', 3, 'M', 3 * 30 * 86_400, '3 month'],
  ])('parses %s', (text, count, unit, seconds, sql) => {
    const interval = TimeInterval.parse(text);
    expect(interval.count).toBe(count);
    expect(interval.unit).toBe(unit);
    expect(interval.seconds).toBe(seconds);
    expect(interval.sql).toBe(sql);
    expect(interval.toString()).toBe(text);
  });

  it('trims whitespace and passes an interval through', () => {
    expect(TimeInterval.parse(' 15m ').toString()).toBe('15m');
    expect(TimeInterval.parse(TimeInterval.Hour)).toBe(TimeInterval.Hour);
  });

  it('has constants from a second to a month', () => {
    expect(
      [
        TimeInterval.Second,
        TimeInterval.Minute,
        TimeInterval.FiveMinutes,
        TimeInterval.FifteenMinutes,
        TimeInterval.Hour,
        TimeInterval.Day,
        TimeInterval.Week,
        TimeInterval.Month,
      ].map(String),
    ).toEqual(['1s', '1m', '5m', '15m', '1h', '1d', '1w', '1M']);
  });

  it.each(['', '0m', '-1m', '1.5m', 'm', '1y', '1 minute', '1000000s', "1m'; DROP TABLE x; --", '1mm'])(
    'rejects %j naming the field',
    async (text) => {
      expect((await errorOf(ValidationError, () => TimeInterval.parse(text, 'bucket'))).field).toBe('bucket');
    },
  );

  it('is immutable', () => {
    const interval = TimeInterval.parse('5m');
    expect(Object.isFrozen(interval)).toBe(true);
    expect(() => {
      (interval as { count: number }).count = 10;
    }).toThrow(TypeError);
  });
});
