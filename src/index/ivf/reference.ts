/**
 * Plain-TypeScript IVF search over an `IvfModel`: the readable oracle the Wasm kernels are tested
 * against. Same plan as the kernel (rank centroids, scan the nprobe nearest lists, allow bitset),
 * but every distance is computed in f64 from the decoded vector (centroid + decoded residual).
 */
import type { Bitset } from '../../core/bitset.js';
import { higherIsBetter, type MetricType } from '../../core/data-type.js';
import { binaryScore, denseScore } from '../reference/brute-force.js';
import type { SearchHits } from '../types.js';
import { CODEC_BIN, CODEC_F32, CODEC_SQ8, type IvfModel } from './ivf-model.js';

/** Row `p` (list position) of the model decoded to floats (dense codecs), residual added back. */
export function decodePosition(m: IvfModel, list: number, p: number): Float64Array {
  const { dim } = m;
  const out = new Float64Array(dim);
  if (m.codec === CODEC_F32) {
    const f = new Float32Array(m.codes.buffer, m.codes.byteOffset + p * m.codeBytes, dim);
    for (let d = 0; d < dim; d++) out[d] = f[d]!;
    return out;
  }
  const c = m.centroids as Float32Array;
  const o = p * m.codeBytes;
  if (m.codec === CODEC_SQ8) {
    for (let d = 0; d < dim; d++) out[d] = c[list * dim + d]! + m.sqVmin![d]! + (m.codes[o + d]! + 0.5) * m.sqStep![d]!;
    return out;
  }
  const msub = m.pqM!;
  const dsub = dim / msub;
  const ksub = 1 << m.pqNbits!;
  for (let j = 0; j < msub; j++) {
    const code = m.pqNbits! > 8 ? m.codes[o + 2 * j]! | (m.codes[o + 2 * j + 1]! << 8) : m.codes[o + j]!;
    for (let t = 0; t < dsub; t++) out[j * dsub + t] = c[list * dim + j * dsub + t]! + m.pqBooks![(j * ksub + code) * dsub + t]!;
  }
  return out;
}

/** Top-k of each query; `queries` dense f32 (unit length for COSINE) or packed bits. */
export function referenceIvfSearch(
  m: IvfModel, metric: MetricType, queries: Float32Array | Uint8Array, nq: number, k: number, nprobe: number, allow: Bitset | null,
): SearchHits {
  const better = higherIsBetter(metric);
  const ids = new Int32Array(nq * k).fill(-1);
  const scores = new Float32Array(nq * k).fill(better ? -Infinity : Infinity);
  const dim = m.dim;
  const bytes = dim >>> 3;
  const denseMetric: MetricType = metric === 'COSINE' ? 'IP' : metric;
  const np = Math.min(nprobe, m.nlist);
  // "lower is closer" key for ranking
  const key = (s: number): number => (better ? -s : s);
  for (let qi = 0; qi < nq; qi++) {
    const lists: { l: number; d: number }[] = [];
    for (let l = 0; l < m.nlist; l++) {
      const d =
        m.codec === CODEC_BIN
          ? binaryScore(metric, queries as Uint8Array, qi * bytes, m.centroids as Uint8Array, l * bytes, bytes)
          : key(denseScore(denseMetric, queries, qi * dim, m.centroids, l * dim, dim));
      lists.push({ l, d });
    }
    lists.sort((a, b) => a.d - b.d || a.l - b.l);
    const cand: { id: number; d: number }[] = [];
    for (const { l } of lists.slice(0, np)) {
      for (let p = m.listStart[l]!; p < m.listStart[l + 1]!; p++) {
        const id = m.ids[p]!;
        if (allow && !allow.get(id)) continue;
        let d: number;
        if (m.codec === CODEC_BIN) d = binaryScore(metric, queries as Uint8Array, qi * bytes, m.codes, p * m.codeBytes, bytes);
        else d = key(denseScore(denseMetric, queries, qi * dim, decodePosition(m, l, p), 0, dim));
        cand.push({ id, d });
      }
    }
    cand.sort((a, b) => a.d - b.d || a.id - b.id);
    for (let j = 0; j < Math.min(k, cand.length); j++) {
      ids[qi * k + j] = cand[j]!.id;
      scores[qi * k + j] = better ? -cand[j]!.d : cand[j]!.d;
    }
  }
  return { nq, k, ids, scores };
}
