/**
 * A built or loaded IVF index: its arrays live in its own ivf Wasm instance; one Wasm call searches
 * a batch of queries (coarse ranking, list scans with the allow bitset, top-k).
 *
 * Search plan with a filter (`opts.allow` = filter AND not deleted): the probed lists hold about
 * allowed·nprobe/nlist admissible rows. When that is under 2·k, or when the allowed rows are no more
 * than an unfiltered probe would scan anyway, every list is scanned instead (each allowed row
 * scored exactly against its stored code) — so recall holds at low selectivity. Otherwise the
 * bitset is applied inside the probed lists (pre-filtering). `nprobe > nlist` scans all lists, as
 * FAISS/Milvus clamp it.
 */
import { higherIsBetter, type MetricType } from '../../core/data-type.js';
import { invalidParam } from '../../core/errors.js';
import type { Bitset } from '../../core/bitset.js';
import { writeIndexFile } from '../kernels/index-file.js';
import type { VectorIndex, VectorIndexSpec } from '../registry.js';
import type { QueryVectors, SearchHits, SearchOptions } from '../types.js';
import { denseQueriesF32 } from '../kernels/dense-rows.js';
import { IvfInstance } from '../kernels/ivf-instance.js';
import { CODEC_BIN, CODEC_PQ, CODEC_SQ8, encodeIvfModel, type IvfModel } from './ivf-model.js';

const METRIC_CODE: Record<string, number> = { L2: 0, IP: 1, COSINE: 1, HAMMING: 3, JACCARD: 4 };
/** Heap entries per Wasm call (nq × k): keeps scratch around 8 MiB. */
const MAX_HEAP_ENTRIES = 1 << 20;
export const DEFAULT_NPROBE = 8;

interface Addr {
  centroids: number;
  listStart: number;
  ids: number;
  codes: number;
  sqVmin: number;
  sqStep: number;
  rowNorms: number;
  pqBooks: number;
}

/** How a search will run; exposed for tests and benchmarks. */
export interface IvfPlan {
  nprobe: number;
  exact: boolean;
}

export class IvfIndex implements VectorIndex {
  private inst: IvfInstance | null;
  private readonly a: Addr;
  private readonly meta: Omit<IvfModel, 'centroids' | 'listStart' | 'ids' | 'codes' | 'sqVmin' | 'sqStep' | 'rowNorms' | 'pqBooks'>;

  constructor(
    readonly spec: VectorIndexSpec,
    model: IvfModel,
  ) {
    const inst = new IvfInstance();
    const m = model;
    const a: Addr = {
      centroids: inst.put(m.centroids),
      listStart: inst.put(m.listStart),
      ids: inst.put(m.ids),
      codes: inst.put(m.codes),
      // The SQ8 kernel reads vmin/step in 16-float blocks: zero-pad them.
      sqVmin: m.sqVmin ? inst.put(padTo16(m.sqVmin)) : 0,
      sqStep: m.sqStep ? inst.put(padTo16(m.sqStep)) : 0,
      rowNorms: m.rowNorms ? inst.put(m.rowNorms) : 0,
      pqBooks: m.pqBooks ? inst.put(m.pqBooks) : 0,
    };
    const metric = METRIC_CODE[spec.metricType]!;
    let cnorms = 0;
    if (m.codec !== CODEC_BIN && metric === 0 && m.nlist > 0) {
      cnorms = inst.alloc(m.nlist * 4);
      inst.x.kmNorms(a.centroids, m.nlist, m.dim, cnorms);
    }
    inst.x.setIndex(m.codec, metric, m.dim, m.nlist, m.nrows, m.codeBytes, a.centroids, cnorms, a.listStart, a.codes, a.ids);
    if (m.codec === CODEC_SQ8) inst.x.setSq(a.sqVmin, a.sqStep, a.rowNorms);
    if (m.codec === CODEC_PQ) {
      inst.x.setPq(m.pqM!, m.pqNbits!, a.pqBooks);
      inst.x.setSq(0, 0, a.rowNorms);
    }
    this.inst = inst;
    this.a = a;
    this.meta = { codec: m.codec, dim: m.dim, nlist: m.nlist, nrows: m.nrows, codeBytes: m.codeBytes, pqM: m.pqM, pqNbits: m.pqNbits };
  }

  get rowCount(): number {
    return this.meta.nrows;
  }

  /** nlist after the build's adjustment to the row count. */
  get nlist(): number {
    return this.meta.nlist;
  }

  private live(): IvfInstance {
    if (!this.inst) throw invalidParam('index', 'the IVF index was released');
    return this.inst;
  }

  /** The arrays as views into Wasm memory (valid until the next allocation). */
  model(): IvfModel {
    const inst = this.live();
    const { dim, nlist, nrows, codeBytes, codec } = this.meta;
    const a = this.a;
    const m: IvfModel = {
      ...this.meta,
      centroids: codec === CODEC_BIN ? inst.u8(a.centroids, nlist * (dim >>> 3)) : inst.f32(a.centroids, nlist * dim),
      listStart: inst.i32(a.listStart, nlist + 1),
      ids: inst.i32(a.ids, nrows),
      codes: inst.u8(a.codes, nrows * codeBytes),
    };
    if (codec === CODEC_SQ8) {
      m.sqVmin = inst.f32(a.sqVmin, dim);
      m.sqStep = inst.f32(a.sqStep, dim);
      m.rowNorms = inst.f32(a.rowNorms, nrows);
    }
    if (codec === CODEC_PQ) {
      m.pqBooks = inst.f32(a.pqBooks, (1 << this.meta.pqNbits!) * dim);
      m.rowNorms = inst.f32(a.rowNorms, nrows);
    }
    return m;
  }

