/**
 * HNSW over one segment: the graph is built and searched inside the segment's own Wasm instance
 * (kernels/assembly/vector/hnsw.ts); JS only draws levels, feeds inserts in chunks (yielding to the
 * event loop so builds run in the background) and stages queries.
 *
 * Payload (inside the index-file frame), little endian:
 *   0   u32 n            rows
 *   4   u32 M            (level 0 holds 2M links)
 *   8   u32 efConstruction
 *   12  i32 entry        entry point row (-1 when empty)
 *   16  i32 maxLevel
 *   20  u32 upperWords   u32 words of the upper-level link area
 *   24  u32 rowBytes     bytes per stored row (kernel layout)
 *   28  u32 reserved (0)
 *   32  rows             n × rowBytes (f32 / int8 / bits / u8 SQ codes; COSINE f32 rows unit length), padded to 4
 *   ..  levels           u8[n], padded to 4
 *   ..  links0           n × (1 + 2M) u32 (count, neighbours)
 *   ..  upper            upperWords u32
 */
import type { VectorColumn } from '../../core/column.js';
import { dataCorrupted } from '../../core/errors.js';
import { preferExact } from '../flat/filter-plan.js';
import { writeIndexFile } from '../kernels/index-file.js';
import { rng } from '../kernels/rng.js';
import { VectorInstance, outOfMemory } from '../kernels/vector-instance.js';
import { WasmSpace } from '../kernels/wasm-space.js';
import type { VectorIndex, VectorIndexSpec } from '../registry.js';
import type { QueryVectors, SearchHits, SearchOptions } from '../types.js';

const HEADER = 32;
const FILE = 'HNSW index payload';
/** Insert for about this long between yields to the event loop. */
const SLICE_MS = 20;

const pad4 = (x: number): number => (x + 3) & ~3;

/** Byte offsets of the payload's sections (header comment), computed once for serialize and load. */
interface PayloadLayout {
  rows: number;
  rowsBytes: number;
  levels: number;
  links0: number;
  links0Bytes: number;
  upper: number;
  upperBytes: number;
  total: number;
}

function payloadLayout(n: number, rowBytes: number, M: number, upperWords: number): PayloadLayout {
  const rows = HEADER;
  const rowsBytes = n * rowBytes;
  const levels = rows + pad4(rowsBytes);
  const links0 = levels + pad4(n);
  const links0Bytes = n * (1 + 2 * M) * 4;
  const upper = links0 + links0Bytes;
  const upperBytes = upperWords * 4;
  return { rows, rowsBytes, levels, links0, links0Bytes, upper, upperBytes, total: upper + upperBytes };
}

export class HnswIndex implements VectorIndex {
  private constructor(
    readonly spec: VectorIndexSpec,
    private space: WasmSpace | null,
    private readonly M: number,
    private readonly efConstruction: number,
  ) {}

  get rowCount(): number {
    return this.space?.rows ?? 0;
  }

  static build(spec: VectorIndexSpec, column: VectorColumn, rowCount: number, onProgress?: (f: number) => void): Promise<HnswIndex> {
    return HnswIndex.buildOn(spec, WasmSpace.fromColumn(column, rowCount, spec.metricType), onProgress);
  }

  /** Build the graph over every row of `space` (which the index then owns). */
  static async buildOn(spec: VectorIndexSpec, space: WasmSpace, onProgress?: (f: number) => void): Promise<HnswIndex> {
    const M = spec.params.M as number;
    const efC = spec.params.efConstruction as number;
    const rowCount = space.rows;
    const x = space.inst.x;
    const lp = x.hnswAllocLevels(rowCount);
    if (lp === 0) throw outOfMemory('HNSW levels');
    const levels = space.inst.u8(lp, rowCount);
    const r = rng(100);
    const mult = 1 / Math.log(Math.max(M, 2));
    for (let i = 0; i < rowCount; i++) levels[i] = Math.min(255, Math.floor(-Math.log(1 - r()) * mult));
    if (!x.hnswInit(M, efC)) throw outOfMemory('HNSW graph');
    const idx = new HnswIndex(spec, space, M, efC);
    let next = 0;
    while (next < rowCount) {
      const t0 = performance.now();
      space.activate();
      while (next < rowCount && performance.now() - t0 < SLICE_MS) {
        const end = Math.min(rowCount, next + 64);
        for (; next < end; next++) x.hnswInsert(next);
      }
      onProgress?.(next / rowCount);
      if (next < rowCount) await new Promise<void>((res) => setImmediate(res));
    }
    return idx;
  }

