/**
 * Numeric expressions (`price * 0.9 < 100`, `a + b > c`, `array_length(x) == 3`) evaluated as
 * Float64Array vectors, one typed loop per operator; NaN marks rows where a value is null, missing,
 * non-numeric, or an integer division by zero, and makes the comparison UNKNOWN. Integer-typed
 * arithmetic truncates `/` and `%` like Milvus's integer fields; Int64 values become doubles here
 * (exact up to 2^53).
 */
import { Bitset } from '../../core/bitset.js';
import { DataType } from '../../core/data-type.js';
import type { CompareOp } from '../ast.js';
import type { Operand } from '../plan.js';
import type { Ctx, RowTest } from './evaluator.js';
import { Leaf } from './evaluator.js';
import { columnOf, getter } from './values.js';

export function numVector(ctx: Ctx, op: Operand): Float64Array {
  const n = ctx.n;
  const out = new Float64Array(n);
  switch (op.k) {
    case 'const':
      out.fill(Number(op.value));
      return out;
    case 'column': {
      const col = columnOf(ctx, op.field.name);
      const valid = col.valid;
      if (col.type === DataType.Int64) {
        const words = new Int32Array(col.data.buffer, col.data.byteOffset, n * 2);
        for (let i = 0; i < n; i++) out[i] = words[2 * i + 1]! * 4294967296 + (words[2 * i]! >>> 0);
      } else {
        const d = col.data as ArrayLike<number>;
        for (let i = 0; i < n; i++) out[i] = d[i]!;
      }
      if (valid !== null) for (let i = 0; i < n; i++) if (valid[i] === 0) out[i] = NaN;
      return out;
    }
    case 'arith': {
      const a = numVector(ctx, op.left);
      const b = numVector(ctx, op.right);
      const int = op.type === 'int';
      switch (op.op) {
        case '+':
          for (let i = 0; i < n; i++) out[i] = a[i]! + b[i]!;
          break;
        case '-':
          for (let i = 0; i < n; i++) out[i] = a[i]! - b[i]!;
          break;
        case '*':
          for (let i = 0; i < n; i++) out[i] = a[i]! * b[i]!;
          break;
        case '/':
          if (int) for (let i = 0; i < n; i++) out[i] = b[i] === 0 ? NaN : Math.trunc(a[i]! / b[i]!);
          else for (let i = 0; i < n; i++) out[i] = a[i]! / b[i]!;
          break;
        case '%':
          for (let i = 0; i < n; i++) out[i] = b[i] === 0 ? NaN : a[i]! % b[i]!;
          break;
        case '**':
          for (let i = 0; i < n; i++) out[i] = a[i]! ** b[i]!;
          break;
      }
      return out;
    }
    default: {
      const g = getter(ctx, op);
      for (let i = 0; i < n; i++) {
        const v = g(i);
        out[i] = typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : NaN;
      }
      return out;
    }
  }
}

export type VecSpec =
  | { readonly op: 'cmp'; readonly cmp: CompareOp; readonly right: Operand }
  | { readonly op: 'range'; readonly lo: number; readonly loInc: boolean; readonly hi: number; readonly hiInc: boolean }
  | { readonly op: 'in'; readonly values: readonly number[] };

export class VectorLeaf extends Leaf {
  readonly cost = 10;
  constructor(
    readonly left: Operand,
    readonly spec: VecSpec,
  ) {
    super();
  }

  /** Tri-state per row from whole vectors (computed once per call). */
  private results(ctx: Ctx): Uint8Array {
    const n = ctx.n;
    const a = numVector(ctx, this.left);
    const res = new Uint8Array(n).fill(2);
    const spec = this.spec;
    if (spec.op === 'cmp') {
      const b = numVector(ctx, spec.right);
      const cmp = spec.cmp;
      for (let i = 0; i < n; i++) {
        const x = a[i]!;
        const y = b[i]!;
        if (x !== x || y !== y) continue;
        let r: boolean;
        switch (cmp) {
          case '==': r = x === y; break;
          case '!=': r = x !== y; break;
          case '<': r = x < y; break;
          case '<=': r = x <= y; break;
          case '>': r = x > y; break;
          case '>=': r = x >= y; break;
        }
        res[i] = r ? 1 : 0;
      }
    } else if (spec.op === 'range') {
      const { lo, loInc, hi, hiInc } = spec;
      for (let i = 0; i < n; i++) {
        const x = a[i]!;
        if (x !== x) continue;
        res[i] = (loInc ? x >= lo : x > lo) && (hiInc ? x <= hi : x < hi) ? 1 : 0;
      }
    } else {
      const set = new Set(spec.values);
      for (let i = 0; i < n; i++) {
        const x = a[i]!;
        if (x !== x) continue;
        res[i] = set.has(x) ? 1 : 0;
      }
    }
    return res;
  }

  override vecTrue(ctx: Ctx): Bitset {
    const res = this.results(ctx);
    const out = new Bitset(ctx.n);
    for (let i = 0; i < ctx.n; i++) if (res[i] === 1) out.set(i);
    return out;
  }

  override f(ctx: Ctx, within: Bitset | null): Bitset {
    const res = this.results(ctx);
    const out = new Bitset(ctx.n);
    for (let i = 0; i < ctx.n; i++) if (res[i] === 0) out.set(i);
    return within === null ? out : out.and(within);
  }

  tester(ctx: Ctx): RowTest {
    const res = this.results(ctx);
    return (row) => res[row] as 0 | 1 | 2;
  }
}
