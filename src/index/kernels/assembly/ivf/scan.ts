// IVF search: for each query, rank the coarse centroids, scan the `nprobe` nearest inverted lists
// with the codec's distance (skipping rows the allow bitset rejects) and keep the top-k in a
// max-heap. Every distance is "lower is closer" (IP is negated). Scratch memory comes from the bump
// allocator and is released before returning.
import { alloc, heapMark, heapRelease } from '../shared/alloc';
import { hamming, ipF32, jaccard, l2F32 } from '../shared/distance';
import { heapSortAscending, offer } from '../shared/heap';
import {
  CODEC_BIN, CODEC_F32, CODEC_PQ, CODEC_SQ8, METRIC_HAMMING, METRIC_IP, METRIC_L2,
  centroids, cnorms, codeBytes, codec, codes, dim, dimPad, ids, listStart, metric, nlist,
  pqBooks, pqDsub, pqKsub, pqM, pqWide, rowNorms, sqStep, sqVmin,
} from './layout';

@inline function allowed(allow: usize, row: i32): bool {
  return allow == 0 || ((load<u32>(allow + (<usize>(row >>> 5) << 2)) >>> (row & 31)) & 1) != 0;
}

@inline function i32sum(v: v128): i32 {
  return i32x4.extract_lane(v, 0) + i32x4.extract_lane(v, 1) + i32x4.extract_lane(v, 2) + i32x4.extract_lane(v, 3);
}

/** Σ u8 code[i] × i16 a[i] over `n` (a multiple of 16) elements, exact in i32. */
export function dotU8I16(c: usize, a: usize, n: i32): i32 {
  let acc0 = i32x4.splat(0);
  let acc1 = i32x4.splat(0);
  for (let i = 0; i < n; i += 16) {
    const v = v128.load(c + <usize>i);
    const ap = a + (<usize>i << 1);
    acc0 = i32x4.add(acc0, i32x4.dot_i16x8_s(i16x8.extend_low_i8x16_u(v), v128.load(ap)));
    acc1 = i32x4.add(acc1, i32x4.dot_i16x8_s(i16x8.extend_high_i8x16_u(v), v128.load(ap, 16)));
  }
  return i32sum(i32x4.add(acc0, acc1));
}

/** Binary-vector distance in the index metric. */
@inline function binDist(q: usize, v: usize, bytes: i32): f32 {
  return metric == METRIC_HAMMING ? hamming(q, v, bytes) : jaccard(q, v, bytes);
}

/**
 * Rank all centroids for query `q`; the best `np` land sorted ascending in (pd, pi). For dense L2
 * the key is |c|² - 2 q·c (|q|² left out: same order); for IP it is -q·c.
 */
function coarse(q: usize, np: i32, pd: usize, pi: usize): void {
  let size = 0;
  if (codec == CODEC_BIN) {
    const bytes = dim >> 3;
    for (let l = 0; l < nlist; l++) size = offer(pd, pi, size, np, binDist(q, centroids + <usize>l * <usize>bytes, bytes), l);
  } else {
    const stride = <usize>dim << 2;
    for (let l = 0; l < nlist; l++) {
      const ip = ipF32(q, centroids + <usize>l * stride, dim);
      const d = metric == METRIC_L2 ? load<f32>(cnorms + (<usize>l << 2)) - 2 * ip : -ip;
      size = offer(pd, pi, size, np, d, l);
    }
  }
  heapSortAscending(pd, pi, size);
}

function scanF32(q: usize, s: i32, e: i32, allow: usize, hd: usize, hid: usize, size: i32, k: i32, loB: f32, hiB: f32): i32 {
  const stride = <usize>codeBytes;
  const l2 = metric == METRIC_L2;
  for (let p = s; p < e; p++) {
    const id = load<i32>(ids + (<usize>p << 2));
    if (!allowed(allow, id)) continue;
    const v = codes + <usize>p * stride;
    const d = l2 ? l2F32(q, v, dim) : -ipF32(q, v, dim);
    if (d >= loB && d < hiB) size = offer(hd, hid, size, k, d, id);
  }
  return size;
}

function scanBin(q: usize, s: i32, e: i32, allow: usize, hd: usize, hid: usize, size: i32, k: i32, loB: f32, hiB: f32): i32 {
  const stride = <usize>codeBytes;
  const bytes = dim >> 3;
  for (let p = s; p < e; p++) {
    const id = load<i32>(ids + (<usize>p << 2));
    if (!allowed(allow, id)) continue;
    const d = binDist(q, codes + <usize>p * stride, bytes);
    if (d >= loB && d < hiB) size = offer(hd, hid, size, k, d, id);
  }
  return size;
}

// SQ8 query preparation results (set by prepSq8, read by scanSq8).
let sqB: f32 = 0;
let sqInvScale: f32 = 0;

