import type { Agent } from 'node:http';
import { gzipSync } from 'node:zlib';
import { type ExportClient, exportClient } from '@duckside/testkit/otlp';
import { keepAliveAgent, send } from './http-request.ts';
import type { SeqBodyTemplate } from './seq-body-template.ts';

/** How a {@link SeqLoad} sends. */
export interface SeqLoadOptions {
  /** Base URL of the sidecar. */
  url: string;
  headers?: Record<string, string>;
  template: SeqBodyTemplate;
  /** Requests in flight at once (closed loop) or at most (open loop). */
  concurrency: number;
  /** Open loop: start this many requests per second regardless of answers (capped by `concurrency`). */
  requestsPerSecond?: number;
  /** Gzip the bodies. */
  gzip?: boolean;
  /** First sequence number (default 0): use disjoint ranges across loads that share a database. */
  firstSeq?: number;
  /** Per-request timeout (default 30 s). */
  timeoutMs?: number;
  /** Date the points this many milliseconds in the past (e.g. for retention to delete them). */
  ageMs?: number;
  /**
   * Send over OTLP/gRPC to this `host:port` instead of OTLP/HTTP (a real grpc-js channel; the bearer token of
   * `headers` goes as `authorization` metadata). Statuses are counted under their gRPC code names.
   */
  grpcAddress?: string;
}

/** What a load produced so far. */
export interface SeqLoadStats {
  sent: number;
  /** Responses by status code (gRPC: by code name). */
  statuses: Record<string, number>;
  /** Requests that failed without a response (refused, reset, timeout). */
  connectionErrors: number;
  /** Open loop: starts skipped because `concurrency` requests were already in flight. */
  skipped: number;
  ackedPoints: number;
  /** Sequence numbers offered (acknowledged or not). */
  offeredPoints: number;
  /** Requests with a `Retry-After` header among 429/503 answers. */
  retryAfter: number;
}

/**
 * Posts OTLP/protobuf bodies with unique sequence numbers to `/v1/metrics` and remembers which were
 * acknowledged (200), so that a test can check that every acknowledged point was stored.
 * @example
 * const load = new SeqLoad({ url: sidecar.url, headers: sidecar.authHeaders, template, concurrency: 4 });
 * load.start(); await sleep(2000); await load.stop();
 * load.ackedFirstSeqs; // first sequence number of every acknowledged request
 */
export class SeqLoad {
  /** First sequence number of every acknowledged request (each covers `template.points` numbers). */
  readonly ackedFirstSeqs: number[] = [];
  /** Latency of every answered request in milliseconds. */
  readonly latencies: number[] = [];
  private nextSeq: number;
  private running = false;
  private inFlight = 0;
  private readonly pending = new Set<Promise<void>>();
  private readonly agent: Agent;
  private readonly counts: SeqLoadStats = {
    sent: 0,
    statuses: {},
    connectionErrors: 0,
    skipped: 0,
    ackedPoints: 0,
    offeredPoints: 0,
    retryAfter: 0,
  };
  private ticker: NodeJS.Timeout | undefined;
  private loops: Promise<void>[] = [];
  private readonly grpc: ExportClient | undefined;

  constructor(private readonly options: SeqLoadOptions) {
    this.nextSeq = options.firstSeq ?? 0;
    this.agent = keepAliveAgent(options.concurrency);
    this.grpc = options.grpcAddress
      ? exportClient(
          options.grpcAddress,
          'metrics',
          options.gzip ? { 'grpc.default_compression_algorithm': 2 } : {},
        )
      : undefined;
  }

  /** The next unused sequence number (where a following load should start). */
  get seqEnd(): number {
    return this.nextSeq;
  }

  /** Starts sending. */
  start(): this {
    this.running = true;
    if (this.options.requestsPerSecond) this.startOpenLoop(this.options.requestsPerSecond);
    else this.loops = Array.from({ length: this.options.concurrency }, () => this.closedLoop());
    return this;
  }

  /** Stops starting requests and waits until those in flight are answered or failed. */
  async stop(): Promise<SeqLoadStats> {
    this.running = false;
    if (this.ticker) clearInterval(this.ticker);
    await Promise.all(this.loops);
    await Promise.all([...this.pending]);
    this.agent.destroy();
    this.grpc?.close();
    return this.stats();
  }

