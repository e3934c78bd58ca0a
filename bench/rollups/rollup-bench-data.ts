import type { Database } from '@duckside/core';
import { TRADING_TRADES, writtenColumns } from '@duckside/core/catalog';
import {
  type ColumnarTable,
  emptyHistogramPoint,
  emptyScalarPoint,
  encodeAttributes,
  MetricBatch,
  MetricKind,
  Temporality,
} from '@duckside/core/ingest';
import { TRADING_SYMBOLS } from '@duckside/testkit/otlp';
import { Prng } from '../lib/prng.ts';

/** First instant of the data set (an hour boundary, UTC). */
export const ROLLUP_DATA_START = Date.UTC(2025, 0, 1);
/** The symbols trades, counters and latency histograms are drawn for: testkit's trading symbols. */
export const ROLLUP_SYMBOLS = TRADING_SYMBOLS;
const VENUES = ['kraken', 'coinbase'];
/** Bounds of the latency histograms (ms). */
const BOUNDS = [1, 2, 5, 10, 20, 50, 100, 200, 500];

/** How much data a run writes: days, and one trade / counter point / histogram point per symbol every so many seconds. */
export interface RollupDataShape {
  days: number;
  tradeEverySeconds: number;
  counterEverySeconds: number;
  histogramEverySeconds: number;
}

/** Rows a shape produces, per kind. */
export function rowCounts(shape: RollupDataShape): { trades: number; counters: number; histograms: number } {
  const per = (every: number) => Math.floor((shape.days * 86_400) / every) * ROLLUP_SYMBOLS.length;
  return {
    trades: per(shape.tradeEverySeconds),
    counters: per(shape.counterEverySeconds),
    histograms: per(shape.histogramEverySeconds),
  };
}

const TRADE_SPEC = writtenColumns(TRADING_TRADES);

/**
 * Writes a deterministic synthetic trading history one hour at a time through core (so every commit marks its
 * rollup buckets): trades per symbol (random walk prices, two venues), a cumulative `orders_total` counter per
 * symbol (resetting once a week) and a delta `order_latency_ms` explicit-bucket histogram per symbol. Returns the
 * rows written.
 * @example await writeRollupData(db, { days: 7, tradeEverySeconds: 5, counterEverySeconds: 15, histogramEverySeconds: 60 }, log);
 */
export async function writeRollupData(
  db: Database,
  shape: RollupDataShape,
  log: (line: string) => void,
): Promise<number> {
  const rng = new Prng(20250101);
  const prices = ROLLUP_SYMBOLS.map((_, i) => 100 * (i + 1));
  const counters = ROLLUP_SYMBOLS.map(() => 0);
  let written = 0;
  for (let hour = 0; hour < shape.days * 24; hour++) {
    const hourStartS = ROLLUP_DATA_START / 1000 + hour * 3600;
    const trade = columnsOf(TRADE_SPEC.length);
    for (let t = 0; t < 3600; t += shape.tradeEverySeconds) {
      for (let s = 0; s < ROLLUP_SYMBOLS.length; s++) {
        prices[s] = Math.max(1, (prices[s] as number) * (1 + (rng.next() - 0.5) * 0.002));
        const [ts, symbol, venue, side, quantity, price, fee, orderId, tradeId, strategy] = trade;
        ts!.push((hourStartS + t) * 1e6 + rng.int(1_000_000));
        symbol!.push(ROLLUP_SYMBOLS[s]);
        venue!.push(VENUES[rng.int(VENUES.length)]);
        side!.push(rng.next() < 0.5 ? 'buy' : 'sell');
        quantity!.push(Math.round(rng.next() * 1000) / 100 + 0.01);
        price!.push(Math.round((prices[s] as number) * 100) / 100);
        fee!.push(0);
        orderId!.push(null);
        tradeId!.push(null);
        strategy!.push(null);
      }
    }
    const trades: ColumnarTable = {
      table: TRADING_TRADES.name,
      spec: TRADE_SPEC,
      columns: trade,
      length: trade[0]!.length,
    };
    const batch = new MetricBatch();
    const point = emptyScalarPoint();
    for (let t = 0; t < 3600; t += shape.counterEverySeconds) {
      const micros = (hourStartS + t) * 1e6;
      const weekStart = Math.floor(micros / 604_800e6) * 604_800e6;
      for (let s = 0; s < ROLLUP_SYMBOLS.length; s++) {
        if (micros - weekStart < shape.counterEverySeconds * 1e6) counters[s] = 0;
        counters[s] = (counters[s] as number) + 1 + rng.int(20);
        Object.assign(point, {
          timeMicros: micros,
          startMicros: weekStart,
          symbol: ROLLUP_SYMBOLS[s],
          attributes: ATTRIBUTES[s],
          kind: MetricKind.Sum,
          temporality: Temporality.Cumulative,
          isMonotonic: true,
          value: counters[s],
        });
        batch.pushScalar(COUNTER, point);
      }
    }
    const h = emptyHistogramPoint(Temporality.Delta);
    for (let t = 0; t < 3600; t += shape.histogramEverySeconds) {
      for (let s = 0; s < ROLLUP_SYMBOLS.length; s++) {
        const counts = BOUNDS.map(() => 0).concat([0]);
        let n = 0;
        for (let k = 0; k < 20; k++) {
          const latency = Math.exp(rng.next() * 5 + s * 0.1);
          const bucket = BOUNDS.findIndex((b) => latency <= b);
          counts[bucket === -1 ? BOUNDS.length : bucket]! += 1;
          n++;
        }
        Object.assign(h, {
          timeMicros: (hourStartS + t) * 1e6,
          symbol: ROLLUP_SYMBOLS[s],
          attributes: ATTRIBUTES[s],
          count: n,
          bucketCounts: counts,
          explicitBounds: BOUNDS,
        });
        batch.pushHistogram(LATENCY, h);
      }
    }
    await Promise.all([db.writeTables([trades]), db.writeMetricBatch(batch)]);
    written += trades.length + batch.size;
    if (hour % 240 === 239) log(`  ${hour / 24 + 1} days written (${written.toLocaleString('en-US')} rows)`);
  }
  return written;
}

const ATTRIBUTES = ROLLUP_SYMBOLS.map((symbol) => encodeAttributes({ symbol }));
const COUNTER = {
  name: 'orders_total',
  unit: '1',
  description: '',
  service: 'oms',
  resource: '{}',
  scope: '{}',
};
const LATENCY = {
  name: 'order_latency_ms',
  unit: 'ms',
  description: '',
  service: 'oms',
  resource: '{}',
  scope: '{}',
};

function columnsOf(n: number): unknown[][] {
  return Array.from({ length: n }, () => []);
}
