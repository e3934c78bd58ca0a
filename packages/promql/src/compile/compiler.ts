import type {
  AtModifier,
  BinaryNode,
  Expr,
  MatrixSelectorNode,
  SubqueryNode,
  VectorSelectorNode,
} from '../language/ast.ts';
import { PromqlParseError, UnsupportedPromqlError } from '../language/errors.ts';
import { sqlBigint, sqlDouble } from '../sql/sql-text.ts';
import { aggregate } from './aggregate.ts';
import { elementOp, isComparison, setOperation, vectorScalar, vectorVector } from './binary.ts';
import { goMax, goMin, logarithm, squareRoot } from './float-sql.ts';
import { histogramQuantile } from './histogram-quantile.ts';
import { labelJoin, labelReplace } from './label-functions.ts';
import { dropLabels } from './label-sql.ts';
import {
  type CompileSettings,
  type Grid,
  gridSteps,
  gridTimesSql,
  type SqlPlan,
  singleStep,
} from './plan.ts';
import { RANGE_FUNCTIONS, rangeFunction } from './range-functions.ts';
import type { RangeSource } from './range-window.ts';
import { selectorSamples } from './samples.ts';
import type { CompiledValue, KeyedVector } from './values.ts';

/** `value`, or NaN where DuckDB would raise an error and Go gives NaN (outside the function's domain). */
function nanWhen(v: string, outside: string, value: string): string {
  return `(CASE WHEN isnan(${v}) OR ${outside} THEN 'NaN'::DOUBLE ELSE ${value} END)`;
}

/** Functions of one instant-vector argument computed element-wise (they drop `__name__`). */
const ELEMENTWISE: Readonly<Record<string, (v: string) => string>> = {
  abs: (v) => `abs(${v})`,
  ceil: (v) => `ceil(${v})`,
  floor: (v) => `floor(${v})`,
  exp: (v) => `exp(${v})`,
  sqrt: squareRoot,
  ln: (v) => logarithm('ln', v),
  log2: (v) => logarithm('log2', v),
  log10: (v) => logarithm('log10', v),
  sin: (v) => nanWhen(v, `isinf(${v})`, `sin(${v})`),
  cos: (v) => nanWhen(v, `isinf(${v})`, `cos(${v})`),
  tan: (v) => nanWhen(v, `isinf(${v})`, `tan(${v})`),
  asin: (v) => nanWhen(v, `abs(${v}) > 1`, `asin(${v})`),
  acos: (v) => nanWhen(v, `abs(${v}) > 1`, `acos(${v})`),
  atan: (v) => `atan(${v})`,
  sinh: (v) => `sinh(${v})`,
  cosh: (v) => `cosh(${v})`,
  tanh: (v) => `tanh(${v})`,
  asinh: (v) => `asinh(${v})`,
  acosh: (v) => `acosh(${v})`,
  atanh: (v) => nanWhen(v, `abs(${v}) > 1`, `atanh(${v})`),
  deg: (v) => `(${v} * 180 / pi())`,
  rad: (v) => `(${v} * pi() / 180)`,
  sgn: (v) =>
    `(CASE WHEN isnan(${v}) THEN ${v} WHEN ${v} > 0 THEN 1.0 WHEN ${v} < 0 THEN -1.0 ELSE 0.0 END)::DOUBLE`,
};

/** Date functions of a timestamp (UTC), as Go's `time.Time` methods give them. */
const DATE_PARTS: Readonly<Record<string, (ts: string) => string>> = {
  minute: (ts) => `minute(${ts})`,
  hour: (ts) => `hour(${ts})`,
  day_of_week: (ts) => `dayofweek(${ts})`,
  day_of_month: (ts) => `day(${ts})`,
  day_of_year: (ts) => `dayofyear(${ts})`,
  days_in_month: (ts) => `day(last_day(${ts}))`,
  month: (ts) => `month(${ts})`,
  year: (ts) => `year(${ts})`,
};

