/**
 * The float rows an IVF index trains on and stores: Float16/BFloat16 widened, Int8 converted, and
 * unit length for COSINE (Milvus's IVF indexes normalise for COSINE and then rank by inner product).
 * Queries go through the same conversion.
 */
import type { VectorColumn } from '../../core/column.js';
import { DataType } from '../../core/data-type.js';
import { invalidParam } from '../../core/errors.js';
import { bf16ToF32, f16ToF32 } from '../reference/half.js';
import type { QueryVectors } from '../types.js';

let f16Table: Float32Array | null = null;
function f16Lut(): Float32Array {
  if (!f16Table) {
    f16Table = new Float32Array(65536);
    for (let h = 0; h < 65536; h++) f16Table[h] = f16ToF32(h);
  }
  return f16Table;
}

/** Scale each `dim`-row of `v` to unit length in place (zero rows stay zero). */
export function normalizeRows(v: Float32Array, dim: number): void {
  for (let o = 0; o < v.length; o += dim) {
    let s = 0;
    for (let i = 0; i < dim; i++) s += v[o + i]! * v[o + i]!;
    if (s <= 0) continue;
    const inv = 1 / Math.sqrt(s);
    for (let i = 0; i < dim; i++) v[o + i]! *= inv;
  }
}

/** The first `rowCount` rows of a dense column as f32 (a fresh array). */
export function denseRowsF32(col: VectorColumn, rowCount: number, cosine: boolean): Float32Array {
  const n = rowCount * col.dim;
  let out: Float32Array;
  if (col.type === DataType.FloatVector) out = col.data.slice(0, n);
  else if (col.type === DataType.Float16Vector) {
    const lut = f16Lut();
    out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = lut[col.data[i]!]!;
  } else if (col.type === DataType.BFloat16Vector) {
    out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = bf16ToF32(col.data[i]!);
  } else if (col.type === DataType.Int8Vector) out = Float32Array.from(col.data.subarray(0, n));
  else throw invalidParam('data_type', `IVF dense indexes need a float or int8 vector field, got type ${col.type}`);
  if (cosine) normalizeRows(out, col.dim);
  return out;
}

/** Queries as f32 rows (converted from int8 when needed), unit length for COSINE. */
export function denseQueriesF32(q: QueryVectors, dim: number, cosine: boolean): Float32Array {
  if (q.dim !== dim) throw invalidParam('dim', `query vectors have dim ${q.dim}, the index has ${dim}`);
  if (q.data instanceof Uint8Array) throw invalidParam('data', 'dense index got binary query vectors');
  const out = q.data instanceof Float32Array ? q.data.slice(0, q.nq * dim) : Float32Array.from(q.data.subarray(0, q.nq * dim));
  if (cosine) normalizeRows(out, dim);
  return out;
}
