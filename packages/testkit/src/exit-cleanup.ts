/** A synchronous cleanup step run when the process exits (normally, by `process.exit`, or on SIGINT/SIGTERM/SIGHUP). */
export type CleanupStep = () => void;

const steps = new Set<CleanupStep>();
let installed = false;

/**
 * Registers `step` to run once at process exit; returns a function that unregisters it (call it once the
 * resource was released normally). Steps must be synchronous and must not throw.
 * @example const forget = onExit(() => rmSync(dir, { recursive: true, force: true }));
 */
export function onExit(step: CleanupStep): () => void {
  install();
  steps.add(step);
  return () => steps.delete(step);
}

function runAll(): void {
  for (const step of [...steps].reverse()) {
    steps.delete(step);
    try {
      step();
    } catch {
      // Best effort: the process is going away.
    }
  }
}

function install(): void {
  if (installed) return;
  installed = true;
  process.on('exit', runAll);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      runAll();
      // Re-raise with the default handler now that ours is gone, so the exit status stays the signal's.
      process.kill(process.pid, signal);
    });
  }
}
