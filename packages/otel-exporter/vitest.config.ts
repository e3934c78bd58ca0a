import { mergeConfig } from 'vitest/config';
import { packageProject } from '../../vitest.shared.ts';

/**
 * A `node_modules` folder holding another OpenTelemetry line (api, core, resources, sdk-metrics), e.g. the 3.x
 * SDK installed by `.ci/node24-exporter.sh`: the tests and the exporter then import those copies instead of
 * the workspace's 2.x dev dependencies, so the lockfile stays as it is.
 */
const otelModules = process.env.DUCKSIDE_OTEL_MODULES;

export default mergeConfig(
  packageProject('otel-exporter'),
  otelModules
    ? {
        resolve: {
          alias: [
            {
              find: /^@opentelemetry\/(api|core|resources|sdk-metrics)$/,
              replacement: `${otelModules}/@opentelemetry/$1`,
            },
          ],
        },
      }
    : {},
);
