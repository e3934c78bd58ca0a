import type { BinaryNode } from '../language/ast.ts';
import { PromqlExecutionError } from '../language/errors.ts';
import { arithmetic, ieeeCompare } from './float-sql.ts';
import { dropLabels, keepLabels } from './label-sql.ts';
import type { SqlPlan } from './plan.ts';

type ArithmeticOp = '+' | '-' | '*' | '/' | '%' | '^' | 'atan2';
type ComparisonOp = '==' | '!=' | '>' | '<' | '>=' | '<=';

const COMPARISONS = new Set(['==', '!=', '>', '<', '>=', '<=']);

/** Whether an operator is a comparison. */
export function isComparison(op: string): op is ComparisonOp {
  return COMPARISONS.has(op);
}

/**
 * The value of `a op b` and whether the element is kept: arithmetic keeps every element; a comparison keeps
 * those for which it holds (value: the vector side's value) or, with `bool`, all with 1/0.
 */
export function elementOp(
  op: BinaryNode['op'],
  a: string,
  b: string,
  bool: boolean,
  vectorSide: string,
): { value: string; keep: string } {
  if (isComparison(op)) {
    const holds = ieeeCompare(op, a, b);
    if (bool) return { value: `(CASE WHEN ${holds} THEN 1.0 ELSE 0.0 END)::DOUBLE`, keep: 'TRUE' };
    return { value: vectorSide, keep: holds };
  }
  return { value: arithmetic(op as ArithmeticOp, a, b), keep: 'TRUE' };
}

/** Whether the result of `op` loses `__name__` (arithmetic, and comparisons with `bool`). */
function dropsName(op: BinaryNode['op'], bool: boolean): boolean {
  return !isComparison(op) || bool;
}

/**
 * `vector op scalar` or `scalar op vector`: the scalar of the same step applied to every element.
 * @example vectorScalar(plan, node, 'q1', 'q2', false)
 */
export function vectorScalar(
  plan: SqlPlan,
  node: BinaryNode,
  vector: string,
  scalar: string,
  scalarLeft: boolean,
): string {
  const [a, b] = scalarLeft ? ['s.v', 'x.v'] : ['x.v', 's.v'];
  const { value, keep } = elementOp(node.op, a, b, node.bool, 'x.v');
  const labels = dropsName(node.op, node.bool) ? dropLabels(plan, 'x.labels', [], true) : 'x.labels';
  return plan.cte(
    `SELECT ${labels} AS labels, x.t, ${value} AS v FROM ${vector} x JOIN ${scalar} s ON x.t = s.t WHERE ${keep}`,
  );
}

/** The matching signature of a vector's labels under `on`/`ignoring`. */
function signature(plan: SqlPlan, node: BinaryNode, labels: string): string {
  const m = node.matching;
  return m.on ? keepLabels(plan, labels, m.labels) : dropLabels(plan, labels, m.labels, true);
}

/**
 * `vector op vector` for arithmetic and comparisons, one-to-one or with `group_left`/`group_right`. A
 * duplicate on the "one" side or a many-to-many match fails (Prometheus' errors) instead of answering wrong.
 * @example vectorVector(plan, node, 'q1', 'q2')
 */
export function vectorVector(plan: SqlPlan, node: BinaryNode, lhs: string, rhs: string): string {
  const m = node.matching;
  const manyIsLeft = m.card !== 'one-to-many';
  const [many, one] = manyIsLeft ? [lhs, rhs] : [rhs, lhs];
  const manySig = plan.cte(`SELECT *, ${signature(plan, node, 'labels')} AS sig FROM ${many}`);
  const oneSig = plan.cte(`SELECT *, ${signature(plan, node, 'labels')} AS sig FROM ${one}`);
  const side = m.card === 'one-to-one' ? 'right' : manyIsLeft ? 'right' : 'left';
  const dupOne = `CASE WHEN count(*) OVER (PARTITION BY sig, t) > 1 THEN error(${plan.param(
    `found duplicate series for the match group on the ${side} hand-side of the operation; many-to-many matching not allowed: matching labels must be unique on one side`,
  )}) END`;
  const checkedOne = plan.cte(`SELECT *, ${dupOne} AS dup FROM ${oneSig}`);
  const [a, b] = manyIsLeft ? ['l.v', 'r.v'] : ['r.v', 'l.v'];
  const { value, keep } = elementOp(node.op, a, b, node.bool, a);
  let labels = dropsName(node.op, node.bool) ? dropLabels(plan, 'l.labels', [], true) : 'l.labels';
  if (m.card === 'one-to-one') {
    labels = m.on ? keepLabels(plan, labels, m.labels) : dropLabels(plan, labels, m.labels, false);
  } else {
    for (const name of [...new Set(m.include)]) {
      const p = plan.param(name);
      labels = `map_from_entries(list_sort(list_filter(map_entries(${labels}), e -> e.key <> ${p})
        || list_filter([{'key': ${p}, 'value': r.labels[${p}]}], e -> e.value IS NOT NULL)))`;
    }
  }
  const joined = plan.cte(
    `SELECT ${labels} AS labels, l.t, ${value} AS v, l.sig FROM ${manySig} l JOIN ${checkedOne} r ON l.sig = r.sig AND l.t = r.t
     WHERE r.dup IS NULL AND ${keep}`,
  );
  const message =
    m.card === 'one-to-one'
      ? 'multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)'
      : 'multiple matches for labels: grouping labels must ensure unique matches';
  return plan.cte(
    `SELECT labels, t, v FROM ${joined}
     QUALIFY (CASE WHEN count(*) OVER (PARTITION BY ${m.card === 'one-to-one' ? 'sig' : 'labels'}, t) > 1 THEN error(${plan.param(message)}) END) IS NULL`,
  );
}

/**
 * `and`, `or`, `unless` between vectors, matching on the signature (default: all labels but `__name__`).
 * @example setOperation(plan, node, 'q1', 'q2')
 */
export function setOperation(plan: SqlPlan, node: BinaryNode, lhs: string, rhs: string): string {
  if (node.matching.card !== 'one-to-one') {
    throw new PromqlExecutionError(`no grouping allowed for "${node.op}" operation`);
  }
  const l = plan.cte(`SELECT *, ${signature(plan, node, 'labels')} AS sig FROM ${lhs}`);
  const r = plan.cte(`SELECT *, ${signature(plan, node, 'labels')} AS sig FROM ${rhs}`);
  const inR = `EXISTS (SELECT 1 FROM ${r} r WHERE r.sig = l.sig AND r.t = l.t)`;
  switch (node.op) {
    case 'and':
      return plan.cte(`SELECT labels, t, v FROM ${l} l WHERE ${inR}`);
    case 'unless':
      return plan.cte(`SELECT labels, t, v FROM ${l} l WHERE NOT ${inR}`);
    default:
      return plan.cte(
        `SELECT labels, t, v FROM ${l}
         UNION ALL SELECT labels, t, v FROM ${r} r WHERE NOT EXISTS (SELECT 1 FROM ${l} l WHERE l.sig = r.sig AND l.t = r.t)`,
      );
  }
}
