/**
 * Plain-TypeScript exact search: the readable reference that the Wasm kernels and every ANN index
 * are tested against. Not the fast path.
 */
import type { VectorColumn } from '../../core/column.js';
import { higherIsBetter, type MetricType } from '../../core/data-type.js';
import { invalidParam } from '../../core/errors.js';
import type { QueryVectors, SearchHits, SearchOptions } from '../types.js';
import { f16ToF32, bf16ToF32 } from './half.js';

/** Distance/similarity of two dense float vectors in Milvus's convention. */
export function denseScore(metric: MetricType, a: ArrayLike<number>, ao: number, b: ArrayLike<number>, bo: number, dim: number): number {
  if (metric === 'L2') {
    let s = 0;
    for (let i = 0; i < dim; i++) {
      const d = a[ao + i]! - b[bo + i]!;
      s += d * d;
    }
    return s;
  }
  if (metric === 'IP') {
    let s = 0;
    for (let i = 0; i < dim; i++) s += a[ao + i]! * b[bo + i]!;
    return s;
  }
  if (metric === 'COSINE') {
    let s = 0;
    let na = 0;
    let nb = 0;
    for (let i = 0; i < dim; i++) {
      const x = a[ao + i]!;
      const y = b[bo + i]!;
      s += x * y;
      na += x * x;
      nb += y * y;
    }
    const den = Math.sqrt(na) * Math.sqrt(nb);
    return den === 0 ? 0 : s / den;
  }
  throw invalidParam('metric_type', `${metric} is not valid for dense vectors; use L2, IP or COSINE`);
}

function popcount8(v: number): number {
  v = v - ((v >>> 1) & 0x55);
  v = (v & 0x33) + ((v >>> 2) & 0x33);
  return (v + (v >>> 4)) & 0x0f;
}

export function binaryScore(metric: MetricType, a: Uint8Array, ao: number, b: Uint8Array, bo: number, bytes: number): number {
  let diff = 0;
  let inter = 0;
  let uni = 0;
  for (let i = 0; i < bytes; i++) {
    const x = a[ao + i]!;
    const y = b[bo + i]!;
    diff += popcount8(x ^ y);
    inter += popcount8(x & y);
    uni += popcount8(x | y);
  }
  if (metric === 'HAMMING') return diff;
  if (metric === 'JACCARD') return uni === 0 ? 0 : 1 - inter / uni;
  throw invalidParam('metric_type', `${metric} is not valid for binary vectors; use HAMMING or JACCARD`);
}

/** A column's rows as numbers, widening half floats. */
function denseRows(col: VectorColumn): ArrayLike<number> {
  if (col.type === 102) return Float32Array.from(col.data as Uint16Array, f16ToF32);
  if (col.type === 103) return Float32Array.from(col.data as Uint16Array, bf16ToF32);
  return col.data as Float32Array | Int8Array;
}

/** Exact top-k of every query over `rowCount` rows of `col`, in Milvus's score order. */
export function bruteForceSearch(col: VectorColumn, rowCount: number, q: QueryVectors, opts: SearchOptions): SearchHits {
  const { k, metric, allow, range } = opts;
  const better = higherIsBetter(metric);
  const ids = new Int32Array(q.nq * k).fill(-1);
  const scores = new Float32Array(q.nq * k).fill(better ? -Infinity : Infinity);
  const binary = col.type === 100;
  const bytes = col.dim >>> 3;
  const rows = binary ? null : denseRows(col);
  for (let qi = 0; qi < q.nq; qi++) {
    const cand: { id: number; s: number }[] = [];
    for (let r = 0; r < rowCount; r++) {
      if (allow && !allow.get(r)) continue;
      const s = binary
        ? binaryScore(metric, col.data as Uint8Array, r * bytes, q.data as Uint8Array, qi * bytes, bytes)
        : denseScore(metric, rows!, r * col.dim, q.data as ArrayLike<number>, qi * q.dim, col.dim);
      if (range && !inRange(metric, s, range.radius, range.rangeFilter)) continue;
      cand.push({ id: r, s });
    }
    cand.sort((x, y) => (better ? y.s - x.s : x.s - y.s) || x.id - y.id);
    for (let j = 0; j < Math.min(k, cand.length); j++) {
      ids[qi * k + j] = cand[j]!.id;
      scores[qi * k + j] = cand[j]!.s;
    }
  }
  return { nq: q.nq, k, ids, scores };
}

/**
 * Milvus range search: for distances (L2, HAMMING, JACCARD) keep rangeFilter <= d < radius;
 * for similarities (IP, COSINE) keep radius < s <= rangeFilter.
 */
export function inRange(metric: MetricType, s: number, radius: number, rangeFilter?: number): boolean {
  if (higherIsBetter(metric)) return s > radius && (rangeFilter === undefined || s <= rangeFilter);
  return s < radius && (rangeFilter === undefined || s >= rangeFilter);
}
