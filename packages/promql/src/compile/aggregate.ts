import type { AggregateNode } from '../ast.ts';
import { UnsupportedPromqlError } from '../errors.ts';
import { sqlDouble } from '../sql-text.ts';
import { formatFloatSql, maxIgnoringNaN } from './float-sql.ts';
import { dropLabels, keepLabels, setLabel } from './label-sql.ts';
import type { SqlPlan } from './plan.ts';

/** The grouping labels of an aggregation: `by (...)` keeps them, `without (...)` drops them and `__name__`. */
export function groupingLabels(
  plan: SqlPlan,
  node: Pick<AggregateNode, 'grouping' | 'without'>,
  labels: string,
): string {
  return node.without
    ? dropLabels(plan, labels, node.grouping, true)
    : keepLabels(plan, labels, node.grouping);
}

const SIMPLE: Readonly<Record<string, (v: string) => string>> = {
  sum: (v) => `sum(${v})`,
  avg: (v) => `avg(${v})`,
  min: (v) => `min(${v})`,
  max: (v) => maxIgnoringNaN(v),
  count: () => 'count(*)::DOUBLE',
  group: () => '1.0::DOUBLE',
  stddev: (v) => `stddev_pop(${v})`,
  stdvar: (v) => `var_pop(${v})`,
};

/**
 * An aggregation over a vector `(labels, t, v)`. `param` is the literal parameter of topk/bottomk/quantile
 * (a number) or count_values (the label name).
 * @example aggregate(plan, { op: 'sum', grouping: ['job'], without: false }, 'q4', undefined)
 */
export function aggregate(
  plan: SqlPlan,
  node: Pick<AggregateNode, 'op' | 'grouping' | 'without'>,
  input: string,
  param: number | string | undefined,
): string {
  const group = groupingLabels(plan, node, 'labels');
  const simple = SIMPLE[node.op];
  if (simple) {
    return plan.cte(`SELECT ${group} AS labels, t, ${simple('v')} AS v FROM ${input} GROUP BY ALL`);
  }
  switch (node.op) {
    case 'quantile': {
      const q = param as number;
      const value = Number.isNaN(q)
        ? "'NaN'::DOUBLE"
        : q < 0
          ? "'-Infinity'::DOUBLE"
          : q > 1
            ? "'Infinity'::DOUBLE"
            : `quantile_cont(v, ${sqlDouble(q)})`;
      return plan.cte(`SELECT ${group} AS labels, t, ${value} AS v FROM ${input} GROUP BY ALL`);
    }
    case 'topk':
    case 'bottomk': {
      const k = Math.trunc(param as number);
      if (!(k >= 1)) return plan.cte(`SELECT labels, t, v FROM ${input} WHERE FALSE`);
      const order = node.op === 'topk' ? 'v DESC' : 'v ASC';
      return plan.cte(
        `SELECT labels, t, v FROM (
           SELECT labels, t, v, row_number() OVER (PARTITION BY ${group}, t ORDER BY isnan(v), ${order}) AS rank
           FROM ${input}
         ) WHERE rank <= ${Math.min(k, 1e9)}`,
      );
    }
    case 'count_values': {
      const grouped = setLabel(plan, group, param as string, formatFloatSql('v'));
      return plan.cte(`SELECT ${grouped} AS labels, t, count(*)::DOUBLE AS v FROM ${input} GROUP BY ALL`);
    }
    default:
      throw new UnsupportedPromqlError(`aggregation "${node.op}"`);
  }
}
