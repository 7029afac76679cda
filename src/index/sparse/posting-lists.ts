/**
 * The sparse inverted index of one sealed segment: one posting list per dimension (term) that occurs
 * in the segment, rows ascending, with the list's largest value (for pruning) and every row's length
 * Σ values (for BM25's |d|). Queries run one of Milvus's `inverted_index_algo` choices:
 *   TAAT_NAIVE    term at a time into a score accumulator, then top-k — no pruning;
 *   DAAT_WAND     document at a time with WAND pivoting on the lists' upper bounds;
 *   DAAT_MAXSCORE document at a time, lists split into essential / non-essential by their cumulative
 *                 upper bounds (the non-essential ones are only probed for candidates that can still
 *                 enter the top k).
 * All three return the exact top k for `dim_max_score_ratio` ≥ 1 (the default 1.05 keeps the bounds
 * safe); range search and queries or lists with negative values always run TAAT.
 *
 * DAAT_MAXSCORE is block-max (as Lucene's MaxScore scorer): every list is cut into blocks of
 * BLOCK postings, each with its largest term factor. The rows are walked in windows that end where
 * the first current block ends; inside a window each list's bound is its block's, lists are split
 * into essential / non-essential by those bounds, and a window whose bounds add up to no more than
 * the k-th score is skipped whole. For IP a block's factor is its largest value; for BM25 it is the
 * largest saturation tf·(k1+1)/(tf + k1·(1 − b + b·|d|/A)) at a reference avgdl A, computed when a
 * search first needs it. At another avgdl A' each factor is at most max(1, A'/A) times its value at
 * A (the denominator shrinks by at most A/A'), so the bound stays safe; A is re-taken when A' drifts
 * more than 10 % from it (or k1, b change). Blocks are derived from the postings, not stored.
 *
 * Payload layout (inside the index-file frame, little endian; all sections 4-byte words):
 *   0   u32 magic 0x53505253 ("SPRS")
 *   4   u32 payload version (1)
 *   8   u32 n: rows in the segment
 *   12  u32 L: posting lists
 *   16  u32 P: postings (total)
 *   20  u32 reserved (0)
 *   24  u32 dims[L]        term ids, ascending
 *   ..  u32 offsets[L+1]   list i is postings [offsets[i], offsets[i+1])
 *   ..  u32 rows[P]        row offsets, ascending within a list
 *   ..  f32 values[P]
 *   ..  f32 maxValue[L]
 *   ..  f32 minValue[L]
 *   ..  f32 rowLength[n]   Σ of the row's values
 *   ..  u32 CRC32C (core/checksum.ts) of every payload byte before it
 */
import type { SparseRow } from '../../core/column.js';
import type { Bitset } from '../../core/bitset.js';
import { dataCorrupted } from '../../core/errors.js';
import { crc32c } from '../../core/checksum.js';
import type { SearchHits, SearchOptions } from '../types.js';
import { inRange, queryTerms, termFactor, TopK, upperBound, type Bm25Params } from './scoring.js';
import { writeHits } from './exact.js';

export const SPARSE_PAYLOAD_MAGIC = 0x53505253;
export const SPARSE_PAYLOAD_VERSION = 1;
const FILE = 'sparse index payload';
/** Postings per block of the block-max bounds (a power of two). */
const BLOCK_SHIFT = 6;
const BLOCK = 1 << BLOCK_SHIFT;

export type InvertedIndexAlgo = 'TAAT_NAIVE' | 'DAAT_WAND' | 'DAAT_MAXSCORE';

export class PostingLists {
  private readonly byDim = new Map<number, number>();
  /** List i's blocks are blockMax[blockFirst[i] ..< blockFirst[i+1]]: the largest value of each. */
  private readonly blockFirst: Uint32Array;
  private readonly blockMax: Float32Array;
  /** The largest BM25 factor of each block at a reference avgdl (see the header). */
  private bm25Blocks: { k1: number; b: number; avgdl: number; max: Float32Array } | null = null;

