import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A Prometheus exporter on 127.0.0.1 whose values depend only on how many times it was scraped. */
export interface ScrapeExporter {
  /** `127.0.0.1:<port>` (the scrape target, and the series' `instance`). */
  readonly target: string;
  /** Scrapes served so far. */
  scrapes(): number;
  close(): Promise<void>;
}

const LINES = (n: number): string[] => [
  '# HELP orders_total Orders seen.',
  '# TYPE orders_total counter',
  `orders_total{symbol="BTC/USD",venue="kraken"} ${3 * n}`,
  // a counter reset at the 6th scrape
  `orders_total{symbol="ETH/USD",venue="binance"} ${n < 5 ? 5 * n : 5 * (n - 5) + 1}`,
  '# HELP queue_depth Orders waiting.',
  '# TYPE queue_depth gauge',
  `queue_depth{symbol="BTC/USD"} ${((n * 7) % 11) / 4}`,
  `queue_depth{symbol="ETH/USD"} ${0.125 - ((n * 3) % 5)}`,
  // gone after the 4th scrape: Prometheus writes a staleness marker
  ...(n < 4
    ? [
        '# HELP feed_lag_seconds Feed lag.',
        '# TYPE feed_lag_seconds gauge',
        `feed_lag_seconds{feed="a"} ${0.5 * n}`,
      ]
    : []),
  '# HELP order_latency_seconds Order latency.',
  '# TYPE order_latency_seconds histogram',
  `order_latency_seconds_bucket{le="0.01"} ${n}`,
  `order_latency_seconds_bucket{le="0.1"} ${3 * n}`,
  `order_latency_seconds_bucket{le="1"} ${4 * n + (n % 3)}`,
  `order_latency_seconds_bucket{le="+Inf"} ${5 * n + (n % 3)}`,
  `order_latency_seconds_sum ${1.75 * n + 0.1 * (n % 3)}`,
  `order_latency_seconds_count ${5 * n + (n % 3)}`,
];

/**
 * Serves `/metrics` in the Prometheus text format: two counters (one resets), two gauges, a gauge that
 * disappears after 4 scrapes, and a classic histogram; scrape `n` serves the values of `n`.
 * @example const exporter = await startScrapeExporter(); // scrape_configs targets: [exporter.target]
 */
export async function startScrapeExporter(): Promise<ScrapeExporter> {
  let n = 0;
  const server = createServer((req, res) => {
    if (req.url !== '/metrics') {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
    res.end(`${LINES(n++).join('\n')}\n`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    target: `127.0.0.1:${port}`,
    scrapes: () => n,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
