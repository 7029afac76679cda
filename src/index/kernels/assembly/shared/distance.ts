// Distance kernels over linear memory, 128-bit SIMD with scalar tails. `ASC_FEATURE_RELAXED_SIMD`
// is a compile-time constant: the relaxed build fuses multiply-add (FMA) where the CPU has it.

@inline function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(c, f32x4.mul(a, b));
}

@inline function hsum(v: v128): f32 {
  return f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3);
}

/** Squared Euclidean distance of two f32 vectors. */
export function l2F32(a: usize, b: usize, dim: i32): f32 {
  let s0 = f32x4.splat(0);
  let s1 = f32x4.splat(0);
  let s2 = f32x4.splat(0);
  let s3 = f32x4.splat(0);
  let i = 0;
  for (; i + 16 <= dim; i += 16) {
    const o = <usize>i << 2;
    const d0 = f32x4.sub(v128.load(a + o), v128.load(b + o));
    const d1 = f32x4.sub(v128.load(a + o, 16), v128.load(b + o, 16));
    const d2 = f32x4.sub(v128.load(a + o, 32), v128.load(b + o, 32));
    const d3 = f32x4.sub(v128.load(a + o, 48), v128.load(b + o, 48));
    s0 = madd(d0, d0, s0);
    s1 = madd(d1, d1, s1);
    s2 = madd(d2, d2, s2);
    s3 = madd(d3, d3, s3);
  }
  for (; i + 4 <= dim; i += 4) {
    const o = <usize>i << 2;
    const d0 = f32x4.sub(v128.load(a + o), v128.load(b + o));
    s0 = madd(d0, d0, s0);
  }
  let s = hsum(f32x4.add(f32x4.add(s0, s1), f32x4.add(s2, s3)));
  for (; i < dim; i++) {
    const o = <usize>i << 2;
    const d = load<f32>(a + o) - load<f32>(b + o);
    s += d * d;
  }
  return s;
}

/** Inner product of two f32 vectors. */
export function ipF32(a: usize, b: usize, dim: i32): f32 {
  let s0 = f32x4.splat(0);
  let s1 = f32x4.splat(0);
  let s2 = f32x4.splat(0);
  let s3 = f32x4.splat(0);
  let i = 0;
  for (; i + 16 <= dim; i += 16) {
    const o = <usize>i << 2;
    s0 = madd(v128.load(a + o), v128.load(b + o), s0);
    s1 = madd(v128.load(a + o, 16), v128.load(b + o, 16), s1);
    s2 = madd(v128.load(a + o, 32), v128.load(b + o, 32), s2);
    s3 = madd(v128.load(a + o, 48), v128.load(b + o, 48), s3);
  }
  for (; i + 4 <= dim; i += 4) {
    const o = <usize>i << 2;
    s0 = madd(v128.load(a + o), v128.load(b + o), s0);
  }
  let s = hsum(f32x4.add(f32x4.add(s0, s1), f32x4.add(s2, s3)));
  for (; i < dim; i++) {
    const o = <usize>i << 2;
    s += load<f32>(a + o) * load<f32>(b + o);
  }
  return s;
}

@inline function i32sum(v: v128): i32 {
  return i32x4.extract_lane(v, 0) + i32x4.extract_lane(v, 1) + i32x4.extract_lane(v, 2) + i32x4.extract_lane(v, 3);
}

/** Squared Euclidean distance of two int8 vectors (exact, in i32). */
export function l2I8(a: usize, b: usize, dim: i32): f32 {
  let acc = i32x4.splat(0);
  let i = 0;
  for (; i + 16 <= dim; i += 16) {
    const x = v128.load(a + i);
    const y = v128.load(b + i);
    const dl = i16x8.sub(i16x8.extend_low_i8x16_s(x), i16x8.extend_low_i8x16_s(y));
    const dh = i16x8.sub(i16x8.extend_high_i8x16_s(x), i16x8.extend_high_i8x16_s(y));
    acc = i32x4.add(acc, i32x4.add(i32x4.dot_i16x8_s(dl, dl), i32x4.dot_i16x8_s(dh, dh)));
  }
  let s = i32sum(acc);
  for (; i < dim; i++) {
    const d = <i32>load<i8>(a + i) - <i32>load<i8>(b + i);
    s += d * d;
  }
  return <f32>s;
}

/** Inner product of two int8 vectors (exact, in i32). */
export function ipI8(a: usize, b: usize, dim: i32): f32 {
  let acc = i32x4.splat(0);
  let i = 0;
  for (; i + 16 <= dim; i += 16) {
    const x = v128.load(a + i);
    const y = v128.load(b + i);
    acc = i32x4.add(acc, i32x4.dot_i16x8_s(i16x8.extend_low_i8x16_s(x), i16x8.extend_low_i8x16_s(y)));
    acc = i32x4.add(acc, i32x4.dot_i16x8_s(i16x8.extend_high_i8x16_s(x), i16x8.extend_high_i8x16_s(y)));
  }
  let s = i32sum(acc);
  for (; i < dim; i++) s += <i32>load<i8>(a + i) * <i32>load<i8>(b + i);
  return <f32>s;
}

