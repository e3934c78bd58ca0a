import type { SyntaxNode } from '@lezer/common';
import { parser } from '@prometheus-io/lezer-promql';
import type { AtModifier, BinaryOp, Expr, Matcher, VectorMatching, VectorSelectorNode } from './ast.ts';
import { parseDuration } from './duration.ts';
import { PromqlParseError, UnsupportedPromqlError } from './errors.ts';
import { anchoredRegExp } from './re2.ts';
import { unquoteString } from './string-literal.ts';

const BINARY_OPS: Readonly<Record<string, BinaryOp>> = {
  Pow: '^',
  Mul: '*',
  Div: '/',
  Mod: '%',
  Atan2: 'atan2',
  Add: '+',
  Sub: '-',
  Eql: '==',
  Neq: '!=',
  Gtr: '>',
  Lss: '<',
  Gte: '>=',
  Lte: '<=',
  And: 'and',
  Or: 'or',
  Unless: 'unless',
};

const MATCH_OPS: Readonly<Record<string, Matcher['op']>> = {
  EqlSingle: '=',
  Neq: '!=',
  EqlRegex: '=~',
  NeqRegex: '!~',
};

/**
 * Parses PromQL with the Prometheus project's grammar (`@prometheus-io/lezer-promql`) into the compiler's tree.
 * Constructs newer than Prometheus 2.42 (duration arithmetic, `fill`, `anchored`, ...) are refused.
 * @throws PromqlParseError on a syntax error; UnsupportedPromqlError naming a construct Duckside lacks.
 * @example parsePromql('rate(http_requests_total[5m])')
 */
export function parsePromql(text: string): Expr {
  const tree = parser.parse(text);
  tree.iterate({
    enter(node) {
      if (node.type.isError) {
        throw new PromqlParseError(
          `parse error at char ${node.from + 1}: unexpected input in ${JSON.stringify(text)}`,
        );
      }
    },
  });
  const top = tree.topNode.firstChild;
  if (!top) throw new PromqlParseError('no expression found in input');
  return new TreeReader(text).expr(top);
}

class TreeReader {
  constructor(private readonly text: string) {}

  private src(node: SyntaxNode): string {
    return this.text.slice(node.from, node.to);
  }

  private children(node: SyntaxNode): SyntaxNode[] {
    const out: SyntaxNode[] = [];
    for (let c = node.firstChild; c; c = c.nextSibling) out.push(c);
    return out;
  }

  expr(node: SyntaxNode): Expr {
    const kids = this.children(node);
    switch (node.name) {
      case 'NumberDurationLiteral':
        return { type: 'number', value: parseNumber(this.src(node)) };
      case 'StringLiteral':
        return { type: 'string', value: unquoteString(this.src(node)) };
      case 'ParenExpr':
        return { type: 'paren', expr: this.expr(kids[0] as SyntaxNode) };
      case 'UnaryExpr': {
        const op = this.src(kids[0] as SyntaxNode) as '-' | '+';
        return { type: 'unary', op, expr: this.expr(kids[1] as SyntaxNode) };
      }
      case 'VectorSelector':
        return this.selector(kids);
      case 'MatrixSelector':
        return this.postfix(this.expr(kids[0] as SyntaxNode), (inner) => {
          if (inner.type !== 'selector') {
            throw new PromqlParseError('ranges only allowed for vector selectors');
          }
          return { type: 'matrix', selector: inner, range: this.duration(kids[1] as SyntaxNode) };
        });
      case 'SubqueryExpr':
        return this.postfix(this.expr(kids[0] as SyntaxNode), (inner) => ({
          type: 'subquery',
          expr: inner,
          range: this.duration(kids[1] as SyntaxNode),
          step: kids[2] ? this.duration(kids[2]) : 0,
          offset: 0,
          at: undefined,
        }));
      case 'OffsetExpr':
        return this.postfix(this.expr(kids[0] as SyntaxNode), (inner) =>
          withOffset(inner, this.offset(kids.slice(2))),
        );
      case 'StepInvariantExpr':
        return this.postfix(this.expr(kids[0] as SyntaxNode), (inner) => withAt(inner, this.at(kids[2])));
      case 'FunctionCall': {
        const name = this.src(kids[0] as SyntaxNode);
        return { type: 'call', func: name, args: this.args(kids[1] as SyntaxNode) };
      }
      case 'AggregateExpr':
        return this.aggregate(kids);
      case 'BinaryExpr':
        return this.binary(kids);
      default:
        throw new UnsupportedPromqlError(`${node.name} (${this.src(node)})`);
    }
  }

