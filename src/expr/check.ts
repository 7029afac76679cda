/**
 * The checker: AST → Pred (plan.ts). Resolves fields against the schema, substitutes templates, folds
 * constants and reports type errors as MilvusError 1100 with the position of the offending operator.
 */
import { DataType, isVectorType } from '../core/data-type.js';
import { MilvusError } from '../core/errors.js';
import { isZeroInterval, parseIsoInterval, parseIsoTimestamptz } from '../core/timestamptz.js';
import { fieldByName, type CollectionSchema, type FieldSchema } from '../core/schema.js';
import type { CompareOp, Node, Pos } from './ast.js';
import { filterError } from './filter-error.js';
import { compareNumbers, foldArith, isNumber, opResult } from './fold.js';
import type { Const, Operand, Pred } from './plan.js';
import { describe, resolveField, scalarTypeOf, typeOf } from './resolve-field.js';
import { templateValue } from './template-params.js';
import { checkSpatial, isSpatialCall, SPATIAL_OPS } from './spatial.js';
import { checkMatch } from './text-match.js';

/** Deepest nesting the checker accepts (and/or chains do not count: they are flattened). */
const MAX_DEPTH = 400;

const FLIP: Record<CompareOp, CompareOp> = { '==': '==', '!=': '!=', '<': '>', '<=': '>=', '>': '<', '>=': '<=' };
const UNSUPPORTED_CALLS = new Set([
  'random_sample', 'element_filter', 'match_all', 'match_any', 'match_least', 'match_most', 'match_exact',
]);

export function checkFilter(ast: Node, schema: CollectionSchema, params?: Record<string, unknown>): Pred {
  return new Checker(schema, params).pred(ast);
}

const INTERVAL_USAGE = "INTERVAL '…' is added to or subtracted from a TIMESTAMPTZ field and compared with a timestamp, e.g. ts + INTERVAL 'P1D' > ISO '2025-01-01T00:00:00Z'";

type ColumnOperand = Extract<Operand, { k: 'column' }>;

function isTimestamptz(op: Operand): op is ColumnOperand {
  return op.k === 'column' && op.field.dataType === DataType.Timestamptz;
}

/** A ParameterInvalid from the ISO / interval parsers, re-raised at the filter position. */
function atPos<T>(pos: Pos, f: () => T): T {
  try {
    return f();
  } catch (e) {
    const m = MilvusError.from(e).message.replace(/^invalid parameter "([^"]*)": /, '$1: ');
    throw filterError(pos, m);
  }
}

function constPred(value: boolean): Pred {
  return { p: 'const', value };
}

function mkNot(child: Pred): Pred {
  if (child.p === 'const') return constPred(!child.value);
  if (child.p === 'not') return child.child;
  return { p: 'not', child };
}

function mkLogic(op: 'and' | 'or', a: Pred, b: Pred): Pred {
  const children: Pred[] = [];
  for (const c of [a, b]) {
    if (c.p === 'const') {
      // true and x = x; false and x = false (x may be unknown, which also does not match).
      if (c.value === (op === 'and')) continue;
      return c;
    }
    if (c.p === op) children.push(...c.children);
    else children.push(c);
  }
  if (children.length === 0) return constPred(op === 'and');
  if (children.length === 1) return children[0]!;
  return { p: op, children };
}

class Checker {
  constructor(
    private readonly schema: CollectionSchema,
    private readonly params: Record<string, unknown> | undefined,
  ) {}

  private depth = 0;

  pred(n: Node): Pred {
    this.enter(n.pos);
    try {
      return this.predInner(n);
    } finally {
      this.depth--;
    }
  }

  value(n: Node): Operand {
    this.enter(n.pos);
    try {
      return this.valueInner(n);
    } finally {
      this.depth--;
    }
  }

  private enter(pos: Pos): void {
    if (++this.depth > MAX_DEPTH) throw filterError(pos, `expression is nested more than ${MAX_DEPTH} levels deep`);
  }

  /** `a and b and c ...` as one list, walked without recursion (long generated chains are common). */
  private logical(n: Extract<Node, { kind: 'logical' }>): Pred {
    const operands: Node[] = [];
    let cur: Node = n;
    while (cur.kind === 'logical' && cur.op === n.op) {
      operands.push(cur.right);
      cur = cur.left;
    }
    operands.push(cur);
    let acc = this.pred(operands[operands.length - 1]!);
    for (let i = operands.length - 2; i >= 0; i--) acc = mkLogic(n.op, acc, this.pred(operands[i]!));
    return acc;
  }

