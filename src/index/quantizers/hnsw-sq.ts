/**
 * HNSW_SQ: an HNSW graph over scalar-quantized vectors, with optional refinement (Milvus 2.6
 * semantics). The rows are quantized with `sq_type` (SQ6, SQ8: per-dimension min/max over the
 * segment; FP16, BF16: rounding) and the graph is built and searched over exactly those quantized
 * values, so recall and scores behave as an SQ index. With `refine`, the search fetches
 * ceil(k · refine_k) candidates and re-ranks them with `refine_type` precision (FLAT = originals).
 *
 * Known gap: the kernels' HNSW stores f32 rows, so the graph holds the dequantized values and the
 * memory saving of SQ is not realised; only the refine rows are kept at their own precision.
 *
 * Payload (inside the index-file frame), little endian:
 *   0   u32 magic 0x31515348 ("HSQ1")
 *   4   u32 payload version (1)
 *   8   u32 sq type code (0 SQ6, 1 SQ8, 2 BF16, 3 FP16)
 *   12  u32 refine type code (0xffffffff = no refine; 4 = FLAT)
 *   16  u32 rows n
 *   20  u32 dim
 *   24  u32 hnswBytes: length of the HNSW payload that follows (hnsw/hnsw-index.ts layout)
 *   28  u32 reserved (0)
 *   32  ... HNSW payload, padded to 4
 *   ..  refine rows: n × dim f32 (decoded refine precision; COSINE rows unit length), if refine
 */
import type { VectorColumn } from '../../core/column.js';
import { DataType, higherIsBetter } from '../../core/data-type.js';
import { dataCorrupted, invalidParam } from '../../core/errors.js';
import { hnswFamily } from '../hnsw/hnsw-family.js';
import { readIndexFile, writeIndexFile } from '../kernels/index-file.js';
import { bf16ToF32, f16ToF32, f32ToBf16, f32ToF16 } from '../reference/half.js';
import type { IndexFamily, VectorIndex, VectorIndexSpec } from '../registry.js';
import type { QueryVectors, SearchHits, SearchOptions } from '../types.js';
import { denseQueriesF32, denseRowsF32 } from '../ivf/dense-rows.js';

const SQ_TYPES = ['SQ6', 'SQ8', 'BF16', 'FP16'] as const;
const REFINE_TYPES = ['SQ6', 'SQ8', 'BF16', 'FP16', 'FLAT'] as const;
const NO_REFINE = 0xffffffff;
const MAGIC = 0x31515348;
const HEADER = 32;
const FILE = 'HNSW_SQ index payload';
const INT_MAX = 2147483647;

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
  const levels = type === 'SQ6' ? 63 : 255;
  const vmin = new Float32Array(dim).fill(Infinity);
  const vmax = new Float32Array(dim).fill(-Infinity);
  for (let r = 0; r < n; r++) {
    for (let d = 0; d < dim; d++) {
      const x = rows[r * dim + d]!;
      if (x < vmin[d]!) vmin[d] = x;
      if (x > vmax[d]!) vmax[d] = x;
    }
  }
  for (let r = 0; r < n; r++) {
    for (let d = 0; d < dim; d++) {
      const span = vmax[d]! - vmin[d]!;
      if (!(span > 0)) continue;
      const t = (rows[r * dim + d]! - vmin[d]!) / span;
      const code = t >= 1 ? levels : Math.floor(levels * Math.max(0, t));
      rows[r * dim + d] = vmin[d]! + ((Math.min(code, levels - 1) + 0.5) * span) / levels;
    }
  }
}

class HnswSqIndex implements VectorIndex {
  constructor(
    readonly spec: VectorIndexSpec,
    private graph: VectorIndex | null,
    private refineRows: Float32Array | null,
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
    const hpad = (inner.length + 3) & ~3;
    const out = new Uint8Array(HEADER + hpad + (refine ? refine.byteLength : 0));
    const dv = new DataView(out.buffer);
    const p = this.spec.params;
    const head = [MAGIC, 1, SQ_TYPES.indexOf(p.sq_type as never), refine ? REFINE_TYPES.indexOf(p.refine_type as never) : NO_REFINE, this.rowCount, this.spec.dim, inner.length, 0];
    head.forEach((v, i) => dv.setUint32(i * 4, v >>> 0, true));
    out.set(inner, HEADER);
    if (refine) out.set(new Uint8Array(refine.buffer, refine.byteOffset, refine.byteLength), HEADER + hpad);
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
  quantizeRows(rows, rowCount, dim, String(spec.params.sq_type));
  const qcol: VectorColumn = { type: DataType.FloatVector, dim, data: rows, valid: null };
  const graph = await hnswFamily.build(graphSpec(spec), qcol, rowCount, onProgress);
  return new HnswSqIndex(spec, graph, refine);
}

function load(spec: VectorIndexSpec, payload: Uint8Array): VectorIndex {
  if (payload.length < HEADER) throw dataCorrupted(FILE, 'truncated header');
  const dv = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
  if (dv.getUint32(0, true) !== MAGIC) throw dataCorrupted(FILE, 'bad magic');
  if (dv.getUint32(4, true) !== 1) throw dataCorrupted(FILE, `unsupported version ${dv.getUint32(4, true)}`);
  const refineCode = dv.getUint32(12, true);
  const n = dv.getUint32(16, true);
  const dim = dv.getUint32(20, true);
  const hlen = dv.getUint32(24, true);
  const hpad = (hlen + 3) & ~3;
  const want = HEADER + hpad + (refineCode === NO_REFINE ? 0 : n * dim * 4);
  if (payload.length !== want) throw dataCorrupted(FILE, `size ${payload.length} does not match its header (expected ${want})`);
  const graph = hnswFamily.load(graphSpec(spec), payload.subarray(HEADER, HEADER + hlen));
  const refine = refineCode === NO_REFINE ? null : new Float32Array(payload.slice(HEADER + hpad).buffer);
  return new HnswSqIndex(spec, graph, refine);
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
