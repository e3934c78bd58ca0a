import type { DuckDBConnection } from '@duckdb/node-api';
import {
  ClosedError,
  DatabaseError,
  OverloadedError,
  ValidationError,
  WriteError,
} from '../errors/errors.ts';
import type { CommitFigures, CoreTelemetry } from '../telemetry/core-telemetry.ts';
import { type ColumnarTable, estimateBytes } from './columnar-table.ts';
import { TableWriter } from './table-writer.ts';

/** Runs `fn` on a pooled connection (provided by the database). */
export type ConnectionRunner = <T>(fn: (connection: DuckDBConnection) => Promise<T>) => Promise<T>;

/**
 * Told of each commit just before it (with the round's rows by table, or undefined for an `exclusive` job, which
 * may write anything); the function it returns is called once that commit has happened or failed, before any
 * caller is told. Lets readers that cache what writes change (e.g. series lookups) step aside meanwhile.
 */
export type CommitGuard = (rowsByTable: ReadonlyMap<string, number> | undefined) => (() => void) | undefined;

/** Queue bounds of the group-commit writer. */
export interface WriterOptions {
  /** Most bytes waiting to be written before writes are refused with `OverloadedError` (default 64 MiB). */
  maxQueueBytes?: number;
  /** Most bytes one commit round takes from the queue (default 8 MiB; a larger single write still goes alone). */
  maxRoundBytes?: number;
}

/** Figures of the writer for monitoring. */
export interface WriterStats {
  queuedBytes: number;
  queuedJobs: number;
  commits: number;
  /** Rows handed to the tables, `metric_series` rows included (before duplicates are dropped). */
  rowsWritten: number;
  failedJobs: number;
}

interface Job {
  tables: ColumnarTable[];
  /** A job that writes by itself inside its own round's transaction (see `writeWith`). */
  writeIn?: (writer: TableWriter) => Promise<void>;
  /** A job that runs alone and outside any transaction of the writer (see `exclusive`). */
  outside?: (connection: DuckDBConnection) => Promise<void>;
  bytes: number;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Coalesces writes from concurrent callers into one commit per round (group commit), with one appender flush
 * per table (see {@link TableWriter}).
 * A write's promise settles only after the transaction holding its rows has committed. When a round fails,
 * its jobs are retried one by one so that one bad write cannot fail the others.
 * @example await writer.write([candleTable]);
 */
export class GroupCommitWriter {
  private queue: Job[] = [];
  private queuedBytes = 0;
  private running: Promise<void> | undefined;
  private closed = false;
  private commits = 0;
  private rowsWritten = 0;
  private failedJobs = 0;
  private readonly maxQueueBytes: number;
  private readonly maxRoundBytes: number;

  /** @param guard told of each commit before it happens (see {@link CommitGuard}) */
  constructor(
    private readonly run: ConnectionRunner,
    options: WriterOptions = {},
    private readonly telemetry?: CoreTelemetry,
    private readonly guard?: CommitGuard,
  ) {
    this.maxQueueBytes = options.maxQueueBytes ?? 64 * 1024 * 1024;
    this.maxRoundBytes = options.maxRoundBytes ?? 8 * 1024 * 1024;
  }

