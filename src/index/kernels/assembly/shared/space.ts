// The vector space of one index instance: element kind, metric and where the rows live. Every
// distance here is "lower is closer": IP and COSINE return the negated similarity.
import { CODEC_BF16, CODEC_F16, CODEC_SQ, decodeCompact, distCompact, fourCompact, fourF32, hamming, ipF32, ipI8, jaccard, l2F32, l2I8 } from './distance';

export const KIND_F32: i32 = 0;
export const KIND_I8: i32 = 1;
export const KIND_BIN: i32 = 2;
// Compact kinds: rows narrower than f32, decoded in registers against f32 queries (distance.ts).
/** Scalar-quantized rows: one u8 code per dimension, value = sqOff[d] + code · sqStep[d]. */
export const KIND_SQ: i32 = 3;
/** IEEE half rows (Float16Vector), u16 per dimension. */
export const KIND_F16: i32 = 4;
/** bfloat16 rows (BFloat16Vector), u16 per dimension. */
export const KIND_BF16: i32 = 5;

@inline function compactKind(k: i32): bool {
  return k >= KIND_SQ;
}

@inline function codecOf(k: i32): i32 {
  return k == KIND_SQ ? CODEC_SQ : k == KIND_F16 ? CODEC_F16 : CODEC_BF16;
}

export const METRIC_L2: i32 = 0;
export const METRIC_IP: i32 = 1;
export const METRIC_COSINE: i32 = 2;
export const METRIC_HAMMING: i32 = 3;
export const METRIC_JACCARD: i32 = 4;

export let kind: i32 = 0;
export let metric: i32 = 0;
export let dim: i32 = 0;
/** Bytes per stored row. */
export let rowBytes: i32 = 0;
/** First row. */
export let base: usize = 0;
/** Bytes per query vector: f32 for the compact kinds, else the row layout. */
export let queryBytes: i32 = 0;
/** f32 1/|row| per row (int8 and compact-kind COSINE: of the decoded row), else 0. */
export let invNorm: usize = 0;
/** KIND_SQ: f32[dim] offsets and steps. Compact kinds: 3 × dim f32 of decode scratch (see rowQuery). */
export let sqOff: usize = 0;
export let sqStep: usize = 0;
let decScratch: usize = 0;

export function setSpace(k: i32, m: i32, d: i32, b: usize, inv: usize): void {
  kind = k;
  metric = m;
  dim = d;
  base = b;
  invNorm = inv;
  rowBytes = k == KIND_F32 ? d << 2 : k == KIND_I8 || k == KIND_SQ ? d : k == KIND_BIN ? d >> 3 : d << 1;
  queryBytes = compactKind(k) ? d << 2 : rowBytes;
}

/** Compact kinds: the decode scratch, and for KIND_SQ the per-dimension offsets and steps (else 0). */
export function setCompact(off: usize, step: usize, dec: usize): void {
  sqOff = off;
  sqStep = step;
  decScratch = dec;
}

export function setBase(b: usize, inv: usize): void {
  base = b;
  invNorm = inv;
}

@inline export function rowPtr(row: i32): usize {
  return base + <usize>row * <usize>rowBytes;
}

/** Distance from vector `q` (query layout; `qInv` = 1/|q| for int8 and quantized COSINE) to vector `v`. */
@inline export function distPtr(q: usize, qInv: f32, v: usize, vInv: f32): f32 {
  if (kind == KIND_F32) {
    if (metric == METRIC_L2) return l2F32(q, v, dim);
    return -ipF32(q, v, dim);
  }
  if (kind == KIND_I8) {
    if (metric == METRIC_L2) return l2I8(q, v, dim);
    if (metric == METRIC_IP) return -ipI8(q, v, dim);
    return -(ipI8(q, v, dim) * qInv * vInv);
  }
  if (compactKind(kind)) {
    if (metric == METRIC_L2) return distCompact(codecOf(kind), q, v, sqOff, sqStep, dim, false);
    const ip = distCompact(codecOf(kind), q, v, sqOff, sqStep, dim, true);
    return metric == METRIC_IP ? -ip : -(ip * qInv * vInv);
  }
  if (metric == METRIC_HAMMING) return hamming(q, v, dim >> 3);
  return jaccard(q, v, dim >> 3);
}

