/**
 * A simulated trading service (seeded random walk of quotes for three symbols, a market-making strategy with
 * orders and fills) instrumented with the OpenTelemetry SDK, exporting every 100 ms (10 Hz); fills are stored as
 * trades, quote mids as the application metric `quote_mid` and incidents as system events. At the end it prints
 * aggregated queries, a performance analysis, and slippage and markouts of the fills per strategy twice: from
 * Duckside's fill analysis and from the simulator's own record (its ground truth), which must agree.
 *
 * Two modes:
 *   pnpm example:observability-integration --mode in-process --duration 10   (Duckside's in-process exporter)
 *   pnpm example:observability-integration --mode sidecar --endpoint http://127.0.0.1:4318 --duration 10
 *     (OTLP/HTTP protobuf to a running `duckside`; set DUCKSIDE_TOKEN when it requires a token)
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Database } from '@duckside/core';
import { DuckDBMetricExporter } from '@duckside/otel-exporter';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  MeterProvider,
  PeriodicExportingMetricReader,
  type PushMetricExporter,
} from '@opentelemetry/sdk-metrics';
import { parseExampleArgs } from './example-args.ts';
import { FillGroundTruth } from './fill-ground-truth.ts';
import { printTable } from './print-table.ts';
import { createServiceInstruments } from './service-instruments.ts';
import { TradingSimulator } from './trading-simulator.ts';
import { ANALYSES, coreStore, sidecarStore, type TradingStore } from './trading-store.ts';

const { durationSeconds, db: dbPath, values } = parseExampleArgs(['mode', 'endpoint']);
const mode = values.mode ?? 'in-process';
if (mode !== 'in-process' && mode !== 'sidecar') throw new Error('--mode must be in-process or sidecar');
const endpoint = values.endpoint ?? 'http://127.0.0.1:4318';
const token = process.env.DUCKSIDE_TOKEN;

let db: Database | undefined;
let exporter: PushMetricExporter;
let store: TradingStore;
if (mode === 'in-process') {
  db = await Database.open({
    path: dbPath ?? join(mkdtempSync(join(tmpdir(), 'duckside-obs-')), 'service.duckdb'),
  });
  exporter = new DuckDBMetricExporter({ database: db });
  store = coreStore(db);
  console.log(`mode in-process: metrics exported straight into ${db.path}`);
} else {
  exporter = new OTLPMetricExporter({
    url: `${endpoint}/v1/metrics`,
    headers: token ? { Authorization: `Bearer ${token}` } : {},
  });
  store = sidecarStore(endpoint, token);
  console.log(`mode sidecar: OTLP/HTTP protobuf to ${endpoint}/v1/metrics`);
}

const meterProvider = new MeterProvider({
  resource: resourceFromAttributes({ 'service.name': 'sim-trader', 'deployment.environment': 'example' }),
  readers: [
    new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 100, exportTimeoutMillis: 100 }),
  ],
});
const instruments = createServiceInstruments(meterProvider.getMeter('sim-trader', '1.0.0'));
const simulator = new TradingSimulator(42);
const truth = new FillGroundTruth();

await store.recordEvent({
  severity: 'info',
  source: 'sim-trader',
  message: 'trading session started',
  attributes: { mode },
});
const totals = { ticks: 0, orders: 0, fills: 0, events: 1 };
const started = Date.now();
while (Date.now() - started < durationSeconds * 1000) {
  const at = Date.now();
  const step = simulator.step();
  instruments.record(step);
  truth.record(at, step.quotes, step.fills);
  await store.recordQuotes(step.quotes, at);
  totals.ticks += step.quotes.length;
  totals.orders += step.orders;
  totals.fills += step.fills.length;
  await store.recordFills(step.fills, at);
  if (step.incident) {
    totals.events++;
    const { severity, message, symbol } = step.incident;
    await store.recordEvent({ severity, message, source: 'sim-trader', attributes: { symbol } });
  }
  await new Promise((r) => setTimeout(r, 100));
}
await meterProvider.forceFlush();
await meterProvider.shutdown();
instruments.stop();
const elapsed = (Date.now() - started) / 1000;
console.log(
  `simulated ${elapsed.toFixed(1)} s: ${totals.ticks} ticks, ${totals.orders} orders, ${totals.fills} fills, ${totals.events} events`,
);

for (const analysis of ANALYSES) printTable(analysis.title, await store.analyse(analysis));
const performance = await store.analyse(
  ANALYSES.find((a) => a.title.startsWith('Performance')) as (typeof ANALYSES)[number],
);
const storedFills = performance.reduce((sum, row) => sum + Number(row.trades), 0);
console.log(`\nstored fills: ${storedFills} of ${totals.fills}`);
printTable('Fill analysis per strategy (Duckside; bps)', await store.fillFigures());
printTable('Fill analysis per strategy (simulator ground truth; bps)', truth.perStrategy());
await db?.close();
