import { CandleRecord, type Database, MetricRecord, SystemEvent, TradeRecord } from '@duckside/core';
import { z } from 'zod';
import { readBody } from '../../http/body-reader.ts';
import { contentCoding, inflateBody } from '../../http/inflate-body.ts';
import { jsonResponse } from '../../http/json-response.ts';
import { parseRecords, recordFormat } from '../../http/parse-records.ts';
import type { DucksidePlugin } from '../../plugin-api/plugin.ts';

/** Options of the trading ingest plugin (from `--max-body-size`, or config `plugins.ingest`). */
const ingestOptions = z.strictObject({
  /** Largest body accepted, on the wire and once inflated (default 16 MiB). */
  maxBodyBytes: z
    .number()
    .int()
    .positive()
    .default(16 * 1024 * 1024),
});

/** A trading ingest endpoint: how to validate one record and how to store a request's records. */
interface Signal<T> {
  from(input: unknown, index: number): T;
  insert(db: Database, records: T[]): Promise<void>;
}

const SIGNALS = {
  candles: { from: CandleRecord.from, insert: (db, r) => db.insertCandles(r) } satisfies Signal<CandleRecord>,
  trades: { from: TradeRecord.from, insert: (db, r) => db.insertTrades(r) } satisfies Signal<TradeRecord>,
  events: { from: SystemEvent.from, insert: (db, r) => db.insertEvents(r) } satisfies Signal<SystemEvent>,
  metrics: { from: MetricRecord.from, insert: (db, r) => db.insertMetrics(r) } satisfies Signal<MetricRecord>,
} as const;

/** The trading signals accepted by `POST /api/v1/<signal>`. */
export const INGEST_SIGNALS = Object.keys(SIGNALS) as Array<keyof typeof SIGNALS>;

/**
 * `POST /api/v1/candles|trades|events|metrics`: a JSON array or NDJSON of records shaped like core's models,
 * validated with core's schemas. All or nothing: one bad record fails the request with a 400 naming its row
 * (0-based `index`) and field, and nothing of it is stored. The answer, `{ "stored": n }`, comes after commit.
 * @example await host.register([tradingIngestPlugin]);
 */
export const tradingIngestPlugin: DucksidePlugin<z.output<typeof ingestOptions>> = {
  name: 'ingest',
  options: ingestOptions,
  setup(ctx) {
    const { options } = ctx;
    const ingested = ctx.metrics.counter('duckside_ingested_rows_total', 'Rows stored, by signal');
    const rejected = ctx.metrics.counter(
      'duckside_rejected_rows_total',
      'Rows of refused ingest requests (when countable), by signal and error code',
    );
    for (const signal of INGEST_SIGNALS) {
      const spec = SIGNALS[signal] as Signal<unknown>;
      ingested.inc(0, { signal });
      ctx.app.post(`/api/v1/${signal}`, async (c) => {
        const format = recordFormat(c.req.header('content-type'));
        const coding = contentCoding(c.req.header('content-encoding'));
        const wire = await readBody(c, options.maxBodyBytes);
        const body = await inflateBody(wire, coding, options.maxBodyBytes);
        const items = parseRecords(body, format);
        try {
          const records = items.map((item, i) => spec.from(item, i));
          await spec.insert(ctx.db, records);
        } catch (error) {
          const code = (error as { code?: unknown }).code;
          rejected.inc(items.length, { signal, code: typeof code === 'string' ? code : 'internal' });
          throw error;
        }
        ingested.inc(items.length, { signal });
        return jsonResponse(c, { stored: items.length });
      });
    }
  },
};
