/**
 * HNSW_SQ: an HNSW graph over scalar-quantized vectors, with optional refinement (Milvus 2.6
 * semantics). The rows are quantized with `sq_type` and the graph is built and searched over exactly
 * those quantized values, so recall and scores behave as an SQ index. With `refine`, the search
 * fetches ceil(k · refine_k) candidates and re-ranks them with `refine_type` precision (FLAT =
 * originals).
 *
 * SQ6 and SQ8 (per-dimension min/max over the segment, 63 or 255 levels) keep one u8 code per
 * dimension inside the graph's Wasm space — a quarter of the f32 rows — and FP16/BF16 keep the
 * rounded 16-bit values — half of them; distances decode rows in registers (the kernels' compact
 * row kinds). Refine rows are held as decoded f32.
 *
 * Payload (inside the index-file frame), little endian:
 *   0   u32 magic 0x31515348 ("HSQ1")
 *   4   u32 payload version (2)
 *   8   u32 sq type code (0 SQ6, 1 SQ8, 2 BF16, 3 FP16)
 *   12  u32 refine type code (0xffffffff = no refine; 4 = FLAT)
 *   16  u32 rows n
 *   20  u32 dim
 *   24  u32 hnswBytes: length of the HNSW payload (hnsw/hnsw-index.ts layout)
 *   28  u32 bookBytes: 8 · dim for SQ6/SQ8 (the codebook below), 0 for FP16/BF16
 *   32  codebook: off f32[dim], step f32[dim] (value = off + code · step), if bookBytes > 0
 *   ..  HNSW payload (rows are u8 codes for SQ6/SQ8, u16 halves for FP16/BF16), padded to 4
 *   ..  refine rows: n × dim f32 (decoded refine precision; COSINE rows unit length), if refine
 */
import type { VectorColumn } from '../../core/column.js';
import { DataType, higherIsBetter } from '../../core/data-type.js';
import { dataCorrupted, invalidParam } from '../../core/errors.js';
import { HnswIndex } from '../hnsw/hnsw-index.js';
import { readIndexFile, writeIndexFile } from '../kernels/index-file.js';
import { WasmSpace, type SqCodebook } from '../kernels/wasm-space.js';
import { bf16ToF32, f16ToF32, f32ToBf16, f32ToF16 } from '../reference/half.js';
import type { IndexFamily, VectorIndex, VectorIndexSpec } from '../registry.js';
import type { QueryVectors, SearchHits, SearchOptions } from '../types.js';
import { denseQueriesF32, denseRowsF32 } from '../kernels/dense-rows.js';

const SQ_TYPES = ['SQ6', 'SQ8', 'BF16', 'FP16'] as const;
const REFINE_TYPES = ['SQ6', 'SQ8', 'BF16', 'FP16', 'FLAT'] as const;
const NO_REFINE = 0xffffffff;
const MAGIC = 0x31515348;
const VERSION = 2;
const HEADER = 32;
const FILE = 'HNSW_SQ index payload';
const INT_MAX = 2147483647;

/** Levels of the integer scalar quantizers (codes 0 .. levels-1). */
const SQ_LEVELS: Record<string, number> = { SQ6: 63, SQ8: 255 };

/**
 * Train an integer scalar quantizer (per-dimension min/max over `n` rows) with `levels` levels and
 * encode the rows: code = min(floor(levels · (x - min) / span), levels - 1), decoded as
 * min + (code + 0.5) · span / levels. A constant dimension decodes to its value.
 */
export function encodeSq(rows: Float32Array, n: number, dim: number, levels: number): { codes: Uint8Array; book: SqCodebook } {
  const vmin = new Float32Array(dim).fill(Infinity);
  const vmax = new Float32Array(dim).fill(-Infinity);
  for (let r = 0; r < n; r++) {
    for (let d = 0; d < dim; d++) {
      const x = rows[r * dim + d]!;
      if (x < vmin[d]!) vmin[d] = x;
      if (x > vmax[d]!) vmax[d] = x;
    }
  }
  const off = new Float32Array(dim);
  const step = new Float32Array(dim);
  for (let d = 0; d < dim; d++) {
    const span = vmax[d]! - vmin[d]!;
    step[d] = span > 0 ? span / levels : 0;
    off[d] = n === 0 ? 0 : vmin[d]! + 0.5 * step[d]!;
  }
  const codes = new Uint8Array(n * dim);
  for (let r = 0; r < n; r++) {
    for (let d = 0; d < dim; d++) {
      const span = vmax[d]! - vmin[d]!;
      if (!(span > 0)) continue;
      const t = (rows[r * dim + d]! - vmin[d]!) / span;
      codes[r * dim + d] = Math.min(t >= 1 ? levels : Math.floor(levels * Math.max(0, t)), levels - 1);
    }
  }
  return { codes, book: { off, step } };
}

