import { defaultResource } from '@opentelemetry/resources';
import { describe, expect, it } from 'vitest';

describe('OpenTelemetry SDK line under test', () => {
  it('is the one the environment names: 2.x by default, 3.x under .ci/node24-exporter.sh', () => {
    const version = String(defaultResource().attributes['telemetry.sdk.version']);
    expect(version.split('.')[0]).toBe(process.env.DUCKSIDE_OTEL_SDK_MAJOR ?? '2');
  });
});
