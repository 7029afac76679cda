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

// ---------------------------------------------------------------- compact rows, f32 queries
// Rows stored narrower than f32 and decoded in registers against an f32 query: `codec` says how
// (a compile-time constant after inlining). CODEC_SQ: one u8 code per dimension, value =
// off[d] + code · step[d]. CODEC_F16 / CODEC_BF16: IEEE half / bfloat16 (u16 per dimension; `off`
// and `step` unused). Half decoding is exact for finite values (the exponent is rebased by a
// multiply by 2^112); infinities and NaNs are not expected in vectors.
export const CODEC_SQ: i32 = 0;
export const CODEC_F16: i32 = 1;
export const CODEC_BF16: i32 = 2;

/** 2^112: rebases a half's exponent bits (shifted into f32 position) to f32's bias. */
const HALF_REBASE: f32 = 5.192296858534828e33;

/** Four f32 lanes of u8 codes: lanes 4j..4j+3 of the 16 in `c16` (j a constant 0..3). */
@inline function codes4(c16: v128, j: i32): v128 {
  const h = j < 2 ? i16x8.extend_low_i8x16_u(c16) : i16x8.extend_high_i8x16_u(c16);
  return f32x4.convert_i32x4_u((j & 1) == 0 ? i32x4.extend_low_i16x8_u(h) : i32x4.extend_high_i16x8_u(h));
}

/** Four f32 lanes from four of the eight u16 halves in `h8` (`high`: lanes 4..7). */
@inline function halves4(h8: v128, high: bool, bf: bool): v128 {
  const u = high ? i32x4.extend_high_i16x8_u(h8) : i32x4.extend_low_i16x8_u(h8);
  if (bf) return i32x4.shl(u, 16);
  const mag = f32x4.mul(i32x4.shl(v128.and(u, i32x4.splat(0x7fff)), 13), f32x4.splat(HALF_REBASE));
  return v128.or(mag, i32x4.shl(v128.and(u, i32x4.splat(0x8000)), 16));
}

/** Lanes 4j..4j+3 of 16 u8 codes `c16` at dimension byte offset `o` (of the f32 arrays), decoded. */
@inline function sqLanes(c16: v128, j: i32, o: usize, off: usize, step: usize): v128 {
  return madd(codes4(c16, j), v128.load(step + o + (<usize>j << 4)), v128.load(off + o + (<usize>j << 4)));
}

/** Dimension i of compact row `c`, decoded. */
@inline function lane1(codec: i32, c: usize, i: i32, off: usize, step: usize): f32 {
  if (codec == CODEC_SQ) return load<f32>(off + (<usize>i << 2)) + <f32>load<u8>(c + i) * load<f32>(step + (<usize>i << 2));
  const h = <u32>load<u16>(c + (<usize>i << 1));
  if (codec == CODEC_BF16) return reinterpret<f32>(h << 16);
  return reinterpret<f32>(reinterpret<u32>(reinterpret<f32>((h & 0x7fff) << 13) * HALF_REBASE) | ((h & 0x8000) << 16));
}

@inline function accOne(q4: v128, x: v128, s: v128, ip: bool): v128 {
  if (ip) return madd(q4, x, s);
  const d = f32x4.sub(q4, x);
  return madd(d, d, s);
}

/** `s` plus 16 dimensions (from i) of compact row `c` against `q`. */
@inline function acc16(codec: i32, c: usize, q: usize, i: i32, off: usize, step: usize, s: v128, ip: bool): v128 {
  const o = <usize>i << 2;
  if (codec == CODEC_SQ) {
    const b = v128.load(c + i);
    s = accOne(v128.load(q + o), sqLanes(b, 0, o, off, step), s, ip);
    s = accOne(v128.load(q + o, 16), sqLanes(b, 1, o, off, step), s, ip);
    s = accOne(v128.load(q + o, 32), sqLanes(b, 2, o, off, step), s, ip);
    return accOne(v128.load(q + o, 48), sqLanes(b, 3, o, off, step), s, ip);
  }
  const bf = codec == CODEC_BF16;
  const h0 = v128.load(c + (<usize>i << 1));
  const h1 = v128.load(c + (<usize>i << 1), 16);
  s = accOne(v128.load(q + o), halves4(h0, false, bf), s, ip);
  s = accOne(v128.load(q + o, 16), halves4(h0, true, bf), s, ip);
  s = accOne(v128.load(q + o, 32), halves4(h1, false, bf), s, ip);
  return accOne(v128.load(q + o, 48), halves4(h1, true, bf), s, ip);
}

@inline function termOne(x: f32, v: f32, ip: bool): f32 {
  return ip ? x * v : (x - v) * (x - v);
}

/** Lanes 4j..4j+3 of dimensions i .. i+15 of compact row `c`, decoded (its bytes reloaded per j). */
@inline function lanesJ(codec: i32, c: usize, i: i32, j: i32, off: usize, step: usize): v128 {
  if (codec == CODEC_SQ) return sqLanes(v128.load(c + i), j, <usize>i << 2, off, step);
  return halves4(v128.load(c + (<usize>i << 1) + (<usize>(j >> 1) << 4)), (j & 1) != 0, codec == CODEC_BF16);
}

