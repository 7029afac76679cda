/**
 * A vector space inside one Wasm instance: the rows of a segment in the layout the kernels read —
 * f32 (COSINE rows normalised), int8, packed bits, the compact kinds decoded in registers against
 * f32 queries (Float16/BFloat16 as their u16 values; scalar-quantized u8 codes with per-dimension
 * offset and step, built by `WasmSpace.quantized`), with per-row 1/|x| for int8 and compact COSINE
 * — plus query staging, exact search and conversion of the kernels' "lower is closer" distances
 * back to Milvus scores.
 */
import type { VectorColumn } from '../../core/column.js';
import { DataType, higherIsBetter, type MetricType } from '../../core/data-type.js';
import { invalidParam } from '../../core/errors.js';
import type { Bitset } from '../../core/bitset.js';
import type { QueryVectors, RangeBounds, SearchHits } from '../types.js';
import { VectorInstance } from './vector-instance.js';

export const KIND_F32 = 0;
export const KIND_I8 = 1;
export const KIND_BIN = 2;
export const KIND_SQ = 3;
export const KIND_F16 = 4;
export const KIND_BF16 = 5;

/** Kinds stored narrower than f32 and queried with f32 vectors. */
function isCompact(kind: number): boolean {
  return kind >= KIND_SQ;
}

function rowBytesOf(kind: number, dim: number): number {
  if (kind === KIND_F32) return dim * 4;
  if (kind === KIND_I8 || kind === KIND_SQ) return dim;
  if (kind === KIND_BIN) return dim >>> 3;
  return dim * 2;
}

/** Per-dimension decoding of scalar-quantized rows: value = off[d] + code · step[d]. */
export interface SqCodebook {
  off: Float32Array;
  step: Float32Array;
}

const METRIC_CODE: Record<string, number> = { L2: 0, IP: 1, COSINE: 2, HAMMING: 3, JACCARD: 4 };

export function kindOf(dataType: DataType): number {
  if (dataType === DataType.BinaryVector) return KIND_BIN;
  if (dataType === DataType.Int8Vector) return KIND_I8;
  if (dataType === DataType.Float16Vector) return KIND_F16;
  if (dataType === DataType.BFloat16Vector) return KIND_BF16;
  return KIND_F32;
}

function checkMetric(kind: number, metric: MetricType): number {
  const code = METRIC_CODE[metric];
  if (kind === KIND_BIN) {
    if (code !== 3 && code !== 4) throw invalidParam('metric_type', `${metric} is not valid for binary vectors; use HAMMING or JACCARD`);
  } else if (code === undefined || code > 2) {
    throw invalidParam('metric_type', `${metric} is not valid for dense vectors; use L2, IP or COSINE`);
  }
  return code;
}

/** Rows per exact-search batch so the per-query heaps stay around 8 MiB. */
const MAX_HEAP_ENTRIES = 1 << 20;

export class WasmSpace {
  readonly kind: number;
  readonly metricCode: number;
  readonly rowBytes: number;
  /** Bytes per staged query: f32 for the compact kinds, else the row layout. */
  readonly queryBytes: number;
  base = 0;
  invNorm = 0;
  rows = 0;
  /** KIND_SQ: offsets and steps (f32[dim] each). Compact kinds: 3 × dim f32 of decode scratch. */
  private sqOff = 0;
  private sqStep = 0;
  private decScratch = 0;

  constructor(
    readonly inst: VectorInstance,
    readonly dataType: DataType,
    readonly metric: MetricType,
    readonly dim: number,
    readonly capacity: number,
    kind = kindOf(dataType),
  ) {
    this.kind = kind;
    this.metricCode = checkMetric(this.kind, metric);
    this.rowBytes = rowBytesOf(this.kind, dim);
    this.queryBytes = isCompact(this.kind) ? dim * 4 : this.rowBytes;
    this.base = inst.alloc(Math.max(1, capacity) * this.rowBytes);
    if ((this.kind === KIND_I8 || isCompact(this.kind)) && metric === 'COSINE') this.invNorm = inst.alloc(Math.max(1, capacity) * 4);
    if (isCompact(this.kind)) this.decScratch = inst.alloc(3 * dim * 4);
    if (this.kind === KIND_SQ) {
      this.sqOff = inst.alloc(dim * 4);
      this.sqStep = inst.alloc(dim * 4);
    }
    this.activate();
  }

