import type { Random } from './random.ts';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const KEYS = [
  'timeUnixNano',
  'asInt',
  'asDouble',
  'count',
  'bucketCounts',
  'kvlistValue',
  '__proto__',
  'constructor',
  '',
];

/**
 * Structural mutation of an OTLP/JSON body: parses it, replaces, deletes or duplicates 1 to 3 random nodes with
 * values of the wrong type, extreme numbers, huge or odd strings, deep nesting; serializes it again.
 * @example const body = mutateJson(rng, seedText);
 */
export function mutateJson(rng: Random, text: string): string {
  const root = JSON.parse(text) as Json;
  const rounds = 1 + rng.int(3);
  let out: Json = root;
  for (let r = 0; r < rounds; r++) {
    const nodes = collect(out);
    const target = rng.pick(nodes);
    if (target.parent === undefined) {
      out = randomValue(rng);
      continue;
    }
    const { parent, key } = target;
    const choice = rng.int(4);
    if (choice === 0 && !Array.isArray(parent)) delete (parent as Record<string, Json>)[key as string];
    else if (choice === 1 && !Array.isArray(parent))
      (parent as Record<string, Json>)[rng.pick(KEYS)] = randomValue(rng);
    else (parent as Record<string | number, Json>)[key] = randomValue(rng);
  }
  // Deep nesting is spliced in as text: JSON.stringify (and any recursive walk) would overflow the stack.
  return JSON.stringify(out).replace(/"@@deep-(array|kvlist):(\d+)@@"/g, (_, kind: string, n: string) =>
    deepText(kind, Number(n)),
  );
}

function deepText(kind: string, depth: number): string {
  if (kind === 'array') return `${'['.repeat(depth)}1${']'.repeat(depth)}`;
  const open = '{"kvlistValue":{"values":[{"key":"k","value":'.repeat(depth);
  return `${open}{"stringValue":"leaf"}${'}]}}'.repeat(depth)}`;
}

interface NodeRef {
  parent?: Json[] | { [key: string]: Json };
  key: string | number;
}

/** The nodes of the tree down to depth 64 (deeper ones are the mutator's own nesting), iteratively. */
function collect(root: Json): NodeRef[] {
  const refs: NodeRef[] = [{ key: '' }];
  const stack: Array<{ node: Json; depth: number }> = [{ node: root, depth: 0 }];
  while (stack.length > 0) {
    const { node, depth } = stack.pop() as { node: Json; depth: number };
    if (node === null || typeof node !== 'object' || depth >= 64) continue;
    for (const key of Object.keys(node)) {
      const k = Array.isArray(node) ? Number(key) : key;
      refs.push({ parent: node, key: k });
      stack.push({ node: (node as Record<string | number, Json>)[k] as Json, depth: depth + 1 });
    }
  }
  return refs;
}

function randomValue(rng: Random): Json {
  switch (rng.int(14)) {
    case 0:
      return null;
    case 1:
      return rng.chance(0.5);
    case 2:
      return rng.pick([0, -1, 1e308, -1e308, 5e-324, 2 ** 53 + 1, -(2 ** 63), 0.1]);
    case 3:
      return rng.pick(['', '-1', '18446744073709551616', '1e400', 'NaN', 'Infinity', '0x10', ' 12 ', '١٢']);
    case 4:
      return 'x'.repeat(rng.int(20_000));
    case 5:
      return '\ud800\u0000\uffff';
    case 6:
      return [];
    case 7:
      return {};
    case 8:
      return `@@deep-array:${rng.int(3_000)}@@`;
    case 9:
      return `@@deep-kvlist:${rng.int(3_000)}@@`;
    case 10:
      return Array.from({ length: rng.int(1000) }, (_, i) => i);
    case 11:
      return { stringValue: 1, intValue: 'x', doubleValue: '1', boolValue: 'true', bytesValue: '***' };
    case 12:
      return rng.pick(['AAEC/w==', 'not base64!', '=']);
    default:
      return { [rng.pick(KEYS)]: rng.pick([null, 1, 'a', [], {}] as Json[]) };
  }
}
