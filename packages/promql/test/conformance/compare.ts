/** The comparison of query answers lives in testkit (the sidecar's remote_write test uses it too). */
export { compareResults } from '@duckside/testkit/prometheus';
