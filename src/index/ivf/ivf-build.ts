/**
 * Building an IVF index: k-means on a seeded sample for the coarse centroids, assignment of every
 * row to its nearest centroid, then the codec's encoding in list order. Deterministic: the same
 * rows and parameters give the same index.
 *
 * Like Milvus (knowhere): nlist shrinks to max(1, rows / 39) when there are fewer than 39 rows per
 * list; IVF_PQ's nbits shrinks to 8/4/2/1 when there are fewer rows than 2^nbits; IVF_SQ8 and
 * IVF_PQ encode residuals (row − centroid); COSINE normalises rows and ranks by inner product;
 * BIN_IVF_FLAT trains on ±1 expansions of the bits and thresholds the centroids back to bits.
 */
import type { VectorColumn } from '../../core/column.js';
import { DataType, type MetricType } from '../../core/data-type.js';
import { invalidParam } from '../../core/errors.js';
import { assignRows, kmeans, sampleIndices, seededRandom, yieldToLoop } from '../quantizers/kmeans.js';
import { encodePq, pqCodeBytes, trainPq } from '../quantizers/product-quantizer.js';
import { encodeSq8, trainSq8 } from '../quantizers/scalar-quantizer.js';
import { denseRowsF32 } from '../kernels/dense-rows.js';
import { IvfInstance } from '../kernels/ivf-instance.js';
import { CODEC_BIN, CODEC_F32, CODEC_PQ, CODEC_SQ8, type IvfModel } from './ivf-model.js';

/** Training sample: at most this many rows per centroid (FAISS uses 256; 64 keeps builds quick). */
const POINTS_PER_CENTROID = 64;
const KMEANS_ITERATIONS = 12;
const PQ_ITERATIONS = 10;
const SEED = 0x5eed1;
/** Rows assigned per Wasm call between yields. */
const ASSIGN_CHUNK = 4096;

export interface IvfBuildConfig {
  codec: number;
  metric: MetricType;
  nlist: number;
  pqM?: number;
  pqNbits?: number;
}

/** Milvus's adjustment: at least 39 rows per list. */
export function matchNlist(rows: number, nlist: number): number {
  return nlist * 39 > rows ? Math.max(1, Math.floor(rows / 39)) : nlist;
}

/** Milvus's adjustment: at least 2^nbits rows for PQ training. */
export function matchNbits(rows: number, nbits: number): number {
  if (rows >= 1 << nbits) return nbits;
  if (rows >= 256) return 8;
  if (rows >= 16) return 4;
  if (rows >= 4) return 2;
  return 1;
}

/** Group rows by list: listStart (nlist + 1) and the row id of each list position. */
function groupLists(assign: Int32Array, nlist: number): { listStart: Int32Array; ids: Int32Array } {
  const listStart = new Int32Array(nlist + 1);
  for (let r = 0; r < assign.length; r++) listStart[assign[r]! + 1]!++;
  for (let l = 0; l < nlist; l++) listStart[l + 1]! += listStart[l]!;
  const fill = listStart.slice(0, nlist);
  const ids = new Int32Array(assign.length);
  for (let r = 0; r < assign.length; r++) ids[fill[assign[r]!]!++] = r;
  return { listStart, ids };
}

/** Copy rows `idx` (of `dim` floats) into the instance; returns the address. */
function putRows(inst: IvfInstance, rows: Float32Array, idx: Int32Array, dim: number): number {
  const p = inst.alloc(idx.length * dim * 4);
  const dst = inst.f32(p, idx.length * dim);
  for (let i = 0; i < idx.length; i++) dst.set(rows.subarray(idx[i]! * dim, idx[i]! * dim + dim), i * dim);
  return p;
}

function residuals(rows: Float32Array, n: number, dim: number, cent: Float32Array, assign: Int32Array): Float32Array {
  const out = new Float32Array(n * dim);
  for (let r = 0; r < n; r++) {
    const o = r * dim;
    const c = assign[r]! * dim;
    for (let d = 0; d < dim; d++) out[o + d] = rows[o + d]! - cent[c + d]!;
  }
  return out;
}

