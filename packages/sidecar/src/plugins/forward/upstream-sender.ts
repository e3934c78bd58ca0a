import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { Logger } from '../../plugin-api/plugin.ts';
import type { ForwardCounters } from './forward-metrics.ts';
import { joinJsonRequests, resourceItemsText } from './json-batch.ts';
import { plainBytes, type QueueRecord } from './queue-record.ts';
import { retryAfterMs } from './retry-after.ts';
import type { QueueEntry, SegmentQueue } from './segment-queue.ts';
import { endpointOf, type UpstreamUrls } from './upstream-url.ts';

const gzipAsync = promisify(gzip);

/** How an {@link UpstreamSender} delivers. */
export interface UpstreamSenderOptions {
  id: string;
  urls: UpstreamUrls;
  headers: Readonly<Record<string, string>>;
  gzip: boolean;
  maxBatchBytes: number;
  timeoutMs: number;
  initialBackoffMs: number;
  maxBackoffMs: number;
  maxRetryAfterMs: number;
}

type Outcome =
  | { kind: 'sent' }
  | { kind: 'retry'; reason: string; delayMs?: number }
  | { kind: 'rejected'; status: number };

/** Records sent as one request; for OTLP/JSON, each record's resource items (see {@link resourceItemsText}). */
type Batch = { entries: QueueEntry[]; json?: Array<string | undefined> };

const CONTENT_TYPES = { protobuf: 'application/x-protobuf', json: 'application/json' } as const;

/**
 * Delivers one upstream's queue in order, one request at a time: records of one signal and encoding queued back
 * to back go as one request (concatenated `Export*ServiceRequest` messages are one message whose resources are
 * the union; OTLP/JSON requests are joined by their resource arrays). Network errors, 408, 429 and 5xx are retried with exponential backoff
 * (or after `Retry-After`, when given) until they succeed; any other 4xx is permanent: the request is dropped
 * and counted (a rejected batch is first retried record by record, so one bad request drops only itself). The
 * cursor moves only after the upstream answered.
 * @example const sender = new UpstreamSender(options, queue, counters, logger); sender.start(); await sender.stop();
 */
export class UpstreamSender {
  private readonly abort = new AbortController();
  private loop: Promise<void> | undefined;
  private held: QueueEntry | undefined;
  private headEnqueuedAtMs: number | undefined;

  constructor(
    private readonly options: UpstreamSenderOptions,
    private readonly queue: SegmentQueue,
    private readonly counters: ForwardCounters,
    private readonly logger: Logger,
  ) {}

  /** Age of the oldest request not yet delivered, in seconds (0 when none waits). */
  get lagSeconds(): number {
    return this.headEnqueuedAtMs === undefined ? 0 : Math.max(0, (Date.now() - this.headEnqueuedAtMs) / 1000);
  }

  /** Starts delivering. */
  start(): void {
    this.loop ??= this.run().catch((error: unknown) => {
      if (!this.abort.signal.aborted)
        this.logger.error('forwarding stopped', { upstream: this.options.id, error });
    });
  }

  /** Stops: aborts the request in flight and any wait (the undelivered records stay queued). */
  async stop(): Promise<void> {
    this.abort.abort(new Error('forwarding stopped'));
    await this.loop;
  }

  private async run(): Promise<void> {
    const signal = this.abort.signal;
    while (!signal.aborted) {
      const batch = await this.untilDone('read', () => this.nextBatch());
      this.headEnqueuedAtMs = batch.entries[0]?.record.enqueuedAtMs;
      await this.deliver(batch, true);
      const last = batch.entries[batch.entries.length - 1] as QueueEntry;
      await this.untilDone('cursor write', () => this.queue.commit(last.end));
      if (this.held === undefined && !this.queue.readable) this.headEnqueuedAtMs = undefined;
    }
  }

  /** Runs a queue step until it succeeds (a disk error is logged and retried after the longest backoff). */
  private async untilDone<T>(what: string, step: () => Promise<T>): Promise<T> {
    for (;;) {
      try {
        return await step();
      } catch (error) {
        this.abort.signal.throwIfAborted();
        this.logger.error(`forward queue ${what} failed; retrying`, { upstream: this.options.id, error });
        await sleep(this.options.maxBackoffMs, this.abort.signal);
      }
    }
  }

