/**
 * Byte-level conversions between the wire's packed vector encodings and SDK-style JS values:
 * float32 little-endian, IEEE half (float16), bfloat16, int8, packed bits (binary vectors) and the
 * sparse row encoding (repeated `u32 index LE, f32 value LE`).
 */
import { invalidParam } from '../../../core/errors.js';

/** A sparse vector the way the SDK accepts and returns it: `{index: value}`. */
export type SparseVector = Record<number, number>;

export function f32BytesToNumbers(buf: Uint8Array): number[] {
  if (buf.byteLength % 4 !== 0) throw invalidParam('vector', `float vector bytes must be a multiple of 4, got ${buf.byteLength}`);
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const out = new Array<number>(buf.byteLength / 4);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(i * 4, true);
  return out;
}

export function f16ToNumber(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 0x1f) return frac === 0 ? sign * Infinity : NaN;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

const f32Scratch = new Float32Array(1);
const u32Scratch = new Uint32Array(f32Scratch.buffer);

export function bf16ToNumber(h: number): number {
  u32Scratch[0] = h << 16;
  return f32Scratch[0]!;
}

export function numberToBf16(x: number): number {
  f32Scratch[0] = x;
  const bits = u32Scratch[0]!;
  // round to nearest even
  return ((bits + 0x7fff + ((bits >> 16) & 1)) >>> 16) & 0xffff;
}

export function numberToF16(x: number): number {
  f32Scratch[0] = x;
  const bits = u32Scratch[0]!;
  const sign = (bits >>> 16) & 0x8000;
  const exp = (bits >>> 23) & 0xff;
  let mant = bits & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant !== 0 ? 0x200 : 0);
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    let half = mant >> shift;
    const rem = mant & ((1 << shift) - 1);
    const mid = 1 << (shift - 1);
    if (rem > mid || (rem === mid && half & 1)) half++;
    return sign | half;
  }
  let half = sign | (e << 10) | (mant >> 13);
  const rem = mant & 0x1fff;
  if (rem > 0x1000 || (rem === 0x1000 && half & 1)) half++;
  return half;
}

/** 2 bytes per element, little-endian, decoded as float16 or bfloat16. */
export function halfBytesToNumbers(buf: Uint8Array, brain: boolean): number[] {
  if (buf.byteLength % 2 !== 0) throw invalidParam('vector', `half-precision vector bytes must be even, got ${buf.byteLength}`);
  const out = new Array<number>(buf.byteLength / 2);
  for (let i = 0; i < out.length; i++) {
    const h = buf[2 * i]! | (buf[2 * i + 1]! << 8);
    out[i] = brain ? bf16ToNumber(h) : f16ToNumber(h);
  }
  return out;
}

export function numbersToHalfBytes(values: ArrayLike<number>, brain: boolean): Buffer {
  const out = Buffer.allocUnsafe(values.length * 2);
  for (let i = 0; i < values.length; i++) {
    const h = brain ? numberToBf16(values[i]!) : numberToF16(values[i]!);
    out[2 * i] = h & 0xff;
    out[2 * i + 1] = h >> 8;
  }
  return out;
}

export function int8BytesToNumbers(buf: Uint8Array): number[] {
  return Array.from(new Int8Array(buf.buffer, buf.byteOffset, buf.byteLength));
}

export function numbersToInt8Bytes(values: ArrayLike<number>): Buffer {
  const out = Buffer.allocUnsafe(values.length);
  for (let i = 0; i < values.length; i++) out.writeInt8(values[i]!, i);
  return out;
}

export function sparseBytesToVector(buf: Uint8Array): SparseVector {
  if (buf.byteLength % 8 !== 0) throw invalidParam('sparse vector', `bytes must be pairs of (u32 index, f32 value), got ${buf.byteLength} bytes`);
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const out: SparseVector = {};
  for (let off = 0; off < buf.byteLength; off += 8) out[view.getUint32(off, true)] = view.getFloat32(off + 4, true);
  return out;
}

/** Accepts the SDK's sparse shapes: `{index: value}`, a `Map`, `{indices, values}`, or a dense array. */
export function sparseVectorToBytes(v: unknown): Buffer {
  const pairs: [number, number][] = [];
  if (v instanceof Map) for (const [k, x] of v) pairs.push([Number(k), Number(x)]);
  else if (v !== null && typeof v === 'object' && 'indices' in v && 'values' in v) {
    const { indices, values } = v as { indices: ArrayLike<number>; values: ArrayLike<number> };
    for (let i = 0; i < indices.length; i++) pairs.push([Number(indices[i]), Number(values[i])]);
  } else if (Array.isArray(v)) {
    v.forEach((x, i) => {
      if (x !== undefined && x !== null && x !== 0) pairs.push([i, Number(x)]);
    });
  } else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) pairs.push([Number(k), Number(x)]);
  pairs.sort((a, b) => a[0] - b[0]);
  const out = Buffer.allocUnsafe(pairs.length * 8);
  pairs.forEach(([k, x], i) => {
    out.writeUInt32LE(k, i * 8);
    out.writeFloatLE(x, i * 8 + 4);
  });
  return out;
}

/** Packed binary vector bytes as the SDK returns them: one number (0..255) per byte. */
export function bytesToByteNumbers(buf: Uint8Array): number[] {
  return Array.from(buf);
}
