import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { SidecarProcess } from './sidecar-process.ts';

/** Node flags that load the event-loop monitor into the sidecar process. */
export const LAG_MONITOR_ARGS = [
  '--import',
  fileURLToPath(new URL('./event-loop-monitor.ts', import.meta.url)),
];

/** Event-loop delay of the server process over a window, in milliseconds. */
export interface LagFigures {
  count: number;
  p50: number;
  p99: number;
  max: number;
}

/**
 * Reads the server process's event-loop delay over a window: `begin()` opens it, `end()` closes it and returns
 * its figures. The sidecar must run with {@link LAG_MONITOR_ARGS} and `DUCKSIDE_LAG_FILE=file`.
 * @example
 * const lag = new EventLoopLag(sidecar, file); lag.begin(); ...; const { p99 } = await lag.end();
 */
export class EventLoopLag {
  constructor(
    private readonly sidecar: SidecarProcess,
    private readonly file: string,
  ) {}

  /** Starts a new window (discards what was measured before, e.g. start-up). */
  begin(): void {
    process.kill(this.sidecar.serverPid(), 'SIGUSR2');
  }

  /** Ends the window and returns its figures. */
  async end(): Promise<LagFigures> {
    const pid = this.sidecar.serverPid();
    const before = this.lines(pid).length;
    process.kill(pid, 'SIGUSR2');
    for (let i = 0; i < 200; i++) {
      const lines = this.lines(pid);
      if (lines.length > before) return lines[lines.length - 1] as LagFigures;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(
      `the event-loop monitor of process ${pid} did not answer (is ${LAG_MONITOR_ARGS[1]} loaded?)`,
    );
  }

  private lines(pid: number): Array<LagFigures & { pid: number }> {
    if (!existsSync(this.file)) return [];
    return readFileSync(this.file, 'utf8')
      .split('\n')
      .filter((l) => l.length > 0)
      .map((l) => JSON.parse(l) as LagFigures & { pid: number })
      .filter((l) => l.pid === pid);
  }
}
