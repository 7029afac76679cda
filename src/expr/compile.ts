/** Pred (plan.ts) → Evaluator tree (eval/): picks the typed kernel or index-aware leaf for each predicate. */
import { DataType } from '../core/data-type.js';
import { unexpected } from '../core/errors.js';
import { shiftByInterval } from '../core/timestamptz.js';
import type { Key } from '../index/scalar/index.js';
import type { CompareOp } from './ast.js';
import { isNumber, opResult } from './fold.js';
import type { Const, Operand, Pred } from './plan.js';
import { ArrayContainsLeaf } from './eval/array-leaf.js';
import type { Evaluator, RowTest, Tri } from './eval/evaluator.js';
import { AndEval, ConstEval, NotEval, OrEval } from './eval/evaluator.js';
import { GenericLeaf } from './eval/generic-leaf.js';
import { likeMatcher, likeShape } from './eval/like-pattern.js';
import type { Flavor, NumKey } from './eval/num-bounds.js';
import { bounds, eqKey } from './eval/num-bounds.js';
import { flavorOf, NumericLeaf } from './eval/numeric-leaf.js';
import { PkLeaf } from './eval/pk-leaf.js';
import { StringLeaf } from './eval/string-leaf.js';
import { columnOf, compareValues, getter, MISSING, rawJsonGetter, valuesEqual } from './eval/values.js';
import { VectorLeaf } from './eval/vector-leaf.js';
import { SpatialLeaf } from './spatial.js';
import { MatchLeaf } from './text-match.js';

type ColumnOperand = Extract<Operand, { k: 'column' }>;

function isVectorOperand(op: Operand): boolean {
  return op.k === 'arith' || op.k === 'length';
}

function eqKeys(flavor: Flavor, values: readonly Const[]): NumKey[] {
  const keys: NumKey[] = [];
  for (const v of values) {
    const k = eqKey(flavor, v);
    if (k !== undefined) keys.push(k);
  }
  return keys;
}

function numericCompare(col: ColumnOperand, op: CompareOp, c: Const): Evaluator {
  const flavor = flavorOf(col.field.dataType);
  switch (op) {
    case '==':
      return new NumericLeaf(col.field, { op: 'eq', keys: eqKeys(flavor, [c]) });
    case '!=':
      return new NumericLeaf(col.field, { op: 'ne', keys: eqKeys(flavor, [c]) });
    case '<':
    case '<=':
      return new NumericLeaf(col.field, { op: 'range', b: bounds(flavor, undefined, false, c, op === '<=') });
    case '>':
    case '>=':
      return new NumericLeaf(col.field, { op: 'range', b: bounds(flavor, c, op === '>=', undefined, false) });
  }
}

function stringCompare(col: ColumnOperand, op: CompareOp, s: string): Evaluator {
  switch (op) {
    case '==':
      return new StringLeaf(col.field, { op: 'eq', keys: [s] });
    case '!=':
      return new StringLeaf(col.field, { op: 'ne', keys: [s] });
    case '<':
    case '<=':
      return new StringLeaf(col.field, { op: 'range', lo: undefined, loInc: false, hi: s, hiInc: op === '<=' });
    case '>':
    case '>=':
      return new StringLeaf(col.field, { op: 'range', lo: s, loInc: op === '>=', hi: undefined, hiInc: false });
  }
}

function isNumericColumn(op: Operand): op is ColumnOperand & { type: 'int' | 'float' | 'bool' } {
  return op.k === 'column' && (op.type === 'int' || op.type === 'float' || op.type === 'bool');
}

function isStringColumn(op: Operand): op is ColumnOperand & { type: 'string' } {
  return op.k === 'column' && op.type === 'string';
}

function generic(cost: number, make: (ctx: Parameters<typeof getter>[0]) => RowTest): Evaluator {
  return new GenericLeaf(cost, make);
}

function costOf(op: Operand): number {
  return op.k === 'json' ? 20 : op.k === 'column' ? 8 : 12;
}

