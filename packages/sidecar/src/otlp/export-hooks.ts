import type { CommittedExport, Logger, OtlpExportHooks } from '../plugin-api/plugin.ts';

type Hook = (request: CommittedExport) => void | Promise<void>;

/**
 * The host's {@link OtlpExportHooks}: hooks run one after the other for each committed request; a hook that
 * throws is logged (the request is committed and is answered as such).
 * @example
 * const hooks = new ExportHooks(logger);
 * hooks.onCommitted((r) => queue.append(r));
 * await hooks.committed({ signal: 'metrics', encoding: 'protobuf', body });
 */
export class ExportHooks implements OtlpExportHooks {
  private readonly hooks: Hook[] = [];

  constructor(private readonly logger: Logger) {}

  get active(): boolean {
    return this.hooks.length > 0;
  }

  onCommitted(hook: Hook): void {
    this.hooks.push(hook);
  }

  async committed(request: CommittedExport): Promise<void> {
    for (const hook of this.hooks) {
      try {
        await hook(request);
      } catch (error) {
        this.logger.error('otlp commit hook failed', { signal: request.signal, error });
      }
    }
  }
}