async function buildDense(cfg: IvfBuildConfig, column: VectorColumn, n: number, progress: (f: number) => void): Promise<IvfModel> {
  const dim = column.dim;
  const ip = cfg.metric !== 'L2';
  const rows = denseRowsF32(column, n, cfg.metric === 'COSINE');
  const nlist = n === 0 ? 0 : matchNlist(n, cfg.nlist);
  const inst = new IvfInstance();
  const rand = seededRandom(SEED);
  const sample = sampleIndices(n, nlist * POINTS_PER_CENTROID, rand);
  const mark = inst.x.heapMark();
  const cent = await kmeans(inst, putRows(inst, rows, sample, dim), sample.length, dim, {
    k: nlist, iterations: KMEANS_ITERATIONS, ip, seed: SEED + 1,
    onIteration: (i) => progress(0.05 + (0.55 * i) / KMEANS_ITERATIONS),
  });
  inst.x.heapRelease(mark);
  const assign = new Int32Array(n);
  for (let s = 0; s < n; s += ASSIGN_CHUNK) {
    const e = Math.min(n, s + ASSIGN_CHUNK);
    const idx = new Int32Array(e - s).map((_, i) => s + i);
    assign.set(inst.scratch(() => assignRows(inst, putRows(inst, rows, idx, dim), e - s, dim, cent, nlist, ip)), s);
    await yieldToLoop();
  }
  progress(0.7);
  const { listStart, ids } = groupLists(assign, nlist);
  const base = { dim, nlist, nrows: n, centroids: cent, listStart, ids };
  if (cfg.codec === CODEC_F32) {
    const codes = new Uint8Array(n * dim * 4);
    const f = new Float32Array(codes.buffer);
    for (let p = 0; p < n; p++) f.set(rows.subarray(ids[p]! * dim, ids[p]! * dim + dim), p * dim);
    return { ...base, codec: CODEC_F32, codeBytes: dim * 4, codes };
  }
  const res = residuals(rows, n, dim, cent, assign);
  if (cfg.codec === CODEC_SQ8) {
    const sampleRes = new Float32Array(sample.length * dim);
    for (let i = 0; i < sample.length; i++) sampleRes.set(res.subarray(sample[i]! * dim, sample[i]! * dim + dim), i * dim);
    const sq = trainSq8(sampleRes, sample.length, dim);
    const codeBytes = (dim + 15) & ~15;
    const codes = new Uint8Array(n * codeBytes);
    const rowNorms = new Float32Array(n);
    for (let l = 0; l < nlist; l++) {
      for (let p = listStart[l]!; p < listStart[l + 1]!; p++) {
        encodeSq8(sq, res, ids[p]! * dim, dim, codes, p * codeBytes);
        // |x̂|² of the decoded row (centroid + decoded residual): the kernel's L2 expansion.
        let norm = 0;
        for (let d = 0; d < dim; d++) {
          const x = cent[l * dim + d]! + sq.vmin[d]! + (codes[p * codeBytes + d]! + 0.5) * sq.step[d]!;
          norm += x * x;
        }
        rowNorms[p] = norm;
      }
    }
    return { ...base, codec: CODEC_SQ8, codeBytes, codes, sqVmin: sq.vmin, sqStep: sq.step, rowNorms };
  }
  const m = cfg.pqM!;
  const nbits = matchNbits(n, cfg.pqNbits!);
  const pqSample = sampleIndices(n, (1 << nbits) * POINTS_PER_CENTROID, seededRandom(SEED + 2));
  const trainRows = new Float32Array(pqSample.length * dim);
  for (let i = 0; i < pqSample.length; i++) trainRows.set(res.subarray(pqSample[i]! * dim, pqSample[i]! * dim + dim), i * dim);
  const pq = await trainPq(inst, trainRows, pqSample.length, dim, { m, nbits, iterations: PQ_ITERATIONS, seed: SEED + 3 });
  progress(0.85);
  const byRow = await encodePq(inst, pq, res, n, dim);
  const codeBytes = pqCodeBytes(m, nbits);
  const codes = new Uint8Array(n * codeBytes);
  for (let p = 0; p < n; p++) codes.set(byRow.subarray(ids[p]! * codeBytes, ids[p]! * codeBytes + codeBytes), p * codeBytes);
  // |x̂|² − |c|² per position: the L2 kernel's row constant.
  const rowNorms = new Float32Array(n);
  const ksub = 1 << nbits;
  const dsub = dim / m;
  for (let l = 0; l < nlist; l++) {
    for (let p = listStart[l]!; p < listStart[l + 1]!; p++) {
      let v = 0;
      for (let j = 0; j < m; j++) {
        const code = nbits > 8 ? codes[p * codeBytes + 2 * j]! | (codes[p * codeBytes + 2 * j + 1]! << 8) : codes[p * codeBytes + j]!;
        for (let t = 0; t < dsub; t++) {
          const c = cent[l * dim + j * dsub + t]!;
          const x = c + pq.books[(j * ksub + code) * dsub + t]!;
          v += x * x - c * c;
        }
      }
      rowNorms[p] = v;
    }
  }
  return { ...base, codec: CODEC_PQ, codeBytes, codes, pqM: m, pqNbits: nbits, pqBooks: pq.books, rowNorms };
}

