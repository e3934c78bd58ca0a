import { connect } from 'node:net';

/** What the server did with a raw upload. */
export interface RawUploadResult {
  /** Status of the response line, 0 when none arrived. */
  status: number;
  /** The response as text (headers and the start of the body). */
  response: string;
  /** Milliseconds from connecting to the first response byte (or to the close without one). */
  ms: number;
  /** Body bytes the client managed to write before the server answered or closed. */
  bodyBytesWritten: number;
}

/**
 * Uploads `totalBytes` of `fill` bytes over a plain TCP socket, chunked or with the given `Content-Length`, and
 * keeps writing until the server answers or closes (up to `timeoutMs`). A raw socket sees a response the server
 * sends before reading the whole body, which Node's HTTP client may lose to EPIPE when the server then closes.
 * @example const r = await rawUpload({ port, path: '/v1/metrics', headers: { 'content-type': 'application/json' }, totalBytes: 2 ** 28 });
 */
export function rawUpload(options: {
  port: number;
  path: string;
  headers: Record<string, string>;
  totalBytes: number;
  /** Send this Content-Length instead of chunked encoding. */
  contentLength?: number;
  fill?: number;
  timeoutMs?: number;
}): Promise<RawUploadResult> {
  const started = performance.now();
  const chunk = Buffer.alloc(64 * 1024, options.fill ?? 0x20);
  const chunked = options.contentLength === undefined;
  const frame = chunked
    ? Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')])
    : chunk;
  return new Promise((resolve) => {
    const socket = connect(options.port, '127.0.0.1');
    let response = '';
    let firstByteMs = 0;
    let written = 0;
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      socket.destroy();
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(response)?.[1] ?? 0);
      resolve({
        status,
        response,
        ms: firstByteMs || performance.now() - started,
        bodyBytesWritten: written,
      });
    };
    const timer = setTimeout(finish, options.timeoutMs ?? 10_000);
    socket.on('data', (data) => {
      if (!firstByteMs) firstByteMs = performance.now() - started;
      response += data.toString('latin1');
      if (/\r\n\r\n/.test(response)) setTimeout(finish, 50);
    });
    socket.on('error', () => undefined);
    socket.on('close', finish);
    const head = Object.entries({
      host: '127.0.0.1',
      ...options.headers,
      ...(chunked ? { 'transfer-encoding': 'chunked' } : { 'content-length': String(options.contentLength) }),
    })
      .map(([k, v]) => `${k}: ${v}\r\n`)
      .join('');
    socket.write(`POST ${options.path} HTTP/1.1\r\n${head}\r\n`);
    const pump = () => {
      while (!finished && written < options.totalBytes) {
        written += chunk.length;
        if (!socket.write(frame)) {
          socket.once('drain', pump);
          return;
        }
      }
      if (!finished && chunked) socket.write('0\r\n\r\n');
    };
    pump();
  });
}
