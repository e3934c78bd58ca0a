import { PromqlParseError, UnsupportedPromqlError } from '../language/errors.ts';
import { anchoredRegExp } from '../language/re2.ts';
import { setLabel } from './label-sql.ts';
import type { SqlPlan } from './plan.ts';

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/**
 * `label_replace(v, dst, replacement, src, regex)`: where the fully anchored `regex` matches the value of `src`
 * ('' when absent), `dst` becomes the expanded `replacement` (Go template syntax: `$1`, `${1}`, `$name`),
 * removed when empty; other elements keep their labels. Returns the CTE name.
 * @example labelReplace(plan, 'q3', 'base', '$1', 'symbol', '(.*)/USD')
 */
export function labelReplace(
  plan: SqlPlan,
  input: string,
  dst: string,
  replacement: string,
  src: string,
  regex: string,
): string {
  if (!LABEL_NAME.test(dst))
    throw new PromqlParseError(`invalid destination label name in label_replace(): ${dst}`);
  let names: (string | undefined)[];
  try {
    names = regexGroupNames(regex);
  } catch (error) {
    throw new PromqlParseError(`invalid regular expression in label_replace(): ${regex}`, { cause: error });
  }
  const srcValue = `coalesce(labels[${plan.param(src)}], '')`;
  const re = plan.param(`^(?:${regex})$`);
  const template = plan.param(goTemplateToRe2(replacement, names));
  const replaced = `regexp_replace(${srcValue}, ${re}, ${template})`;
  const labels = `CASE WHEN regexp_matches(${srcValue}, ${re}) THEN ${setLabel(plan, 'labels', dst, replaced)} ELSE labels END`;
  return plan.cte(`SELECT ${labels} AS labels, t, v FROM ${input}`);
}

/**
 * `label_join(v, dst, separator, src...)`: `dst` becomes the values of the `src` labels ('' when absent) joined
 * with `separator`, removed when empty. Returns the CTE name.
 * @example labelJoin(plan, 'q3', 'id', '-', ['job', 'instance'])
 */
export function labelJoin(
  plan: SqlPlan,
  input: string,
  dst: string,
  separator: string,
  srcs: readonly string[],
): string {
  if (!LABEL_NAME.test(dst))
    throw new PromqlParseError(`invalid destination label name in label_join(): ${dst}`);
  const values = srcs.map((s) => `coalesce(labels[${plan.param(s)}], '')`);
  const joined = values.length === 0 ? "''" : `concat_ws(${plan.param(separator)}, ${values.join(', ')})`;
  return plan.cte(`SELECT ${setLabel(plan, 'labels', dst, joined)} AS labels, t, v FROM ${input}`);
}

/** Names of a regex's capture groups by index (1-based; undefined for unnamed groups). */
function regexGroupNames(regex: string): (string | undefined)[] {
  const names: (string | undefined)[] = [undefined];
  const re = /\\.|\[(?:\\.|[^\]])*\]|\((\?P?<([a-zA-Z_][a-zA-Z0-9_]*)>|\?)?/g;
  for (const m of regex.matchAll(re)) {
    if (!m[0].startsWith('(')) continue;
    if (m[1] === '?') continue;
    names.push(m[2]);
  }
  if (anchoredRegExp(regex) === undefined) throw new SyntaxError(`invalid regular expression ${regex}`);
  return names;
}

/** Go's `Regexp.Expand` template (`$1`, `${1}`, `$name`, `$$`) as an RE2 rewrite string (`\1`, `\\`). */
function goTemplateToRe2(template: string, names: readonly (string | undefined)[]): string {
  let out = '';
  for (let i = 0; i < template.length; i++) {
    const c = template[i] as string;
    if (c === '\\') {
      out += '\\\\';
      continue;
    }
    if (c !== '$') {
      out += c;
      continue;
    }
    if (template[i + 1] === '$') {
      out += '$';
      i++;
      continue;
    }
    const m = /^\{([a-zA-Z0-9_]+)\}|^([a-zA-Z0-9_]+)/.exec(template.slice(i + 1));
    if (!m) {
      out += '$';
      continue;
    }
    const name = (m[1] ?? m[2]) as string;
    i += m[0].length;
    const index = /^\d+$/.test(name) ? Number(name) : names.indexOf(name);
    if (index >= 0 && index < names.length && index <= 9) out += `\\${index}`;
    else if (index >= 10) throw new UnsupportedPromqlError('label_replace with more than 9 capture groups');
  }
  return out;
}
