import { cpus, freemem, release, totalmem, type } from 'node:os';
import { version as duckdbVersion } from '@duckdb/node-api';

/** The machine a benchmark ran on. */
export interface MachineInfo {
  cpuModel: string;
  cores: number;
  memoryBytes: number;
  freeMemoryBytes: number;
  os: string;
  node: string;
  duckdb: string;
}

/**
 * Describes this machine: CPU, cores, memory, OS, Node and DuckDB versions.
 * @example const m = machineInfo(); m.cores
 */
export function machineInfo(): MachineInfo {
  const cpu = cpus();
  return {
    cpuModel: cpu[0]?.model.trim() ?? 'unknown',
    cores: cpu.length,
    memoryBytes: totalmem(),
    freeMemoryBytes: freemem(),
    os: `${type()} ${release()}`,
    node: process.version,
    duckdb: duckdbVersion(),
  };
}