/** Round-trip `rows` (n × dim, in place) through the given precision. */
export function quantizeRows(rows: Float32Array, n: number, dim: number, type: string): void {
  if (type === 'FLAT') return;
  if (type === 'FP16') {
    for (let i = 0; i < rows.length; i++) rows[i] = f16ToF32(f32ToF16(rows[i]!));
    return;
  }
  if (type === 'BF16') {
    for (let i = 0; i < rows.length; i++) rows[i] = bf16ToF32(f32ToBf16(rows[i]!));
    return;
  }
  const { codes, book } = encodeSq(rows, n, dim, SQ_LEVELS[type]!);
  for (let i = 0; i < n * dim; i++) rows[i] = book.off[i % dim]! + codes[i]! * book.step[i % dim]!;
}

class HnswSqIndex implements VectorIndex {
  constructor(
    readonly spec: VectorIndexSpec,
    private graph: VectorIndex | null,
    private refineRows: Float32Array | null,
    /** SQ6/SQ8: the codebook of the graph's u8 rows (null for FP16/BF16). */
    private readonly book: SqCodebook | null,
  ) {}

  get rowCount(): number {
    return this.graph?.rowCount ?? 0;
  }

  search(q: QueryVectors, opts: SearchOptions): SearchHits {
    const g = this.graph!;
    const refine = this.refineRows;
    if (!refine || opts.range) return g.search(q, opts);
    const { k } = opts;
    const refineK = Math.max(1, Number(opts.params?.refine_k ?? 1));
    const kk = Math.max(k, Math.ceil(k * refineK));
    const ef = Math.max(Number(opts.params?.ef ?? Math.max(kk, 16)), kk);
    const cand = g.search(q, { ...opts, k: kk, params: { ...opts.params, ef } });
    const dim = this.spec.dim;
    const metric = this.spec.metricType;
    const better = higherIsBetter(metric);
    const qs = denseQueriesF32(q, dim, metric === 'COSINE');
    const ids = new Int32Array(q.nq * k).fill(-1);
    const scores = new Float32Array(q.nq * k).fill(better ? -Infinity : Infinity);
    for (let i = 0; i < q.nq; i++) {
      const list: { id: number; s: number }[] = [];
      for (let j = 0; j < kk; j++) {
        const id = cand.ids[i * kk + j]!;
        if (id < 0) continue;
        let s = 0;
        for (let d = 0; d < dim; d++) {
          const a = qs[i * dim + d]!;
          const b = refine[id * dim + d]!;
          s += metric === 'L2' ? (a - b) * (a - b) : a * b;
        }
        list.push({ id, s });
      }
      list.sort((a, b) => (better ? b.s - a.s : a.s - b.s) || a.id - b.id);
      for (let j = 0; j < Math.min(k, list.length); j++) {
        ids[i * k + j] = list[j]!.id;
        scores[i * k + j] = list[j]!.s;
      }
    }
    return { nq: q.nq, k, ids, scores };
  }

  memoryBytes(): number {
    return (this.graph?.memoryBytes() ?? 0) + (this.refineRows?.byteLength ?? 0);
  }

  serialize(): Uint8Array {
    const inner = readIndexFile(this.graph!.serialize()).payload;
    const refine = this.refineRows;
    const book = this.book;
    const bookBytes = book ? 8 * this.spec.dim : 0;
    const hpad = (inner.length + 3) & ~3;
    const out = new Uint8Array(HEADER + bookBytes + hpad + (refine ? refine.byteLength : 0));
    const dv = new DataView(out.buffer);
    const p = this.spec.params;
    const head = [MAGIC, VERSION, SQ_TYPES.indexOf(p.sq_type as never), refine ? REFINE_TYPES.indexOf(p.refine_type as never) : NO_REFINE, this.rowCount, this.spec.dim, inner.length, bookBytes];
    head.forEach((v, i) => dv.setUint32(i * 4, v >>> 0, true));
    if (book) {
      const f = new Float32Array(out.buffer, HEADER, 2 * this.spec.dim);
      f.set(book.off);
      f.set(book.step, this.spec.dim);
    }
    out.set(inner, HEADER + bookBytes);
    if (refine) out.set(new Uint8Array(refine.buffer, refine.byteOffset, refine.byteLength), HEADER + bookBytes + hpad);
    return writeIndexFile(this.spec, out);
  }

  dispose(): void {
    this.graph?.dispose();
    this.graph = null;
    this.refineRows = null;
  }
}

function graphSpec(spec: VectorIndexSpec): VectorIndexSpec {
  return { ...spec, indexType: 'HNSW', params: { M: spec.params.M, efConstruction: spec.params.efConstruction } };
}

function refineOn(spec: VectorIndexSpec): boolean {
  return String(spec.params.refine).toLowerCase() === 'true';
}

