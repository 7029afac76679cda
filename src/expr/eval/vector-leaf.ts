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
  switch (op.k) {
    case 'const':
      return new Float64Array(n).fill(Number(op.value));
    case 'column': {
      const col = columnOf(ctx, op.field.name);
      const valid = col.valid;
      if (col.data instanceof Float64Array && valid === null) return col.data; // read-only use
      const out = new Float64Array(n);
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
      const out = new Float64Array(n);
      const a = numVector(ctx, op.left);
      const int = op.type === 'int';
      if (op.right.k === 'const' && op.op !== '%' && !(int && op.op === '/')) {
        // Column op constant: one pass, no second vector.
        const c = Number(op.right.value);
        switch (op.op) {
          case '+':
            for (let i = 0; i < n; i++) out[i] = a[i]! + c;
            break;
          case '-':
            for (let i = 0; i < n; i++) out[i] = a[i]! - c;
            break;
          case '*':
            for (let i = 0; i < n; i++) out[i] = a[i]! * c;
            break;
          case '/':
            for (let i = 0; i < n; i++) out[i] = a[i]! / c;
            break;
          default:
            for (let i = 0; i < n; i++) out[i] = a[i]! ** c;
        }
        return out;
      }
      const b = numVector(ctx, op.right);
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
      const out = new Float64Array(n);
      const g = getter(ctx, op);
      for (let i = 0; i < n; i++) {
        const v = g(i);
        out[i] = typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : NaN;
      }
      return out;
    }
  }
}

/** res[i] = a[i] cmp y as 0/1, left at 2 (unknown) where a[i] is NaN. One loop per operator. */
function cmpConst(a: Float64Array, n: number, cmp: CompareOp, y: number, res: Uint8Array): void {
  switch (cmp) {
    case '<':
      for (let i = 0; i < n; i++) res[i] = a[i]! < y ? 1 : a[i]! >= y ? 0 : 2;
      return;
    case '<=':
      for (let i = 0; i < n; i++) res[i] = a[i]! <= y ? 1 : a[i]! > y ? 0 : 2;
      return;
    case '>':
      for (let i = 0; i < n; i++) res[i] = a[i]! > y ? 1 : a[i]! <= y ? 0 : 2;
      return;
    case '>=':
      for (let i = 0; i < n; i++) res[i] = a[i]! >= y ? 1 : a[i]! < y ? 0 : 2;
      return;
    case '==':
      for (let i = 0; i < n; i++) res[i] = a[i]! === y ? 1 : a[i]! === a[i]! ? 0 : 2;
      return;
    case '!=':
      for (let i = 0; i < n; i++) res[i] = a[i]! !== a[i]! ? 2 : a[i]! !== y ? 1 : 0;
      return;
  }
}

/** Bits of the rows whose tri-state result is `want`. */
function pack(res: Uint8Array, n: number, want: number): Bitset {
  const out = new Bitset(n);
  const words = out.words;
  for (let base = 0, w = 0; base < n; base += 32, w++) {
    const end = Math.min(32, n - base);
    let bits = 0;
    for (let j = 0; j < end; j++) if (res[base + j] === want) bits |= 1 << j;
    words[w] = bits;
  }
  return out;
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
    if (spec.op === 'cmp' && spec.right.k === 'const') {
      cmpConst(a, n, spec.cmp, Number(spec.right.value), res);
    } else if (spec.op === 'cmp') {
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
    return pack(this.results(ctx), ctx.n, 1);
  }

  override f(ctx: Ctx, within: Bitset | null): Bitset {
    const out = pack(this.results(ctx), ctx.n, 0);
    return within === null ? out : out.and(within);
  }

  tester(ctx: Ctx): RowTest {
    const res = this.results(ctx);
    return (row) => res[row] as 0 | 1 | 2;
  }
}
