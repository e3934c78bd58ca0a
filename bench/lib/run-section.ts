import { fork } from 'node:child_process';
import type { BenchOptions, BenchSection } from '../bench-section.ts';

/**
 * Runs a section module (`file`, relative to `bench/`) in a child process with the parent's Node flags (tsx,
 * `--conditions=source`) and resolves with its section. Run in-process, a section inherited the heap and the
 * JIT feedback of the sections before it: the decoders measured 35-40% less after the core section than alone.
 * @throws Error when the child fails or exits without a section
 * @example const section = await runSectionInChild('./otlp-decode.ts', { quick: false });
 */
export function runSectionInChild(file: string, options: BenchOptions): Promise<BenchSection> {
  return new Promise((resolve, reject) => {
    const child = fork(new URL('../section-child.ts', import.meta.url), [file, JSON.stringify(options)], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let section: BenchSection | undefined;
    child.on('message', (message) => {
      section = message as BenchSection;
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (section) resolve(section);
      else
        reject(
          new Error(`${file} exited with ${signal ?? `code ${code}`} before reporting (see its stderr)`),
        );
    });
  });
}