/** One row: four independent accumulators (one per lane group), so the sum is not latency-bound. */
@inline function compactOne(codec: i32, q: usize, c: usize, off: usize, step: usize, dim: i32, ip: bool): f32 {
  let s0 = f32x4.splat(0);
  let s1 = f32x4.splat(0);
  let s2 = f32x4.splat(0);
  let s3 = f32x4.splat(0);
  let i = 0;
  for (; i + 16 <= dim; i += 16) {
    const o = <usize>i << 2;
    s0 = accOne(v128.load(q + o), lanesJ(codec, c, i, 0, off, step), s0, ip);
    s1 = accOne(v128.load(q + o, 16), lanesJ(codec, c, i, 1, off, step), s1, ip);
    s2 = accOne(v128.load(q + o, 32), lanesJ(codec, c, i, 2, off, step), s2, ip);
    s3 = accOne(v128.load(q + o, 48), lanesJ(codec, c, i, 3, off, step), s3, ip);
  }
  let s = hsum(f32x4.add(f32x4.add(s0, s1), f32x4.add(s2, s3)));
  for (; i < dim; i++) s += termOne(load<f32>(q + (<usize>i << 2)), lane1(codec, c, i, off, step), ip);
  return s;
}

/**
 * Squared L2 distance (or inner product when `ip`) from f32 query `q` to compact row `c` of `codec`
 * (see above), 16 dimensions per step.
 */
export function distCompact(codec: i32, q: usize, c: usize, off: usize, step: usize, dim: i32, ip: bool): f32 {
  if (codec == CODEC_SQ) return ip ? compactOne(CODEC_SQ, q, c, off, step, dim, true) : compactOne(CODEC_SQ, q, c, off, step, dim, false);
  if (codec == CODEC_F16) return ip ? compactOne(CODEC_F16, q, c, off, step, dim, true) : compactOne(CODEC_F16, q, c, off, step, dim, false);
  return ip ? compactOne(CODEC_BF16, q, c, off, step, dim, true) : compactOne(CODEC_BF16, q, c, off, step, dim, false);
}

@inline function compactFour(codec: i32, q: usize, a: usize, b: usize, c: usize, d: usize, off: usize, step: usize, dim: i32, ip: bool, out: usize): void {
  let sa = f32x4.splat(0);
  let sb = f32x4.splat(0);
  let sc = f32x4.splat(0);
  let sd = f32x4.splat(0);
  let i = 0;
  for (; i + 16 <= dim; i += 16) {
    sa = acc16(codec, a, q, i, off, step, sa, ip);
    sb = acc16(codec, b, q, i, off, step, sb, ip);
    sc = acc16(codec, c, q, i, off, step, sc, ip);
    sd = acc16(codec, d, q, i, off, step, sd, ip);
  }
  let ra = hsum(sa);
  let rb = hsum(sb);
  let rc = hsum(sc);
  let rd = hsum(sd);
  for (; i < dim; i++) {
    const x = load<f32>(q + (<usize>i << 2));
    ra += termOne(x, lane1(codec, a, i, off, step), ip);
    rb += termOne(x, lane1(codec, b, i, off, step), ip);
    rc += termOne(x, lane1(codec, c, i, off, step), ip);
    rd += termOne(x, lane1(codec, d, i, off, step), ip);
  }
  store<f32>(out, ra);
  store<f32>(out, rb, 4);
  store<f32>(out, rc, 8);
  store<f32>(out, rd, 12);
}

/**
 * Four distances (as distCompact) from `q` to compact rows a, b, c, d in one pass, like fourF32:
 * four row streams in flight at once. Results at out[0..3].
 */
export function fourCompact(codec: i32, q: usize, a: usize, b: usize, c: usize, d: usize, off: usize, step: usize, dim: i32, ip: bool, out: usize): void {
  if (codec == CODEC_SQ) {
    if (ip) compactFour(CODEC_SQ, q, a, b, c, d, off, step, dim, true, out);
    else compactFour(CODEC_SQ, q, a, b, c, d, off, step, dim, false, out);
  } else if (codec == CODEC_F16) {
    if (ip) compactFour(CODEC_F16, q, a, b, c, d, off, step, dim, true, out);
    else compactFour(CODEC_F16, q, a, b, c, d, off, step, dim, false, out);
  } else if (ip) compactFour(CODEC_BF16, q, a, b, c, d, off, step, dim, true, out);
  else compactFour(CODEC_BF16, q, a, b, c, d, off, step, dim, false, out);
}

@inline function decodeWith(codec: i32, c: usize, off: usize, step: usize, dim: i32, out: usize): void {
  let i = 0;
  for (; i + 16 <= dim; i += 16) {
    const o = <usize>i << 2;
    if (codec == CODEC_SQ) {
      const b = v128.load(c + i);
      v128.store(out + o, sqLanes(b, 0, o, off, step));
      v128.store(out + o, sqLanes(b, 1, o, off, step), 16);
      v128.store(out + o, sqLanes(b, 2, o, off, step), 32);
      v128.store(out + o, sqLanes(b, 3, o, off, step), 48);
    } else {
      const bf = codec == CODEC_BF16;
      const h0 = v128.load(c + (<usize>i << 1));
      const h1 = v128.load(c + (<usize>i << 1), 16);
      v128.store(out + o, halves4(h0, false, bf));
      v128.store(out + o, halves4(h0, true, bf), 16);
      v128.store(out + o, halves4(h1, false, bf), 32);
      v128.store(out + o, halves4(h1, true, bf), 48);
    }
  }
  for (; i < dim; i++) store<f32>(out + (<usize>i << 2), lane1(codec, c, i, off, step));
}

/** Decode compact row `c` of `codec` to `dim` f32 at `out`. */
export function decodeCompact(codec: i32, c: usize, off: usize, step: usize, dim: i32, out: usize): void {
  if (codec == CODEC_SQ) decodeWith(CODEC_SQ, c, off, step, dim, out);
  else if (codec == CODEC_F16) decodeWith(CODEC_F16, c, off, step, dim, out);
  else decodeWith(CODEC_BF16, c, off, step, dim, out);
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