  constructor(
    readonly n: number,
    readonly dims: Uint32Array,
    readonly offsets: Uint32Array,
    readonly rows: Uint32Array,
    readonly values: Float32Array,
    readonly maxValue: Float32Array,
    readonly minValue: Float32Array,
    readonly rowLength: Float32Array,
  ) {
    for (let i = 0; i < dims.length; i++) this.byDim.set(dims[i]!, i);
    const L = dims.length;
    this.blockFirst = new Uint32Array(L + 1);
    for (let i = 0; i < L; i++) this.blockFirst[i + 1] = this.blockFirst[i]! + Math.ceil((offsets[i + 1]! - offsets[i]!) / BLOCK);
    this.blockMax = this.blockMaxima((at) => values[at]!);
  }

  /** The largest f(posting) of every block. */
  private blockMaxima(f: (at: number) => number): Float32Array {
    const out = new Float32Array(this.blockFirst[this.dims.length]!).fill(-Infinity);
    for (let i = 0; i < this.dims.length; i++) {
      const start = this.offsets[i]!;
      const end = this.offsets[i + 1]!;
      const first = this.blockFirst[i]!;
      for (let at = start; at < end; at++) {
        const b = first + ((at - start) >>> BLOCK_SHIFT);
        const v = f(at);
        if (v > out[b]!) out[b] = v;
      }
    }
    return out;
  }

  /** Block factors for BM25 at `bm25` and the factor that keeps them an upper bound there. */
  private bm25BlockBounds(bm25: Bm25Params): { max: Float32Array; scale: number } {
    let c = this.bm25Blocks;
    if (!c || c.k1 !== bm25.k1 || c.b !== bm25.b || Math.abs(bm25.avgdl - c.avgdl) > 0.1 * c.avgdl) {
      const max = this.blockMaxima((at) => termFactor(this.values[at]!, this.rowLength[this.rows[at]!]!, bm25));
      c = this.bm25Blocks = { k1: bm25.k1, b: bm25.b, avgdl: bm25.avgdl, max };
    }
    // a little slack on top for float32 rounding of the stored maxima
    return { max: c.max, scale: Math.max(1, c.avgdl > 0 ? bm25.avgdl / c.avgdl : 1) * (1 + 1e-6) };
  }

  static build(data: readonly (SparseRow | undefined)[], rowCount: number, onProgress?: (f: number) => void): PostingLists {
    const counts = new Map<number, number>();
    const rowLength = new Float32Array(rowCount);
    let total = 0;
    for (let r = 0; r < rowCount; r++) {
      const d = data[r];
      if (!d) continue;
      let len = 0;
      for (let j = 0; j < d.indices.length; j++) {
        const t = d.indices[j]!;
        counts.set(t, (counts.get(t) ?? 0) + 1);
        len += d.values[j]!;
      }
      rowLength[r] = len;
      total += d.indices.length;
    }
    const dims = Uint32Array.from(counts.keys()).sort();
    const L = dims.length;
    const offsets = new Uint32Array(L + 1);
    const slot = new Map<number, number>();
    for (let i = 0; i < L; i++) {
      offsets[i + 1] = offsets[i]! + counts.get(dims[i]!)!;
      slot.set(dims[i]!, offsets[i]!);
    }
    const rows = new Uint32Array(total);
    const values = new Float32Array(total);
    const maxValue = new Float32Array(L).fill(-Infinity);
    const minValue = new Float32Array(L).fill(Infinity);
    const listOf = new Map<number, number>();
    for (let i = 0; i < L; i++) listOf.set(dims[i]!, i);
    for (let r = 0; r < rowCount; r++) {
      const d = data[r];
      if (d) {
        for (let j = 0; j < d.indices.length; j++) {
          const t = d.indices[j]!;
          const at = slot.get(t)!;
          slot.set(t, at + 1);
          rows[at] = r;
          const v = d.values[j]!;
          values[at] = v;
          const li = listOf.get(t)!;
          if (v > maxValue[li]!) maxValue[li] = v;
          if (v < minValue[li]!) minValue[li] = v;
        }
      }
      if (onProgress && (r & 0xffff) === 0) onProgress(r / Math.max(1, rowCount));
    }
    return new PostingLists(rowCount, dims, offsets, rows, values, maxValue, minValue, rowLength);
  }

