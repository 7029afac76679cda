/**
 * Comparisons of a numeric or Bool column with constants: ranges (every comparison becomes an
 * inclusive range, see num-bounds.ts), equality with a set of values (== / in) and !=. Whole-column
 * evaluation is a typed-array loop building 32 result bits per word; Int64 columns are read as pairs
 * of 32-bit words so no BigInt is created per row. A matching scalar index answers instead.
 */
import { Bitset } from '../../core/bitset.js';
import type { Column } from '../../core/column.js';
import { DataType } from '../../core/data-type.js';
import type { FieldSchema } from '../../core/schema.js';
import { isScalarIndex } from '../../index/scalar/index.js';
import type { ScalarIndex } from '../../index/scalar/index.js';
import type { Ctx, RowTest } from './evaluator.js';
import { Leaf, validRows } from './evaluator.js';
import type { Bounds, Flavor, NumKey } from './num-bounds.js';
import { INT64_MAX, INT64_MIN } from './num-bounds.js';
import { columnOf } from './values.js';

export type NumSpec =
  | { readonly op: 'range'; readonly b: Bounds }
  | { readonly op: 'eq'; readonly keys: readonly NumKey[] }
  | { readonly op: 'ne'; readonly keys: readonly NumKey[] };

export function flavorOf(dataType: number): Flavor {
  if (dataType === DataType.Int64 || dataType === DataType.Timestamptz) return 'i64';
  if (dataType === DataType.Float) return 'f32';
  if (dataType === DataType.Double) return 'f64';
  return 'int';
}

type NumData = Int8Array | Int16Array | Int32Array | Float32Array | Float64Array | Uint8Array;

/** The usable scalar index of a field in this segment, if any (same rows, scalar keys of `kind`). */
export function usableIndex(ctx: Ctx, field: FieldSchema, kind: string, isArray = false): ScalarIndex | undefined {
  const idx = ctx.seg.scalarIndex(field.name);
  if (!isScalarIndex(idx) || idx.rowCount !== ctx.n || idx.isArray !== isArray || idx.keyKind !== kind) return undefined;
  return idx;
}

function hiWord(b: bigint): number {
  return Number(BigInt.asIntN(32, b >> 32n));
}
function loWord(b: bigint): number {
  return Number(BigInt.asUintN(32, b));
}

function rangeNum(data: NumData, n: number, lo: number, hi: number, out: Uint32Array): void {
  for (let base = 0, w = 0; base < n; base += 32, w++) {
    const end = Math.min(32, n - base);
    let bits = 0;
    for (let j = 0; j < end; j++) {
      const x = data[base + j]!;
      if (x >= lo && x <= hi) bits |= 1 << j;
    }
    out[w] = bits;
  }
}

function eqNum(data: NumData, n: number, keys: readonly number[], out: Uint32Array): void {
  if (keys.length <= 4) {
    // Short lists (the usual `==` / small `in`): unrolled compares, no hashing.
    const k0 = keys[0] ?? NaN;
    const k1 = keys[1] ?? k0;
    const k2 = keys[2] ?? k0;
    const k3 = keys[3] ?? k0;
    for (let base = 0, w = 0; base < n; base += 32, w++) {
      const end = Math.min(32, n - base);
      let bits = 0;
      for (let j = 0; j < end; j++) {
        const x = data[base + j];
        if (x === k0 || x === k1 || x === k2 || x === k3) bits |= 1 << j;
      }
      out[w] = bits;
    }
    return;
  }
  const set = new Set(keys);
  for (let base = 0, w = 0; base < n; base += 32, w++) {
    const end = Math.min(32, n - base);
    let bits = 0;
    for (let j = 0; j < end; j++) if (set.has(data[base + j]!)) bits |= 1 << j;
    out[w] = bits;
  }
}

function rangeI64(words: Int32Array, n: number, lo: bigint, hi: bigint, out: Uint32Array): void {
  const lh = hiWord(lo);
  const ll = loWord(lo);
  const hh = hiWord(hi);
  const hl = loWord(hi);
  for (let base = 0, w = 0; base < n; base += 32, w++) {
    const end = Math.min(32, n - base);
    let bits = 0;
    for (let j = 0; j < end; j++) {
      const i = (base + j) << 1;
      const h = words[i + 1]!;
      const l = words[i]! >>> 0;
      if ((h > lh || (h === lh && l >= ll)) && (h < hh || (h === hh && l <= hl))) bits |= 1 << j;
    }
    out[w] = bits;
  }
}

