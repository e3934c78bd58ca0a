import { formatRatio } from './format.ts';
import { markdownTable } from './markdown-table.ts';

/**
 * A target of the benchmark: Duckside's figure divided by a peer's measured in the same run (and process), so
 * that the verdict holds on a slower or busier machine. Sections return these with their figures; the report
 * lists them all at its top.
 */
export interface RatioTarget {
  /** Key of the ratio in the section's results, e.g. `core.ingest_1m.ratio`. */
  key: string;
  /** What is compared, e.g. `Core ingest, 1,000,000 points, vs raw data chunks`. */
  figure: string;
  /** Duckside's absolute figure with its unit, e.g. `843,491 rows/s`. */
  duckside: string;
  /** The peer and its absolute figure, e.g. `raw data chunks: 878,336 rows/s`. */
  peer: string;
  /** How the ratio is taken, e.g. `core ÷ raw rows/s`. */
  how: string;
  ratio: number;
  /** The bound the ratio must reach (`higher`: at least, `lower`: at most). */
  bound: number;
  better: 'higher' | 'lower';
}

/**
 * Whether a measured value meets a bound; undefined when there is no value.
 * @example meets(42, 50, 'lower') // true
 */
export function meets(
  value: number | undefined,
  bound: number,
  better: 'higher' | 'lower',
): boolean | undefined {
  if (value === undefined || !Number.isFinite(value)) return undefined;
  return better === 'higher' ? value >= bound : value <= bound;
}

/**
 * A report cell for a verdict: `yes`, `**no**` or `n/a`.
 * @example verdict(meets(0.93, 0.9, 'higher')) // 'yes'
 */
export function verdict(ok: boolean | undefined): string {
  return ok === undefined ? 'n/a' : ok ? 'yes' : '**no**';
}

/**
 * The bound as the report writes it.
 * @example boundText({ bound: 0.9, better: 'higher' }) // '>= 0.90×'
 */
export function boundText(t: Pick<RatioTarget, 'bound' | 'better'>): string {
  return `${t.better === 'higher' ? '>=' : '<='} ${formatRatio(t.bound)}`;
}

/**
 * A table cell for a target: its bound and whether the ratio meets it ('' without a target).
 * @example targetCell({ ...target, ratio: 0.93, bound: 0.9, better: 'higher' }) // '>= 0.90×: yes'
 */
export function targetCell(t: RatioTarget | undefined): string {
  return t ? `${boundText(t)}: ${verdict(meets(t.ratio, t.bound, t.better))}` : '';
}

/**
 * The ratio targets as a Markdown table, the section first when `section` names each target's section.
 * @example ratioTable([{ key: 'k', figure: 'ingest', duckside: '9 rows/s', peer: 'raw: 10 rows/s', how: 'core ÷ raw', ratio: 0.9, bound: 0.9, better: 'higher' }])
 */
export function ratioTable(targets: readonly RatioTarget[], section?: (t: RatioTarget) => string): string {
  const headers = ['Figure', '>Duckside', 'Peer (same run)', 'Compared as', '>Ratio', 'Target', 'Meets'];
  return markdownTable(
    section ? ['Section', ...headers] : headers,
    targets.map((t) => {
      const cells = [
        t.figure,
        t.duckside,
        t.peer,
        t.how,
        formatRatio(t.ratio),
        boundText(t),
        verdict(meets(t.ratio, t.bound, t.better)),
      ];
      return section ? [section(t), ...cells] : cells;
    }),
  );
}

/**
 * The results entries of the targets: each ratio under its key.
 * @example ratioResults(targets) // { 'core.ingest_1m.ratio': 0.93 }
 */
export function ratioResults(targets: readonly RatioTarget[]): Record<string, number> {
  return Object.fromEntries(targets.map((t) => [t.key, t.ratio]));
}