  memoryBytes(): number {
    const blocks = this.blockFirst.byteLength + this.blockMax.byteLength + (this.bm25Blocks?.max.byteLength ?? 0);
    return this.dims.byteLength + this.offsets.byteLength + this.rows.byteLength + this.values.byteLength + this.maxValue.byteLength * 2 + this.rowLength.byteLength + blocks;
  }

  serialize(): Uint8Array {
    const L = this.dims.length;
    const P = this.rows.length;
    const words = 6 + L + (L + 1) + P + P + L + L + this.n + 1;
    const out = new Uint8Array(words * 4);
    const dv = new DataView(out.buffer);
    const head = [SPARSE_PAYLOAD_MAGIC, SPARSE_PAYLOAD_VERSION, this.n, L, P, 0];
    head.forEach((v, i) => dv.setUint32(i * 4, v, true));
    let off = 24;
    for (const arr of [this.dims, this.offsets, this.rows, this.values, this.maxValue, this.minValue, this.rowLength]) {
      out.set(new Uint8Array(arr.buffer, arr.byteOffset, arr.byteLength), off);
      off += arr.byteLength;
    }
    dv.setUint32(off, crc32c(out.subarray(0, off)), true);
    return out;
  }

  static load(payload: Uint8Array): PostingLists {
    if (payload.length < 28) throw dataCorrupted(FILE, `truncated (${payload.length} bytes)`);
    const bytes = payload.slice(); // aligned copy
    const dv = new DataView(bytes.buffer);
    if (dv.getUint32(0, true) !== SPARSE_PAYLOAD_MAGIC) throw dataCorrupted(FILE, 'bad magic');
    const version = dv.getUint32(4, true);
    if (version !== SPARSE_PAYLOAD_VERSION) throw dataCorrupted(FILE, `unsupported version ${version}`);
    const n = dv.getUint32(8, true);
    const L = dv.getUint32(12, true);
    const P = dv.getUint32(16, true);
    const words = 6 + L + (L + 1) + P + P + L + L + n + 1;
    if (bytes.length !== words * 4) throw dataCorrupted(FILE, `size ${bytes.length} does not match its header (${words * 4})`);
    const end = bytes.length - 4;
    if (dv.getUint32(end, true) !== crc32c(bytes.subarray(0, end))) throw dataCorrupted(FILE, 'checksum mismatch');
    let off = 24;
    const take = <T>(len: number, make: (b: ArrayBuffer, o: number, l: number) => T): T => {
      const v = make(bytes.buffer, off, len);
      off += len * 4;
      return v;
    };
    const u32 = (b: ArrayBuffer, o: number, l: number) => new Uint32Array(b, o, l);
    const f32 = (b: ArrayBuffer, o: number, l: number) => new Float32Array(b, o, l);
    const dims = take(L, u32);
    const offsets = take(L + 1, u32);
    const rows = take(P, u32);
    const values = take(P, f32);
    const maxValue = take(L, f32);
    const minValue = take(L, f32);
    const rowLength = take(n, f32);
    if (offsets[L] !== P) throw dataCorrupted(FILE, 'posting offsets do not add up');
    return new PostingLists(n, dims, offsets, rows, values, maxValue, minValue, rowLength);
  }

