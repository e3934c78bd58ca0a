import { join } from 'node:path';
import type { CommittedExport, Logger } from '../../plugin-api/plugin.ts';
import { ExportFilter } from './export-filter.ts';
import type { ForwardCounters, UpstreamGauges } from './forward-metrics.ts';
import type { ForwardOptions, UpstreamOptions } from './forward-options.ts';
import type { QueueRecord } from './queue-record.ts';
import { SegmentQueue } from './segment-queue.ts';
import { UpstreamSender } from './upstream-sender.ts';
import { upstreamId, upstreamUrls } from './upstream-url.ts';

/**
 * One upstream: its filter, its on-disk queue (`<queueDir>/<id>/`) and its sender.
 * @example
 * const f = await UpstreamForwarder.open(upstream, options, queueDir, counters, logger);
 * await f.enqueue(request); f.start(); await f.stop();
 */
export class UpstreamForwarder implements UpstreamGauges {
  private constructor(
    readonly id: string,
    private readonly filter: ExportFilter,
    private readonly queue: SegmentQueue,
    private readonly sender: UpstreamSender,
    private readonly counters: ForwardCounters,
    private readonly logger: Logger,
    /** Whether the upstream is sent gzip (then gzip bodies are queued as received). */
    private readonly gzipUpstream: boolean,
  ) {}

  /** Opens the upstream's queue (resuming what an earlier run left) and builds its sender. */
  static async open(
    upstream: UpstreamOptions,
    options: ForwardOptions,
    queueDir: string,
    counters: ForwardCounters,
    logger: Logger,
  ): Promise<UpstreamForwarder> {
    const urls = upstreamUrls(upstream.url);
    const id = upstream.id ?? upstreamId(urls.metrics);
    const queue = await SegmentQueue.open({
      dir: join(queueDir, id),
      maxBytes: options.queueMaxBytes,
      segmentBytes: Math.min(options.segmentBytes, options.queueMaxBytes),
    });
    const sender = new UpstreamSender(
      {
        id,
        urls,
        headers: { ...options.headers, ...upstream.headers },
        gzip: upstream.gzip,
        maxBatchBytes: options.maxBatchBytes,
        timeoutMs: options.timeoutMs,
        initialBackoffMs: options.initialBackoffMs,
        maxBackoffMs: options.maxBackoffMs,
        maxRetryAfterMs: options.maxRetryAfterMs,
      },
      queue,
      counters,
      logger,
    );
    logger.info('forwarding otlp', {
      upstream: id,
      metrics: urls.metrics,
      logs: urls.logs,
      queued: queue.queuedBytes,
    });
    return new UpstreamForwarder(
      id,
      new ExportFilter(upstream),
      queue,
      sender,
      counters,
      logger,
      upstream.gzip,
    );
  }

  get queuedBytes(): number {
    return this.queue.queuedBytes;
  }

  get lagSeconds(): number {
    return this.sender.lagSeconds;
  }

  /**
   * Queues what the filter keeps of a committed request; resolves once it is on disk. Never throws: a full
   * queue or a failed write drops the request for this upstream and counts it.
   */
  async enqueue(request: CommittedExport): Promise<void> {
    const labels = { upstream: this.id, signal: request.signal };
    const body = this.filter.apply(request);
    if (body === undefined) {
      this.counters.filtered.inc(1, labels);
      return;
    }
    // Kept whole and the client sent it gzipped: queue those bytes (a tenth of the size, and no gzip to send).
    const asSent = body === request.body && request.gzipBody !== undefined && this.gzipUpstream;
    const record: QueueRecord = {
      signal: request.signal,
      encoding: request.encoding,
      body: asSent ? (request.gzipBody as Uint8Array) : body,
      ...(asSent ? { gzip: true } : {}),
      enqueuedAtMs: Date.now(),
    };
    let reason: string;
    try {
      if (await this.queue.append(record)) {
        this.counters.queued.inc(1, labels);
        return;
      }
      reason = 'queue_full';
    } catch (error) {
      reason = 'queue_error';
      this.logger.error('forward queue write failed; request not forwarded', { upstream: this.id, error });
    }
    this.counters.dropped.inc(1, { upstream: this.id, reason });
    this.counters.droppedBytes.inc(body.byteLength, { upstream: this.id, reason });
  }

  /** Starts delivering. */
  start(): void {
    this.sender.start();
  }

  /** Stops delivering and closes the queue (what is not delivered stays on disk for the next start). */
  async stop(): Promise<void> {
    await this.sender.stop();
    await this.queue.close();
  }
}