/** Per-row comparison of two operands by plain-value rules (unknown on null or type mismatch). */
function genericCompare(op: CompareOp, l: Operand, r: Operand): Evaluator {
  return generic(costOf(l) + costOf(r) / 2, (ctx) => {
    const gl = getter(ctx, l);
    const gr = getter(ctx, r);
    const ordered = op !== '==' && op !== '!=';
    return (row): Tri => {
      const a = gl(row);
      const b = gr(row);
      if (a === undefined || b === undefined) return 2;
      if (ordered && (typeof a === 'boolean' || typeof b === 'boolean')) return 2;
      const c = compareValues(a, b);
      if (c === undefined) return 2;
      return opResult(op, c) ? 1 : 0;
    };
  });
}

export function compilePred(p: Pred): Evaluator {
  switch (p.p) {
    case 'const':
      return new ConstEval(p.value);
    case 'and':
      return new AndEval(p.children.map(compilePred));
    case 'or':
      return new OrEval(p.children.map(compilePred));
    case 'not':
      return new NotEval(compilePred(p.child));
    case 'pk':
      return new PkLeaf(p.field, p.keys);
    case 'cmp':
      return compileCompare(p.op, p.left, p.right);
    case 'range':
      return compileRange(p);
    case 'in':
      return compileIn(p.operand, p.values);
    case 'like':
      return compileLike(p.operand, p.pattern);
    case 'isNull': {
      const operand = p.operand;
      const negated = p.negated;
      return generic(operand.k === 'json' ? 15 : 2, (ctx) => {
        const g = getter(ctx, operand);
        return (row) => ((g(row) === undefined) !== negated ? 1 : 0);
      });
    }
    case 'vectorNull': {
      const { field, negated } = p;
      return generic(2, (ctx) => {
        const valid = columnOf(ctx, field.name).valid;
        if (!valid) return () => (negated ? 1 : 0);
        return (row) => ((valid[row] === 0) !== negated ? 1 : 0);
      });
    }
    case 'exists': {
      const operand = p.operand;
      if (operand.k !== 'json') throw unexpected('exists needs a JSON operand');
      return generic(15, (ctx) => {
        const g = rawJsonGetter(ctx, operand.column, operand.path);
        return (row) => (g(row) !== MISSING ? 1 : 0);
      });
    }
    case 'contains':
      return compileContains(p.mode, p.operand, p.values);
    case 'match':
      return new MatchLeaf(p);
    case 'spatial':
      return new SpatialLeaf(p);
    case 'tsShift': {
      const { field, sign, interval, op, value } = p;
      return generic(14, (ctx) => {
        const col = ctx.seg.column(field.name);
        if (col === undefined || col.type !== DataType.Timestamptz) return () => 2;
        const data = col.data;
        const valid = col.valid;
        return (row): Tri => {
          if (valid !== null && valid[row] === 0) return 2;
          const shifted = shiftByInterval(data[row]!, interval, sign);
          if (shifted === undefined) return 2;
          return opResult(op, shifted < value ? -1 : shifted > value ? 1 : 0) ? 1 : 0;
        };
      });
    }
  }
}

function compileCompare(op: CompareOp, l: Operand, r: Operand): Evaluator {
  if (r.k === 'const') {
    if (isNumericColumn(l) && (isNumber(r.value) || typeof r.value === 'boolean')) return numericCompare(l, op, r.value);
    if (isStringColumn(l) && typeof r.value === 'string') return stringCompare(l, op, r.value);
  }
  if (isVectorOperand(l) || isVectorOperand(r)) return new VectorLeaf(l, { op: 'cmp', cmp: op, right: r });
  return genericCompare(op, l, r);
}

