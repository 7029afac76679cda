/**
 * Seeded, deterministic k-means (Lloyd) over f32 rows held in an ivf Wasm instance: assignment and
 * accumulation run in Wasm, the division and empty-cluster repair in TS. Used for the IVF coarse
 * quantizer, PQ codebooks and (on ±1 expansions) binary centroids.
 *
 * Like FAISS: centroids start at distinct random sample rows; an empty cluster takes a copy of a
 * large cluster's centroid and the two are pushed apart by a relative 1/1024.
 */
import type { IvfInstance } from '../kernels/ivf-instance.js';

import { rng as seededRandom } from '../kernels/rng.js';

export { seededRandom };

/** `m` distinct indices of [0, n) in random order (all of them, shuffled, when m >= n). */
export function sampleIndices(n: number, m: number, rand: () => number): Int32Array {
  const idx = new Int32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  const take = Math.min(m, n);
  for (let i = 0; i < take; i++) {
    const j = i + Math.floor(rand() * (n - i));
    const t = idx[i]!;
    idx[i] = idx[j]!;
    idx[j] = t;
  }
  return idx.slice(0, take);
}

/** Let the event loop run (builds are long; the server keeps answering meanwhile). */
export function yieldToLoop(): Promise<void> {
  return new Promise((res) => setImmediate(res));
}

/** Rows per assignment call between yields. */
const ASSIGN_CHUNK = 4096;

export interface KmeansOptions {
  k: number;
  iterations: number;
  /** Assign by largest inner product instead of smallest L2. */
  ip: boolean;
  seed: number;
  onIteration?: (done: number) => void;
}

/**
 * Train k centroids on the n rows of `dim` f32 at address `xp` of `inst`. Returns k × dim centroids.
 * With n <= k every row becomes a centroid and the rest repeat rows cyclically.
 */
export async function kmeans(inst: IvfInstance, xp: number, n: number, dim: number, opts: KmeansOptions): Promise<Float32Array> {
  const { k } = opts;
  const rand = seededRandom(opts.seed);
  const cent = new Float32Array(k * dim);
  if (n === 0) return cent;
  const rows = inst.f32(xp, n * dim);
  if (n <= k) {
    for (let c = 0; c < k; c++) cent.set(rows.subarray((c % n) * dim, (c % n + 1) * dim), c * dim);
    return cent;
  }
  const init = sampleIndices(n, k, rand);
  for (let c = 0; c < k; c++) cent.set(rows.subarray(init[c]! * dim, init[c]! * dim + dim), c * dim);
  const mark = inst.x.heapMark();
  try {
    const cp = inst.alloc(k * dim * 4);
    const cn = inst.alloc(k * 4);
    const ap = inst.alloc(n * 4);
    const dp = inst.alloc(n * 4);
    const sp = inst.alloc(k * dim * 4);
    const np = inst.alloc(k * 4);
    for (let it = 0; it < opts.iterations; it++) {
      inst.f32(cp, k * dim).set(cent);
      inst.x.kmNorms(cp, k, dim, cn);
      for (let s = 0; s < n; s += ASSIGN_CHUNK) {
        const m = Math.min(ASSIGN_CHUNK, n - s);
        inst.x.kmAssign(xp + s * dim * 4, m, dim, cp, cn, k, opts.ip ? 1 : 0, ap + s * 4, dp + s * 4);
        await yieldToLoop();
      }
      inst.f32(sp, k * dim).fill(0);
      inst.i32(np, k).fill(0);
      inst.x.kmAccumulate(xp, n, dim, ap, sp, np);
      const sums = inst.f32(sp, k * dim);
      const counts = inst.i32(np, k).slice();
      for (let c = 0; c < k; c++) {
        const cnt = counts[c]!;
        if (cnt === 0) continue;
        const inv = 1 / cnt;
        for (let d = 0; d < dim; d++) cent[c * dim + d] = sums[c * dim + d]! * inv;
      }
      splitEmpty(cent, counts, k, dim, n, rand);
      opts.onIteration?.(it + 1);
    }
    return cent;
  } finally {
    inst.x.heapRelease(mark);
  }
}

/** FAISS-style repair: each empty cluster splits a cluster picked with probability ∝ its size. */
function splitEmpty(cent: Float32Array, counts: Int32Array, k: number, dim: number, n: number, rand: () => number): void {
  const EPS = 1 / 1024;
  for (let ci = 0; ci < k; ci++) {
    if (counts[ci] !== 0) continue;
    let cj = 0;
    for (;;) {
      const p = (counts[cj]! - 1) / (n - k);
      if (rand() < p) break;
      cj = (cj + 1) % k;
    }
    cent.copyWithin(ci * dim, cj * dim, cj * dim + dim);
    for (let d = 0; d < dim; d++) {
      const s = d % 2 === 0 ? 1 + EPS : 1 - EPS;
      const t = d % 2 === 0 ? 1 - EPS : 1 + EPS;
      cent[ci * dim + d]! *= s;
      cent[cj * dim + d]! *= t;
    }
    counts[ci] = counts[cj]! >> 1;
    counts[cj] = counts[cj]! - counts[ci]!;
  }
}

/** Nearest of the k centroids for each of n rows at `xp` (L2, or largest IP). */
export function assignRows(inst: IvfInstance, xp: number, n: number, dim: number, centroids: Float32Array, k: number, ip: boolean): Int32Array {
  return inst.scratch(() => {
    const cp = inst.put(centroids);
    const cn = inst.alloc(k * 4);
    const ap = inst.alloc(n * 4);
    const dp = inst.alloc(n * 4);
    inst.x.kmNorms(cp, k, dim, cn);
    inst.x.kmAssign(xp, n, dim, cp, cn, k, ip ? 1 : 0, ap, dp);
    return inst.i32(ap, n).slice();
  });
}
