import { describe, expect, it } from 'vitest';
import { svgChart } from './svg-chart.ts';

describe('svgChart', () => {
  const svg = svgChart(
    'A & B',
    [
      { name: 'Duckside', color: '#e8a317' },
      { name: 'PostgreSQL', color: '#336791' },
    ],
    [
      {
        title: 'Latency',
        unit: 'ms',
        groups: [
          { label: 'filter <1>', values: [3, 30], target: 50, targetLabel: 'claim < 50 ms' },
          { label: 'only one', values: [undefined, 200] },
        ],
      },
    ],
  );

  it('draws one bar per defined value, scaled on a log axis', () => {
    const bars = [...svg.matchAll(/<rect x="330" y="[\d.]+" width="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(bars).toHaveLength(3);
    // The axis spans 1..1000 ms (3 decades over 520 px): 3 ms and 30 ms are one decade apart.
    expect(bars[1]! - bars[0]!).toBeCloseTo(520 / 3, 0);
    expect(bars[2]! - bars[1]!).toBeCloseTo((520 / 3) * Math.log10(200 / 30), 0);
    expect(svg).toContain('stroke-dasharray');
    expect(svg).toContain('claim &lt; 50 ms');
  });

  it('escapes text and is a standalone SVG document', () => {
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).toContain('A &amp; B');
    expect(svg).toContain('filter &lt;1&gt;');
    expect(svg.trim().endsWith('</svg>')).toBe(true);
  });
});