  /**
   * The next request's records: one, or records of one signal and encoding (and compression) queued back to
   * back, up to `maxBatchBytes` uncompressed (protobuf messages concatenate, and so do the gzip members of
   * protobuf bodies queued as received; OTLP/JSON requests are joined by their resource arrays, when they hold
   * nothing else).
   */
  private async nextBatch(): Promise<Batch> {
    const corrupt = (bytes: number) => {
      this.counters.dropped.inc(1, { upstream: this.options.id, reason: 'corrupt' });
      this.counters.droppedBytes.inc(bytes, { upstream: this.options.id, reason: 'corrupt' });
      this.logger.error('forward queue: damaged record skipped', { upstream: this.options.id, bytes });
    };
    const first = this.held ?? (await this.queue.next(this.abort.signal, corrupt));
    this.held = undefined;
    const { signal, encoding, gzip = false } = first.record;
    // gzip JSON goes as it came (joining JSON needs its text); gzip protobuf members concatenate like messages.
    if (gzip && encoding === 'json') return { entries: [first] };
    const json = encoding === 'json' ? [resourceItemsText(first.record.body, signal)] : undefined;
    const batch: Batch = { entries: [first], json };
    if (json?.[0] === undefined && encoding === 'json') return batch;
    let bytes = plainBytes(first.record);
    while (this.queue.readable && bytes < this.options.maxBatchBytes) {
      const entry = await this.queue.next(this.abort.signal, corrupt);
      const r = entry.record;
      const items =
        r.encoding === 'json' && r.signal === signal && !r.gzip
          ? resourceItemsText(r.body, signal)
          : undefined;
      const fits = bytes + plainBytes(r) <= this.options.maxBatchBytes;
      const alike = r.encoding === encoding && r.signal === signal && (r.gzip ?? false) === gzip;
      if (!alike || !fits || (json && items === undefined)) {
        this.held = entry;
        break;
      }
      batch.entries.push(entry);
      json?.push(items);
      bytes += plainBytes(r);
    }
    return batch;
  }

  /** Delivers records as one request, retrying until it is accepted or permanently refused. */
  private async deliver(request: Batch, split: boolean): Promise<void> {
    const batch = request.entries;
    const first = batch[0]?.record as QueueRecord;
    const body =
      batch.length === 1
        ? first.body
        : request.json
          ? joinJsonRequests(request.json as string[], first.signal)
          : Buffer.concat(batch.map((e) => e.record.body));
    // A gzip record's bytes (or members, concatenated) are sent as they are; gzip records exist only when gzip is on.
    const payload = first.gzip ? body : this.options.gzip ? await gzipAsync(body, { level: 1 }) : body;
    const upstream = this.options.id;
    for (let attempt = 0; ; attempt++) {
      const outcome = await this.post(first, payload);
      if (outcome.kind === 'sent') {
        this.counters.sent.inc(batch.length, { upstream, signal: first.signal });
        return;
      }
      if (outcome.kind === 'rejected') {
        if (split && batch.length > 1) {
          for (const entry of batch) await this.deliver({ entries: [entry] }, false);
          return;
        }
        this.counters.dropped.inc(batch.length, { upstream, reason: 'rejected' });
        this.counters.droppedBytes.inc(body.byteLength, { upstream, reason: 'rejected' });
        this.logger.warn('upstream refused a request; dropped', {
          upstream,
          status: outcome.status,
          bytes: body.byteLength,
        });
        return;
      }
      this.counters.retries.inc(1, { upstream, reason: outcome.reason });
      const backoff = Math.min(
        this.options.maxBackoffMs,
        this.options.initialBackoffMs * 2 ** Math.min(attempt, 30),
      );
      const delay = Math.min(
        this.options.maxRetryAfterMs,
        outcome.delayMs ?? backoff * (0.8 + 0.4 * Math.random()),
      );
      if (attempt === 0 || attempt % 10 === 0) {
        this.logger.warn('upstream unavailable; retrying', {
          upstream,
          reason: outcome.reason,
          attempt,
          delayMs: Math.round(delay),
        });
      }
      await sleep(delay, this.abort.signal);
    }
  }

  /** One attempt with `payload` (gzipped already when `gzip` is on). */
  private async post(record: QueueRecord, payload: Uint8Array): Promise<Outcome> {
    const headers: Record<string, string> = {
      ...this.options.headers,
      'content-type': CONTENT_TYPES[record.encoding],
      ...(this.options.gzip ? { 'content-encoding': 'gzip' } : {}),
    };
    let res: Response;
    try {
      res = await fetch(endpointOf(this.options.urls, record.signal), {
        method: 'POST',
        headers,
        body: payload,
        signal: AbortSignal.any([this.abort.signal, AbortSignal.timeout(this.options.timeoutMs)]),
      });
      await res.arrayBuffer();
    } catch (error) {
      this.abort.signal.throwIfAborted();
      return {
        kind: 'retry',
        reason: error instanceof Error && error.name === 'TimeoutError' ? 'timeout' : 'network',
      };
    }
    if (res.ok) return { kind: 'sent' };
    const retryable = res.status === 408 || res.status === 429 || res.status >= 500;
    if (!retryable) return { kind: 'rejected', status: res.status };
    const delayMs = retryAfterMs(res.headers.get('retry-after'));
    return { kind: 'retry', reason: String(res.status), ...(delayMs === undefined ? {} : { delayMs }) };
  }
}

/** Resolves after `ms`, or rejects with the abort reason. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    signal.throwIfAborted();
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