  /** A copy of the counters. */
  stats(): SeqLoadStats {
    return { ...this.counts, statuses: { ...this.counts.statuses } };
  }

  private async closedLoop(): Promise<void> {
    while (this.running) await this.sendOne();
  }

  private startOpenLoop(rate: number): void {
    const tickMs = 10;
    const started = performance.now();
    let launched = 0;
    this.ticker = setInterval(() => {
      const due = Math.floor(((performance.now() - started) / 1000) * rate) - launched;
      for (let i = 0; i < due; i++) {
        launched++;
        if (this.inFlight >= this.options.concurrency) {
          this.counts.skipped++;
          continue;
        }
        const p = this.sendOne();
        this.pending.add(p);
        void p.then(() => this.pending.delete(p));
      }
    }, tickMs);
  }

  private async sendOne(): Promise<void> {
    const { template } = this.options;
    const firstSeq = this.nextSeq;
    this.nextSeq += template.points;
    this.counts.offeredPoints += template.points;
    const raw = template.fill(firstSeq, BigInt(Date.now() - (this.options.ageMs ?? 0)) * 1_000_000n);
    this.inFlight++;
    this.counts.sent++;
    try {
      const answer = this.grpc ? await this.sendGrpc(this.grpc, raw) : await this.sendHttp(raw);
      this.counts.statuses[answer.status] = (this.counts.statuses[answer.status] ?? 0) + 1;
      this.latencies.push(answer.ms);
      if (answer.acked) {
        this.ackedFirstSeqs.push(firstSeq);
        this.counts.ackedPoints += template.points;
      } else if (answer.refused) {
        if (answer.retryAfter) this.counts.retryAfter++;
        // Closed loop: do not spin on refusals (the open loop keeps its schedule whatever the answers).
        if (!this.options.requestsPerSecond) await new Promise((r) => setTimeout(r, 10));
      }
    } catch {
      this.counts.connectionErrors++;
      // Closed loop: do not spin while the server is down.
      if (!this.options.requestsPerSecond) await new Promise((r) => setTimeout(r, 20));
    } finally {
      this.inFlight--;
    }
  }

  private async sendHttp(raw: Buffer): Promise<Answer> {
    const body = this.options.gzip ? gzipSync(raw) : raw;
    const headers: Record<string, string> = {
      'content-type': 'application/x-protobuf',
      ...this.options.headers,
      ...(this.options.gzip ? { 'content-encoding': 'gzip' } : {}),
    };
    const res = await send(`${this.options.url}/v1/metrics`, {
      body,
      headers,
      agent: this.agent,
      timeoutMs: this.options.timeoutMs ?? 30_000,
    });
    const refused = res.status === 429 || res.status === 503;
    return {
      status: res.status,
      ms: res.ms,
      acked: res.status === 200,
      refused,
      retryAfter: refused && res.headers['retry-after'] !== undefined,
    };
  }

  /** One export over gRPC; a server that is down (UNAVAILABLE without RetryInfo) counts as a connection error. */
  private async sendGrpc(client: ExportClient, raw: Buffer): Promise<Answer> {
    const t0 = performance.now();
    const outcome = await client.export(raw, this.options.headers ?? {});
    const ms = performance.now() - t0;
    if (outcome.ok) return { status: 'OK', ms, acked: true, refused: false, retryAfter: false };
    const refused = outcome.retryDelayMs !== undefined;
    if (!refused && outcome.code === UNAVAILABLE) throw new Error(outcome.details);
    return {
      status: GRPC_CODE_NAMES[outcome.code] ?? String(outcome.code),
      ms,
      acked: false,
      refused,
      retryAfter: refused,
    };
  }
}

/** What one request came back with. */
interface Answer {
  /** HTTP status, or the gRPC code's name. */
  status: number | string;
  ms: number;
  acked: boolean;
  /** Refused for overload (429/503, or a gRPC status carrying RetryInfo). */
  refused: boolean;
  retryAfter: boolean;
}

const UNAVAILABLE = 14;
const GRPC_CODE_NAMES: Record<number, string> = {
  3: 'INVALID_ARGUMENT',
  4: 'DEADLINE_EXCEEDED',
  8: 'RESOURCE_EXHAUSTED',
  13: 'INTERNAL',
  14: 'UNAVAILABLE',
  16: 'UNAUTHENTICATED',
};
