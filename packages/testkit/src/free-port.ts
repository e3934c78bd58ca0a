import { createServer } from 'node:net';

/**
 * Asks the OS for a TCP port that is free right now on `host` (default 127.0.0.1). Another process may take it
 * before you bind it: callers that can should retry on `EADDRINUSE`.
 * @example const port = await freePort();
 */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('no port was assigned'))));
    });
  });
}