/** Seconds (truncated, as Go's `time.Unix(int64(v), 0)`) as a UTC TIMESTAMP; non-finite values fail. */
function unixSecondsTimestamp(v: string): string {
  return `make_timestamp(CASE WHEN isnan(${v}) OR isinf(${v}) THEN error('cannot convert a non-finite value to a date') ELSE CAST(trunc(${v}) AS BIGINT) * 1000000 END)`;
}

/**
 * Compiles a PromQL tree to SQL relations over core's tables, evaluated on a step grid.
 * @example new Compiler(plan, settings).compile(parsePromql('sum(rate(x_total[5m]))'), grid)
 */
export class Compiler {
  constructor(
    private readonly plan: SqlPlan,
    private readonly settings: CompileSettings,
  ) {}

  /** The value of `expr` at every step of `grid`. */
  compile(expr: Expr, grid: Grid): CompiledValue {
    switch (expr.type) {
      case 'number':
        return {
          type: 'scalar',
          cte: this.plan.cte(`SELECT t, ${sqlDouble(expr.value)} AS v FROM (${gridTimesSql(grid)})`),
        };
      case 'string':
        return { type: 'string', value: expr.value };
      case 'paren':
        return this.compile(expr.expr, grid);
      case 'unary':
        return this.unary(expr.op, expr.expr, grid);
      case 'selector':
        return { type: 'vector', cte: this.instantSelector(expr, grid, false) };
      case 'matrix':
      case 'subquery':
        return { type: 'matrix', cte: this.matrixSamples(expr, grid) };
      case 'aggregate':
        return this.aggregation(expr, grid);
      case 'binary':
        return this.binary(expr, grid);
      case 'call':
        return this.call(expr.func, expr.args, grid);
    }
  }

  private vector(expr: Expr, grid: Grid, what: string): string {
    return this.vectorValue(expr, grid, what).cte;
  }

  /** An instant vector operand with its keyed form when it has one. */
  private vectorValue(expr: Expr, grid: Grid, what: string): { cte: string; keyed?: KeyedVector } {
    const v = this.compile(expr, grid);
    if (v.type !== 'vector')
      throw new PromqlParseError(`expected type instant vector in ${what}, got ${typeName(v.type)}`);
    return v;
  }

  private scalar(expr: Expr, grid: Grid, what: string): string {
    const v = this.compile(expr, grid);
    if (v.type !== 'scalar')
      throw new PromqlParseError(`expected type scalar in ${what}, got ${typeName(v.type)}`);
    return v.cte;
  }

  private atTime(at: AtModifier): number {
    if (at.kind === 'start') return this.settings.queryStart;
    if (at.kind === 'end') return this.settings.queryEnd;
    return at.ms;
  }

  /** Evaluates `inner` once at the `@` time and repeats its rows at every step of `grid`. */
  private replicate(inner: string, grid: Grid): string {
    return this.plan.cte(`SELECT x.labels, g.t, x.v FROM ${inner} x CROSS JOIN (${gridTimesSql(grid)}) g`);
  }