  /**
   * A fresh instance holding `codes` (n × dim u8, scalar-quantized) decoded by `book`. The metric is
   * L2, IP or COSINE (COSINE: queries are normalised and each decoded row's 1/|x| is kept, so scores
   * are true cosines of the decoded rows).
   */
  static quantized(dataType: DataType, metric: MetricType, dim: number, codes: Uint8Array, book: SqCodebook, inst = new VectorInstance()): WasmSpace {
    const n = dim === 0 ? 0 : Math.floor(codes.length / dim);
    const s = new WasmSpace(inst, dataType, metric, dim, n, KIND_SQ);
    inst.u8(s.base, n * dim).set(codes.subarray(0, n * dim));
    inst.f32(s.sqOff, dim).set(book.off);
    inst.f32(s.sqStep, dim).set(book.step);
    s.fillInvNorms(0, n);
    s.rows = n;
    return s;
  }

  /** A fresh instance holding rows [0, rowCount) of `col`, with room for `capacity` rows. */
  static fromColumn(col: VectorColumn, rowCount: number, metric: MetricType, capacity = rowCount): WasmSpace {
    const s = new WasmSpace(new VectorInstance(), col.type as DataType, metric, col.dim, Math.max(capacity, rowCount));
    s.append(col, rowCount);
    return s;
  }

  /** Copy rows [this.rows, to) of `col` in (converting, normalising). */
  append(col: VectorColumn, to: number): void {
    const from = this.rows;
    if (to <= from) return;
    if (to > this.capacity) throw invalidParam('rowCount', `space holds at most ${this.capacity} rows, asked ${to}`);
    const dim = this.dim;
    const x = this.inst.x;
    const n = to - from;
    if (this.kind === KIND_SQ) throw invalidParam('rowCount', 'a quantized space is built whole (WasmSpace.quantized)');
    if (kindOf(col.type as DataType) !== this.kind) throw invalidParam('dataType', `column type ${col.type} does not match the space`);
    if (this.kind === KIND_F32) {
      this.inst.f32(this.base + from * this.rowBytes, n * dim).set((col.data as Float32Array).subarray(from * dim, to * dim));
      if (this.metric === 'COSINE') x.normalizeF32(this.base + from * this.rowBytes, n, dim);
    } else if (this.kind === KIND_F16 || this.kind === KIND_BF16) {
      // Half rows stay 16-bit: the kernels decode them in registers.
      this.inst.u16(this.base + from * this.rowBytes, n * dim).set((col.data as Uint16Array).subarray(from * dim, to * dim));
    } else if (this.kind === KIND_I8) {
      this.inst.i8(this.base + from * dim, n * dim).set((col.data as Int8Array).subarray(from * dim, to * dim));
    } else {
      this.inst.u8(this.base + from * this.rowBytes, n * this.rowBytes).set((col.data as Uint8Array).subarray(from * this.rowBytes, to * this.rowBytes));
    }
    this.fillInvNorms(from, to);
    this.rows = to;
  }

  /** The stored rows (kernel layout: f32 / int8 / packed bits), copied out of Wasm memory. */
  storedRows(): Uint8Array {
    return this.inst.u8(this.base, this.rows * this.rowBytes).slice();
  }

  /** A space over rows previously returned by `storedRows()` (in `inst`, or a fresh instance). */
  static fromStored(dataType: DataType, metric: MetricType, dim: number, rows: Uint8Array, inst = new VectorInstance()): WasmSpace {
    const rowBytes = rowBytesOf(kindOf(dataType), dim);
    const n = rowBytes === 0 ? 0 : Math.floor(rows.length / rowBytes);
    const s = new WasmSpace(inst, dataType, metric, dim, n);
    s.inst.u8(s.base, n * rowBytes).set(rows.subarray(0, n * rowBytes));
    s.rows = n;
    s.fillInvNorms(0, n);
    return s;
  }

  /** 1/|row| for rows [from, to) where the space keeps them (int8 and compact COSINE). */
  private fillInvNorms(from: number, to: number): void {
    if (!this.invNorm || to <= from) return;
    this.activate();
    if (this.kind === KIND_I8) this.inst.x.invNormsI8(this.base + from * this.rowBytes, to - from, this.dim, this.invNorm + from * 4);
    else this.inst.x.invNormsRows(from, to, this.invNorm + from * 4);
  }

  /** Make this space the one the instance's kernels read (several spaces may share an instance). */
  activate(): void {
    this.inst.x.setSpace(this.kind, this.metricCode, this.dim, this.base, this.invNorm);
    if (isCompact(this.kind)) this.inst.x.setCompact(this.sqOff, this.sqStep, this.decScratch);
  }

