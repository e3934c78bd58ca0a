import { send } from './http-request.ts';
import type { SidecarProcess } from './sidecar-process.ts';

/** One JSON POST of a load round, and what to record when it is acknowledged. */
export interface JsonPost {
  path: string;
  body: unknown;
  /** Called once the sidecar answers 2xx (the rows are committed). */
  acked: () => void;
}

/**
 * Posts rounds of JSON bodies to a sidecar back to back until stopped; a request cut off by a kill -9 is simply
 * not acknowledged. `round` builds each round's requests.
 * @example const load = jsonPostLoop(sidecar, () => [{ path: '/api/v1/trades', body, acked: () => n++ }]); await load.stop();
 */
export function jsonPostLoop(
  sidecar: SidecarProcess,
  round: () => readonly JsonPost[],
): { stop(): Promise<void> } {
  let running = true;
  const loop = (async () => {
    while (running) {
      for (const post of round()) {
        try {
          const res = await send(`${sidecar.url}${post.path}`, {
            body: JSON.stringify(post.body),
            headers: { ...sidecar.authHeaders, 'content-type': 'application/json' },
            timeoutMs: 5000,
          });
          if (res.status < 300) post.acked();
        } catch {
          // The process was killed mid-request.
        }
      }
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
    },
  };
}
