/**
 * Turns comparison constants into inclusive bounds in a column's own number space, so kernels and
 * indexes answer one question: lo <= x <= hi. Integer columns get integer bounds (x > 2.5 is
 * x >= 3); Int64 bounds are bigints (exact beyond 2^53); Float columns compare against the constant
 * rounded to float32 (as Milvus casts it); exclusive float bounds step to the next double.
 */
import type { Const } from '../plan.js';

export type Flavor = 'int' | 'i64' | 'f32' | 'f64';
export type NumKey = number | bigint;

export const INT64_MIN = -(2n ** 63n);
export const INT64_MAX = 2n ** 63n - 1n;

/** lo/hi inclusive; undefined = open. `empty` when nothing can match. */
export interface Bounds {
  readonly empty: boolean;
  readonly lo: NumKey | undefined;
  readonly hi: NumKey | undefined;
}

const f64 = new Float64Array(1);
const i64 = new BigInt64Array(f64.buffer);

export function nextUp(x: number): number {
  if (Number.isNaN(x) || x === Infinity) return x;
  if (x === 0) return Number.MIN_VALUE;
  f64[0] = x;
  i64[0]! += x > 0 ? 1n : -1n;
  return f64[0]!;
}

export function nextDown(x: number): number {
  return -nextUp(-x);
}

function toNumber(c: Const): number {
  return typeof c === 'bigint' ? Number(c) : (c as number);
}

/** The bound x >= c (inc) or x > c, as an inclusive lower bound; null = nothing matches, undefined = open. */
function lower(flavor: Flavor, c: Const, inc: boolean): NumKey | undefined | null {
  if (flavor === 'i64') {
    let b: bigint;
    if (typeof c === 'bigint') b = inc ? c : c + 1n;
    else {
      const x = c as number;
      if (Number.isNaN(x) || x === Infinity) return null;
      if (x === -Infinity) return undefined;
      b = Number.isInteger(x) ? BigInt(x) + (inc ? 0n : 1n) : BigInt(Math.ceil(x));
    }
    if (b > INT64_MAX) return null;
    return b < INT64_MIN ? undefined : b;
  }
  const x = flavor === 'f32' ? Math.fround(toNumber(c)) : toNumber(c);
  if (Number.isNaN(x) || x === Infinity) return null;
  if (x === -Infinity) return inc ? undefined : null;
  if (flavor === 'int') return Number.isInteger(x) ? (inc ? x : x + 1) : Math.ceil(x);
  return inc ? x : nextUp(x);
}

function upper(flavor: Flavor, c: Const, inc: boolean): NumKey | undefined | null {
  if (flavor === 'i64') {
    let b: bigint;
    if (typeof c === 'bigint') b = inc ? c : c - 1n;
    else {
      const x = c as number;
      if (Number.isNaN(x) || x === -Infinity) return null;
      if (x === Infinity) return undefined;
      b = Number.isInteger(x) ? BigInt(x) - (inc ? 0n : 1n) : BigInt(Math.floor(x));
    }
    if (b < INT64_MIN) return null;
    return b > INT64_MAX ? undefined : b;
  }
  const x = flavor === 'f32' ? Math.fround(toNumber(c)) : toNumber(c);
  if (Number.isNaN(x) || x === -Infinity) return null;
  if (x === Infinity) return inc ? undefined : null;
  if (flavor === 'int') return Number.isInteger(x) ? (inc ? x : x - 1) : Math.floor(x);
  return inc ? x : nextDown(x);
}

export function bounds(flavor: Flavor, lo: Const | undefined, loInc: boolean, hi: Const | undefined, hiInc: boolean): Bounds {
  const l = lo === undefined ? undefined : lower(flavor, lo, loInc);
  const h = hi === undefined ? undefined : upper(flavor, hi, hiInc);
  if (l === null || h === null || (l !== undefined && h !== undefined && l > h)) return { empty: true, lo: undefined, hi: undefined };
  return { empty: false, lo: l, hi: h };
}

/** The column-space key equal to c, or undefined when no value of the column can equal it. */
export function eqKey(flavor: Flavor, c: Const): NumKey | undefined {
  if (typeof c === 'boolean') return c ? 1 : 0;
  if (flavor === 'i64') {
    if (typeof c === 'bigint') return c >= INT64_MIN && c <= INT64_MAX ? c : undefined;
    const x = c as number;
    return Number.isInteger(x) && Math.abs(x) <= 2 ** 63 ? BigInt(x) : undefined;
  }
  const x = toNumber(c);
  if (flavor === 'int') return Number.isInteger(x) ? x : undefined;
  if (flavor === 'f32') return Math.fround(x);
  return x;
}