  /** nprobe from the search params (default 8), clamped to nlist; exact when few rows are allowed. */
  plan(opts: SearchOptions, allowedCount: number | null): IvfPlan {
    const nlist = Math.max(1, this.meta.nlist);
    const raw = opts.params?.nprobe;
    const asked = raw === undefined || raw === null ? DEFAULT_NPROBE : Number(raw);
    const nprobe = Math.min(Math.max(1, Math.floor(asked)), nlist);
    if (allowedCount === null) return { nprobe, exact: nprobe >= nlist };
    const scanned = (this.meta.nrows * nprobe) / nlist;
    const expectedHits = (allowedCount * nprobe) / nlist;
    const exact = nprobe >= nlist || allowedCount <= scanned || expectedHits < 2 * opts.k;
    return { nprobe: exact ? nlist : nprobe, exact };
  }

  search(q: QueryVectors, opts: SearchOptions): SearchHits {
    const inst = this.live();
    const { k, allow, range } = opts;
    const { dim, codec } = this.meta;
    const metric: MetricType = this.spec.metricType;
    const better = higherIsBetter(metric);
    const ids = new Int32Array(q.nq * k).fill(-1);
    const scores = new Float32Array(q.nq * k).fill(better ? -Infinity : Infinity);
    const out: SearchHits = { nq: q.nq, k, ids, scores };
    if (q.nq === 0 || k === 0 || this.meta.nrows === 0) return out;
    const allowedCount = allow ? allow.count() : null;
    if (allowedCount === 0) return out;
    const { nprobe } = this.plan(opts, allowedCount);
    let queries: Uint8Array;
    let qBytes: number;
    if (codec === CODEC_BIN) {
      if (!(q.data instanceof Uint8Array) || q.dim !== dim) throw invalidParam('data', `BIN_IVF_FLAT needs binary query vectors of dim ${dim}`);
      qBytes = dim >>> 3;
      queries = q.data.subarray(0, q.nq * qBytes);
    } else {
      const f = denseQueriesF32(q, dim, metric === 'COSINE');
      qBytes = dim * 4;
      queries = new Uint8Array(f.buffer, f.byteOffset, f.byteLength);
    }
    // Internal distances are "lower is closer" (IP/COSINE negated); map the range bounds the same way.
    let lo = -Infinity;
    let hi = Infinity;
    if (range) {
      if (better) {
        hi = -range.radius;
        if (range.rangeFilter !== undefined) lo = -range.rangeFilter;
      } else {
        hi = range.radius;
        if (range.rangeFilter !== undefined) lo = range.rangeFilter;
      }
    }
    const batch = Math.max(1, Math.floor(MAX_HEAP_ENTRIES / k));
    inst.scratch(() => {
      const ap = allow ? putBitset(inst, allow, this.meta.nrows) : 0;
      for (let s = 0; s < q.nq; s += batch) {
        const nq = Math.min(batch, q.nq - s);
        inst.scratch(() => {
          const qp = inst.put(queries.subarray(s * qBytes, (s + nq) * qBytes));
          const dp = inst.alloc(nq * k * 4);
          const ip = inst.alloc(nq * k * 4);
          const sp = inst.alloc(nq * 4);
          inst.x.search(nq, qp, k, nprobe, ap, lo, hi, dp, ip, sp);
          const d = inst.f32(dp, nq * k);
          const id = inst.i32(ip, nq * k);
          const sizes = inst.i32(sp, nq);
          for (let i = 0; i < nq; i++) {
            const o = (s + i) * k;
            for (let j = 0; j < sizes[i]!; j++) {
              ids[o + j] = id[i * k + j]!;
              scores[o + j] = better ? -d[i * k + j]! : d[i * k + j]!;
            }
          }
        });
      }
    });
    return out;
  }

  memoryBytes(): number {
    return this.inst ? this.inst.memoryBytes() : 0;
  }

  serialize(): Uint8Array {
    return writeIndexFile(this.spec, encodeIvfModel(this.model()));
  }

  dispose(): void {
    this.inst = null;
  }
}

function padTo16(v: Float32Array): Float32Array {
  const out = new Float32Array((v.length + 15) & ~15);
  out.set(v);
  return out;
}

/** The allow bitset's words (covering at least `rows` bits) copied into the instance. */
function putBitset(inst: IvfInstance, allow: Bitset, rows: number): number {
  const words = (rows + 31) >>> 5;
  const p = inst.alloc(words * 4);
  const dst = inst.i32(p, words);
  dst.fill(0);
  dst.set(new Int32Array(allow.words.buffer, allow.words.byteOffset, Math.min(words, allow.words.length)));
  return p;
}
