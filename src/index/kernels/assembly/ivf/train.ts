// Training kernels: k-means assignment (also used to encode PQ sub-vectors) and the centroid
// accumulation of one Lloyd iteration. Rows and centroids are f32, `dim` each, contiguous.
import { ipF32 } from '../shared/distance';

@inline function hsum(v: v128): f32 {
  return f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3);
}

/** out[c] = |centroid c|² for k centroids. */
export function kmNorms(c: usize, k: i32, dim: i32, out: usize): void {
  const stride = <usize>dim << 2;
  for (let j = 0; j < k; j++) {
    const p = c + <usize>j * stride;
    store<f32>(out + (<usize>j << 2), ipF32(p, p, dim));
  }
}

/**
 * Nearest centroid of each of `n` rows: L2 (ip = 0; key |c|² - 2 x·c, reported as the true squared
 * distance) or largest inner product (ip = 1; reported as -x·c). Rows go four at a time so each
 * centroid load feeds four dot products. Writes i32 assign[n] and f32 dist[n].
 */
export function kmAssign(x: usize, n: i32, dim: i32, c: usize, cn: usize, k: i32, ip: i32, outA: usize, outD: usize): void {
  const stride = <usize>dim << 2;
  const d4 = dim & ~3;
  let r = 0;
  for (; r + 4 <= n; r += 4) {
    const x0 = x + <usize>r * stride;
    const x1 = x0 + stride;
    const x2 = x1 + stride;
    const x3 = x2 + stride;
    let b0: f32 = Infinity, b1: f32 = Infinity, b2: f32 = Infinity, b3: f32 = Infinity;
    let a0 = 0, a1 = 0, a2 = 0, a3 = 0;
    for (let j = 0; j < k; j++) {
      const cp = c + <usize>j * stride;
      let s0 = f32x4.splat(0);
      let s1 = f32x4.splat(0);
      let s2 = f32x4.splat(0);
      let s3 = f32x4.splat(0);
      let i = 0;
      for (; i < d4; i += 4) {
        const o = <usize>i << 2;
        const cv = v128.load(cp + o);
        s0 = f32x4.add(s0, f32x4.mul(v128.load(x0 + o), cv));
        s1 = f32x4.add(s1, f32x4.mul(v128.load(x1 + o), cv));
        s2 = f32x4.add(s2, f32x4.mul(v128.load(x2 + o), cv));
        s3 = f32x4.add(s3, f32x4.mul(v128.load(x3 + o), cv));
      }
      let t0 = hsum(s0), t1 = hsum(s1), t2 = hsum(s2), t3 = hsum(s3);
      for (; i < dim; i++) {
        const o = <usize>i << 2;
        const cv = load<f32>(cp + o);
        t0 += load<f32>(x0 + o) * cv;
        t1 += load<f32>(x1 + o) * cv;
        t2 += load<f32>(x2 + o) * cv;
        t3 += load<f32>(x3 + o) * cv;
      }
      const base: f32 = ip ? 0 : load<f32>(cn + (<usize>j << 2));
      const m: f32 = ip ? -1 : -2;
      const e0 = base + m * t0, e1 = base + m * t1, e2 = base + m * t2, e3 = base + m * t3;
      if (e0 < b0) { b0 = e0; a0 = j; }
      if (e1 < b1) { b1 = e1; a1 = j; }
      if (e2 < b2) { b2 = e2; a2 = j; }
      if (e3 < b3) { b3 = e3; a3 = j; }
    }
    store<i32>(outA + (<usize>r << 2), a0);
    store<i32>(outA + (<usize>(r + 1) << 2), a1);
    store<i32>(outA + (<usize>(r + 2) << 2), a2);
    store<i32>(outA + (<usize>(r + 3) << 2), a3);
    if (!ip) {
      b0 += ipF32(x0, x0, dim);
      b1 += ipF32(x1, x1, dim);
      b2 += ipF32(x2, x2, dim);
      b3 += ipF32(x3, x3, dim);
    }
    store<f32>(outD + (<usize>r << 2), max<f32>(b0, ip ? b0 : 0));
    store<f32>(outD + (<usize>(r + 1) << 2), max<f32>(b1, ip ? b1 : 0));
    store<f32>(outD + (<usize>(r + 2) << 2), max<f32>(b2, ip ? b2 : 0));
    store<f32>(outD + (<usize>(r + 3) << 2), max<f32>(b3, ip ? b3 : 0));
  }
  for (; r < n; r++) {
    const xp = x + <usize>r * stride;
    let best: f32 = Infinity;
    let arg = 0;
    for (let j = 0; j < k; j++) {
      const t = ipF32(xp, c + <usize>j * stride, dim);
      const e: f32 = ip ? -t : load<f32>(cn + (<usize>j << 2)) - 2 * t;
      if (e < best) { best = e; arg = j; }
    }
    if (!ip) best = max<f32>(best + ipF32(xp, xp, dim), 0);
    store<i32>(outA + (<usize>r << 2), arg);
    store<f32>(outD + (<usize>r << 2), best);
  }
}

/** sums[assign[r]] += row r (f32 × dim) and counts[assign[r]] += 1 (i32), for n rows. */
export function kmAccumulate(x: usize, n: i32, dim: i32, assign: usize, sums: usize, counts: usize): void {
  const stride = <usize>dim << 2;
  const d4 = dim & ~3;
  for (let r = 0; r < n; r++) {
    const a = load<i32>(assign + (<usize>r << 2));
    const xp = x + <usize>r * stride;
    const sp = sums + <usize>a * stride;
    let i = 0;
    for (; i < d4; i += 4) {
      const o = <usize>i << 2;
      v128.store(sp + o, f32x4.add(v128.load(sp + o), v128.load(xp + o)));
    }
    for (; i < dim; i++) {
      const o = <usize>i << 2;
      store<f32>(sp + o, load<f32>(sp + o) + load<f32>(xp + o));
    }
    const cp = counts + (<usize>a << 2);
    store<i32>(cp, load<i32>(cp) + 1);
  }
}