  private predInner(n: Node): Pred {
    switch (n.kind) {
      case 'logical':
        return this.logical(n);
      case 'unary':
        if (n.op === 'not') return mkNot(this.pred(n.operand));
        throw filterError(n.pos, `the filter needs a boolean condition here, but "${n.op}" makes a number`);
      case 'compare': {
        const shifted = this.timestampShift(n);
        if (shifted !== undefined) return shifted;
        const l = this.value(n.left);
        const r = this.value(n.right);
        if ((n.left.kind === 'iso' || n.right.kind === 'iso') && !isTimestamptz(l) && !isTimestamptz(r)) {
          throw filterError(n.pos, `ISO '…' is a TIMESTAMPTZ value; compare it with a Timestamptz field, not with ${describe(n.left.kind === 'iso' ? r : l)}`);
        }
        return this.compare(n.op, l, r, n.pos);
      }
      case 'range':
        return this.range(n);
      case 'in': {
        const operand = this.value(n.operand);
        const list = this.constValue(n.list, '"in" needs a list of constants, e.g. x in [1, 2, 3]');
        if (!Array.isArray(list)) throw filterError(n.pos, `"in" needs a list of constants, e.g. x in [1, 2, 3]; got ${describe({ k: 'const', value: list })}`);
        const p = this.inList(operand, list as readonly Const[], n.pos);
        return n.negated ? mkNot(p) : p;
      }
      case 'like':
        return this.like(n.operand, n.pattern, n.pos);
      case 'isNull': {
        // A vector field is usable in a filter only here: `vec is null` / `vec is not null` (nullable
        // vectors, Milvus 2.6 — the predicate Milvus adds for them in milvus-io/milvus#52239).
        const field = n.operand.path.length === 0 ? fieldByName(this.schema, n.operand.name) : undefined;
        if (field && !field.isDynamic && isVectorType(field.dataType)) return { p: 'vectorNull', field, negated: n.negated };
        return { p: 'isNull', operand: resolveField(n.operand, this.schema), negated: n.negated };
      }
      case 'exists': {
        const hint = 'exists takes a JSON key, e.g. exists meta["key"]';
        if (n.operand.kind !== 'field') throw filterError(n.pos, hint);
        const operand = resolveField(n.operand, this.schema);
        if (operand.k !== 'json' || operand.path.length === 0) throw filterError(n.pos, `${hint}; got ${describe(operand)}`);
        return { p: 'exists', operand };
      }
      case 'call':
        return this.call(n);
      case 'field': {
        const operand = resolveField(n, this.schema);
        if (operand.k === 'column' && operand.type === 'bool') return { p: 'cmp', op: '==', left: operand, right: { k: 'const', value: true } };
        throw filterError(n.pos, `${describe(operand)} is not a boolean condition; compare it, e.g. ${n.name} == ...`);
      }
      case 'bool':
        return constPred(n.value);
      case 'template': {
        const v = templateValue(n.name, this.params, n.pos);
        if (typeof v === 'boolean') return constPred(v);
        throw filterError(n.pos, `template variable {${n.name}} stands alone as a condition, so it must be a boolean`);
      }
      case 'bitwise':
        throw filterError(n.pos, `bitwise operator "${n.op}" is not supported in filters`);
      default:
        throw filterError(n.pos, `the filter needs a boolean condition here, got ${describe(this.value(n))}`);
    }
  }

