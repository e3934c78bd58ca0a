import { describe, expect, it } from 'vitest';
import { dayInRange, statementRange, withCtes } from './statement-range.ts';

const VIEWS = new Set(['trading_metrics', 'metric_points', 'trading_trades']);
const NEUTRAL = new Set(['metric_series']);
const A = '2024-01-02 00:00:00.000000';
const B = '2024-01-03 00:00:00.000000';
const RANGED = 'ts >= ?::TIMESTAMP AND ts < ?::TIMESTAMP';

describe('statementRange', () => {
  it('reads the bounds of a one-view statement from its parameters, counting every placeholder before them', () => {
    const sql = `SELECT time_bucket(?::INTERVAL, ts) FROM trading_metrics WHERE name = ? AND ${RANGED} LIMIT ?`;
    expect(statementRange(sql, ['1 minute', 'x', A, B, 10], VIEWS, NEUTRAL)).toEqual({
      from: A,
      to: B,
      views: new Set(['trading_metrics']),
    });
  });

  it('spans the lowest lower and the highest upper bound of several references, quoted or not', () => {
    const sql = `SELECT 1 FROM "trading_trades" WHERE ${RANGED} UNION ALL SELECT 1 FROM metric_points p JOIN metric_series s USING (series_id) WHERE ${RANGED}`;
    const range = statementRange(sql, [B, '2024-01-04 00:00:00', A, '2024-01-03 12:00:00.5'], VIEWS, NEUTRAL);
    expect(range).toEqual({
      from: A,
      to: '2024-01-04 00:00:00.000000',
      views: new Set(['trading_trades', 'metric_points']),
    });
  });

  it('accepts the statement own CTEs and table functions as sources', () => {
    const sql = `WITH w AS (SELECT * FROM trading_trades WHERE ${RANGED}) SELECT * FROM w, unnest([1]) JOIN range(3) ON true`;
    expect(statementRange(sql, [A, B], VIEWS, NEUTRAL)?.views).toEqual(new Set(['trading_trades']));
  });

  it('gives up when a reference may be unbounded, a source is unknown, or a bound is not bound text', () => {
    const twoRefs = `SELECT 1 FROM trading_metrics WHERE ${RANGED} AND series_id IN (SELECT series_id FROM metric_points)`;
    expect(statementRange(twoRefs, [A, B], VIEWS, NEUTRAL)).toBeUndefined();
    const unknown = `SELECT 1 FROM trading_metrics JOIN rollup_1m USING (ts) WHERE ${RANGED}`;
    expect(statementRange(unknown, [A, B], VIEWS, NEUTRAL)).toBeUndefined();
    const lowerOnly = 'SELECT 1 FROM trading_metrics WHERE ts >= ?::TIMESTAMP';
    expect(statementRange(lowerOnly, [A], VIEWS, NEUTRAL)).toBeUndefined();
    expect(
      statementRange(`SELECT 1 FROM trading_metrics WHERE ${RANGED}`, [A, 5], VIEWS, NEUTRAL),
    ).toBeUndefined();
    expect(statementRange('SELECT 1 FROM metric_series', [], VIEWS, NEUTRAL)).toBeUndefined();
    const comma = `SELECT 1 FROM trading_trades t, trading_metrics m WHERE t.${RANGED}`;
    expect(statementRange(comma, [A, B], VIEWS, NEUTRAL)).toBeUndefined();
  });
});

describe('dayInRange', () => {
  it('keeps the days the half-open range overlaps, and not the day its upper bound starts', () => {
    expect(dayInRange('2024-01-02', A, B)).toBe(true);
    expect(dayInRange('2024-01-03', A, B)).toBe(false);
    expect(dayInRange('2024-01-01', A, B)).toBe(false);
    expect(dayInRange('2024-01-03', A, '2024-01-03 00:00:00.000001')).toBe(true);
    expect(dayInRange('2024-01-01', '2024-01-01 23:59:59.999999', B)).toBe(true);
  });
});

describe('withCtes', () => {
  it('puts the CTEs in front, merged into the statement own WITH list, and refuses WITH RECURSIVE', () => {
    expect(withCtes('SELECT 1', ['a AS NOT MATERIALIZED (SELECT 1)'])).toBe(
      'WITH a AS NOT MATERIALIZED (SELECT 1)\nSELECT 1',
    );
    expect(withCtes('WITH b AS (SELECT 2) SELECT * FROM b', ['a AS (SELECT 1)'])).toBe(
      'WITH a AS (SELECT 1),\nb AS (SELECT 2) SELECT * FROM b',
    );
    expect(withCtes('WITH RECURSIVE r AS (SELECT 1) SELECT 1', ['a AS (SELECT 1)'])).toBeUndefined();
  });
});
