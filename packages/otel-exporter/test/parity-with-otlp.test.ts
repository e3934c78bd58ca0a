import { compiled, Database } from '@duckside/core';
import { STORAGE_TABLES } from '@duckside/core/catalog';
import { configSchema, createLogger, type RunningServer, startServer } from '@duckside/sidecar';
import { type Attributes, ValueType } from '@opentelemetry/api';
import { OTLPMetricExporter as JsonExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as ProtoExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AggregationType,
  DataPointType,
  MeterProvider,
  type PushMetricExporter,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDBMetricExporter, type ExportResult } from '../src/index.ts';
import { temporalitySelector } from '../src/temporality-preference.ts';
import { handMadeMetrics, scalarMetric } from './support/hand-made-metrics.ts';
import { exportOnce, ManualReader, tempFolder } from './support/harness.ts';

const TABLES = ['trading_metrics', 'otel_histograms', 'otel_exp_histograms'] as const;

/** Every column of every metric table, in a stable order (tables cleared after reading). */
async function takeRows(db: Database): Promise<Record<string, Record<string, unknown>[]>> {
  const out: Record<string, Record<string, unknown>[]> = {};
  for (const table of TABLES) {
    out[table] = await db.all(
      compiled(`SELECT * FROM ${table} ORDER BY name, attributes, time_unix_nano, start_time_unix_nano`, []),
    );
    await db.withConnection((c) => c.run(`DELETE FROM ${STORAGE_TABLES[table]}`));
  }
  return out;
}

/**
 * Values OTLP/JSON cannot carry, as the OpenTelemetry JSON serializer writes them: ints beyond 2^53 become
 * rounded JSON numbers, NaN becomes null, -0 becomes 0, and an integral double beyond int64 (1e300) is sent as an out-of-range
 * `intValue` that a receiver must reject. Protobuf carries them all; JSON runs get stand-ins.
 */
interface Lossy {
  bigInt: number;
  nan: number;
  integralDouble: number;
  negativeZero: number;
}
const EXACT: Lossy = { bigInt: 2 ** 62, nan: Number.NaN, integralDouble: 1e300, negativeZero: -0 };
const JSON_SAFE: Lossy = { bigInt: 2 ** 52, nan: 1.5, integralDouble: 0.125, negativeZero: 0 };

/** Two collection cycles of every instrument kind with typed attributes, resource and scope details. */
async function collectCycles(temporality: 'cumulative' | 'delta', lossy: Lossy): Promise<ResourceMetrics[]> {
  const reader = new ManualReader({ temporality: temporalitySelector(temporality) });
  const provider = new MeterProvider({
    resource: resourceFromAttributes(
      {
        'service.name': 'oms',
        'service.instance.id': 'oms-1',
        'host.cpus': 8,
        'load.avg': 0.75,
        'region.list': ['eu', 'us'],
      },
      { schemaUrl: 'https://opentelemetry.io/schemas/1.26.0' },
    ),
    readers: [reader],
    views: [{ instrumentName: 'slippage_bps', aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM } }],
  });
  const meter = provider.getMeter('execution', '0.9.3', {
    schemaUrl: 'https://opentelemetry.io/schemas/1.26.0',
  });
  const feeds = provider.getMeter('market-data');
  const sol: Attributes = {
    symbol: 'SOL/USD',
    exchange: 'binance',
    book_levels: 20,
    fee_rate: 0.001,
    maker: false,
  };
  const ada: Attributes = {
    symbol: 'ADA/EUR',
    routes: ['smart', 'direct'],
    weights: [1, 0.5],
    big: lossy.bigInt,
    tick: -3,
  };
  const fills = meter.createCounter('fills_total', {
    description: 'fills received',
    unit: '{fill}',
    valueType: ValueType.INT,
  });
  const volume = meter.createCounter('traded_volume', { unit: 'EUR' });
  const inventory = meter.createUpDownCounter('inventory_lots', { valueType: ValueType.INT });
  const ack = meter.createHistogram('ack_ms', {
    unit: 'ms',
    advice: { explicitBucketBoundaries: [2, 20, 200] },
  });
  const slippage = meter.createHistogram('slippage_bps', { unit: 'bp' });
  const imbalance = meter.createGauge('book_imbalance');
  let last = 0.2871;
  feeds.createObservableGauge('last_price').addCallback((r) => r.observe(last, { symbol: 'SOL/USD' }));
  let messages = 500;
  feeds
    .createObservableCounter('feed_messages', { valueType: ValueType.INT })
    .addCallback((r) => r.observe(messages));
  feeds.createObservableUpDownCounter('feed_lag_ms').addCallback((r) => r.observe(messages / 100));

  const cycles: ResourceMetrics[] = [];
  fills.add(4, sol);
  fills.add(9, ada);
  volume.add(98.75, sol);
  inventory.add(-6, ada);
  for (const v of [1, 15, 16, 900]) ack.record(v, sol);
  for (const v of [0, 0.02, 3.5, 512]) slippage.record(v, ada);
  imbalance.record(0.4, sol);
  cycles.push(await reader.collectMetrics());
  fills.add(1, sol);
  inventory.add(2, ada);
  ack.record(40, sol);
  slippage.record(7, ada);
  imbalance.record(-0.1, sol);
  last = 0.2903;
  messages = 777;
  cycles.push(await reader.collectMetrics());
  await provider.shutdown();
  return cycles;
}

