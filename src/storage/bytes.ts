/**
 * Little-endian byte writer/reader used by every storage file format (WAL records, segment files,
 * delete files, manifest). Integers up to 2^53 are written as u64. The writer keeps 8-byte alignment
 * relative to its own start when asked (`align`), so typed arrays can view decoded sections in place.
 */
import { dataCorrupted } from '../core/errors.js';

const enc = new TextEncoder();
const dec = new TextDecoder('utf-8', { fatal: false });

export class ByteWriter {
  buf: Uint8Array;
  dv: DataView;
  pos = 0;

  constructor(capacity = 1024) {
    this.buf = new Uint8Array(Math.max(64, capacity));
    this.dv = new DataView(this.buf.buffer);
  }

  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.pos + n) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.dv = new DataView(next.buffer);
  }

  u8(v: number): void {
    this.ensure(1);
    this.buf[this.pos++] = v;
  }
  u16(v: number): void {
    this.ensure(2);
    this.dv.setUint16(this.pos, v, true);
    this.pos += 2;
  }
  u32(v: number): void {
    this.ensure(4);
    this.dv.setUint32(this.pos, v >>> 0, true);
    this.pos += 4;
  }
  /** A non-negative integer below 2^53 as u64. */
  u64(v: number): void {
    this.ensure(8);
    this.dv.setUint32(this.pos, v % 0x100000000, true);
    this.dv.setUint32(this.pos + 4, Math.floor(v / 0x100000000), true);
    this.pos += 8;
  }
  bytes(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }
  /** u32 byte length + UTF-8. */
  str(s: string): void {
    this.ensure(4 + s.length * 3);
    const at = this.pos;
    this.pos += 4;
    const { written } = enc.encodeInto(s, this.buf.subarray(this.pos));
    this.dv.setUint32(at, written, true);
    this.pos += written;
  }
  /** UTF-8 without a length; returns the bytes written. */
  utf8(s: string): number {
    this.ensure(s.length * 3);
    const { written } = enc.encodeInto(s, this.buf.subarray(this.pos));
    this.pos += written;
    return written;
  }
  /** Zero padding up to a multiple of `n` from the writer's start. */
  align(n = 8): void {
    const pad = (n - (this.pos % n)) % n;
    this.ensure(pad);
    this.buf.fill(0, this.pos, this.pos + pad);
    this.pos += pad;
  }
  finish(): Uint8Array {
    return this.buf.subarray(0, this.pos);
  }
}

export class ByteReader {
  readonly dv: DataView;
  pos = 0;

  /** `file` names the source in corruption errors. */
  constructor(
    readonly buf: Uint8Array,
    readonly file: string,
  ) {
    this.dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  need(n: number): void {
    if (this.pos + n > this.buf.length) throw dataCorrupted(this.file, `truncated structure at byte ${this.pos} (need ${n} more bytes)`);
  }
  u8(): number {
    this.need(1);
    return this.buf[this.pos++]!;
  }
  u16(): number {
    this.need(2);
    const v = this.dv.getUint16(this.pos, true);
    this.pos += 2;
    return v;
  }
  u32(): number {
    this.need(4);
    const v = this.dv.getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }
  u64(): number {
    this.need(8);
    const v = this.dv.getUint32(this.pos, true) + this.dv.getUint32(this.pos + 4, true) * 0x100000000;
    this.pos += 8;
    return v;
  }
  bytes(n: number): Uint8Array {
    this.need(n);
    const b = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return b;
  }
  str(): string {
    const n = this.u32();
    return dec.decode(this.bytes(n));
  }
  align(n = 8): void {
    this.pos += (n - (this.pos % n)) % n;
  }
}

export function utf8Decode(b: Uint8Array): string {
  return dec.decode(b);
}