  /**
   * `rowsToSpace` turns the stored rows into the space (default: the spec's data type in the kernel
   * layout); HNSW_SQ passes one that rebuilds its quantized space.
   */
  static load(
    spec: VectorIndexSpec,
    payload: Uint8Array,
    rowsToSpace: (rows: Uint8Array, inst: VectorInstance) => WasmSpace = (rows, inst) => WasmSpace.fromStored(spec.dataType, spec.metricType, spec.dim, rows, inst),
  ): HnswIndex {
    if (payload.length < HEADER) throw dataCorrupted(FILE, 'truncated header');
    const dv = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
    const n = dv.getUint32(0, true);
    const M = dv.getUint32(4, true);
    const efC = dv.getUint32(8, true);
    const entry = dv.getInt32(12, true);
    const maxLevel = dv.getInt32(16, true);
    const upperWords = dv.getUint32(20, true);
    const rowBytes = dv.getUint32(24, true);
    const at = payloadLayout(n, rowBytes, M, upperWords);
    if (payload.length !== at.total) throw dataCorrupted(FILE, `size ${payload.length} does not match its header (expected ${at.total})`);
    if (entry >= n || (n > 0 && entry < 0)) throw dataCorrupted(FILE, `entry point ${entry} out of range`);
    const inst = new VectorInstance();
    const space = rowsToSpace(payload.subarray(at.rows, at.rows + at.rowsBytes), inst);
    if (space.rows !== n || space.rowBytes !== rowBytes) throw dataCorrupted(FILE, 'row layout does not match the spec');
    const x = inst.x;
    const lp = x.hnswAllocLevels(n);
    if (lp === 0) throw outOfMemory('HNSW levels');
    inst.u8(lp, n).set(payload.subarray(at.levels, at.levels + n));
    if (!x.hnswInit(M, efC)) throw outOfMemory('HNSW graph');
    if (x.hnswUpperWords() !== upperWords) throw dataCorrupted(FILE, 'levels do not match the upper link area');
    inst.u8(x.hnswLinks0(), at.links0Bytes).set(payload.subarray(at.links0, at.links0 + at.links0Bytes));
    inst.u8(x.hnswUpper(), at.upperBytes).set(payload.subarray(at.upper, at.upper + at.upperBytes));
    x.hnswSetEntry(entry, maxLevel);
    return new HnswIndex(spec, space, M, efC);
  }

  search(q: QueryVectors, opts: SearchOptions): SearchHits {
    const s = this.space!;
    const n = s.rows;
    const k = opts.k;
    const ef = Math.min(Math.max((opts.params?.ef as number | undefined) ?? Math.max(k, 16), k), Math.max(n, 1));
    if (opts.range) return s.exactSearch(q, k, opts.allow, opts.range);
    const passing = opts.allow ? opts.allow.count() : n;
    if (opts.allow && preferExact(passing, n, ef * this.M)) return s.exactSearch(q, k, opts.allow);
    const hits = s.emptyHits(q.nq, k);
    if (n === 0 || k <= 0) return hits;
    s.activate();
    const inst = s.inst;
    inst.scratch(() => {
      const { ptr, invs } = s.stageQueries(q, 0, q.nq);
      const allowP = s.stageAllow(opts.allow, n);
      const outD = inst.alloc(k * 4);
      const outI = inst.alloc(k * 4);
      for (let i = 0; i < q.nq; i++) {
        const qInv = invs ? inst.f32(invs + i * 4, 1)[0]! : 1;
        const cnt = inst.x.hnswSearch(ptr + i * s.queryBytes, qInv, k, ef, allowP, outD, outI);
        const d = inst.f32(outD, cnt);
        const ids = inst.i32(outI, cnt);
        for (let j = 0; j < cnt; j++) {
          hits.ids[i * k + j] = ids[j]!;
          hits.scores[i * k + j] = s.toScore(d[j]!);
        }
      }
    });
    return hits;
  }

  memoryBytes(): number {
    return this.space?.inst.memoryBytes() ?? 0;
  }

  serialize(): Uint8Array {
    const s = this.space!;
    const x = s.inst.x;
    const n = s.rows;
    const upperWords = x.hnswUpperWords();
    const at = payloadLayout(n, s.rowBytes, this.M, upperWords);
    const out = new Uint8Array(at.total);
    const dv = new DataView(out.buffer);
    dv.setUint32(0, n, true);
    dv.setUint32(4, this.M, true);
    dv.setUint32(8, this.efConstruction, true);
    dv.setInt32(12, x.hnswEntry(), true);
    dv.setInt32(16, x.hnswMaxLevel(), true);
    dv.setUint32(20, upperWords, true);
    dv.setUint32(24, s.rowBytes, true);
    out.set(s.inst.u8(s.base, at.rowsBytes), at.rows);
    out.set(s.inst.u8(x.hnswLevels(), n), at.levels);
    out.set(s.inst.u8(x.hnswLinks0(), at.links0Bytes), at.links0);
    out.set(s.inst.u8(x.hnswUpper(), at.upperBytes), at.upper);
    return writeIndexFile(this.spec, out);
  }

  dispose(): void {
    this.space = null;
  }
}