  /** An instant vector selector: per series and step, the newest sample within the lookback delta. */
  private instantSelector(sel: VectorSelectorNode, grid: Grid, valueIsTime: boolean): string {
    if (sel.at) {
      const inner = this.instantSelector(
        { ...sel, at: undefined },
        singleStep(this.atTime(sel.at)),
        valueIsTime,
      );
      return this.replicate(inner, grid);
    }
    const lookback = this.settings.lookbackMs;
    const off = sel.offset;
    const { samples, series } = selectorSamples(this.plan, sel, grid.start - off - lookback, grid.end - off, {
      tables: this.settings.tables,
      scalarKeys: this.settings.scalarKeys?.get(sel.matchers),
    });
    const last = gridSteps(grid) - 1;
    const shift = `${sqlBigint(off)} - ${sqlBigint(grid.start)}`;
    const covered = `least(coalesce(next_st - 1, st + ${sqlBigint(lookback)}), st + ${sqlBigint(lookback)})`;
    return this.plan.cte(
      `SELECT s.labels, ${sqlBigint(grid.start)} + k * ${sqlBigint(grid.step)} AS t, ${valueIsTime ? 'st / 1000.0' : 'v'} AS v FROM (
         SELECT sid, st, v, unnest(range(k_lo, k_hi + 1)) AS k FROM (
           SELECT sid, st, v, stale,
             greatest(0, ceil((st + ${shift})::DOUBLE / ${grid.step})::BIGINT) AS k_lo,
             least(${last}, floor((${covered} + ${shift})::DOUBLE / ${grid.step})::BIGINT) AS k_hi
           FROM (SELECT *, lead(st) OVER (PARTITION BY sid ORDER BY st) AS next_st FROM ${samples})
         ) WHERE k_lo <= k_hi AND NOT stale
       ) JOIN ${series} s USING (sid)`,
    );
  }

  /** The samples a range selector or subquery gives a range function, and its window. */
  private rangeSource(node: MatrixSelectorNode | SubqueryNode, grid: Grid): RangeSource {
    if (node.type === 'matrix') {
      const off = node.selector.offset;
      const selected = selectorSamples(
        this.plan,
        node.selector,
        grid.start - off - node.range,
        grid.end - off,
        { tables: this.settings.tables, scalarKeys: this.settings.scalarKeys?.get(node.selector.matchers) },
      );
      return { ...selected, range: node.range, offset: off };
    }
    const step = node.step || this.settings.subqueryStepMs;
    const lower = grid.start - node.offset - node.range;
    let start = step * Math.trunc(lower / step);
    if (start < lower) start += step;
    const inner: Grid = { start, end: grid.end - node.offset, step };
    if (inner.start > inner.end) {
      const none = this.plan.cte(
        'SELECT 0::UBIGINT AS sid, 0::BIGINT AS st, 0.0::DOUBLE AS v, FALSE AS stale WHERE FALSE',
      );
      const noSeries = this.plan.cte(
        'SELECT 0::UBIGINT AS sid, NULL::MAP(VARCHAR, VARCHAR) AS labels WHERE FALSE',
      );
      return { samples: none, series: noSeries, range: node.range, offset: node.offset };
    }
    const values = this.plan.cte(
      `SELECT *, hash(labels) AS sid FROM ${this.vector(node.expr, inner, 'subquery')}`,
    );
    const samples = this.plan.cte(`SELECT sid, t AS st, v, FALSE AS stale FROM ${values}`);
    const series = this.plan.cte(`SELECT sid, any_value(labels) AS labels FROM ${values} GROUP BY sid`);
    return { samples, series, range: node.range, offset: node.offset };
  }

  private atOf(node: MatrixSelectorNode | SubqueryNode): AtModifier | undefined {
    return node.type === 'matrix' ? node.selector.at : node.at;
  }

  private withoutAt(node: MatrixSelectorNode | SubqueryNode): MatrixSelectorNode | SubqueryNode {
    return node.type === 'matrix'
      ? { ...node, selector: { ...node.selector, at: undefined } }
      : { ...node, at: undefined };
  }

  /** Raw samples of a range selector or subquery per step (the result of an instant query of one). */
  private matrixSamples(node: MatrixSelectorNode | SubqueryNode, grid: Grid): string {
    const at = this.atOf(node);
    if (at) {
      const inner = this.matrixSamples(this.withoutAt(node), singleStep(this.atTime(at)));
      return this.plan.cte(
        `SELECT x.labels, g.t, x.st, x.v FROM ${inner} x CROSS JOIN (${gridTimesSql(grid)}) g`,
      );
    }
    const source = this.rangeSource(node, grid);
    return this.plan.cte(
      `SELECT labels, t, st, v FROM (
         SELECT l.labels, g.t, s.st, s.v FROM ${source.samples} s JOIN (${gridTimesSql(grid)}) g
           ON s.st BETWEEN g.t - ${sqlBigint(source.offset + source.range)} AND g.t - ${sqlBigint(source.offset)}
           JOIN ${source.series} l USING (sid)
         WHERE NOT s.stale
       )`,
    );
  }

