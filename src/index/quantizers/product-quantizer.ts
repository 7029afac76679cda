/**
 * Product quantizer: the vector splits into `m` sub-vectors of dim/m floats, each replaced by the
 * index of its nearest of 2^nbits codewords (k-means per sub-space, L2). Codes take one byte per
 * sub-quantizer when nbits <= 8, else two (little endian); unused high bits are zero.
 */
import type { IvfInstance } from '../kernels/ivf-instance.js';
import { assignRows, kmeans, yieldToLoop } from './kmeans.js';

export interface PqParams {
  m: number;
  nbits: number;
  /** m × 2^nbits × (dim/m) codewords. */
  books: Float32Array;
}

export function pqCodeBytes(m: number, nbits: number): number {
  return nbits > 8 ? 2 * m : m;
}

/** Sub-vector `j` (dsub floats) of each of n rows, contiguous, copied into `inst`; returns its address. */
function gatherSub(inst: IvfInstance, rows: Float32Array, n: number, dim: number, j: number, dsub: number): number {
  const p = inst.alloc(n * dsub * 4);
  const dst = inst.f32(p, n * dsub);
  for (let r = 0; r < n; r++) dst.set(rows.subarray(r * dim + j * dsub, r * dim + (j + 1) * dsub), r * dsub);
  return p;
}

export interface PqTrainOptions {
  m: number;
  nbits: number;
  iterations: number;
  seed: number;
}

/** Train codebooks on n rows of `dim` floats (FAISS trains on residuals for IVF_PQ; so do we). */
export async function trainPq(inst: IvfInstance, rows: Float32Array, n: number, dim: number, o: PqTrainOptions): Promise<PqParams> {
  const dsub = dim / o.m;
  const ksub = 1 << o.nbits;
  const books = new Float32Array(o.m * ksub * dsub);
  for (let j = 0; j < o.m; j++) {
    const mark = inst.x.heapMark();
    try {
      const xp = gatherSub(inst, rows, n, dim, j, dsub);
      books.set(await kmeans(inst, xp, n, dsub, { k: ksub, iterations: o.iterations, ip: false, seed: o.seed + j }), j * ksub * dsub);
    } finally {
      inst.x.heapRelease(mark);
    }
  }
  return { m: o.m, nbits: o.nbits, books };
}

/** Codes of n rows (n × pqCodeBytes). */
export async function encodePq(inst: IvfInstance, p: PqParams, rows: Float32Array, n: number, dim: number): Promise<Uint8Array> {
  const dsub = dim / p.m;
  const ksub = 1 << p.nbits;
  const cb = pqCodeBytes(p.m, p.nbits);
  const out = new Uint8Array(n * cb);
  const wide = p.nbits > 8;
  for (let j = 0; j < p.m; j++) {
    const a = inst.scratch(() => {
      const xp = gatherSub(inst, rows, n, dim, j, dsub);
      return assignRows(inst, xp, n, dsub, p.books.subarray(j * ksub * dsub, (j + 1) * ksub * dsub), ksub, false);
    });
    for (let r = 0; r < n; r++) {
      const c = a[r]!;
      if (wide) {
        out[r * cb + 2 * j] = c & 0xff;
        out[r * cb + 2 * j + 1] = c >>> 8;
      } else out[r * cb + j] = c;
    }
    await yieldToLoop();
  }
  return out;
}

/** Decode one code (at `co`) into `out` at `oo` (dim floats). */
export function decodePq(p: PqParams, dim: number, code: Uint8Array, co: number, out: Float32Array, oo: number): void {
  const dsub = dim / p.m;
  const ksub = 1 << p.nbits;
  for (let j = 0; j < p.m; j++) {
    const c = p.nbits > 8 ? code[co + 2 * j]! | (code[co + 2 * j + 1]! << 8) : code[co + j]!;
    out.set(p.books.subarray((j * ksub + c) * dsub, (j * ksub + c + 1) * dsub), oo + j * dsub);
  }
}