/**
 * Row `row` as a query (the layout distPtr's `q` takes): the row itself, except for the compact
 * kinds, where it is decoded to f32 in scratch slot `slot` (0..2; overwritten by the next call with it).
 */
@inline export function rowQuery(row: i32, slot: i32): usize {
  if (!compactKind(kind)) return rowPtr(row);
  const out = decScratch + <usize>slot * (<usize>dim << 2);
  decodeCompact(codecOf(kind), rowPtr(row), sqOff, sqStep, dim, out);
  return out;
}

@inline export function rowInv(row: i32): f32 {
  return invNorm == 0 ? <f32>1 : load<f32>(invNorm + (<usize>row << 2));
}

@inline export function distRow(q: usize, qInv: f32, row: i32): f32 {
  return distPtr(q, qInv, rowPtr(row), rowInv(row));
}

@inline export function allowed(allow: usize, row: i32): bool {
  return allow == 0 || ((load<u32>(allow + (<usize>(row >>> 5) << 2)) >>> (row & 31)) & 1) != 0;
}

/**
 * Distances from `q` to the `m` rows listed at `ids` (i32), written to `out` (f32). Float and
 * compact rows go four at a time through `fourF32` / `fourCompact`; other kinds one by one.
 */
/** Sink for the prefetching loads in distMany (read by nobody; keeps the loads alive). */
let touched: i32 = 0;
export function touchedSink(): i32 {
  return touched;
}

export function distMany(q: usize, qInv: f32, ids: usize, m: i32, out: usize): void {
  let j = 0;
  if (kind == KIND_F32 || compactKind(kind)) {
    const ip = metric != METRIC_L2;
    const compact = compactKind(kind);
    const codec = codecOf(kind);
    // Compact rows are not normalised: COSINE scales by 1/|q| · 1/|row|.
    const cos = compact && metric == METRIC_COSINE;
    for (; j + 4 <= m; j += 4) {
      const p = ids + (<usize>j << 2);
      // Touch the next group's first cache lines (Wasm has no prefetch) so their misses overlap this group.
      if (j + 8 <= m) {
        touched += load<i32>(rowPtr(load<i32>(p, 16))) + load<i32>(rowPtr(load<i32>(p, 20))) + load<i32>(rowPtr(load<i32>(p, 24))) + load<i32>(rowPtr(load<i32>(p, 28)));
      }
      const o = out + (<usize>j << 2);
      const r0 = load<i32>(p);
      const r1 = load<i32>(p, 4);
      const r2 = load<i32>(p, 8);
      const r3 = load<i32>(p, 12);
      if (compact) fourCompact(codec, q, rowPtr(r0), rowPtr(r1), rowPtr(r2), rowPtr(r3), sqOff, sqStep, dim, ip, o);
      else fourF32(q, rowPtr(r0), rowPtr(r1), rowPtr(r2), rowPtr(r3), dim, ip, o);
      if (cos) {
        store<f32>(o, -load<f32>(o) * qInv * rowInv(r0));
        store<f32>(o, -load<f32>(o, 4) * qInv * rowInv(r1), 4);
        store<f32>(o, -load<f32>(o, 8) * qInv * rowInv(r2), 8);
        store<f32>(o, -load<f32>(o, 12) * qInv * rowInv(r3), 12);
      } else if (ip) {
        store<f32>(o, -load<f32>(o));
        store<f32>(o, -load<f32>(o, 4), 4);
        store<f32>(o, -load<f32>(o, 8), 8);
        store<f32>(o, -load<f32>(o, 12), 12);
      }
    }
  }
  for (; j < m; j++) store<f32>(out + (<usize>j << 2), distRow(q, qInv, load<i32>(ids + (<usize>j << 2))));
}
