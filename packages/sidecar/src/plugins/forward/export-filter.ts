import type { CommittedExport } from '../../plugin-api/plugin.ts';
import type { FilterTests } from './filter-tests.ts';
import { filterJsonExport } from './json-export-filter.ts';
import { globMatcher } from './name-glob.ts';
import { filterProtobufExport } from './protobuf-export-filter.ts';

/** What an upstream receives: metric-name globs and resource attributes that must be equal. */
export interface ExportFilterSpec {
  /** Metric names to keep (globs); empty keeps all. Logs have no metric names and are not affected. */
  readonly include: readonly string[];
  /** Metric names to leave out (globs), applied after `include`. */
  readonly exclude: readonly string[];
  /** Resource attributes every forwarded resource must have with these values (compared as text). */
  readonly resource: Readonly<Record<string, string>>;
}

/**
 * A filter of committed export requests for one upstream. Without any rule it passes requests through
 * untouched; otherwise it re-encodes the request without the metrics and resources it leaves out (protobuf
 * stays protobuf, JSON stays JSON; everything kept is copied byte for byte).
 * @example
 * const filter = new ExportFilter({ include: ['order_*'], exclude: [], resource: { 'deployment.environment': 'prod' } });
 * const body = filter.apply(request); // undefined when nothing is left
 */
export class ExportFilter {
  private readonly tests: FilterTests;

  constructor(spec: ExportFilterSpec) {
    const include = spec.include.length > 0 ? globMatcher(spec.include) : undefined;
    const exclude = spec.exclude.length > 0 ? globMatcher(spec.exclude) : undefined;
    const wanted = Object.entries(spec.resource);
    this.tests = {
      byResource: wanted.length > 0,
      byName: include !== undefined || exclude !== undefined,
      keepResource: (attributes) => wanted.every(([k, v]) => attributes.get(k) === v),
      keepMetric: (name) => (include?.test(name) ?? true) && !(exclude?.test(name) ?? false),
    };
  }

  /** True when the filter keeps everything. */
  get passAll(): boolean {
    return !this.tests.byResource && !this.tests.byName;
  }

  /** The body to forward: the request's own bytes when all of it passes, `undefined` when none of it does. */
  apply(request: CommittedExport): Uint8Array | undefined {
    if (this.passAll) return request.body;
    if (request.signal === 'logs' && !this.tests.byResource) return request.body;
    return request.encoding === 'protobuf'
      ? filterProtobufExport(request.body, request.signal, this.tests)
      : filterJsonExport(request.body, request.signal, this.tests);
  }
}
