import type { SqlPlan } from './plan.ts';

/*
 * Label-set expressions over the `labels` MAP(VARCHAR, VARCHAR) column (entries sorted by key, no empty values).
 * Label names from the query are bound parameters.
 */

/**
 * Only the given labels (those present): `by (...)`, `on (...)`.
 * @example keepLabels(plan, 'labels', ['job'])
 */
export function keepLabels(plan: SqlPlan, labels: string, names: readonly string[]): string {
  const sorted = [...new Set(names)].sort();
  if (sorted.length === 0) return 'MAP {}::MAP(VARCHAR, VARCHAR)';
  const entries = sorted.map((n) => {
    const p = plan.param(n);
    return `{'key': ${p}, 'value': ${labels}[${p}]}`;
  });
  return `map_from_entries(list_filter([${entries.join(', ')}], e -> e.value IS NOT NULL))`;
}

/**
 * All labels but the given ones (and `__name__` when `dropName`): `without (...)`, `ignoring (...)`.
 * @example dropLabels(plan, 'labels', ['instance'], true)
 */
export function dropLabels(
  plan: SqlPlan,
  labels: string,
  names: readonly string[],
  dropName: boolean,
): string {
  const all = [...new Set(dropName ? ['__name__', ...names] : names)];
  if (all.length === 0) return labels;
  const list = all.map((n) => plan.param(n)).join(', ');
  return `map_from_entries(list_filter(map_entries(${labels}), e -> e.key NOT IN (${list})))`;
}

/**
 * The labels with one label set to `value` (removed when `value` is NULL or empty), entries kept sorted.
 * @example setLabel(plan, 'labels', 'le', "'0.5'")
 */
export function setLabel(plan: SqlPlan, labels: string, name: string, value: string): string {
  const p = plan.param(name);
  return `map_from_entries(list_sort(list_filter(map_entries(${labels}), e -> e.key <> ${p})
    || list_filter([{'key': ${p}, 'value': ${value}}], e -> coalesce(e.value, '') <> '')))`;
}

/** A label's value, '' when absent (Prometheus' matcher semantics). */
export function labelValue(plan: SqlPlan, labels: string, name: string): string {
  return `coalesce(${labels}[${plan.param(name)}], '')`;
}
