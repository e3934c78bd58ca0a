import { decodeResource } from '@duckside/core';
import { metrics } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { registerDuckside } from '../src/index.ts';
import { tableRows, tempFolder, withDatabase } from './support/harness.ts';

let folder: ReturnType<typeof tempFolder>;
beforeEach(() => {
  folder = tempFolder();
});
afterEach(() => {
  metrics.disable();
  folder.cleanup();
});

function rowsOf(path: string) {
  return withDatabase(path, (db) => tableRows(db, 'trading_metrics'));
}

describe('registerDuckside', () => {
  it('registers a global MeterProvider exporting to the file; shutdown flushes, closes and unregisters', async () => {
    const path = folder.path('app.duckdb');
    const { meterProvider, shutdown } = await registerDuckside({
      path,
      intervalMs: 60_000,
      resource: { 'service.name': 'oms', 'deployment.environment': 'paper' },
    });
    expect(metrics.getMeterProvider()).toBe(meterProvider);
    metrics.getMeter('orders').createCounter('orders_total').add(3, { symbol: 'BTC/USD' });
    await shutdown();
    await shutdown();
    expect(metrics.getMeterProvider()).not.toBe(meterProvider);
    const [row, ...rest] = await rowsOf(path);
    expect(rest).toEqual([]);
    expect(row).toMatchObject({ name: 'orders_total', value: 3, symbol: 'BTC/USD', service: 'oms' });
    const resource = decodeResource(row!.resource as string).attributes;
    // The given attributes are merged over the SDK's default resource.
    expect(resource).toMatchObject({
      'service.name': 'oms',
      'deployment.environment': 'paper',
      'telemetry.sdk.language': 'nodejs',
    });
  });

  it('exports on its interval, accepts a Resource, and can stay out of the global registry', async () => {
    const path = folder.path('local.duckdb');
    const { meterProvider, exporter, shutdown } = await registerDuckside({
      path,
      intervalMs: 50,
      global: false,
      resource: resourceFromAttributes({ 'service.name': 'risk' }),
    });
    expect(metrics.getMeterProvider()).not.toBe(meterProvider);
    meterProvider.getMeter('risk').createGauge('exposure_usd').record(1_250.5);
    await new Promise((resolve) => setTimeout(resolve, 200));
    await exporter.forceFlush();
    await shutdown();
    const rows = await rowsOf(path);
    // At least two interval exports plus the final one, all from the single gauge.
    expect(rows.length).toBeGreaterThanOrEqual(3);
    expect(new Set(rows.map((r) => `${r.name}|${r.value}|${r.service}`))).toEqual(
      new Set(['exposure_usd|1250.5|risk']),
    );
    expect(rows.map((r) => decodeResource(r.resource as string).attributes)).toContainEqual({
      'service.name': 'risk',
    });
  });

  it('throws the open error before registering anything', async () => {
    const before = metrics.getMeterProvider();
    await expect(registerDuckside({ path: '/dev/null/no/app.duckdb' })).rejects.toThrow();
    expect(metrics.getMeterProvider()).toBe(before);
  });
});
