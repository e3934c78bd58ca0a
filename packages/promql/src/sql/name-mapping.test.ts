import { Database } from '@duckside/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prometheusMetricName, sanitizeLabelName, sanitizeMetricName, unitSuffix } from './name-mapping.ts';
import { scalarMetricNameSql, seriesLabelsSql } from './series-labels-sql.ts';

describe('OTLP to Prometheus names', () => {
  it('sanitizes names and labels', () => {
    expect(sanitizeMetricName('http.server.duration')).toBe('http_server_duration');
    expect(sanitizeMetricName('2xx-count')).toBe('_2xx_count');
    expect(sanitizeMetricName('a:b..c')).toBe('a:b_c');
    expect(sanitizeLabelName('http.method')).toBe('http_method');
    expect(sanitizeLabelName('1st')).toBe('key_1st');
  });

  it('adds unit suffixes, _total and _ratio', () => {
    expect(unitSuffix('By/s')).toBe('bytes_per_second');
    expect(unitSuffix('{requests}')).toBe('');
    expect(unitSuffix('{packets}/s')).toBe('per_second');
    expect(prometheusMetricName({ name: 'http.server.duration', unit: 's', type: 'histogram' })).toBe(
      'http_server_duration_seconds',
    );
    expect(prometheusMetricName({ name: 'requests', unit: '1', type: 'sum', monotonic: true })).toBe(
      'requests_total',
    );
    expect(prometheusMetricName({ name: 'requests_total', unit: '', type: 'sum', monotonic: true })).toBe(
      'requests_total',
    );
    expect(prometheusMetricName({ name: 'cpu.utilization', unit: '1', type: 'gauge' })).toBe(
      'cpu_utilization_ratio',
    );
    expect(prometheusMetricName({ name: 'latency_ms', unit: 'ms', type: 'gauge' })).toBe(
      'latency_ms_milliseconds',
    );
    expect(prometheusMetricName({ name: 'queue', unit: 'By', type: 'sum', monotonic: false })).toBe(
      'queue_bytes',
    );
  });
});

describe('the SQL mapping agrees with the TypeScript one', () => {
  let db: Database;
  beforeAll(async () => {
    db = await Database.open(':memory:');
  });
  afterAll(() => db.close());

  const cases: { name: string; unit: string; kind: 1 | 2; monotonic: boolean }[] = [];
  for (const name of ['http.server.duration', '2xx-count', 'requests_total', 'a:b..c', 'latency_ms', 'x']) {
    for (const unit of ['', 's', 'ms', 'By/s', '1', '{req}', '{pkt}/s', 'weird unit', 'KiBy', '%']) {
      cases.push({ name, unit, kind: 1, monotonic: false }, { name, unit, kind: 2, monotonic: true });
    }
  }

  it('for names, units and kinds', async () => {
    const values = cases
      .map((c, i) => `(${i}, '${c.name}', '${c.unit}', ${c.kind}, ${c.monotonic})`)
      .join(', ');
    const sql = `WITH metric_series AS (
        SELECT id::UBIGINT AS series_id, name, unit, NULL::VARCHAR AS symbol, NULL::VARCHAR AS service,
          '{}' AS attributes, '{}' AS resource FROM (VALUES ${values}) v(id, name, unit, kind, monotonic)
      ), kinds AS (SELECT id::UBIGINT AS series_id, kind, monotonic FROM (VALUES ${values}) v(id, name, unit, kind, monotonic)),
      s AS (${seriesLabelsSql('SELECT series_id FROM metric_series')})
      SELECT s.series_id AS id, ${scalarMetricNameSql('s.base', 's.bare_unit', 'k.kind', 'k.monotonic')} AS name
      FROM s JOIN kinds k USING (series_id) ORDER BY id`;
    const rows = await db.all<{ id: number; name: string }>({ sql, params: [] });
    expect(rows.map((r) => r.name)).toEqual(
      cases.map((c) =>
        prometheusMetricName({
          name: c.name,
          unit: c.unit,
          type: c.kind === 2 ? 'sum' : 'gauge',
          monotonic: c.monotonic,
        }),
      ),
    );
  });
});