  private valueInner(n: Node): Operand {
    switch (n.kind) {
      case 'int':
      case 'float':
      case 'string':
      case 'bool':
        return { k: 'const', value: n.value };
      case 'list':
        return { k: 'const', value: n.items.map((i) => this.constValue(i, 'list items must be constants')) };
      case 'iso':
        return { k: 'const', value: atPos(n.pos, () => parseIsoTimestamptz(n.value, 'ISO literal')) };
      case 'interval':
        throw filterError(n.pos, INTERVAL_USAGE);
      case 'template':
        return { k: 'const', value: templateValue(n.name, this.params, n.pos) };
      case 'field':
        return resolveField(n, this.schema);
      case 'unary': {
        if (n.op === 'not') {
          throw filterError(n.pos, '"not" applies to a condition and binds tighter than comparisons: write not (a > 1), not not a > 1');
        }
        if (n.op === '~') throw filterError(n.pos, 'bitwise operator "~" is not supported in filters');
        const v = this.value(n.operand);
        this.numeric(v, n.pos, n.op);
        if (v.k === 'const') return n.op === '-' ? { k: 'const', value: -(v.value as number) } : v;
        if (n.op === '+') return v;
        return { k: 'arith', op: '-', left: { k: 'const', value: 0n }, right: v, type: typeOf(v) === 'int' ? 'int' : 'float' };
      }
      case 'arith': {
        const l = this.value(n.left);
        const r = this.value(n.right);
        if (isTimestamptz(l) || isTimestamptz(r)) throw filterError(n.pos, `arithmetic on Timestamptz field "${(isTimestamptz(l) ? l : r as ColumnOperand).field.name}" takes an INTERVAL only: ${INTERVAL_USAGE}`);
        this.numeric(l, n.pos, n.op);
        this.numeric(r, n.pos, n.op);
        if (l.k === 'const' && r.k === 'const') return { k: 'const', value: foldArith(n.op, l.value as bigint | number, r.value as bigint | number, n.pos) };
        const tl = typeOf(l);
        const tr = typeOf(r);
        if (n.op === '%' && (tl === 'float' || tr === 'float')) throw filterError(n.pos, `the modulo operator % takes integers only; ${describe(tl === 'float' ? l : r)} is not`);
        if (r.k === 'const' && (n.op === '/' || n.op === '%') && Number(r.value) === 0) throw filterError(n.pos, n.op === '/' ? 'division by zero' : 'modulo by zero');
        return { k: 'arith', op: n.op, left: l, right: r, type: tl === 'int' && tr === 'int' && n.op !== '**' ? 'int' : 'float' };
      }
      case 'call': {
        if (n.name !== 'array_length') throw filterError(n.pos, `${n.name}(...) is a condition, not a value`);
        const args = this.args(n.args, 1, n.name, n.pos);
        const of = this.value(args[0]!);
        if (of.k !== 'array' && of.k !== 'json') throw filterError(n.pos, `array_length takes an Array field or a JSON array; got ${describe(of)}`);
        return { k: 'length', of };
      }
      case 'bitwise':
        throw filterError(n.pos, `bitwise operator "${n.op}" is not supported in filters`);
      default:
        throw filterError(n.pos, 'a condition cannot be used as a value here; compare values, then combine conditions with and/or');
    }
  }

  private constValue(n: Node, message: string): Const {
    const v = this.value(n);
    if (v.k !== 'const') throw filterError(n.pos, `${message}; got ${describe(v)}`);
    return v.value;
  }

  private numeric(v: Operand, pos: Pos, op: string): void {
    const t = typeOf(v);
    if (t !== 'int' && t !== 'float' && t !== 'json') throw filterError(pos, `"${op}" needs numbers, but ${describe(v)} is not numeric`);
  }

  private args(args: readonly (Node | { kind: 'option' })[], count: number, name: string, pos: Pos): Node[] {
    const plain = args.filter((a): a is Node => a.kind !== 'option');
    if (plain.length !== count || plain.length !== args.length) throw filterError(pos, `${name} takes ${count} argument${count > 1 ? 's' : ''}, got ${args.length}`);
    return plain;
  }

  /** Whether values of types a and b can be compared with `op`; throws with both descriptions if not. */
  private comparable(l: Operand, r: Operand, op: CompareOp, pos: Pos): void {
    const tl = typeOf(l);
    const tr = typeOf(r);
    const bad = (why = ''): never => {
      throw filterError(pos, `cannot compare ${describe(l)} with ${describe(r)}${why}`);
    };
    if (tl === 'array' || tr === 'array') bad('; use array_contains(...) or an element such as arr[0]');
    if (tl === 'list' || tr === 'list') bad('; use "in [...]" to test membership');
    const isBool = tl === 'bool' || tr === 'bool';
    if (isBool && op !== '==' && op !== '!=') throw filterError(pos, `booleans support only == and !=, not ${op}`);
    if (tl === 'json' || tr === 'json') return;
    const num = (t: string): boolean => t === 'int' || t === 'float';
    if ((num(tl) && num(tr)) || tl === tr) return;
    bad();
  }

