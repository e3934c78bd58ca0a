import { keepAliveAgent, send } from './http-request.ts';

/**
 * Polls a URL every `everyMs` over its own keep-alive connection and records each answer's latency; failures
 * (no answer within `timeoutMs`, connection errors, non-2xx) are counted. A stand-in for the server's event-loop
 * lag: a cheap route answers late only when the loop (or the machine) is busy.
 * @example const probe = new LatencyProbe(`${url}/healthz`).start(); ...; await probe.stop();
 */
export class LatencyProbe {
  readonly latencies: number[] = [];
  failures = 0;
  private running = false;
  private loop: Promise<void> | undefined;
  private readonly agent = keepAliveAgent(1);

  constructor(
    private readonly url: string,
    private readonly headers: Record<string, string> = {},
    private readonly everyMs = 20,
    private readonly timeoutMs = 5000,
  ) {}

  start(): this {
    this.running = true;
    this.loop = this.run();
    return this;
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
    this.agent.destroy();
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        const res = await send(this.url, {
          headers: this.headers,
          agent: this.agent,
          timeoutMs: this.timeoutMs,
        });
        if (res.status >= 200 && res.status < 300) this.latencies.push(res.ms);
        else this.failures++;
      } catch {
        this.failures++;
      }
      await new Promise((r) => setTimeout(r, this.everyMs));
    }
  }
}