  private unary(op: '-' | '+', expr: Expr, grid: Grid): CompiledValue {
    const v = this.compile(expr, grid);
    if (op === '+') return v;
    if (v.type === 'scalar') return { type: 'scalar', cte: this.plan.cte(`SELECT t, -v AS v FROM ${v.cte}`) };
    if (v.type === 'vector') {
      return {
        type: 'vector',
        cte: this.plan.cte(
          `SELECT ${dropLabels(this.plan, 'labels', [], true)} AS labels, t, -v AS v FROM ${v.cte}`,
        ),
      };
    }
    throw new PromqlParseError(
      `unary expression only allowed on expressions of type scalar or instant vector, got ${typeName(v.type)}`,
    );
  }

  private aggregation(node: Extract<Expr, { type: 'aggregate' }>, grid: Grid): CompiledValue {
    const input = this.vectorValue(node.expr, grid, `aggregation "${node.op}"`);
    let param: number | string | undefined;
    if (node.op === 'count_values') {
      const p = this.literalString(node.param);
      if (p === undefined) throw new PromqlParseError('expected type string in aggregation parameter');
      if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(p)) throw new PromqlParseError(`invalid label name "${p}"`);
      param = p;
    } else if (node.param) {
      param = this.literalNumber(node.param);
      if (param === undefined) throw new UnsupportedPromqlError(`non-literal parameter of "${node.op}"`);
    }
    return { type: 'vector', ...aggregate(this.plan, node, input, param) };
  }

  private literalNumber(expr: Expr | undefined): number | undefined {
    if (!expr) return undefined;
    if (expr.type === 'number') return expr.value;
    if (expr.type === 'paren') return this.literalNumber(expr.expr);
    if (expr.type === 'unary') {
      const v = this.literalNumber(expr.expr);
      return v === undefined ? undefined : expr.op === '-' ? -v : v;
    }
    return undefined;
  }

  private literalString(expr: Expr | undefined): string | undefined {
    if (!expr) return undefined;
    if (expr.type === 'string') return expr.value;
    if (expr.type === 'paren') return this.literalString(expr.expr);
    return undefined;
  }

  private binary(node: BinaryNode, grid: Grid): CompiledValue {
    const lhs = this.compile(node.lhs, grid);
    const rhs = this.compile(node.rhs, grid);
    const setOp = node.op === 'and' || node.op === 'or' || node.op === 'unless';
    if (lhs.type === 'string' || rhs.type === 'string' || lhs.type === 'matrix' || rhs.type === 'matrix') {
      throw new PromqlParseError('binary expression must contain only scalar and instant vector types');
    }
    if (setOp) {
      if (lhs.type !== 'vector' || rhs.type !== 'vector') {
        throw new PromqlParseError(`set operator "${node.op}" not allowed in binary scalar expression`);
      }
      return { type: 'vector', cte: setOperation(this.plan, node, lhs.cte, rhs.cte) };
    }
    if (node.bool && !isComparison(node.op))
      throw new PromqlParseError('bool modifier can only be used on comparison operators');
    if (lhs.type === 'scalar' && rhs.type === 'scalar') {
      if (isComparison(node.op) && !node.bool)
        throw new PromqlParseError('comparisons between scalars must use BOOL modifier');
      const { value } = elementOp(node.op, 'a.v', 'b.v', true, 'a.v');
      return {
        type: 'scalar',
        cte: this.plan.cte(`SELECT a.t, ${value} AS v FROM ${lhs.cte} a JOIN ${rhs.cte} b ON a.t = b.t`),
      };
    }
    if (lhs.type === 'vector' && rhs.type === 'vector') {
      return { type: 'vector', cte: vectorVector(this.plan, node, lhs.cte, rhs.cte) };
    }
    // As Prometheus' parser: matching modifiers with a scalar side are an error only when they name labels.
    if (node.matching.labels.length > 0) {
      throw new PromqlParseError('vector matching only allowed between instant vectors');
    }
    const scalarLeft = lhs.type === 'scalar';
    const [vector, scalar] = scalarLeft ? [rhs.cte, lhs.cte] : [lhs.cte, rhs.cte];
    return { type: 'vector', cte: vectorScalar(this.plan, node, vector, scalar, scalarLeft) };
  }

  private call(func: string, args: Expr[], grid: Grid): CompiledValue {
    const arity = (min: number, max = min) => {
      if (args.length < min || args.length > max) {
        throw new PromqlParseError(
          `expected ${min === max ? min : `${min} to ${max}`} argument(s) in call to "${func}", got ${args.length}`,
        );
      }
    };
    const what = `call to function "${func}"`;
    if (RANGE_FUNCTIONS.has(func)) {
      // quantile_over_time(q, v[r]) and predict_linear(v[r], t) take a literal number besides the range.
      const paramIndex = func === 'quantile_over_time' ? 0 : func === 'predict_linear' ? 1 : -1;
      const hasParam = paramIndex >= 0;
      arity(hasParam ? 2 : 1);
      const node = args[paramIndex === 0 ? 1 : 0] as Expr;
      if (node.type !== 'matrix' && node.type !== 'subquery') {
        throw new PromqlParseError(
          `expected type range vector in ${what}, got ${typeName(this.compile(node, grid).type)}`,
        );
      }
      let param: number | undefined;
      if (hasParam) {
        param = this.literalNumber(args[paramIndex]);
        if (param === undefined) throw new UnsupportedPromqlError(`non-literal parameter of "${func}"`);
      }
      const at = this.atOf(node);
      if (at) {
        const once = singleStep(this.atTime(at));
        const inner = rangeFunction(
          this.plan,
          func,
          this.rangeSource(this.withoutAt(node), once),
          once,
          param,
        );
        return { type: 'vector', cte: this.replicate(inner.cte, grid) };
      }
      const { cte, keyed } = rangeFunction(this.plan, func, this.rangeSource(node, grid), grid, param);
      return { type: 'vector', cte, keyed };
    }
    const elementwise = ELEMENTWISE[func];
    if (elementwise) {
      arity(1);
      return this.mapVector(this.vector(args[0] as Expr, grid, what), elementwise, true);
    }
    const datePart = DATE_PARTS[func];
    if (datePart) {
      arity(0, 1);
      const input = args[0]
        ? this.vector(args[0], grid, what)
        : this.plan.cte(
            `SELECT MAP {}::MAP(VARCHAR, VARCHAR) AS labels, t, t / 1000.0 AS v FROM (${gridTimesSql(grid)})`,
          );
      return this.mapVector(input, (v) => `${datePart(unixSecondsTimestamp(v))}::DOUBLE`, true);
    }
    switch (func) {
      case 'time':
        arity(0);
        return {
          type: 'scalar',
          cte: this.plan.cte(`SELECT t, t / 1000.0 AS v FROM (${gridTimesSql(grid)})`),
        };
      case 'pi':
        arity(0);
        return { type: 'scalar', cte: this.plan.cte(`SELECT t, pi() AS v FROM (${gridTimesSql(grid)})`) };
      case 'vector': {
        arity(1);
        const s = this.scalar(args[0] as Expr, grid, what);
        return {
          type: 'vector',
          cte: this.plan.cte(`SELECT MAP {}::MAP(VARCHAR, VARCHAR) AS labels, t, v FROM ${s}`),
        };
      }
      case 'scalar': {
        arity(1);
        const v = this.vector(args[0] as Expr, grid, what);
        return {
          type: 'scalar',
          cte: this.plan.cte(
            `SELECT g.t, CASE WHEN count(x.v) = 1 THEN any_value(x.v) ELSE 'NaN'::DOUBLE END AS v
             FROM (${gridTimesSql(grid)}) g LEFT JOIN ${v} x ON x.t = g.t GROUP BY g.t`,
          ),
        };
      }
      case 'timestamp': {
        arity(1);
        const arg = unwrapParens(args[0] as Expr);
        if (arg.type === 'selector') {
          const cte = this.instantSelector(arg, grid, true);
          return {
            type: 'vector',
            cte: this.plan.cte(
              `SELECT ${dropLabels(this.plan, 'labels', [], true)} AS labels, t, v FROM ${cte}`,
            ),
          };
        }
        return this.mapVector(this.vector(arg, grid, what), () => 't / 1000.0', true);
      }
      case 'sort':
      case 'sort_desc':
        arity(1);
        return { type: 'vector', cte: this.vector(args[0] as Expr, grid, what) };
      case 'round': {
        arity(1, 2);
        const to = args[1] ? this.literalNumber(args[1]) : 1;
        if (to === undefined) throw new UnsupportedPromqlError('non-literal "to_nearest" in "round"');
        const inverse = sqlDouble(1 / to);
        return this.mapVector(
          this.vector(args[0] as Expr, grid, what),
          (v) => `floor(${v} * ${inverse} + 0.5) / ${inverse}`,
          true,
        );
      }
      case 'clamp':
      case 'clamp_min':
      case 'clamp_max':
        return this.clamp(func, args, grid, arity);
      case 'histogram_quantile': {
        arity(2);
        const q = this.literalNumber(args[0]);
        if (q === undefined) throw new UnsupportedPromqlError('non-literal quantile in "histogram_quantile"');
        return {
          type: 'vector',
          cte: histogramQuantile(this.plan, q, this.vectorValue(args[1] as Expr, grid, what)),
        };
      }
      case 'label_replace':
        arity(5);
        return this.labelReplace(args, grid);
      case 'label_join':
        if (args.length < 3) arity(3, Number.POSITIVE_INFINITY);
        return this.labelJoin(args, grid);
      case 'absent_over_time':
        arity(1);
        return this.absentOverTime(args[0] as Expr, grid);
      case 'absent':
        arity(1);
        return this.absent(args[0] as Expr, grid);
      default:
        throw new UnsupportedPromqlError(`function "${func}"`);
    }
  }

  private mapVector(input: string, fn: (v: string) => string, dropName: boolean): CompiledValue {
    const labels = dropName ? dropLabels(this.plan, 'labels', [], true) : 'labels';
    return {
      type: 'vector',
      cte: this.plan.cte(`SELECT ${labels} AS labels, t, ${fn('v')} AS v FROM ${input}`),
    };
  }

  private clamp(
    func: string,
    args: Expr[],
    grid: Grid,
    arity: (min: number, max?: number) => void,
  ): CompiledValue {
    arity(func === 'clamp' ? 3 : 2);
    const what = `call to function "${func}"`;
    const input = this.vector(args[0] as Expr, grid, what);
    const lo = func === 'clamp_max' ? undefined : this.scalar(args[1] as Expr, grid, what);
    const hi =
      func === 'clamp_min' ? undefined : this.scalar(args[func === 'clamp' ? 2 : 1] as Expr, grid, what);
    let value = 'x.v';
    if (hi) value = goMin('hi.v', value);
    if (lo) value = goMax('lo.v', value);
    const joins = `${lo ? ` JOIN ${lo} lo ON lo.t = x.t` : ''}${hi ? ` JOIN ${hi} hi ON hi.t = x.t` : ''}`;
    const where = lo && hi ? 'WHERE NOT (hi.v < lo.v AND NOT isnan(hi.v) AND NOT isnan(lo.v))' : '';
    const labels = dropLabels(this.plan, 'x.labels', [], true);
    return {
      type: 'vector',
      cte: this.plan.cte(`SELECT ${labels} AS labels, x.t, ${value} AS v FROM ${input} x${joins} ${where}`),
    };
  }

  private stringArgs(args: Expr[], from: number, func: string): string[] {
    return args.slice(from).map((a) => {
      const s = this.literalString(a);
      if (s === undefined) throw new PromqlParseError(`expected type string in call to function "${func}"`);
      return s;
    });
  }

  private labelReplace(args: Expr[], grid: Grid): CompiledValue {
    const input = this.vector(args[0] as Expr, grid, 'call to function "label_replace"');
    const [dst, replacement, src, regex] = this.stringArgs(args, 1, 'label_replace') as [
      string,
      string,
      string,
      string,
    ];
    return { type: 'vector', cte: labelReplace(this.plan, input, dst, replacement, src, regex) };
  }

  private labelJoin(args: Expr[], grid: Grid): CompiledValue {
    const input = this.vector(args[0] as Expr, grid, 'call to function "label_join"');
    const [dst, sep, ...srcs] = this.stringArgs(args, 1, 'label_join') as [string, string, ...string[]];
    return { type: 'vector', cte: labelJoin(this.plan, input, dst, sep, srcs) };
  }

  /** `absent_over_time(v[r])`: 1 at the steps where no series has a sample in the window. */
  private absentOverTime(arg: Expr, grid: Grid): CompiledValue {
    const node = unwrapParens(arg);
    if (node.type !== 'matrix') {
      if (node.type === 'subquery') throw new UnsupportedPromqlError('absent_over_time of a subquery');
      throw new PromqlParseError('expected type range vector in call to function "absent_over_time"');
    }
    const present = this.call('count_over_time', [node], grid) as { cte: string };
    return this.absentAt(present.cte, absentLabels(node.selector), grid);
  }

  /** `absent(v)`: 1 at the steps where `v` has no element (labels from a selector's equality matchers). */
  private absent(arg: Expr, grid: Grid): CompiledValue {
    const node = unwrapParens(arg);
    const present = this.vector(node, grid, 'call to function "absent"');
    return this.absentAt(present, node.type === 'selector' ? absentLabels(node) : {}, grid);
  }

  private absentAt(present: string, labels: Record<string, string>, grid: Grid): CompiledValue {
    const entries = Object.keys(labels)
      .sort()
      .map((k) => `{'key': ${this.plan.param(k)}, 'value': ${this.plan.param(labels[k] as string)}}`);
    const map =
      entries.length === 0 ? 'MAP {}::MAP(VARCHAR, VARCHAR)' : `map_from_entries([${entries.join(', ')}])`;
    return {
      type: 'vector',
      cte: this.plan.cte(
        `SELECT ${map} AS labels, g.t, 1.0::DOUBLE AS v FROM (${gridTimesSql(grid)}) g
         WHERE NOT EXISTS (SELECT 1 FROM ${present} p WHERE p.t = g.t)`,
      ),
    };
  }
}

/** Labels `absent*` gives its output: the selector's equality matchers but `__name__` (each name once). */
function absentLabels(sel: VectorSelectorNode): Record<string, string> {
  const out: Record<string, string> = {};
  const seen = new Set<string>();
  for (const m of sel.matchers) {
    if (m.name === '__name__') continue;
    if (m.op === '=' && !seen.has(m.name)) out[m.name] = m.value;
    else delete out[m.name];
    seen.add(m.name);
  }
  return out;
}

function unwrapParens(e: Expr): Expr {
  return e.type === 'paren' ? unwrapParens(e.expr) : e;
}

function typeName(t: CompiledValue['type']): string {
  return t === 'vector' ? 'instant vector' : t === 'matrix' ? 'range vector' : t;
}
