import type { AggregateNode } from '../language/ast.ts';
import { UnsupportedPromqlError } from '../language/errors.ts';
import { sqlDouble } from '../sql/sql-text.ts';
import { formatFloatSql, maxIgnoringNaN } from './float-sql.ts';
import { dropLabels, keepLabels, setLabel } from './label-sql.ts';
import type { SqlPlan } from './plan.ts';
import { type KeyedVector, keyedRowsSql } from './values.ts';

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
 * (a number) or count_values (the label name). With the input's keyed form, the grouping labels are computed
 * once per series and rows are grouped by a key of them (the output is keyed too).
 * @example aggregate(plan, { op: 'sum', grouping: ['job'], without: false }, { cte: 'q4' }, undefined)
 */
export function aggregate(
  plan: SqlPlan,
  node: Pick<AggregateNode, 'op' | 'grouping' | 'without'>,
  vector: { cte: string; keyed?: KeyedVector | undefined },
  param: number | string | undefined,
): { cte: string; keyed?: KeyedVector } {
  const input = vector.cte;
  const group = groupingLabels(plan, node, 'labels');
  const simple = node.op === 'quantile' ? quantileValue(param as number) : SIMPLE[node.op];
  if (simple && vector.keyed) {
    const groups = plan.cte(
      `SELECT sid, labels, hash(labels) AS gid FROM (SELECT sid, ${group} AS labels FROM ${vector.keyed.series})`,
    );
    const keyed = {
      values: plan.cte(
        `SELECT g.gid AS sid, x.t, ${simple('x.v')} AS v FROM ${vector.keyed.values} x JOIN ${groups} g USING (sid) GROUP BY g.gid, x.t`,
      ),
      series: plan.cte(`SELECT gid AS sid, any_value(labels) AS labels FROM ${groups} GROUP BY gid`),
    };
    return { cte: plan.cte(keyedRowsSql(keyed)), keyed };
  }
  if (simple) {
    return { cte: plan.cte(`SELECT ${group} AS labels, t, ${simple('v')} AS v FROM ${input} GROUP BY ALL`) };
  }
  return { cte: otherAggregate(plan, node, input, group, param) };
}

/** `quantile(q, v)` as an aggregate expression of the values (±Inf outside [0, 1], NaN for NaN). */
function quantileValue(q: number): (v: string) => string {
  if (Number.isNaN(q)) return () => "'NaN'::DOUBLE";
  if (q < 0) return () => "'-Infinity'::DOUBLE";
  if (q > 1) return () => "'Infinity'::DOUBLE";
  return (v) => `quantile_cont(${v}, ${sqlDouble(q)})`;
}

function otherAggregate(
  plan: SqlPlan,
  node: Pick<AggregateNode, 'op' | 'grouping' | 'without'>,
  input: string,
  group: string,
  param: number | string | undefined,
): string {
  switch (node.op) {
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