  private compare(op: CompareOp, l: Operand, r: Operand, pos: Pos): Pred {
    if (l.k === 'const' && r.k === 'const') return constPred(this.foldCompare(op, l.value, r.value, pos));
    if (l.k === 'const') return this.compare(FLIP[op], r, l, pos);
    if (isTimestamptz(l) || isTimestamptz(r)) {
      if (!isTimestamptz(l) || (r.k !== 'const' && !isTimestamptz(r))) {
        throw filterError(pos, `a Timestamptz field compares with another Timestamptz field or a timestamp (ISO '2025-01-01T00:00:00Z'), not with ${describe(isTimestamptz(l) ? r : l)}`);
      }
      if (r.k === 'const') r = { k: 'const', value: this.timestampValue(r.value, pos) };
    }
    this.comparable(l, r, op, pos);
    if (r.k === 'const' && l.k === 'column' && l.field.isPrimaryKey && (op === '==' || op === '!=')) {
      const p = this.pkPred(l, [r.value]);
      return op === '==' ? p : mkNot(p);
    }
    return { p: 'cmp', op, left: l, right: r };
  }

  private foldCompare(op: CompareOp, a: Const, b: Const, pos: Pos): boolean {
    let c: number;
    if (isNumber(a) && isNumber(b)) c = compareNumbers(a, b);
    else if (typeof a === 'string' && typeof b === 'string') c = a < b ? -1 : a > b ? 1 : 0;
    else if (typeof a === 'boolean' && typeof b === 'boolean' && (op === '==' || op === '!=')) c = a === b ? 0 : 1;
    else throw filterError(pos, `cannot compare ${describe({ k: 'const', value: a })} with ${describe({ k: 'const', value: b })}`);
    return opResult(op, c);
  }

  private range(n: Extract<Node, { kind: 'range' }>): Pred {
    const operand = this.value(n.operand);
    const lo = this.value(n.lower);
    const hi = this.value(n.upper);
    const up = (o: string): boolean => o === '<' || o === '<=';
    if (up(n.lowerOp) !== up(n.upperOp)) {
      throw filterError(n.pos, `a range must use the same direction twice (a < x < b or a > x > b), got ${n.lowerOp} and ${n.upperOp}`);
    }
    if (operand.k === 'const' || lo.k !== 'const' || hi.k !== 'const') {
      throw filterError(n.pos, 'a range needs constants on the outside and a field in the middle, e.g. 10 < age <= 20');
    }
    const [lov, hiv] = isTimestamptz(operand) ? [this.timestampValue(lo.value, n.pos), this.timestampValue(hi.value, n.pos)] : [lo.value, hi.value];
    this.comparable(operand, { k: 'const', value: lov }, '<', n.pos);
    this.comparable(operand, { k: 'const', value: hiv }, '<', n.pos);
    if (up(n.lowerOp)) {
      return { p: 'range', operand, lower: lov, lowerInc: n.lowerOp === '<=', upper: hiv, upperInc: n.upperOp === '<=' };
    }
    return { p: 'range', operand, lower: hiv, lowerInc: n.upperOp === '>=', upper: lov, upperInc: n.lowerOp === '>=' };
  }

  private inList(operand: Operand, list: readonly Const[], pos: Pos): Pred {
    const values = isTimestamptz(operand) ? list.map((v) => this.timestampValue(v, pos)) : list;
    if (operand.k === 'const') {
      return constPred(values.some((v) => !Array.isArray(v) && this.foldCompare('==', operand.value, v, pos)));
    }
    for (const v of values) this.comparable(operand, { k: 'const', value: v }, '==', pos);
    if (operand.k === 'column' && operand.field.isPrimaryKey) return this.pkPred(operand, values);
    return { p: 'in', operand, values };
  }

  private pkPred(operand: Extract<Operand, { k: 'column' }>, values: readonly Const[]): Pred {
    const keys: (bigint | string)[] = [];
    const isInt = operand.field.dataType === DataType.Int64;
    for (const v of values) {
      if (isInt) {
        if (typeof v === 'bigint') keys.push(v);
        else if (typeof v === 'number' && Number.isInteger(v)) keys.push(BigInt(v));
      } else if (typeof v === 'string') keys.push(v);
    }
    if (operand.field.dataType !== DataType.Int64 && operand.field.dataType !== DataType.VarChar) return { p: 'in', operand, values };
    return { p: 'pk', field: operand.field, keys };
  }

  /** A constant compared with a TIMESTAMPTZ field → UTC microseconds (ISO strings parsed; integers are microseconds). */
  private timestampValue(v: Const, pos: Pos): bigint {
    if (typeof v === 'bigint') return v;
    if (typeof v === 'number' && Number.isSafeInteger(v)) return BigInt(v);
    if (typeof v === 'string') return atPos(pos, () => parseIsoTimestamptz(v, 'timestamp'));
    throw filterError(pos, `a Timestamptz field compares with a timestamp such as ISO '2025-01-01T00:00:00Z', not with ${describe({ k: 'const', value: v })}`);
  }

