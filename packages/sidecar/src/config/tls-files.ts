import { readFileSync } from 'node:fs';
import { ConfigError } from '../plugin-api/errors.ts';

/** A PEM certificate (chain) and its private key, read from their files. */
export interface TlsFiles {
  readonly cert: Buffer;
  readonly key: Buffer;
}

/**
 * Reads `--tls-cert` and `--tls-key` (undefined when neither is set: plaintext).
 * @throws ConfigError naming the file that cannot be read, or when only one of the two is given.
 * @example const tls = readTlsFiles(config.tlsCert, config.tlsKey);
 */
export function readTlsFiles(
  certFile: string | undefined,
  keyFile: string | undefined,
): TlsFiles | undefined {
  if (certFile === undefined && keyFile === undefined) return undefined;
  if (certFile === undefined || keyFile === undefined) {
    throw new ConfigError('give both --tls-cert and --tls-key, or neither');
  }
  return { cert: readPem(certFile, '--tls-cert'), key: readPem(keyFile, '--tls-key') };
}

function readPem(path: string, flag: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new ConfigError(`cannot read ${flag} file ${path}: ${(error as Error).message}`, { cause: error });
  }
}