  /**
   * Queues tables for the next commit round and resolves once they are committed.
   * @throws OverloadedError at once when the queue is full; ClosedError after close.
   */
  write(tables: readonly ColumnarTable[]): Promise<void> {
    if (this.closed) return Promise.reject(new ClosedError('the writer is closed'));
    const nonEmpty = tables.filter((t) => t.length > 0);
    if (nonEmpty.length === 0) return Promise.resolve();
    const bytes = nonEmpty.reduce((sum, t) => sum + estimateBytes(t), 0);
    if (this.queue.length > 0 && this.queuedBytes + bytes > this.maxQueueBytes) {
      return Promise.reject(
        new OverloadedError(`write queue is full (${this.queuedBytes} of ${this.maxQueueBytes} bytes)`),
      );
    }
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ tables: nonEmpty, bytes, resolve, reject });
      this.queuedBytes += bytes;
      this.kick();
    });
  }

  /**
   * Queues a job that writes tables itself (e.g. producing its rows as it goes) through the round's
   * {@link TableWriter}. It runs alone in its own round, in turn with the other writes (so it never races
   * them), and resolves once that transaction has committed.
   * @throws ClosedError after close.
   */
  writeWith(writeIn: (writer: TableWriter) => Promise<void>): Promise<void> {
    if (this.closed) return Promise.reject(new ClosedError('the writer is closed'));
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ tables: [], writeIn, bytes: 0, resolve, reject });
      this.kick();
    });
  }

  /**
   * Runs `fn` on a connection in turn with the writes, while none of them is in flight (e.g. a `CHECKPOINT`, which
   * DuckDB skips while another write transaction is open). `fn` manages its own transactions.
   * @throws ClosedError after close; whatever `fn` throws.
   * @example await writer.exclusive((c) => c.run('CHECKPOINT'));
   */
  exclusive(fn: (connection: DuckDBConnection) => Promise<void>): Promise<void> {
    if (this.closed) return Promise.reject(new ClosedError('the writer is closed'));
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ tables: [], outside: fn, bytes: 0, resolve, reject });
      this.kick();
    });
  }

  /** Resolves when everything queued so far is committed (or failed). */
  async flush(): Promise<void> {
    while (this.running) await this.running;
  }

  /** Flushes, then refuses further writes. */
  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
  }

  /** Current figures. */
  stats(): WriterStats {
    return {
      queuedBytes: this.queuedBytes,
      queuedJobs: this.queue.length,
      commits: this.commits,
      rowsWritten: this.rowsWritten,
      failedJobs: this.failedJobs,
    };
  }

  private kick(): void {
    if (this.running) return;
    this.running = this.drain().finally(() => {
      this.running = undefined;
      if (this.queue.length > 0) this.kick();
    });
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const jobs = this.takeRound();
      const outside = jobs[0]?.outside;
      if (outside) {
        const settled = this.guard?.(undefined);
        await this.run(outside).then(
          () => {
            settled?.();
            jobs[0]?.resolve();
          },
          (error: unknown) => {
            settled?.();
            jobs[0]?.reject(error);
          },
        );
        continue;
      }
      try {
        await this.commitRound(jobs);
        for (const job of jobs) job.resolve();
      } catch (error) {
        if (jobs.length === 1) this.fail(jobs[0]!, error);
        else await this.retryOneByOne(jobs);
      }
    }
  }

  /**
   * Takes queued jobs for one commit round: at least one, then more while the round stays under its byte budget.
   * A `writeWith` or `exclusive` job always goes alone.
   */
  private takeRound(): Job[] {
    let bytes = 0;
    let count = 0;
    while (count < this.queue.length) {
      const job = this.queue[count] as Job;
      const alone = job.writeIn !== undefined || job.outside !== undefined;
      if (count > 0 && (bytes + job.bytes > this.maxRoundBytes || alone)) break;
      bytes += job.bytes;
      count++;
      if (alone) break;
    }
    const jobs = this.queue.splice(0, count);
    this.queuedBytes -= bytes;
    return jobs;
  }

  private async retryOneByOne(jobs: Job[]): Promise<void> {
    for (const job of jobs) {
      try {
        await this.commitRound([job]);
        job.resolve();
      } catch (error) {
        this.fail(job, error);
      }
    }
  }

  private fail(job: Job, error: unknown): void {
    this.failedJobs++;
    job.reject(classifyWriteError(error));
  }

  private async commitRound(jobs: Job[]): Promise<void> {
    const round = () => this.run((connection) => commitJobs(connection, jobs, this.guard));
    const figures = await (this.telemetry ? this.telemetry.commit(round) : round());
    this.commits++;
    for (const n of figures.rowsByTable.values()) this.rowsWritten += n;
  }
}

/** Writes the jobs' tables in one transaction and commits it; rolls back on failure. */
async function commitJobs(
  connection: DuckDBConnection,
  jobs: readonly Job[],
  guard: CommitGuard | undefined,
): Promise<CommitFigures> {
  await connection.run('BEGIN TRANSACTION');
  const tables = new TableWriter(connection);
  let settled: (() => void) | undefined;
  try {
    for (const job of jobs) {
      if (job.writeIn) await job.writeIn(tables);
      for (const table of job.tables) await tables.write(table);
    }
    await tables.finish();
    settled = guard?.(tables.rowsByTable);
    await connection.run('COMMIT');
    return { rowsByTable: tables.rowsByTable, jobs: jobs.length };
  } catch (error) {
    tables.abandon();
    await connection.run('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    settled?.();
  }
}

/** Maps a driver error from a write to a Duckside error: bad data is a validation error, the rest retryable. */
function classifyWriteError(error: unknown): DatabaseError {
  if (error instanceof DatabaseError) return error;
  const text = String((error as Error)?.message ?? error);
  // The appender reports constraint violations as `Failed to append: NOT NULL constraint failed: ...`.
  if (/^(Constraint|Conversion|Invalid Input) Error|constraint failed/i.test(text)) {
    return new ValidationError('row', 'the data violates a table constraint or type', { cause: error });
  }
  return new WriteError('the write could not be committed; nothing of it was stored', { cause: error });
}