  /**
   * `ts ± INTERVAL '…' op <timestamp>` (either side), Milvus's TimestamptzArithCompareExpr; undefined
   * when the comparison has no INTERVAL shift. A zero interval is a plain comparison (index-friendly).
   */
  private timestampShift(n: Extract<Node, { kind: 'compare' }>): Pred | undefined {
    const shifted = (x: Node): Extract<Node, { kind: 'arith' }> | undefined =>
      x.kind === 'arith' && (x.op === '+' || x.op === '-') && x.right.kind === 'interval' ? x : undefined;
    let side = shifted(n.left);
    let other = n.right;
    let op = n.op;
    if (side === undefined) {
      side = shifted(n.right);
      if (side === undefined) return undefined;
      other = n.left;
      op = FLIP[op];
    }
    const col = this.value(side.left);
    if (!isTimestamptz(col)) throw filterError(side.pos, `${INTERVAL_USAGE}; ${describe(col)} is not a Timestamptz field`);
    const ivNode = side.right as Extract<Node, { kind: 'interval' }>;
    const interval = atPos(ivNode.pos, () => parseIsoInterval(ivNode.value, 'INTERVAL'));
    const rhs = this.value(other);
    if (rhs.k !== 'const') throw filterError(n.pos, `${INTERVAL_USAGE}; the other side must be a constant timestamp, got ${describe(rhs)}`);
    const value = this.timestampValue(rhs.value, n.pos);
    if (isZeroInterval(interval)) return this.compare(op, col, { k: 'const', value }, n.pos);
    const field: FieldSchema = col.field;
    return { p: 'tsShift', field, sign: side.op === '+' ? 1 : -1, interval, op, value };
  }

  private like(operandNode: Node, patternNode: Node, pos: Pos): Pred {
    const operand = this.value(operandNode);
    const t = typeOf(operand);
    if (t !== 'string' && t !== 'json') throw filterError(pos, `"like" matches strings; ${describe(operand)} is not a string`);
    const pattern = this.constValue(patternNode, '"like" needs a string pattern, e.g. name like "ab%"');
    if (typeof pattern !== 'string') throw filterError(pos, `"like" needs a string pattern, e.g. name like "ab%"; got ${describe({ k: 'const', value: pattern })}`);
    return { p: 'like', operand, pattern };
  }

  private call(n: Extract<Node, { kind: 'call' }>): Pred {
    const name = n.name;
    const contains = /^(json|array)_contains(_all|_any)?$/.exec(name);
    if (contains !== null) {
      const args = this.args(n.args, 2, name, n.pos);
      const operand = this.value(args[0]!);
      if (operand.k !== 'array' && operand.k !== 'json') throw filterError(n.pos, `${name} takes an Array field or a JSON value first; got ${describe(operand)}`);
      const mode = contains[2] === '_all' ? 'all' : contains[2] === '_any' ? 'any' : 'one';
      const v = this.constValue(args[1]!, `${name} needs a constant second argument`);
      if (mode !== 'one' && !Array.isArray(v)) throw filterError(n.pos, `${name} needs a list as its second argument, e.g. ${name}(x, [1, 2])`);
      const values = mode === 'one' ? [v] : (v as readonly Const[]);
      if (operand.k === 'array') {
        const type = scalarTypeOf(operand.field.elementType);
        if (type !== undefined) for (const x of values) this.comparable({ k: 'element', field: operand.field, index: 0, type }, { k: 'const', value: x }, '==', n.pos);
      }
      return { p: 'contains', mode, operand, values };
    }
    if (name === 'array_length') throw filterError(n.pos, 'array_length(...) is a number; compare it, e.g. array_length(tags) > 2');
    if (name === 'text_match' || name === 'phrase_match') {
      return checkMatch(n, this.schema, (a, msg) => this.constValue(a, msg));
    }
    if (UNSUPPORTED_CALLS.has(name)) throw filterError(n.pos, `${name} is not supported`);
    if (isSpatialCall(name)) return checkSpatial(n, this.schema, (a, msg) => this.constValue(a, msg));
    throw filterError(n.pos, `unknown function ${name}; known: json_contains, json_contains_all, json_contains_any, array_contains, array_contains_all, array_contains_any, array_length, text_match, phrase_match, ${SPATIAL_OPS.map((o) => `st_${o}`).join(', ')}`);
  }
}