async function build(spec: VectorIndexSpec, column: VectorColumn, rowCount: number, onProgress?: (f: number) => void): Promise<VectorIndex> {
  const dim = spec.dim;
  const cosine = spec.metricType === 'COSINE';
  const rows = denseRowsF32(column, rowCount, cosine);
  let refine: Float32Array | null = null;
  if (refineOn(spec)) {
    refine = rows.slice();
    quantizeRows(refine, rowCount, dim, String(spec.params.refine_type));
  }
  const sqType = String(spec.params.sq_type);
  const levels = SQ_LEVELS[sqType];
  if (levels !== undefined) {
    const { codes, book } = encodeSq(rows, rowCount, dim, levels);
    const space = WasmSpace.quantized(spec.dataType, spec.metricType, dim, codes, book);
    return new HnswSqIndex(spec, await HnswIndex.buildOn(graphSpec(spec), space, onProgress), refine, book);
  }
  const bf = sqType === 'BF16';
  const data = Uint16Array.from(rows, (x) => (bf ? f32ToBf16(x) : f32ToF16(x)));
  const qcol: VectorColumn = bf ? { type: DataType.BFloat16Vector, dim, data, valid: null } : { type: DataType.Float16Vector, dim, data, valid: null };
  return new HnswSqIndex(spec, await HnswIndex.build(graphSpec(spec), qcol, rowCount, onProgress), refine, null);
}

/** The 16-bit row type the graph of an FP16 / BF16 HNSW_SQ holds. */
function halfTypeOf(sqType: string): DataType {
  return sqType === 'BF16' ? DataType.BFloat16Vector : DataType.Float16Vector;
}

function load(spec: VectorIndexSpec, payload: Uint8Array): VectorIndex {
  if (payload.length < HEADER) throw dataCorrupted(FILE, 'truncated header');
  const dv = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
  if (dv.getUint32(0, true) !== MAGIC) throw dataCorrupted(FILE, 'bad magic');
  if (dv.getUint32(4, true) !== VERSION) throw dataCorrupted(FILE, `unsupported version ${dv.getUint32(4, true)}`);
  const sqType = SQ_TYPES[dv.getUint32(8, true)];
  const refineCode = dv.getUint32(12, true);
  const n = dv.getUint32(16, true);
  const dim = dv.getUint32(20, true);
  const hlen = dv.getUint32(24, true);
  const bookBytes = dv.getUint32(28, true);
  if (sqType === undefined || dim !== spec.dim) throw dataCorrupted(FILE, 'header does not match the index spec');
  if (bookBytes !== (SQ_LEVELS[sqType] !== undefined ? 8 * dim : 0)) throw dataCorrupted(FILE, `codebook size ${bookBytes} does not match ${sqType}`);
  const hpad = (hlen + 3) & ~3;
  const hstart = HEADER + bookBytes;
  const want = hstart + hpad + (refineCode === NO_REFINE ? 0 : n * dim * 4);
  if (payload.length !== want) throw dataCorrupted(FILE, `size ${payload.length} does not match its header (expected ${want})`);
  const inner = payload.subarray(hstart, hstart + hlen);
  let book: SqCodebook | null = null;
  let graph: VectorIndex;
  if (bookBytes > 0) {
    const f = new Float32Array(new Uint8Array(payload.subarray(HEADER, hstart)).buffer);
    const b: SqCodebook = { off: f.subarray(0, dim), step: f.subarray(dim) };
    book = b;
    graph = HnswIndex.load(graphSpec(spec), inner, (rows, inst) => WasmSpace.quantized(spec.dataType, spec.metricType, dim, rows, b, inst));
  } else {
    const halfType = halfTypeOf(sqType);
    graph = HnswIndex.load(graphSpec(spec), inner, (rows, inst) => WasmSpace.fromStored(halfType, spec.metricType, dim, rows, inst));
  }
  const refine = refineCode === NO_REFINE ? null : new Float32Array(new Uint8Array(payload.subarray(hstart + hpad)).buffer);
  return new HnswSqIndex(spec, graph, refine, book);
}

export const hnswSqFamily: IndexFamily = {
  indexType: 'HNSW_SQ',
  dataTypes: [DataType.FloatVector, DataType.Float16Vector, DataType.BFloat16Vector],
  metrics: ['L2', 'IP', 'COSINE'],
  buildParams: [
    { name: 'M', kind: 'int', min: 2, max: 2048, default: 30 },
    { name: 'efConstruction', kind: 'int', min: 1, max: INT_MAX, default: 360 },
    { name: 'sq_type', kind: 'enum', values: SQ_TYPES, default: 'SQ8' },
    { name: 'refine', kind: 'enum', values: ['true', 'false'], default: 'false' },
    { name: 'refine_type', kind: 'enum', values: REFINE_TYPES },
  ],
  searchParams: [
    { name: 'ef', kind: 'int', min: 1, max: INT_MAX },
    { name: 'refine_k', kind: 'float', min: 1, max: 3.4e38, default: 1 },
  ],
  /** refine = true needs a refine_type. */
  check(spec) {
    if (refineOn(spec) && spec.params.refine_type === undefined) {
      throw invalidParam('refine_type', `is required when refine is true: one of [${REFINE_TYPES.join(', ')}]`);
    }
  },
  /** ef defaults to max(limit, 16); an explicit ef below the limit is an error, as for HNSW. */
  adjustSearch(_spec, params, limit) {
    const ef = params.ef as number | undefined;
    if (ef === undefined) return { ...params, ef: Math.max(limit, 16) };
    if (ef < limit) throw invalidParam('ef', `must be >= limit (topk ${limit}), got ${ef}`);
    return params;
  },
  build,
  load,
};
