import { readdirSync, readFileSync } from 'node:fs';
import { setPriority } from 'node:os';

/** The thread ids of every process in a process group (Linux `/proc`). */
function threadsOfGroup(pgid: number): number[] {
  const tids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // Fields after the command name: state, ppid, pgrp, ...
      const fields = readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
      if (Number(fields[2]) !== pgid) continue;
      for (const tid of readdirSync(`/proc/${entry}/task`)) tids.push(Number(tid));
    } catch {
      // The process exited meanwhile.
    }
  }
  return tids;
}

/**
 * Lowers the CPU priority of every thread of a process group (Linux nice is per thread; threads created later
 * inherit it from their creator): the sidecar then gets the CPU only when its neighbours leave some, like a
 * sidecar squeezed by the busy service it runs beside. Returns the number of threads changed.
 * @example deprioritizeGroup(sidecar.pid, 19)
 */
export function deprioritizeGroup(pgid: number, nice: number): number {
  const tids = threadsOfGroup(pgid);
  for (const tid of tids) setPriority(tid, nice);
  return tids.length;
}
