import {
  Server,
  ServerCredentials,
  type ServiceDefinition,
  type UntypedServiceImplementation,
} from '@grpc/grpc-js';

/** One service to serve: its definition and handlers. */
export interface GrpcService {
  definition: ServiceDefinition;
  implementation: UntypedServiceImplementation;
}

/** Where and what {@link startGrpcServer} serves. */
export interface GrpcServerOptions {
  host: string;
  /** 0 for a free port. */
  port: number;
  /** Largest request message, on the wire and decompressed (`grpc.max_receive_message_length`). */
  maxMessageBytes: number;
  services: readonly GrpcService[];
  /** PEM certificate (chain) and key: serve over TLS instead of plaintext. */
  tls?: { cert: Buffer; key: Buffer };
}

/** A listening gRPC server. */
export interface RunningGrpcServer {
  /** The bound port. */
  readonly port: number;
  /**
   * Stops taking calls, lets calls in flight finish for up to `graceMs`, then cuts what is left.
   * Safe to call twice.
   */
  close(graceMs: number): Promise<void>;
}

/**
 * Starts a grpc-js server (HTTP/2, plaintext or TLS) for the given services.
 * @throws the bind error (e.g. the port is taken).
 * @example
 * const server = await startGrpcServer({ host: '127.0.0.1', port: 4317, maxMessageBytes: 16 << 20, services });
 * await server.close(5000);
 */
export async function startGrpcServer(options: GrpcServerOptions): Promise<RunningGrpcServer> {
  const server = new Server({
    'grpc.max_receive_message_length': options.maxMessageBytes,
  });
  for (const service of options.services) server.addService(service.definition, service.implementation);
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  const port = await new Promise<number>((resolve, reject) => {
    const credentials = options.tls
      ? ServerCredentials.createSsl(
          null,
          [{ private_key: options.tls.key, cert_chain: options.tls.cert }],
          false,
        )
      : ServerCredentials.createInsecure();
    server.bindAsync(`${host}:${options.port}`, credentials, (error, bound) =>
      error ? reject(error) : resolve(bound),
    );
  });
  let closing: Promise<void> | undefined;
  return {
    port,
    close(graceMs) {
      closing ??= new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          server.forceShutdown();
          resolve();
        }, graceMs);
        server.tryShutdown(() => {
          clearTimeout(timer);
          resolve();
        });
      });
      return closing;
    },
  };
}