  /**
   * Applies a postfix modifier (`[range]`, `[range:step]`, `offset`, `@`). The grammar attaches these to a
   * whole binary or unary expression to their left; Prometheus binds them to the nearest operand.
   */
  private postfix(inner: Expr, apply: (e: Expr) => Expr): Expr {
    if (inner.type === 'binary') return { ...inner, rhs: this.postfix(inner.rhs, apply) };
    if (inner.type === 'unary') return { ...inner, expr: this.postfix(inner.expr, apply) };
    return apply(inner);
  }

  private duration(node: SyntaxNode): number {
    const kids = this.children(node);
    if (
      node.name !== 'DurationExpr' ||
      kids.length !== 1 ||
      kids[0]?.name !== 'NumberDurationLiteralInDurationContext'
    ) {
      throw new UnsupportedPromqlError(`duration expression ${this.src(node)}`);
    }
    return parseDuration(this.src(kids[0]));
  }

  private offset(nodes: SyntaxNode[]): number {
    const node = nodes[0];
    if (!node) throw new PromqlParseError('offset without a duration');
    const kids = this.children(node);
    if (kids[0]?.name === 'UnaryOp') {
      const sign = this.src(kids[0]) === '-' ? -1 : 1;
      return sign * this.offset(kids.slice(1));
    }
    if (kids.length !== 1 || kids[0]?.name !== 'NumberDurationLiteralInDurationContext') {
      throw new UnsupportedPromqlError(`offset expression ${this.src(node)}`);
    }
    return parseDuration(this.src(kids[0]));
  }

  private at(node: SyntaxNode | undefined): AtModifier {
    if (!node) throw new PromqlParseError('@ without a time');
    if (node.name === 'AtModifierPreprocessors') {
      return this.src(node) === 'start' ? { kind: 'start' } : { kind: 'end' };
    }
    const seconds = parseNumber(this.src(node));
    if (!Number.isFinite(seconds)) throw new PromqlParseError('timestamp out of bounds for @ modifier');
    return { kind: 'time', ms: Math.round(seconds * 1000) };
  }

  private args(body: SyntaxNode): Expr[] {
    return this.children(body).map((c) => this.expr(c));
  }

  private labelList(node: SyntaxNode): string[] {
    return this.children(node).map((c) =>
      c.name === 'LabelName' ? this.src(c) : unquoteString(this.src(c.firstChild ?? c)),
    );
  }

  private selector(kids: SyntaxNode[]): VectorSelectorNode {
    const matchers: Matcher[] = [];
    let name: string | undefined;
    for (const kid of kids) {
      if (kid.name === 'Identifier') name = this.src(kid);
      else for (const m of this.children(kid)) matchers.push(this.matcher(m));
    }
    if (name !== undefined) {
      if (matchers.some((m) => m.name === '__name__')) {
        throw new PromqlParseError(`metric name must not be set twice: "${name}"`);
      }
      matchers.unshift({ name: '__name__', op: '=', value: name });
    }
    const nonEmpty = matchers.some((m) => !matchesEmpty(m));
    if (!nonEmpty) throw new PromqlParseError('vector selector must contain at least one non-empty matcher');
    return { type: 'selector', matchers, offset: 0, at: undefined };
  }

  private matcher(node: SyntaxNode): Matcher {
    const kids = this.children(node);
    if (node.name === 'QuotedLabelName') {
      return { name: '__name__', op: '=', value: unquoteString(this.src(kids[0] ?? node)) };
    }
    const [label, op, value] = kids as [SyntaxNode, SyntaxNode, SyntaxNode];
    const name =
      node.name === 'QuotedLabelMatcher'
        ? unquoteString(this.src(label.firstChild ?? label))
        : this.src(label);
    const opName = op.firstChild?.name ?? '';
    const m: Matcher = { name, op: MATCH_OPS[opName] ?? '=', value: unquoteString(this.src(value)) };
    if (m.op === '=~' || m.op === '!~') checkRegex(m.value);
    return m;
  }

  private aggregate(kids: SyntaxNode[]): Expr {
    const op = this.src(kids[0] as SyntaxNode);
    let grouping: string[] = [];
    let without = false;
    let body: SyntaxNode | undefined;
    for (const kid of kids.slice(1)) {
      if (kid.name === 'AggregateModifier') {
        const [kw, labels] = this.children(kid) as [SyntaxNode, SyntaxNode];
        without = kw.name === 'Without';
        grouping = this.labelList(labels);
      } else body = kid;
    }
    const args = body ? this.args(body) : [];
    const takesParam = ['topk', 'bottomk', 'quantile', 'count_values'].includes(op);
    if (args.length !== (takesParam ? 2 : 1)) {
      throw new PromqlParseError(
        `wrong number of arguments for aggregate expression provided, expected ${takesParam ? 2 : 1}, got ${args.length}`,
      );
    }
    const expr = args[args.length - 1] as Expr;
    return { type: 'aggregate', op, param: takesParam ? args[0] : undefined, expr, grouping, without };
  }

