/**
 * Groups items by a string key, keeping first-seen key order and item order, for computing expected results.
 * @example groupBy(points, (p) => `${p.bucket}|${p.symbol}`)
 */
export function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = groups.get(k);
    if (list) list.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}
