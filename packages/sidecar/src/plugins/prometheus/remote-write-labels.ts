import { encodeResource, encodeScope, type SeriesContext } from '@duckside/core/ingest';
import { MalformedBodyError } from '../../errors.ts';
import type { WireReader } from '../../otlp/wire-reader.ts';
import { type WireString, WireStringTable } from '../../otlp/wire-string-table.ts';

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/**
 * The scope of every series written through remote_write (`scope->>'name'` tells them from OTLP series).
 * @example SELECT count(*) FROM metric_series WHERE scope->>'name' = 'prometheus.remote_write'
 */
export const REMOTE_WRITE_SCOPE = encodeScope({
  name: 'prometheus.remote_write',
  version: '',
  attributes: {},
  droppedAttributesCount: 0,
  schemaUrl: '',
});

/** A Prometheus label set as Duckside stores it. */
export interface MappedSeries {
  /** Metric name, service (`job`), resource (`instance` too) and scope. */
  context: SeriesContext;
  /** The other labels, `symbol` included, as typed JSON text (all strings). */
  attributes: string;
  /** The `symbol` label, or null. */
  symbol: string | null;
}

/**
 * Maps the labels of one remote_write `TimeSeries` to Duckside's series fields, as the inverse of
 * `@duckside/promql`'s name mapping (so PromQL reads back the same label set): `__name__` is the metric name
 * (unit ''), `job` is resource `service.name` (and `service`), `instance` resource `service.instance.id`, every
 * other label a string point attribute (`symbol` also promoted to its column); empty values are absent labels.
 * Refuses what remote_write 1.0 forbids: no `__name__`, invalid names, repeated or unsorted label names.
 * @example
 * const labels = new RemoteWriteLabels(reader);
 * const series = labels.map(labelRanges, count); // { context: { name: 'up', service: 'node', ... }, ... }
 */
export class RemoteWriteLabels {
  private readonly strings: WireStringTable;
  private readonly resources = new Map<string, string>();
  private readonly context: SeriesContext = {
    name: '',
    unit: '',
    description: '',
    service: null,
    resource: '{}',
    scope: REMOTE_WRITE_SCOPE,
  };
  private readonly out: MappedSeries = { context: this.context, attributes: '{}', symbol: null };

  constructor(r: WireReader) {
    this.strings = new WireStringTable(r);
  }

  /**
   * Maps the `Label` messages whose name and value byte ranges are in `ranges` (`[nameStart, nameEnd,
   * valueStart, valueEnd]` per label, `count` labels). The result object is reused by the next call.
   * @throws MalformedBodyError for a label set remote_write 1.0 forbids.
   */
  map(ranges: Int32Array | number[], count: number): MappedSeries {
    let name: string | null = null;
    let job: string | null = null;
    let instance: string | null = null;
    let symbol: string | null = null;
    let attributes = '{';
    let previous = '';
    for (let i = 0; i < count; i++) {
      const j = i * 4;
      const key = this.strings.get(ranges[j] as number, ranges[j + 1] as number);
      const k = key.raw;
      if (i > 0 && !(previous < k)) throw this.badOrder(ranges, count, previous, k);
      previous = k;
      if (!LABEL_NAME.test(k)) throw this.refuse(ranges, count, `invalid label name ${JSON.stringify(k)}`);
      const value = this.strings.get(ranges[j + 2] as number, ranges[j + 3] as number);
      if (value.raw === '') continue;
      if (k === '__name__') {
        if (!METRIC_NAME.test(value.raw))
          throw this.refuse(ranges, count, `invalid metric name ${value.quoted}`);
        name = value.raw;
      } else if (k === 'job') job = value.raw;
      else if (k === 'instance') instance = value.raw;
      else {
        if (k === 'symbol') symbol = value.raw;
        attributes += (attributes.length === 1 ? '' : ',') + this.strings.keyPrefix(key) + value.quoted;
      }
    }
    if (name === null) throw this.refuse(ranges, count, 'a time series has no __name__ label');
    const c = this.context;
    c.name = name;
    c.service = job;
    c.resource = this.resource(job, instance);
    this.out.attributes = `${attributes}}`;
    this.out.symbol = symbol;
    return this.out;
  }

  private resource(job: string | null, instance: string | null): string {
    const key = `${job ?? ''}\u0000${instance ?? ''}`;
    let text = this.resources.get(key);
    if (text === undefined) {
      const attributes: Record<string, string> = {};
      if (job !== null) attributes['service.name'] = job;
      if (instance !== null) attributes['service.instance.id'] = instance;
      text = encodeResource({ attributes, droppedAttributesCount: 0, schemaUrl: '' });
      this.resources.set(key, text);
    }
    return text;
  }

  private badOrder(ranges: Int32Array | number[], count: number, previous: string, k: string) {
    const what =
      previous === k
        ? `label name ${JSON.stringify(k)} is repeated`
        : `labels are not sorted by name (${JSON.stringify(k)} after ${JSON.stringify(previous)})`;
    return this.refuse(ranges, count, what);
  }

  private refuse(ranges: Int32Array | number[], count: number, what: string): MalformedBodyError {
    const labels: string[] = [];
    for (let i = 0; i < count; i++) {
      const j = i * 4;
      const key: WireString = this.strings.get(ranges[j] as number, ranges[j + 1] as number);
      const value = this.strings.get(ranges[j + 2] as number, ranges[j + 3] as number);
      labels.push(`${key.raw}=${value.quoted}`);
    }
    return new MalformedBodyError(`${what}: {${labels.join(', ')}}`);
  }
}