/** Four f32 lanes of u8 codes: lanes 4j..4j+3 of the 16 in `c16` (j a constant 0..3). */
@inline function codes4(c16: v128, j: i32): v128 {
  const h = j < 2 ? i16x8.extend_low_i8x16_u(c16) : i16x8.extend_high_i8x16_u(c16);
  return f32x4.convert_i32x4_u((j & 1) == 0 ? i32x4.extend_low_i16x8_u(h) : i32x4.extend_high_i16x8_u(h));
}

/** Lanes 4j..4j+3 of 16 codes at dimension byte offset `o` (of f32 arrays), decoded. */
@inline function dec4(c16: v128, j: i32, step: usize, off: usize, o: usize): v128 {
  return madd(codes4(c16, j), v128.load(step + o + (<usize>j << 4)), v128.load(off + o + (<usize>j << 4)));
}

@inline function accSq(q4: v128, x: v128, s: v128, ip: bool): v128 {
  if (ip) return madd(q4, x, s);
  const d = f32x4.sub(q4, x);
  return madd(d, d, s);
}

/** `s` plus 16 dimensions (from `o`, f32 byte offset) of one quantized row's codes `c16` against `q`. */
@inline function acc16(c16: v128, q: usize, off: usize, step: usize, o: usize, s: v128, ip: bool): v128 {
  s = accSq(v128.load(q + o), dec4(c16, 0, step, off, o), s, ip);
  s = accSq(v128.load(q + o, 16), dec4(c16, 1, step, off, o), s, ip);
  s = accSq(v128.load(q + o, 32), dec4(c16, 2, step, off, o), s, ip);
  return accSq(v128.load(q + o, 48), dec4(c16, 3, step, off, o), s, ip);
}

/** One scalar dimension: `x` against code `code` decoded with offset `f` and step `st`. */
@inline function termSq(x: f32, code: u8, f: f32, st: f32, ip: bool): f32 {
  const v = f + <f32>code * st;
  return ip ? x * v : (x - v) * (x - v);
}

@inline function oneSq(q: usize, c: usize, off: usize, step: usize, dim: i32, ip: bool): f32 {
  let s0 = f32x4.splat(0);
  let i = 0;
  for (; i + 16 <= dim; i += 16) s0 = acc16(v128.load(c + i), q, off, step, <usize>i << 2, s0, ip);
  let s = hsum(s0);
  for (; i < dim; i++) {
    const o = <usize>i << 2;
    s += termSq(load<f32>(q + o), load<u8>(c + i), load<f32>(off + o), load<f32>(step + o), ip);
  }
  return s;
}

/**
 * Squared L2 distance from f32 query `q` to a scalar-quantized row `c` (u8 codes) whose value in
 * dimension d is off[d] + c[d] · step[d]; decoded in registers, 16 dimensions per step.
 */
export function l2Sq(q: usize, c: usize, off: usize, step: usize, dim: i32): f32 {
  return oneSq(q, c, off, step, dim, false);
}

/** Inner product of f32 query `q` with a scalar-quantized row `c` (see l2Sq). */
export function ipSq(q: usize, c: usize, off: usize, step: usize, dim: i32): f32 {
  return oneSq(q, c, off, step, dim, true);
}

/**
 * Four squared L2 distances (or inner products when `ip`) from f32 query `q` to scalar-quantized
 * rows a, b, c, d (see l2Sq) in one pass, like fourF32: four code streams in flight at once.
 * Results at out[0..3].
 */
export function fourSq(q: usize, a: usize, b: usize, c: usize, d: usize, off: usize, step: usize, dim: i32, ip: bool, out: usize): void {
  let sa = f32x4.splat(0);
  let sb = f32x4.splat(0);
  let sc = f32x4.splat(0);
  let sd = f32x4.splat(0);
  let i = 0;
  if (ip) {
    for (; i + 16 <= dim; i += 16) {
      const o = <usize>i << 2;
      sa = acc16(v128.load(a + i), q, off, step, o, sa, true);
      sb = acc16(v128.load(b + i), q, off, step, o, sb, true);
      sc = acc16(v128.load(c + i), q, off, step, o, sc, true);
      sd = acc16(v128.load(d + i), q, off, step, o, sd, true);
    }
  } else {
    for (; i + 16 <= dim; i += 16) {
      const o = <usize>i << 2;
      sa = acc16(v128.load(a + i), q, off, step, o, sa, false);
      sb = acc16(v128.load(b + i), q, off, step, o, sb, false);
      sc = acc16(v128.load(c + i), q, off, step, o, sc, false);
      sd = acc16(v128.load(d + i), q, off, step, o, sd, false);
    }
  }
  let ra = hsum(sa);
  let rb = hsum(sb);
  let rc = hsum(sc);
  let rd = hsum(sd);
  for (; i < dim; i++) {
    const o = <usize>i << 2;
    const x = load<f32>(q + o);
    const f = load<f32>(off + o);
    const st = load<f32>(step + o);
    ra += termSq(x, load<u8>(a + i), f, st, ip);
    rb += termSq(x, load<u8>(b + i), f, st, ip);
    rc += termSq(x, load<u8>(c + i), f, st, ip);
    rd += termSq(x, load<u8>(d + i), f, st, ip);
  }
  store<f32>(out, ra);
  store<f32>(out, rb, 4);
  store<f32>(out, rc, 8);
  store<f32>(out, rd, 12);
}

