/**
 * `@duckside/testkit/prometheus`: a throwaway Prometheus server for tests, and an independent encoder of
 * remote_write 1.0 requests (protobufjs + snappyjs).
 * @example
 * import { remoteWriteBody, startPrometheus } from '@duckside/testkit/prometheus';
 * const prom = await startPrometheus({ config });
 */
export { compareResults, type PrometheusQueryData } from '../prometheus/compare-results.ts';
export {
  type PrometheusOptions,
  type PrometheusServer,
  startPrometheus,
} from '../prometheus/prometheus-server.ts';
export {
  encodeWriteRequest,
  REMOTE_WRITE_HEADERS,
  remoteWriteBody,
  snappyBlock,
  type WriteRequestInput,
  type WriteSample,
  type WriteSeries,
} from '../prometheus/remote-write-request.ts';