/** Hand-made points the SDK does not produce itself: an unset start time, big and odd values. */
function edgeCases(resource: ResourceMetrics['resource'], lossy: Lossy): ResourceMetrics {
  return handMadeMetrics(resource, { name: 'edge', version: '', schemaUrl: '' }, [
    scalarMetric({
      name: 'edge_int',
      kind: 'sum',
      int: true,
      delta: true,
      points: [
        { startTime: [0, 0], endTime: [1_700_000_000, 1], attributes: { symbol: 7 }, value: -(2 ** 53) },
        {
          startTime: [1_600_000_000, 999],
          endTime: [1_700_000_001, 999_999_999],
          attributes: {},
          value: lossy.bigInt,
        },
      ],
    }),
    scalarMetric({
      name: 'edge_double',
      kind: 'gauge',
      int: false,
      description: 'x',
      unit: '1',
      points: [
        { startTime: [0, 0], endTime: [1_700_000_000, 5], attributes: { empty: '' }, value: lossy.nan },
        {
          startTime: [0, 0],
          endTime: [1_700_000_000, 6],
          attributes: { x: lossy.integralDouble },
          value: lossy.negativeZero,
        },
      ],
    }),
  ]);
}

/** Points per table in what the SDK handed over. */
function pointCounts(all: ResourceMetrics[]): Record<(typeof TABLES)[number], number> {
  const counts = { trading_metrics: 0, otel_histograms: 0, otel_exp_histograms: 0 };
  for (const metric of all.flatMap((m) => m.scopeMetrics.flatMap((s) => s.metrics))) {
    const table =
      metric.dataPointType === DataPointType.HISTOGRAM
        ? 'otel_histograms'
        : metric.dataPointType === DataPointType.EXPONENTIAL_HISTOGRAM
          ? 'otel_exp_histograms'
          : 'trading_metrics';
    counts[table] += metric.dataPoints.length;
  }
  return counts;
}

function sendWith(exporter: PushMetricExporter, metrics: ResourceMetrics): Promise<ExportResult> {
  return new Promise((resolve) => exporter.export(metrics, resolve));
}

describe('parity with the OTLP receiver', () => {
  const folder = tempFolder();
  let sidecar: RunningServer;
  let exporter: DuckDBMetricExporter;
  let exporterDb: Database;

  beforeAll(async () => {
    sidecar = await startServer({
      config: configSchema.parse({ port: 0, database: folder.path('sidecar.duckdb') }),
      logger: createLogger({ level: 'error', write: () => undefined }),
    });
    exporterDb = await Database.open({ path: folder.path('exporter.duckdb') });
    exporter = new DuckDBMetricExporter({ database: exporterDb });
  });

  afterAll(async () => {
    await exporter?.shutdown();
    await exporterDb?.close();
    await sidecar?.shutdown();
    folder.cleanup();
  });

  const transports = {
    'OTLP/HTTP protobuf': {
      create: () => new ProtoExporter({ url: `${sidecar.url}/v1/metrics` }),
      lossy: EXACT,
    },
    'OTLP/HTTP JSON': {
      create: () => new JsonExporter({ url: `${sidecar.url}/v1/metrics` }),
      lossy: JSON_SAFE,
    },
  };

  for (const temporality of ['cumulative', 'delta'] as const) {
    for (const [transport, { create, lossy }] of Object.entries(transports)) {
      it(`stores the same rows as ${transport}, ${temporality}`, async () => {
        const cycles = await collectCycles(temporality, lossy);
        const all = [...cycles, edgeCases(cycles[0]!.resource, lossy)];
        const otlp = create();
        for (const metrics of all) {
          expect(await exportOnce(exporter, metrics)).toEqual({ code: 0 });
          expect((await sendWith(otlp, metrics)).code).toBe(0);
        }
        await otlp.shutdown();
        await exporter.forceFlush();
        const viaExporter = await takeRows(exporterDb);
        const viaOtlp = await takeRows(sidecar.db);
        expect(Object.fromEntries(TABLES.map((t) => [t, viaExporter[t]!.length]))).toEqual(pointCounts(all));
        expect(viaExporter).toEqual(viaOtlp);
      });
    }
  }
});