  private binary(kids: SyntaxNode[]): Expr {
    const [lhsNode, opNode] = kids as [SyntaxNode, SyntaxNode];
    const rhsNode = kids[kids.length - 1] as SyntaxNode;
    const op = BINARY_OPS[opNode.name];
    if (!op) throw new UnsupportedPromqlError(`operator ${this.src(opNode)}`);
    let bool = false;
    const matching: VectorMatching = { card: 'one-to-one', on: false, labels: [], include: [] };
    for (const kid of kids.slice(2, -1)) {
      if (kid.name === 'BoolModifier') bool = true;
      else if (kid.name === 'MatchingModifierClause') this.matchingClause(kid, matching);
      else throw new UnsupportedPromqlError(`binary operator modifier ${this.src(kid)}`);
    }
    const lhs = this.expr(lhsNode);
    const rhs = this.expr(rhsNode);
    return { type: 'binary', op, lhs, rhs, bool, matching };
  }

  private matchingClause(node: SyntaxNode, matching: VectorMatching): void {
    const kids = this.children(node);
    matching.on = kids[0]?.name === 'On';
    matching.labels = this.labelList(kids[1] as SyntaxNode);
    const group = kids[2];
    if (group) {
      matching.card = group.name === 'GroupLeft' ? 'many-to-one' : 'one-to-many';
      matching.include = kids[3] ? this.labelList(kids[3]) : [];
    }
  }
}

function withOffset(e: Expr, offset: number): Expr {
  if (e.type === 'selector') {
    if (e.offset !== 0) throw new PromqlParseError('offset may not be set multiple times');
    return { ...e, offset };
  }
  if (e.type === 'matrix') return { ...e, selector: withOffset(e.selector, offset) as VectorSelectorNode };
  if (e.type === 'subquery') {
    if (e.offset !== 0) throw new PromqlParseError('offset may not be set multiple times');
    return { ...e, offset };
  }
  throw new PromqlParseError(
    'offset modifier must be preceded by an instant vector selector or range vector selector or a subquery',
  );
}

function withAt(e: Expr, at: AtModifier): Expr {
  if (e.type === 'selector') {
    if (e.at) throw new PromqlParseError('@ <timestamp> may not be set multiple times');
    return { ...e, at };
  }
  if (e.type === 'matrix') return { ...e, selector: withAt(e.selector, at) as VectorSelectorNode };
  if (e.type === 'subquery') {
    if (e.at) throw new PromqlParseError('@ <timestamp> may not be set multiple times');
    return { ...e, at };
  }
  throw new PromqlParseError(
    '@ modifier must be preceded by an instant vector selector or range vector selector or a subquery',
  );
}

/** Parses a number literal as Go's `strconv.ParseFloat` (decimal, hex, Inf, NaN); durations are refused. */
function parseNumber(text: string): number {
  const t = text.trim();
  const sign = t.startsWith('-') ? -1 : 1;
  const body = t.replace(/^[-+]/, '');
  if (/^inf(inity)?$/i.test(body)) return sign * Number.POSITIVE_INFINITY;
  if (/^nan$/i.test(body)) return Number.NaN;
  if (/^0x[0-9a-f]+$/i.test(body)) return sign * Number.parseInt(body.slice(2), 16);
  if (/^(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(body)) return sign * Number(body);
  throw new UnsupportedPromqlError(`number literal ${text}`);
}

/** Whether a matcher matches the empty string (such a matcher alone selects everything). */
function matchesEmpty(m: Matcher): boolean {
  switch (m.op) {
    case '=':
      return m.value === '';
    case '!=':
      return m.value !== '';
    case '=~':
      return anchoredRegExp(m.value)?.test('') ?? false;
    case '!~':
      return !(anchoredRegExp(m.value)?.test('') ?? true);
  }
}

/**
 * Refuses a pattern JavaScript cannot read unless it uses RE2-only syntax (`\p{...}`, `[[:alpha:]]`, `\z`,
 * inline flag groups), which the database checks when it runs the query.
 */
function checkRegex(re: string): void {
  const re2Only = [/\\[pPzCQE]/, /\[\[:/, /\(\?[imsU-]+[):]/];
  if (anchoredRegExp(re) === undefined && !re2Only.some((r) => r.test(re))) {
    throw new PromqlParseError(`invalid regular expression ${JSON.stringify(re)}`);
  }
}
