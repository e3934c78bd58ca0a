/*
 * The PromQL syntax tree the compiler works on, built from the Prometheus grammar's parse tree (parse.ts).
 * Times and durations are integer milliseconds.
 */

/** A label matcher: `=`, `!=`, `=~`, `!~` (regexes fully anchored). */
export interface Matcher {
  name: string;
  op: '=' | '!=' | '=~' | '!~';
  value: string;
}

/** `@` of a selector or subquery: a fixed time, or the query's start or end. */
export type AtModifier = { kind: 'time'; ms: number } | { kind: 'start' } | { kind: 'end' };

/** An instant vector selector, `name{matchers} offset d @ t`. */
export interface VectorSelectorNode {
  type: 'selector';
  matchers: Matcher[];
  offset: number;
  at: AtModifier | undefined;
}

/** A range vector selector, `selector[range]`. */
export interface MatrixSelectorNode {
  type: 'matrix';
  selector: VectorSelectorNode;
  range: number;
}

/** A subquery, `expr[range:step] offset d @ t` (step 0: the query's step). */
export interface SubqueryNode {
  type: 'subquery';
  expr: Expr;
  range: number;
  step: number;
  offset: number;
  at: AtModifier | undefined;
}

/** How a binary operation between two vectors matches their elements. */
export interface VectorMatching {
  card: 'one-to-one' | 'many-to-one' | 'one-to-many';
  /** `on(...)` when true, `ignoring(...)` (or nothing) when false. */
  on: boolean;
  labels: string[];
  /** Labels of `group_left(...)` / `group_right(...)`. */
  include: string[];
}

/** A binary operator expression. */
export interface BinaryNode {
  type: 'binary';
  op: BinaryOp;
  lhs: Expr;
  rhs: Expr;
  bool: boolean;
  matching: VectorMatching;
}

/** The binary operators Prometheus 2.42 has. */
export type BinaryOp =
  | '+'
  | '-'
  | '*'
  | '/'
  | '%'
  | '^'
  | 'atan2'
  | '=='
  | '!='
  | '>'
  | '<'
  | '>='
  | '<='
  | 'and'
  | 'or'
  | 'unless';

/** An aggregation, `op by|without (labels) ([param,] expr)`. */
export interface AggregateNode {
  type: 'aggregate';
  op: string;
  param: Expr | undefined;
  expr: Expr;
  grouping: string[];
  without: boolean;
}

/** Any PromQL expression. */
export type Expr =
  | { type: 'number'; value: number }
  | { type: 'string'; value: string }
  | VectorSelectorNode
  | MatrixSelectorNode
  | SubqueryNode
  | { type: 'call'; func: string; args: Expr[] }
  | AggregateNode
  | BinaryNode
  | { type: 'unary'; op: '-' | '+'; expr: Expr }
  | { type: 'paren'; expr: Expr };

/** The value type of an expression. */
export type ValueType = 'scalar' | 'vector' | 'matrix' | 'string';