function eqI64(words: Int32Array, n: number, keys: readonly bigint[], out: Uint32Array): void {
  const hs = keys.map(hiWord);
  const ls = keys.map(loWord);
  const m = keys.length;
  for (let base = 0, w = 0; base < n; base += 32, w++) {
    const end = Math.min(32, n - base);
    let bits = 0;
    for (let j = 0; j < end; j++) {
      const i = (base + j) << 1;
      const h = words[i + 1]!;
      const l = words[i]! >>> 0;
      for (let k = 0; k < m; k++) {
        if (h === hs[k] && l === ls[k]) {
          bits |= 1 << j;
          break;
        }
      }
    }
    out[w] = bits;
  }
}

function andValid(out: Bitset, valid: Uint8Array | null, n: number): Bitset {
  return valid === null ? out : out.and(validRows(valid, n));
}

export class NumericLeaf extends Leaf {
  readonly cost = 3;
  private readonly flavor: Flavor;

  constructor(
    readonly field: FieldSchema,
    readonly spec: NumSpec,
  ) {
    super();
    this.flavor = flavorOf(field.dataType);
  }

  private col(ctx: Ctx): Column {
    return columnOf(ctx, this.field.name);
  }

  override known(ctx: Ctx): Bitset {
    return validRows(this.col(ctx).valid, ctx.n);
  }

  override indexed(ctx: Ctx): boolean {
    return usableIndex(ctx, this.field, this.flavor === 'i64' ? 'i64' : 'f64') !== undefined;
  }

  override vecTrue(ctx: Ctx): Bitset {
    const n = ctx.n;
    const col = this.col(ctx);
    const spec = this.spec;
    const idx = usableIndex(ctx, this.field, this.flavor === 'i64' ? 'i64' : 'f64');
    if (idx !== undefined) {
      if (spec.op === 'range') return spec.b.empty ? new Bitset(n) : idx.rowsInRange(spec.b.lo, true, spec.b.hi, true);
      const eq = idx.rowsEqualAny(spec.keys);
      return spec.op === 'eq' ? eq : validRows(col.valid, n).andNot(eq);
    }
    const out = new Bitset(n);
    if (spec.op === 'range' && spec.b.empty) return out;
    if (this.flavor === 'i64') {
      const data = col.data as BigInt64Array;
      const words = new Int32Array(data.buffer, data.byteOffset, n * 2);
      if (spec.op === 'range') rangeI64(words, n, (spec.b.lo as bigint | undefined) ?? INT64_MIN, (spec.b.hi as bigint | undefined) ?? INT64_MAX, out.words);
      else eqI64(words, n, spec.keys as bigint[], out.words);
    } else {
      const data = col.data as NumData;
      if (spec.op === 'range') rangeNum(data, n, (spec.b.lo as number | undefined) ?? -Infinity, (spec.b.hi as number | undefined) ?? Infinity, out.words);
      else eqNum(data, n, spec.keys as number[], out.words);
    }
    if (spec.op === 'ne') return validRows(col.valid, n).andNot(out);
    return andValid(out, col.valid, n);
  }

  tester(ctx: Ctx): RowTest {
    const col = this.col(ctx);
    const valid = col.valid;
    const data = col.data as ArrayLike<number | bigint>;
    const spec = this.spec;
    let test: (x: number | bigint) => boolean;
    if (spec.op === 'range') {
      const { empty, lo, hi } = spec.b;
      test = (x) => !empty && (lo === undefined || x >= lo) && (hi === undefined || x <= hi);
    } else {
      const set = new Set<number | bigint>(spec.keys);
      test = spec.op === 'eq' ? (x) => set.has(x) : (x) => !set.has(x);
    }
    return (row) => (valid !== null && valid[row] === 0 ? 2 : test(data[row]!) ? 1 : 0);
  }
}