  search(queries: readonly SparseRow[], opts: SearchOptions, algo: InvertedIndexAlgo): SearchHits {
    const nq = queries.length;
    const k = opts.k;
    const ids = new Int32Array(nq * k).fill(-1);
    const scores = new Float32Array(nq * k);
    const p = opts.params ?? {};
    const drop = typeof p.drop_ratio_search === 'number' ? p.drop_ratio_search : 0;
    const ratio = typeof p.dim_max_score_ratio === 'number' ? p.dim_max_score_ratio : 1.05;
    for (let qi = 0; qi < nq; qi++) {
      const q = queryTerms(queries[qi]!, drop);
      const terms: Term[] = [];
      let negative = false;
      for (let j = 0; j < q.indices.length; j++) {
        const li = this.byDim.get(q.indices[j]!);
        if (li === undefined) continue;
        const w = q.values[j]!;
        if (w < 0 || this.minValue[li]! < 0) negative = true;
        terms.push({ list: li, w, ub: w * upperBound(this.maxValue[li]!, opts.bm25) * ratio, pos: this.offsets[li]!, end: this.offsets[li + 1]!, start: this.offsets[li]!, local: 0 });
      }
      const top = new TopK(k);
      if (algo === 'TAAT_NAIVE' || opts.range || negative) this.taat(terms, top, opts);
      else if (algo === 'DAAT_WAND') this.wand(terms, top, opts.allow, opts.bm25);
      else this.blockMaxScore(terms, top, opts.allow, opts.bm25, ratio);
      writeHits(top, qi, k, ids, scores);
    }
    return { nq, k, ids, scores };
  }

  private contrib(t: Term, at: number, bm25: Bm25Params | undefined): number {
    return t.w * termFactor(this.values[at]!, bm25 ? this.rowLength[this.rows[at]!]! : 0, bm25);
  }

  private taat(terms: Term[], top: TopK, opts: SearchOptions): void {
    const acc = new Float64Array(this.n);
    const seen = new Uint8Array(this.n);
    const touched: number[] = [];
    for (const t of terms) {
      for (let at = t.pos; at < t.end; at++) {
        const r = this.rows[at]!;
        if (seen[r] === 0) {
          if (opts.allow && !opts.allow.get(r)) continue;
          seen[r] = 1;
          touched.push(r);
        }
        acc[r] = acc[r]! + this.contrib(t, at, opts.bm25);
      }
    }
    for (const r of touched) {
      const s = Math.fround(acc[r]!);
      if (inRange(s, opts.range)) top.push(r, s);
    }
  }

  /** First position in [from, end) whose row is ≥ target (galloping then binary search). */
  private seek(from: number, end: number, target: number): number {
    const rows = this.rows;
    if (from >= end || rows[from]! >= target) return from;
    let step = 1;
    let lo = from;
    let hi = from + 1;
    while (hi < end && rows[hi]! < target) {
      lo = hi;
      step *= 2;
      hi = Math.min(end, hi + step);
    }
    // rows[lo] < target; answer in (lo, hi]
    let a = lo + 1;
    let b = hi;
    while (a < b) {
      const m = (a + b) >>> 1;
      if (rows[m]! < target) a = m + 1;
      else b = m;
    }
    return a;
  }

  /** The bound of the block holding posting `at` of term t, weight and dim_max_score_ratio applied. */
  private blockBound(t: Term, at: number, blocks: Float32Array, scale: number): number {
    return t.w * scale * blocks[this.blockFirst[t.list]! + ((at - t.start) >>> BLOCK_SHIFT)]!;
  }

  /** Row of the last posting in the block holding posting `at` of term t. */
  private blockLastRow(t: Term, at: number): number {
    const blockEnd = t.start + (((at - t.start) >>> BLOCK_SHIFT) + 1) * BLOCK;
    return this.rows[Math.min(blockEnd, t.end) - 1]!;
  }

