import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

/** One request the recorder received (body gunzipped when it was gzip). */
export interface RecordedRequest {
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** The body as it came over the wire (still gzip when it was). */
  wire: Buffer;
  /** `performance.now()` at arrival. */
  atMs: number;
}

/** A real HTTP server on 127.0.0.1 that records every request and answers as `reply` says. */
export interface UpstreamRecorder {
  /** `http://127.0.0.1:<port>` */
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/**
 * Starts a recording OTLP/HTTP upstream on `port` (default a free one); `reply` decides each answer (default 200
 * with an empty JSON body).
 * @example
 * const up = await startUpstreamRecorder((req, res, n) => n === 0 ? res.writeHead(503, { 'retry-after': '1' }).end() : res.end());
 */
export async function startUpstreamRecorder(
  reply: (request: RecordedRequest, res: ServerResponse, index: number) => void = (_r, res) => {
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  },
  port = 0,
): Promise<UpstreamRecorder> {
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const body = req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw;
      const recorded = {
        path: req.url ?? '',
        headers: req.headers,
        body,
        wire: raw,
        atMs: performance.now(),
      };
      requests.push(recorded);
      reply(recorded, res, requests.length - 1);
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const bound = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${bound}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
