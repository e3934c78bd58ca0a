import type { Readable } from 'node:stream';
import type { Context } from 'hono';
import { BodyTooLargeError, MalformedBodyError } from '../plugin-api/errors.ts';

/**
 * Reads a request body into one buffer, refusing it as soon as it grows past `limit` bytes (whatever the
 * `Content-Length` says, chunked bodies included). Reads the Node request stream directly when the app runs
 * on `@hono/node-server`, the Fetch body otherwise.
 * @throws BodyTooLargeError over the limit; MalformedBodyError when the client aborts mid-body.
 * @example const body = await readBody(c, 16 * 1024 * 1024);
 */
export async function readBody(c: Context, limit: number): Promise<Buffer> {
  const declared = Number(c.req.header('content-length'));
  if (declared > limit) throw new BodyTooLargeError(limit);
  const incoming = (c.env as { incoming?: Readable } | undefined)?.incoming;
  if (incoming && typeof incoming.on === 'function' && !incoming.readableDidRead) {
    return readNodeStream(incoming, limit);
  }
  const body = c.req.raw.body;
  return body ? readWebStream(body, limit) : Buffer.alloc(0);
}

function readNodeStream(incoming: Readable, limit: number): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = () => {
      incoming.off('data', onData);
      incoming.off('end', onEnd);
      incoming.off('error', onError);
      incoming.off('close', onClose);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        incoming.pause();
        reject(new BodyTooLargeError(limit));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    };
    const onError = (error: Error) => {
      cleanup();
      reject(new MalformedBodyError('the request body could not be read', { cause: error }));
    };
    const onClose = () => {
      if (incoming.readableEnded) return;
      cleanup();
      reject(new MalformedBodyError('the client closed the connection before sending the whole body'));
    };
    incoming.on('data', onData);
    incoming.on('end', onEnd);
    incoming.on('error', onError);
    incoming.on('close', onClose);
  });
}

async function readWebStream(body: ReadableStream<Uint8Array>, limit: number): Promise<Buffer> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > limit) {
        reader.cancel().catch(() => undefined);
        throw new BodyTooLargeError(limit);
      }
      chunks.push(value);
    }
  } catch (error) {
    if (error instanceof BodyTooLargeError) throw error;
    throw new MalformedBodyError('the request body could not be read', { cause: error });
  }
  return Buffer.concat(chunks, size);
}
