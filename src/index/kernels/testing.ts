/**
 * @internal Seeded data for index tests and benchmarks: a PRNG, clustered vectors of every type,
 * and recall against an exact answer.
 */
import type { VectorColumn } from '../../core/column.js';
import { DataType } from '../../core/data-type.js';
import { invalidParam } from '../../core/errors.js';
import { bf16ToF32, f16ToF32, f32ToBf16, f32ToF16 } from '../reference/half.js';
import type { QueryVectors, SearchHits } from '../types.js';

export { rng } from './rng.js';
import { rng } from './rng.js';

/** Standard normal from a uniform source (Box–Muller). */
export function gauss(r: () => number): number {
  return Math.sqrt(-2 * Math.log(r() + 1e-12)) * Math.cos(2 * Math.PI * r());
}

/** n × dim float vectors around `clusters` random centres (spread 1 around centres of scale 4). */
export function clusteredF32(n: number, dim: number, seed: number, clusters = 50): Float32Array {
  const r = rng(seed);
  const centres = new Float32Array(clusters * dim);
  for (let i = 0; i < centres.length; i++) centres[i] = gauss(r) * 4;
  const out = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) {
    const c = Math.floor(r() * clusters);
    for (let j = 0; j < dim; j++) out[i * dim + j] = centres[c * dim + j]! + gauss(r);
  }
  return out;
}

/** A column of `type` built from clustered floats (int8: scaled and clamped; binary: sign bits). */
export function clusteredColumn(type: DataType, n: number, dim: number, seed: number, clusters = 50): VectorColumn {
  const f = clusteredF32(n, dim, seed, clusters);
  return columnFromF32(type, f, dim);
}

export function columnFromF32(type: DataType, f: Float32Array, dim: number): VectorColumn {
  switch (type) {
    case DataType.FloatVector:
      return { type, dim, data: f, valid: null };
    case DataType.Float16Vector:
      return { type, dim, data: Uint16Array.from(f, f32ToF16), valid: null };
    case DataType.BFloat16Vector:
      return { type, dim, data: Uint16Array.from(f, f32ToBf16), valid: null };
    case DataType.Int8Vector:
      return { type, dim, data: Int8Array.from(f, (x) => Math.max(-128, Math.min(127, Math.round(x * 12)))), valid: null };
    case DataType.BinaryVector: {
      const bytes = dim >>> 3;
      const n = f.length / dim;
      const data = new Uint8Array(n * bytes);
      for (let i = 0; i < n; i++) for (let j = 0; j < dim; j++) if (f[i * dim + j]! > 0) data[i * bytes + (j >>> 3)]! |= 1 << (j & 7);
      return { type, dim, data, valid: null };
    }
    default:
      throw invalidParam('type', `no test data for type ${type}`);
  }
}

/** Queries in the element type of `col`'s field, taken from rows of a column of the same type. */
export function queriesFrom(col: VectorColumn, rows: number[]): QueryVectors {
  const dim = col.dim;
  if (col.type === DataType.BinaryVector) {
    const b = dim >>> 3;
    const data = new Uint8Array(rows.length * b);
    rows.forEach((r, i) => data.set(col.data.subarray(r * b, r * b + b), i * b));
    return { type: col.type, dim, nq: rows.length, data };
  }
  if (col.type === DataType.Int8Vector) {
    const data = new Int8Array(rows.length * dim);
    rows.forEach((r, i) => data.set(col.data.subarray(r * dim, r * dim + dim), i * dim));
    return { type: col.type, dim, nq: rows.length, data };
  }
  const data = new Float32Array(rows.length * dim);
  rows.forEach((r, i) => {
    for (let j = 0; j < dim; j++) {
      const v = col.data[r * dim + j] as number;
      data[i * dim + j] = col.type === DataType.FloatVector ? v : col.type === DataType.Float16Vector ? f16ToF32(v) : bf16ToF32(v);
    }
  });
  return { type: col.type, dim, nq: rows.length, data };
}

/** Mean recall@k of `got` against `truth` (ids only; -1 entries of truth are ignored). */
export function recallAt(got: SearchHits, truth: SearchHits, k: number): number {
  let hit = 0;
  let total = 0;
  for (let q = 0; q < truth.nq; q++) {
    const want = new Set<number>();
    for (let j = 0; j < k; j++) {
      const id = truth.ids[q * truth.k + j]!;
      if (id >= 0) want.add(id);
    }
    total += want.size;
    for (let j = 0; j < Math.min(k, got.k); j++) if (want.has(got.ids[q * got.k + j]!)) hit++;
  }
  return total === 0 ? 1 : hit / total;
}
