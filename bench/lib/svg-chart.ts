/** One bar series (an engine). */
export interface ChartSeries {
  name: string;
  color: string;
}

/** One workload: a bar per series and an optional target line (the original design's claim). */
export interface ChartGroup {
  label: string;
  /** One value per series, in series order; undefined draws no bar. */
  values: (number | undefined)[];
  /** Where the claim sits on the axis. */
  target?: number | undefined;
  /** Text beside the plot naming the claim, e.g. `claim < 50 ms`. */
  targetLabel?: string | undefined;
}

/** A panel of groups sharing one logarithmic axis. */
export interface ChartPanel {
  title: string;
  /** Unit appended to value labels, e.g. `ms` or `rows/s`. */
  unit: string;
  groups: ChartGroup[];
}

const WIDTH = 1000;
const LABEL_W = 330;
const PLOT_W = 520;
const BAR_H = 14;
const GROUP_GAP = 12;
const TARGET_COLOR = '#c0392b';

/**
 * Draws horizontal grouped bars on logarithmic axes as a standalone SVG (no dependencies): one panel per unit,
 * a bar per series, the value at the end of each bar, and a dashed red line where the claim is.
 * @example
 * const svg = svgChart('Duckside vs PostgreSQL', [{ name: 'Duckside', color: '#e8a317' }], [
 *   { title: 'Query latency', unit: 'ms', groups: [{ label: 'filter', values: [3.1], target: 50 }] },
 * ]);
 */
export function svgChart(
  title: string,
  series: readonly ChartSeries[],
  panels: readonly ChartPanel[],
): string {
  const parts: string[] = [];
  let y = 40;
  parts.push(text(16, 26, title, { size: 18, weight: 'bold' }));
  y = legend(parts, series, y);
  for (const panel of panels) y = drawPanel(parts, panel, series, y + 16);
  const height = y + 16;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="Helvetica, Arial, sans-serif">`,
    `<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>`,
    ...parts,
    '</svg>',
    '',
  ].join('\n');
}

function legend(parts: string[], series: readonly ChartSeries[], y: number): number {
  let x = 16;
  for (const s of series) {
    parts.push(`<rect x="${x}" y="${y}" width="14" height="14" fill="${s.color}"/>`);
    parts.push(text(x + 20, y + 12, s.name, { size: 13 }));
    x += 40 + s.name.length * 7.5;
  }
  parts.push(
    `<line x1="${x}" y1="${y}" x2="${x}" y2="${y + 14}" stroke="${TARGET_COLOR}" stroke-width="2" stroke-dasharray="4 2"/>`,
  );
  parts.push(text(x + 8, y + 12, "original design's claim", { size: 13 }));
  return y + 24;
}

function drawPanel(parts: string[], panel: ChartPanel, series: readonly ChartSeries[], top: number): number {
  const values = panel.groups.flatMap((g) => [...g.values, g.target]).filter(isPositive);
  if (values.length === 0) return top;
  const lo = 10 ** Math.floor(Math.log10(Math.min(...values) * 0.9));
  const hi = 10 ** Math.ceil(Math.log10(Math.max(...values) * 1.5));
  const scale = (v: number) => LABEL_W + (PLOT_W * Math.log10(v / lo)) / Math.log10(hi / lo);
  parts.push(text(16, top + 14, panel.title, { size: 15, weight: 'bold' }));
  const plotTop = top + 24;
  const groupH = series.length * BAR_H + GROUP_GAP;
  const plotBottom = plotTop + panel.groups.length * groupH;
  for (let tick = lo; tick <= hi; tick *= 10) {
    const x = scale(tick);
    parts.push(`<line x1="${x}" y1="${plotTop}" x2="${x}" y2="${plotBottom}" stroke="#dddddd"/>`);
    parts.push(text(x, plotBottom + 14, tickLabel(tick), { size: 11, anchor: 'middle', color: '#555555' }));
  }
  panel.groups.forEach((group, gi) => {
    const gy = plotTop + gi * groupH;
    parts.push(
      text(LABEL_W - 8, gy + (series.length * BAR_H) / 2 + 4, group.label, { size: 12, anchor: 'end' }),
    );
    // The claim first, so that bars and their labels draw over it.
    if (isPositive(group.target)) {
      const x = scale(group.target);
      parts.push(
        `<line x1="${x}" y1="${gy - 2}" x2="${x}" y2="${gy + series.length * BAR_H}" stroke="${TARGET_COLOR}" stroke-width="2" stroke-dasharray="4 2"/>`,
      );
      if (group.targetLabel) {
        parts.push(
          text(LABEL_W + PLOT_W + 12, gy + (series.length * BAR_H) / 2 + 4, group.targetLabel, {
            size: 11,
            color: TARGET_COLOR,
          }),
        );
      }
    }
    group.values.forEach((v, si) => {
      if (!isPositive(v)) return;
      const by = gy + si * BAR_H;
      const x = scale(v);
      const w = Math.max(1, x - LABEL_W);
      parts.push(
        `<rect x="${LABEL_W}" y="${by}" width="${w.toFixed(1)}" height="${BAR_H - 2}" fill="${series[si]?.color}"/>`,
      );
      parts.push(text(x + 4, by + BAR_H - 4, `${valueLabel(v)} ${panel.unit}`, { size: 11 }));
    });
  });
  parts.push(
    text(LABEL_W + PLOT_W / 2, plotBottom + 30, `${panel.unit}, logarithmic scale`, {
      size: 11,
      anchor: 'middle',
      color: '#555555',
    }),
  );
  return plotBottom + 36;
}

function isPositive(v: number | undefined): v is number {
  return v !== undefined && Number.isFinite(v) && v > 0;
}

function tickLabel(v: number): string {
  if (v >= 1e6) return `${v / 1e6}M`;
  if (v >= 1e3) return `${v / 1e3}k`;
  return String(v);
}

function valueLabel(v: number): string {
  if (v >= 1e6) return `${(v / 1e6).toFixed(2)}M`;
  if (v >= 1e4) return `${Math.round(v / 1e3)}k`;
  if (v >= 100) return String(Math.round(v));
  return v.toFixed(1);
}

function text(
  x: number,
  y: number,
  content: string,
  o: { size: number; weight?: string; anchor?: string; color?: string },
): string {
  const escaped = content.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
  return `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" font-size="${o.size}"${o.weight ? ` font-weight="${o.weight}"` : ''}${o.anchor ? ` text-anchor="${o.anchor}"` : ''} fill="${o.color ?? '#222222'}">${escaped}</text>`;
}