  private blockMaxScore(terms: Term[], top: TopK, allow: Bitset | null, bm25: Bm25Params | undefined, ratio: number): void {
    const rows = this.rows;
    const prefix = new Float64Array(terms.length);
    const bb = bm25 ? this.bm25BlockBounds(bm25) : { max: this.blockMax, scale: 1 };
    const blocks = bb.max;
    const scale = bb.scale * ratio;
    // ws: the lists not yet exhausted, kept sorted by their window bound (insertion sort, few terms)
    const ws = terms.filter((t) => t.pos < t.end);
    let n = ws.length;
    for (;;) {
      let w = 0;
      for (let i = 0; i < n; i++) if (ws[i]!.pos < ws[i]!.end) ws[w++] = ws[i]!;
      n = w;
      if (n === 0) return;
      // the window: from the smallest current row to the first end of a current block
      let lo = Infinity;
      for (let i = 0; i < n; i++) {
        const r = rows[ws[i]!.pos]!;
        if (r < lo) lo = r;
      }
      let hi = Infinity;
      for (let i = 0; i < n; i++) {
        const t = ws[i]!;
        t.pos = this.seek(t.pos, t.end, lo);
        if (t.pos < t.end) {
          const last = this.blockLastRow(t, t.pos);
          if (last < hi) hi = last;
        }
      }
      if (hi === Infinity) return;
      let total = 0;
      for (let i = 0; i < n; i++) {
        const t = ws[i]!;
        t.local = t.pos < t.end && rows[t.pos]! <= hi ? this.blockBound(t, t.pos, blocks, scale) : 0;
        total += t.local;
      }
      if (total > top.threshold) {
        for (let i = 1; i < n; i++) {
          const t = ws[i]!;
          let j = i - 1;
          while (j >= 0 && ws[j]!.local > t.local) {
            ws[j + 1] = ws[j]!;
            j--;
          }
          ws[j + 1] = t;
        }
        let s = 0;
        for (let i = 0; i < n; i++) prefix[i] = s += ws[i]!.local;
        let firstEss = 0;
        for (;;) {
          const theta = top.threshold;
          while (firstEss < n && prefix[firstEss]! <= theta) firstEss++;
          if (firstEss >= n) break;
          let doc = Infinity;
          for (let i = firstEss; i < n; i++) {
            const t = ws[i]!;
            if (t.pos < t.end && rows[t.pos]! < doc) doc = rows[t.pos]!;
          }
          if (doc > hi) break;
          const ok = !allow || allow.get(doc);
          let score = 0;
          for (let i = firstEss; i < n; i++) {
            const t = ws[i]!;
            if (t.pos < t.end && rows[t.pos] === doc) {
              if (ok) score += this.contrib(t, t.pos, bm25);
              t.pos++;
            }
          }
          if (!ok) continue;
          let alive = true;
          for (let i = firstEss - 1; i >= 0; i--) {
            if (score + prefix[i]! <= theta) {
              alive = false;
              break;
            }
            const t = ws[i]!;
            t.pos = this.seek(t.pos, t.end, doc);
            if (t.pos < t.end && rows[t.pos] === doc) score += this.contrib(t, t.pos, bm25);
          }
          if (alive) top.push(doc, Math.fround(score));
        }
      }
      // past the window on every list
      for (let i = 0; i < n; i++) {
        const t = ws[i]!;
        t.pos = this.seek(t.pos, t.end, hi + 1);
      }
    }
  }

  private wand(terms: Term[], top: TopK, allow: Bitset | null, bm25: Bm25Params | undefined): void {
    const rows = this.rows;
    const cur = (t: Term): number => (t.pos < t.end ? rows[t.pos]! : Infinity);
    const live = terms.slice();
    for (;;) {
      live.sort((a, b) => cur(a) - cur(b));
      const theta = top.threshold;
      let acc = 0;
      let p = -1;
      for (let j = 0; j < live.length; j++) {
        if (cur(live[j]!) === Infinity) break;
        acc += live[j]!.ub;
        if (acc > theta) {
          p = j;
          break;
        }
      }
      if (p < 0) return;
      const pivot = cur(live[p]!);
      if (cur(live[0]!) === pivot) {
        const ok = !allow || allow.get(pivot);
        let score = 0;
        for (const t of live) {
          if (cur(t) !== pivot) continue;
          if (ok) score += this.contrib(t, t.pos, bm25);
          t.pos++;
        }
        if (ok) top.push(pivot, Math.fround(score));
      } else {
        for (let j = 0; j < p; j++) {
          const t = live[j]!;
          if (cur(t) < pivot) t.pos = this.seek(t.pos, t.end, pivot);
        }
      }
    }
  }
}

interface Term {
  list: number;
  w: number;
  ub: number;
  pos: number;
  end: number;
  /** First posting of the list (block numbering starts there). */
  start: number;
  /** The bound of the term inside the current window (block-max MaxScore). */
  local: number;
}