function compileRange(p: Extract<Pred, { p: 'range' }>): Evaluator {
  const { operand, lower, lowerInc, upper, upperInc } = p;
  if (isNumericColumn(operand) && isNumber(lower) && isNumber(upper)) {
    return new NumericLeaf(operand.field, { op: 'range', b: bounds(flavorOf(operand.field.dataType), lower, lowerInc, upper, upperInc) });
  }
  if (isStringColumn(operand) && typeof lower === 'string' && typeof upper === 'string') {
    return new StringLeaf(operand.field, { op: 'range', lo: lower, loInc: lowerInc, hi: upper, hiInc: upperInc });
  }
  if (isVectorOperand(operand) && isNumber(lower) && isNumber(upper)) {
    return new VectorLeaf(operand, { op: 'range', lo: Number(lower), loInc: lowerInc, hi: Number(upper), hiInc: upperInc });
  }
  const lo = genericCompare(lowerInc ? '>=' : '>', operand, { k: 'const', value: lower });
  const hi = genericCompare(upperInc ? '<=' : '<', operand, { k: 'const', value: upper });
  return new AndEval([lo, hi]);
}

function compileIn(operand: Operand, values: readonly Const[]): Evaluator {
  if (isNumericColumn(operand)) {
    const flavor = flavorOf(operand.field.dataType);
    return new NumericLeaf(operand.field, { op: 'eq', keys: eqKeys(flavor, values.filter((v) => isNumber(v) || typeof v === 'boolean')) });
  }
  if (isStringColumn(operand)) return new StringLeaf(operand.field, { op: 'eq', keys: values.filter((v): v is string => typeof v === 'string') });
  if (isVectorOperand(operand)) return new VectorLeaf(operand, { op: 'in', values: values.filter(isNumber).map(Number) });
  const scalars = values.filter((v) => !Array.isArray(v));
  return generic(costOf(operand) + scalars.length, (ctx) => {
    const g = getter(ctx, operand);
    return (row) => {
      const v = g(row);
      if (v === undefined) return 2;
      let comparable = false;
      for (const c of scalars) {
        const r = compareValues(v, c);
        if (r === 0) return 1;
        if (r !== undefined) comparable = true;
      }
      return comparable ? 0 : 2;
    };
  });
}

function compileLike(operand: Operand, pattern: string): Evaluator {
  const shape = likeShape(pattern);
  if (isStringColumn(operand)) return new StringLeaf(operand.field, { op: 'like', shape });
  const match = likeMatcher(shape);
  return generic(costOf(operand) + 5, (ctx) => {
    const g = getter(ctx, operand);
    return (row) => {
      const v = g(row);
      return typeof v === 'string' ? (match(v) ? 1 : 0) : 2;
    };
  });
}

function arrayKey(kind: 'f64' | 'i64' | 'str', v: Const): Key | undefined {
  if (kind === 'str') return typeof v === 'string' ? v : undefined;
  if (typeof v === 'boolean') return kind === 'f64' ? (v ? 1 : 0) : undefined;
  if (!isNumber(v)) return undefined;
  if (kind === 'i64') return eqKey('i64', v) as bigint | undefined;
  return Number(v);
}

function compileContains(mode: 'one' | 'all' | 'any', operand: Operand, values: readonly Const[]): Evaluator {
  if (operand.k === 'array') {
    const el = operand.field.elementType;
    const kind = el === DataType.Int64 ? 'i64' : el === DataType.VarChar || el === DataType.String ? 'str' : 'f64';
    return new ArrayContainsLeaf(operand.field, mode, values, values.map((v) => arrayKey(kind, v)), kind);
  }
  return generic(25 + values.length, (ctx) => {
    const g = getter(ctx, operand);
    const has = (arr: unknown[], v: unknown): boolean => arr.some((e) => valuesEqual(e, v));
    return (row) => {
      const arr = g(row);
      if (!Array.isArray(arr)) return 2;
      if (mode === 'all') return values.every((v) => has(arr, v)) ? 1 : 0;
      return values.some((v) => has(arr, v)) ? 1 : 0;
    };
  });
}
