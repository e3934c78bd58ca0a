import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DucksidePlugin } from '../../plugin-api/plugin.ts';
import { forwardMetrics } from './forward-metrics.ts';
import { type ForwardOptions, forwardOptions } from './forward-options.ts';
import { UpstreamForwarder } from './upstream-forwarder.ts';

/** The forward plugin's parsed options. */
export type ForwardPluginOptions = ForwardOptions;

/**
 * The OTLP forwarding plugin: every OTLP request a receiver committed (HTTP or gRPC, metrics and logs) is queued
 * on disk for each upstream (`--forward-otlp`, after the upstream's filter) before the receiver answers, and
 * delivered to the upstream's OTLP/HTTP endpoint in order, at least once, surviving restarts of either side.
 * Without upstreams it does nothing. See docs/operations.md#forwarding-otlp-upstream.
 * @example duckside --forward-otlp http://collector:4318/v1/metrics --forward-otlp-header 'x-tenant=desk-7'
 */
export const forwardPlugin: DucksidePlugin<ForwardPluginOptions> = {
  name: 'forward',
  options: forwardOptions,
  async setup(ctx) {
    const o = ctx.options;
    if (o.upstreams.length === 0) return;
    let queueDir = o.queueDir;
    if (queueDir === undefined) {
      queueDir = mkdtempSync(join(tmpdir(), 'duckside-forward-'));
      ctx.logger.warn('forward queue in a temporary folder (in-memory database): not kept across restarts', {
        queueDir,
      });
    }
    const forwarders: UpstreamForwarder[] = [];
    const counters = forwardMetrics(ctx.metrics, () => forwarders);
    const ids = new Set<string>();
    for (const upstream of o.upstreams) {
      const forwarder = await UpstreamForwarder.open(upstream, o, queueDir, counters, ctx.logger);
      if (ids.has(forwarder.id)) throw new Error(`two upstreams share the id ${forwarder.id}`);
      ids.add(forwarder.id);
      forwarders.push(forwarder);
    }
    ctx.otlp.onCommitted(async (request) => {
      await Promise.all(forwarders.map((f) => f.enqueue(request)));
    });
    ctx.onStart(() => {
      for (const f of forwarders) f.start();
    });
    ctx.onStop(async () => {
      await Promise.all(forwarders.map((f) => f.stop()));
    });
  },
};