  /** Stage queries [q0, q1) in scratch memory; returns their pointer and the 1/|q| array pointer (or 0). */
  stageQueries(q: QueryVectors, q0: number, q1: number): { ptr: number; invs: number } {
    if (q.dim !== this.dim) throw invalidParam('dim', `query vectors have dim ${q.dim}, the field has ${this.dim}`);
    const n = q1 - q0;
    const ptr = this.inst.alloc(n * this.queryBytes);
    let invs = 0;
    if (this.kind === KIND_F32 || isCompact(this.kind)) {
      if (!(q.data instanceof Float32Array)) throw invalidParam('data', 'float query vectors must be a Float32Array');
      this.inst.f32(ptr, n * this.dim).set(q.data.subarray(q0 * this.dim, q1 * this.dim));
      if (this.metric === 'COSINE') this.inst.x.normalizeF32(ptr, n, this.dim);
    } else if (this.kind === KIND_I8) {
      if (!(q.data instanceof Int8Array)) throw invalidParam('data', 'int8 query vectors must be an Int8Array');
      this.inst.i8(ptr, n * this.dim).set(q.data.subarray(q0 * this.dim, q1 * this.dim));
      if (this.metric === 'COSINE') {
        invs = this.inst.alloc(n * 4);
        this.inst.x.invNormsI8(ptr, n, this.dim, invs);
      }
    } else {
      if (!(q.data instanceof Uint8Array)) throw invalidParam('data', 'binary query vectors must be a Uint8Array');
      this.inst.u8(ptr, n * this.rowBytes).set(q.data.subarray(q0 * this.rowBytes, q1 * this.rowBytes));
    }
    return { ptr, invs };
  }

  /** Stage an allow-bitset (covering at least `rows` rows) in scratch; 0 for null. */
  stageAllow(allow: Bitset | null, rows: number): number {
    if (!allow) return 0;
    const words = (rows + 31) >>> 5;
    const p = this.inst.alloc(words * 4 + 4);
    const dst = this.inst.i32(p, words + 1);
    dst.fill(0);
    const src = allow.words;
    const m = Math.min(words, src.length);
    dst.set(new Int32Array(src.buffer, src.byteOffset, m));
    return p;
  }

  /** Internal distance bounds [lo, hi) for Milvus range bounds. */
  rangeToInternal(range: RangeBounds | undefined): { lo: number; hi: number } {
    if (!range) return { lo: -Infinity, hi: Infinity };
    if (higherIsBetter(this.metric)) return { lo: range.rangeFilter === undefined ? -Infinity : -range.rangeFilter, hi: -range.radius };
    return { lo: range.rangeFilter ?? -Infinity, hi: range.radius };
  }

  /** Milvus score from an internal distance. */
  toScore(d: number): number {
    return this.metricCode === 1 || this.metricCode === 2 ? -d : d;
  }

  emptyHits(nq: number, k: number): SearchHits {
    const better = higherIsBetter(this.metric);
    return { nq, k, ids: new Int32Array(nq * k).fill(-1), scores: new Float32Array(nq * k).fill(better ? -Infinity : Infinity) };
  }

  /** Exact top-k over rows [0, rowLimit) that `allow` admits (null = all), optionally within range bounds. */
  exactSearch(q: QueryVectors, k: number, allow: Bitset | null, range?: RangeBounds, rowLimit = this.rows): SearchHits {
    const hits = this.emptyHits(q.nq, k);
    const rows = Math.min(rowLimit, this.rows);
    if (rows === 0 || k <= 0) return hits;
    const { lo, hi } = this.rangeToInternal(range);
    const batch = Math.max(1, Math.floor(MAX_HEAP_ENTRIES / k));
    this.activate();
    for (let q0 = 0; q0 < q.nq; q0 += batch) {
      const q1 = Math.min(q.nq, q0 + batch);
      this.inst.scratch(() => {
        const nb = q1 - q0;
        const { ptr, invs } = this.stageQueries(q, q0, q1);
        const allowP = this.stageAllow(allow, rows);
        const outD = this.inst.alloc(nb * k * 4);
        const outI = this.inst.alloc(nb * k * 4);
        const sizes = this.inst.alloc(nb * 4);
        this.inst.x.flatSearch(nb, ptr, invs, rows, k, allowP, lo, hi, outD, outI, sizes);
        const d = this.inst.f32(outD, nb * k);
        const ids = this.inst.i32(outI, nb * k);
        const cnt = this.inst.i32(sizes, nb);
        for (let j = 0; j < nb; j++) {
          const o = (q0 + j) * k;
          for (let t = 0; t < cnt[j]!; t++) {
            hits.ids[o + t] = ids[j * k + t]!;
            hits.scores[o + t] = this.toScore(d[j * k + t]!);
          }
        }
      });
    }
    return hits;
  }
}
