import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Meter } from '@opentelemetry/api';
import type { Step } from './trading-simulator.ts';

/**
 * The simulated service's OpenTelemetry instruments: process metrics (CPU, memory, event-loop lag), market-data
 * metrics (mid, spread, ticks) and execution metrics (order latency histogram, orders and fills counters,
 * slippage histogram). `record(step)` feeds one simulator step; `stop()` stops the event-loop monitor.
 * @example const instruments = createServiceInstruments(meter); instruments.record(sim.step());
 */
export function createServiceInstruments(meter: Meter): { record(step: Step): void; stop(): void } {
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  let lastCpu = process.cpuUsage();
  let lastCpuAt = performance.now();
  meter.createObservableGauge('process.cpu.utilization', { unit: '1' }).addCallback((result) => {
    const now = performance.now();
    const cpu = process.cpuUsage(lastCpu);
    result.observe((cpu.user + cpu.system) / 1000 / Math.max(1, now - lastCpuAt));
    lastCpu = process.cpuUsage();
    lastCpuAt = now;
  });
  meter
    .createObservableGauge('process.memory.rss', { unit: 'By' })
    .addCallback((r) => r.observe(process.memoryUsage.rss()));
  meter.createObservableGauge('nodejs.eventloop.lag.p99', { unit: 'ms' }).addCallback((r) => {
    r.observe(loop.percentile(99) / 1e6);
    loop.reset();
  });

  const mid = meter.createGauge('mid_price', { unit: 'USD' });
  const spread = meter.createGauge('spread_bps', { unit: 'bp' });
  const ticks = meter.createCounter('market_ticks_total');
  const orders = meter.createCounter('orders_total');
  const fills = meter.createCounter('fills_total');
  const latency = meter.createHistogram('order_latency_ms', {
    unit: 'ms',
    advice: { explicitBucketBoundaries: [1, 2, 5, 10, 20, 30, 50, 75, 100, 150, 250] },
  });
  const slippage = meter.createHistogram('slippage_bps', {
    unit: 'bp',
    advice: { explicitBucketBoundaries: [-2, -1, 0, 1, 2, 3] },
  });

  return {
    record(step: Step) {
      for (const q of step.quotes) {
        mid.record(q.mid, { symbol: q.symbol });
        spread.record(((q.ask - q.bid) / q.mid) * 10_000, { symbol: q.symbol });
        ticks.add(1, { symbol: q.symbol });
      }
      orders.add(step.orders);
      for (const f of step.fills) {
        const attributes = { symbol: f.symbol, venue: f.venue, strategy: f.strategy };
        fills.add(1, attributes);
        latency.record(f.latencyMs, attributes);
        slippage.record(f.slippageBps, attributes);
      }
    },
    stop() {
      loop.disable();
    },
  };
}