@inline function hsum(v: v128): f32 {
  return f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3);
}

/**
 * Stage the query v zero-padded to dimPad floats at `r`, then
 * a[d] = v[d]·step[d] quantized to i16 at a scale that keeps Σ 255·|a| within i32, and
 * B = Σ v[d]·(vmin[d] + step[d]/2), so that v·decoded(code) ≈ B + dotU8I16(code, a) / scale.
 * vmin and step are zero-padded to dimPad by the loader. Returns |v|².
 */
function prepSq8(q: usize, r: usize, a: usize): f32 {
  memory.copy(r, q, <usize>dim << 2);
  for (let i = dim; i < dimPad; i++) store<f32>(r + (<usize>i << 2), 0);
  const half = f32x4.splat(0.5);
  let vb = f32x4.splat(0);
  let vn = f32x4.splat(0);
  let vm = f32x4.splat(0);
  for (let i = 0; i < dimPad; i += 4) {
    const o = <usize>i << 2;
    const x = v128.load(r + o);
    const st = v128.load(sqStep + o);
    vb = f32x4.add(vb, f32x4.mul(x, f32x4.add(v128.load(sqVmin + o), f32x4.mul(st, half))));
    vn = f32x4.add(vn, f32x4.mul(x, x));
    vm = f32x4.max(vm, f32x4.abs(f32x4.mul(x, st)));
  }
  sqB = hsum(vb);
  const maxAbs = max(max(f32x4.extract_lane(vm, 0), f32x4.extract_lane(vm, 1)), max(f32x4.extract_lane(vm, 2), f32x4.extract_lane(vm, 3)));
  let lim = <f64>2147483647 / (255.0 * <f64>dimPad);
  if (lim > 32767) lim = 32767;
  const scale: f32 = maxAbs > 0 ? <f32>(Math.floor(lim) / <f64>maxAbs) : 0;
  sqInvScale = scale > 0 ? 1 / scale : 0;
  const sv = f32x4.splat(scale);
  for (let i = 0; i < dimPad; i += 8) {
    const o = <usize>i << 2;
    const lo = i32x4.trunc_sat_f32x4_s(f32x4.nearest(f32x4.mul(f32x4.mul(v128.load(r + o), v128.load(sqStep + o)), sv)));
    const hi = i32x4.trunc_sat_f32x4_s(f32x4.nearest(f32x4.mul(f32x4.mul(v128.load(r + o, 16), v128.load(sqStep + o, 16)), sv)));
    v128.store(a + (<usize>i << 1), i16x8.narrow_i32x4_s(lo, hi));
  }
  return hsum(vn);
}

/**
 * x̂ = c + decoded residual, so q·x̂ = qc + B + dot/scale with qc = q·c of the list; L2 uses
 * |q|² − 2·q·x̂ + |x̂|² with |x̂|² stored per list position (rowNorms).
 */
function scanSq8(a: usize, qc: f32, qq: f32, s: i32, e: i32, allow: usize, hd: usize, hid: usize, size: i32, k: i32, loB: f32, hiB: f32): i32 {
  const stride = <usize>codeBytes;
  const l2 = metric == METRIC_L2;
  const b = sqB + qc;
  const inv = sqInvScale;
  for (let p = s; p < e; p++) {
    const id = load<i32>(ids + (<usize>p << 2));
    if (!allowed(allow, id)) continue;
    const dot = b + <f32>dotU8I16(codes + <usize>p * stride, a, dimPad) * inv;
    let d: f32;
    if (l2) {
      d = qq - 2 * dot + load<f32>(rowNorms + (<usize>p << 2));
      if (d < 0) d = 0;
    } else {
      d = -dot;
    }
    if (d >= loB && d < hiB) size = offer(hd, hid, size, k, d, id);
  }
  return size;
}

/** lut[j·ksub + c] = −f · (sub-vector j of q)·(codeword c); f = 2 for L2, 1 for IP. */
function buildLut(q: usize, lut: usize, f: f32): void {
  const dsubBytes = <usize>pqDsub << 2;
  for (let j = 0; j < pqM; j++) {
    const sv = q + <usize>j * dsubBytes;
    const book = pqBooks + <usize>j * <usize>pqKsub * dsubBytes;
    const row = lut + (<usize>(j * pqKsub) << 2);
    for (let c = 0; c < pqKsub; c++) store<f32>(row + (<usize>c << 2), -f * ipF32(sv, book + <usize>c * dsubBytes, pqDsub));
  }
}

/**
 * `base` is |q − c|² (L2) or −q·c (IP) for the list. L2 adds the row constant |x̂|² − |c|² (in
 * rowNorms), since |q − c − r̂|² = |q − c|² + (|x̂|² − |c|²) − 2·q·r̂ and the LUT holds −2·q·r̂ terms.
 */
