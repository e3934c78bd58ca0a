import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { onExit } from '@duckside/testkit';

/** A small tmpfs mounted for a test, with helpers to fill and free it. */
export interface SmallDisk extends AsyncDisposable {
  readonly path: string;
  /** Bytes free now. */
  free(): number;
  /** Writes a filler file so that only about `leaveBytes` stay free. */
  fill(leaveBytes: number): void;
  /** Deletes the filler file. */
  release(): void;
  /** Unmounts (safe to call twice). */
  unmount(): void;
}

/**
 * Mounts a tmpfs of `sizeMiB` at `<parent>/disk` (needs root or CAP_SYS_ADMIN); returns undefined when mounting is
 * not allowed here. Unmounted by `unmount()`, `await using`, or at the latest when this process exits.
 * @example await using disk = mountSmallDisk(dir.path, 48); if (disk) disk.fill(4 * 1024 * 1024);
 */
export function mountSmallDisk(parent: string, sizeMiB: number): SmallDisk | undefined {
  const path = join(parent, 'disk');
  mkdirSync(path, { recursive: true });
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeMiB}m`, 'tmpfs', path], {
    encoding: 'utf8',
  });
  if (mounted.status !== 0) return undefined;
  const filler = join(path, 'filler.bin');
  let done = false;
  const unmount = () => {
    if (done) return;
    done = true;
    spawnSync('umount', ['-l', path]);
    forget();
  };
  const forget = onExit(unmount);
  const free = () => {
    const s = statfsSync(path);
    return s.bavail * s.bsize;
  };
  return {
    path,
    free,
    fill(leaveBytes) {
      const size = Math.max(0, free() - leaveBytes);
      writeFileSync(filler, Buffer.alloc(size, 1));
    },
    release() {
      rmSync(filler, { force: true });
    },
    unmount,
    async [Symbol.asyncDispose]() {
      unmount();
    },
  };
}
