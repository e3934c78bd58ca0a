import { Agent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';

/** What an HTTP exchange produced. */
export interface HttpResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** Milliseconds from sending the request to the end of the response. */
  ms: number;
}

/** Options of {@link httpRequest}. */
export interface RequestOptions {
  method?: string;
  headers?: Record<string, string | number>;
  /** A buffer (sent with a Content-Length) or a stream (sent chunked unless a Content-Length header is given). */
  body?: Buffer | Uint8Array | string | Readable;
  agent?: Agent;
  /** Abort after this many milliseconds (default 30 s). */
  timeoutMs?: number;
  /** Stop reading the response body after this many bytes (default 1 MiB). */
  maxResponseBytes?: number;
}

/**
 * Sends one HTTP request with `node:http` (full control over bodies, chunking and headers) and reads the response.
 * Rejects on connection errors (refused, reset) and on timeout.
 * @example const res = await send('http://127.0.0.1:4318/healthz');
 */
export function send(url: string, options: RequestOptions = {}): Promise<HttpResponse> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const body = options.body;
    const headers: Record<string, string | number> = { ...options.headers };
    if (body !== undefined && !isStream(body) && headers['content-length'] === undefined) {
      headers['content-length'] = Buffer.byteLength(body);
    }
    const req = httpRequest(url, {
      method: options.method ?? (body === undefined ? 'GET' : 'POST'),
      headers,
      agent: options.agent,
      timeout: options.timeoutMs ?? 30_000,
    });
    const limit = options.maxResponseBytes ?? 1024 * 1024;
    let answered = false;
    req.on('timeout', () =>
      req.destroy(new Error(`request timed out after ${options.timeoutMs ?? 30_000} ms`)),
    );
    // A server may answer (e.g. 413) before it has read the whole body and then close the connection: once a
    // response has started, errors of the request side no longer matter.
    req.on('error', (error) => {
      if (!answered) reject(error);
    });
    req.on('response', (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      let size = 0;
      const done = () => {
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks),
          ms: performance.now() - started,
        });
        // Stop uploading the rest of a streamed body the server has already refused.
        if (isStream(body)) {
          req.destroy();
          body.destroy();
        }
      };
      res.on('data', (chunk: Buffer) => {
        if (size < limit) chunks.push(chunk);
        size += chunk.length;
      });
      res.on('end', done);
      res.on('close', done);
      res.on('error', done);
    });
    if (body === undefined) req.end();
    else if (isStream(body)) {
      body.on('error', (error) => req.destroy(error));
      body.pipe(req);
    } else req.end(body);
  });
}

/** A keep-alive agent for load loops (one per load generator). */
export function keepAliveAgent(maxSockets = 16): Agent {
  return new Agent({ keepAlive: true, maxSockets });
}

function isStream(body: unknown): body is Readable {
  return typeof (body as Readable | undefined)?.pipe === 'function';
}