function scanPq(lut: usize, base: f32, l2: bool, s: i32, e: i32, allow: usize, hd: usize, hid: usize, size: i32, k: i32, loB: f32, hiB: f32): i32 {
  const stride = <usize>codeBytes;
  const m = pqM;
  const ksub = pqKsub;
  for (let p = s; p < e; p++) {
    const id = load<i32>(ids + (<usize>p << 2));
    if (!allowed(allow, id)) continue;
    const c = codes + <usize>p * stride;
    let d0 = l2 ? base + load<f32>(rowNorms + (<usize>p << 2)) : base;
    let d1: f32 = 0;
    let off = 0;
    let j = 0;
    if (pqWide) {
      for (; j < m; j++) {
        d0 += load<f32>(lut + (<usize>(off + <i32>load<u16>(c + (<usize>j << 1))) << 2));
        off += ksub;
      }
    } else {
      for (; j + 2 <= m; j += 2) {
        d0 += load<f32>(lut + (<usize>(off + <i32>load<u8>(c + <usize>j)) << 2));
        d1 += load<f32>(lut + (<usize>(off + ksub + <i32>load<u8>(c + <usize>j + 1)) << 2));
        off += ksub << 1;
      }
      if (j < m) d0 += load<f32>(lut + (<usize>(off + <i32>load<u8>(c + <usize>j)) << 2));
    }
    const d = d0 + d1;
    if (d >= loB && d < hiB) size = offer(hd, hid, size, k, d, id);
  }
  return size;
}

/**
 * Search `nq` queries (dense: f32 × dim each, already unit length for COSINE; binary: dim/8 bytes)
 * probing the `nprobe` nearest lists (nprobe >= nlist scans every list). `allow` is a u32 bitset over
 * row ids or 0; only distances d with loB <= d < hiB are kept (range search). Per query the best
 * `k` land sorted at outD/outI + q·k and their count at sizes + 4q.
 */
export function search(
  nq: i32, queries: usize, k: i32, nprobe: i32, allow: usize, loB: f32, hiB: f32, outD: usize, outI: usize, sizes: usize,
): void {
  const mark = heapMark();
  const np = min(nprobe, nlist);
  const pd = alloc(<usize>np << 2);
  const pi = alloc(<usize>np << 2);
  const resid = alloc(<usize>dimPad << 2);
  const sqA = codec == CODEC_SQ8 ? alloc(<usize>dimPad << 1) : 0;
  const lut = codec == CODEC_PQ ? alloc(<usize>(pqM * pqKsub) << 2) : 0;
  const qBytes: usize = codec == CODEC_BIN ? <usize>(dim >> 3) : <usize>dim << 2;
  const stride = <usize>k << 2;
  const l2 = metric == METRIC_L2;
  for (let qi = 0; qi < nq; qi++) {
    const q = queries + <usize>qi * qBytes;
    const hd = outD + <usize>qi * stride;
    const hid = outI + <usize>qi * stride;
    let size = 0;
    coarse(q, np, pd, pi);
    if (codec == CODEC_PQ) buildLut(q, lut, l2 ? 2 : 1);
    const qNorm: f32 = codec == CODEC_PQ && l2 ? ipF32(q, q, dim) : 0;
    const qq: f32 = codec == CODEC_SQ8 ? prepSq8(q, resid, sqA) : 0;
    for (let j = 0; j < np; j++) {
      const l = load<i32>(pi + (<usize>j << 2));
      const s = load<i32>(listStart + (<usize>l << 2));
      const e = load<i32>(listStart + (<usize>(l + 1) << 2));
      if (s == e) continue;
      if (codec == CODEC_F32) {
        size = scanF32(q, s, e, allow, hd, hid, size, k, loB, hiB);
      } else if (codec == CODEC_BIN) {
        size = scanBin(q, s, e, allow, hd, hid, size, k, loB, hiB);
      } else if (codec == CODEC_SQ8) {
        // The coarse key is |c|² − 2·q·c (L2) or −q·c (IP): recover q·c.
        const key = load<f32>(pd + (<usize>j << 2));
        const qc: f32 = l2 ? (load<f32>(cnorms + (<usize>l << 2)) - key) * 0.5 : -key;
        size = scanSq8(sqA, qc, qq, s, e, allow, hd, hid, size, k, loB, hiB);
      } else {
        // Coarse key: |c|² − 2·q·c (L2, so |q − c|² = |q|² + key) or −q·c (IP).
        const key = load<f32>(pd + (<usize>j << 2));
        size = scanPq(lut, l2 ? qNorm + key : key, l2, s, e, allow, hd, hid, size, k, loB, hiB);
      }
    }
    heapSortAscending(hd, hid, size);
    store<i32>(sizes + (<usize>qi << 2), size);
  }
  heapRelease(mark);
}
