/**
 * Byte-level conversions between the wire's packed vector encodings and SDK-style JS values:
 * float32 little-endian, IEEE half (float16), bfloat16, int8, packed bits (binary vectors) and the
 * sparse row encoding (repeated `u32 index LE, f32 value LE`).
 */
import { invalidParam } from '../../../core/errors.js';
import { bf16ToF32 as bf16ToNumber, f16ToF32 as f16ToNumber, f32ToBf16 as numberToBf16, f32ToF16 as numberToF16 } from '../../../index/reference/half.js';

/** A sparse vector the way the SDK accepts and returns it: `{index: value}`. */
export type SparseVector = Record<number, number>;

export function f32BytesToNumbers(buf: Uint8Array): number[] {
  if (buf.byteLength % 4 !== 0) throw invalidParam('vector', `float vector bytes must be a multiple of 4, got ${buf.byteLength}`);
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const out = new Array<number>(buf.byteLength / 4);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(i * 4, true);
  return out;
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

/**
 * One sparse row off the wire as `{indices, values}` in wire order, so that the engine's row check
 * sees repeated indices (a `{index: value}` object would silently keep the last one).
 */
export function sparseBytesToVector(buf: Uint8Array): { indices: number[]; values: number[] } {
  if (buf.byteLength % 8 !== 0) throw invalidParam('sparse vector', `bytes must be pairs of (u32 index, f32 value), got ${buf.byteLength} bytes`);
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const indices: number[] = [];
  const values: number[] = [];
  for (let off = 0; off < buf.byteLength; off += 8) {
    indices.push(view.getUint32(off, true));
    values.push(view.getFloat32(off + 4, true));
  }
  return { indices, values };
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