/** Rows `s..e` of packed bits as ±1 floats, in the instance; returns the address. */
function putSigns(inst: IvfInstance, bits: Uint8Array, idx: Int32Array, dim: number): number {
  const bytes = dim >>> 3;
  const p = inst.alloc(idx.length * dim * 4);
  const dst = inst.f32(p, idx.length * dim);
  for (let i = 0; i < idx.length; i++) {
    const o = idx[i]! * bytes;
    for (let d = 0; d < dim; d++) dst[i * dim + d] = (bits[o + (d >>> 3)]! >>> (d & 7)) & 1 ? 1 : -1;
  }
  return p;
}

async function buildBinary(cfg: IvfBuildConfig, column: VectorColumn, n: number, progress: (f: number) => void): Promise<IvfModel> {
  const dim = column.dim;
  const bytes = dim >>> 3;
  const bits = column.data as Uint8Array;
  const nlist = n === 0 ? 0 : matchNlist(n, cfg.nlist);
  const inst = new IvfInstance();
  const sample = sampleIndices(n, nlist * POINTS_PER_CENTROID, seededRandom(SEED));
  const mark = inst.x.heapMark();
  const fcent = await kmeans(inst, putSigns(inst, bits, sample, dim), sample.length, dim, {
    k: nlist, iterations: KMEANS_ITERATIONS, ip: false, seed: SEED + 1,
    onIteration: (i) => progress(0.05 + (0.55 * i) / KMEANS_ITERATIONS),
  });
  inst.x.heapRelease(mark);
  // Threshold to bits; the ±1 form of those bits ranks rows by Hamming distance under L2.
  const centroids = new Uint8Array(nlist * bytes);
  const signs = new Float32Array(nlist * dim);
  for (let c = 0; c < nlist; c++) {
    for (let d = 0; d < dim; d++) {
      const on = fcent[c * dim + d]! > 0;
      if (on) centroids[c * bytes + (d >>> 3)]! |= 1 << (d & 7);
      signs[c * dim + d] = on ? 1 : -1;
    }
  }
  const assign = new Int32Array(n);
  for (let s = 0; s < n; s += ASSIGN_CHUNK) {
    const e = Math.min(n, s + ASSIGN_CHUNK);
    const idx = new Int32Array(e - s).map((_, i) => s + i);
    assign.set(inst.scratch(() => assignRows(inst, putSigns(inst, bits, idx, dim), e - s, dim, signs, nlist, false)), s);
    await yieldToLoop();
  }
  progress(0.8);
  const { listStart, ids } = groupLists(assign, nlist);
  const codes = new Uint8Array(n * bytes);
  for (let p = 0; p < n; p++) codes.set(bits.subarray(ids[p]! * bytes, ids[p]! * bytes + bytes), p * bytes);
  return { codec: CODEC_BIN, dim, nlist, nrows: n, codeBytes: bytes, centroids, listStart, ids, codes };
}

/** Build the model; yields to the event loop between chunks of work. */
export async function buildIvfModel(cfg: IvfBuildConfig, column: VectorColumn, rowCount: number, onProgress?: (f: number) => void): Promise<IvfModel> {
  const progress = onProgress ?? ((): void => {});
  if (cfg.codec === CODEC_BIN) {
    if (column.type !== DataType.BinaryVector) throw invalidParam('data_type', 'BIN_IVF_FLAT needs a BinaryVector field');
    return buildBinary(cfg, column, rowCount, progress);
  }
  return buildDense(cfg, column, rowCount, progress);
}