/** Decode a scalar-quantized row `c` (see l2Sq) to `dim` f32 at `out`. */
export function decodeSq(c: usize, off: usize, step: usize, dim: i32, out: usize): void {
  let i = 0;
  for (; i + 16 <= dim; i += 16) {
    const b = v128.load(c + i);
    const o = <usize>i << 2;
    v128.store(out + o, dec4(b, 0, step, off, o));
    v128.store(out + o, dec4(b, 1, step, off, o), 16);
    v128.store(out + o, dec4(b, 2, step, off, o), 32);
    v128.store(out + o, dec4(b, 3, step, off, o), 48);
  }
  for (; i < dim; i++) {
    const o = <usize>i << 2;
    store<f32>(out + o, load<f32>(off + o) + <f32>load<u8>(c + i) * load<f32>(step + o));
  }
}

/** Hamming distance of two bit vectors of `bytes` bytes. */
export function hamming(a: usize, b: usize, bytes: i32): f32 {
  let s: i64 = 0;
  let i = 0;
  for (; i + 8 <= bytes; i += 8) s += popcnt<i64>(load<i64>(a + i) ^ load<i64>(b + i));
  for (; i < bytes; i++) s += popcnt<i32>(<i32>(load<u8>(a + i) ^ load<u8>(b + i)));
  return <f32>s;
}

/** Jaccard distance 1 - |a∧b| / |a∨b| (0 when both are empty). */
export function jaccard(a: usize, b: usize, bytes: i32): f32 {
  let inter: i64 = 0;
  let uni: i64 = 0;
  let i = 0;
  for (; i + 8 <= bytes; i += 8) {
    const x = load<i64>(a + i);
    const y = load<i64>(b + i);
    inter += popcnt<i64>(x & y);
    uni += popcnt<i64>(x | y);
  }
  for (; i < bytes; i++) {
    const x = <i32>load<u8>(a + i);
    const y = <i32>load<u8>(b + i);
    inter += popcnt<i32>(x & y);
    uni += popcnt<i32>(x | y);
  }
  if (uni == 0) return 0;
  return <f32>(1.0 - <f64>inter / <f64>uni);
}

/**
 * Four squared L2 distances (or inner products when `ip`) from `q` to rows a, b, c, d in one pass:
 * four independent memory streams keep more cache misses in flight than four sequential calls.
 * Results at out[0..3].
 */
export function fourF32(q: usize, a: usize, b: usize, c: usize, d: usize, dim: i32, ip: bool, out: usize): void {
  let sa = f32x4.splat(0);
  let sb = f32x4.splat(0);
  let sc = f32x4.splat(0);
  let sd = f32x4.splat(0);
  let i = 0;
  if (ip) {
    for (; i + 4 <= dim; i += 4) {
      const o = <usize>i << 2;
      const x = v128.load(q + o);
      sa = madd(x, v128.load(a + o), sa);
      sb = madd(x, v128.load(b + o), sb);
      sc = madd(x, v128.load(c + o), sc);
      sd = madd(x, v128.load(d + o), sd);
    }
  } else {
    for (; i + 4 <= dim; i += 4) {
      const o = <usize>i << 2;
      const x = v128.load(q + o);
      const da = f32x4.sub(x, v128.load(a + o));
      const db = f32x4.sub(x, v128.load(b + o));
      const dc = f32x4.sub(x, v128.load(c + o));
      const dd = f32x4.sub(x, v128.load(d + o));
      sa = madd(da, da, sa);
      sb = madd(db, db, sb);
      sc = madd(dc, dc, sc);
      sd = madd(dd, dd, sd);
    }
  }
  let ra = hsum(sa);
  let rb = hsum(sb);
  let rc = hsum(sc);
  let rd = hsum(sd);
  for (; i < dim; i++) {
    const o = <usize>i << 2;
    const x = load<f32>(q + o);
    if (ip) {
      ra += x * load<f32>(a + o);
      rb += x * load<f32>(b + o);
      rc += x * load<f32>(c + o);
      rd += x * load<f32>(d + o);
    } else {
      const ea = x - load<f32>(a + o);
      const eb = x - load<f32>(b + o);
      const ec = x - load<f32>(c + o);
      const ed = x - load<f32>(d + o);
      ra += ea * ea;
      rb += eb * eb;
      rc += ec * ec;
      rd += ed * ed;
    }
  }
  store<f32>(out, ra);
  store<f32>(out, rb, 4);
  store<f32>(out, rc, 8);
  store<f32>(out, rd, 12);
}
