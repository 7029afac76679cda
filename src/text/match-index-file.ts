/**
 * The text-match index of one field of one sealed segment as a file (saved next to the segment by
 * the engine through storage's index files, read back on load instead of re-analysing every row).
 * Derived data: a file that does not check out is ignored and the index rebuilt from the column.
 *
 * Layout (all integers little-endian u32 unless noted):
 *
 *   magic      "ELTM" (4 bytes)
 *   version    1
 *   rowCount   rows [0, rowCount) of the segment are indexed
 *   keyLength  then keyLength bytes: UTF-8 of the field's analyzer_params text (must equal the
 *              schema's, or the file belongs to another analyzer)
 *   termCount  then termCount records:
 *     tokenLength, tokenLength bytes of UTF-8 token
 *     rowsN, posN
 *     rowsN × i32 row offsets (ascending)
 *     (rowsN + 1) × i32 start offsets into the positions
 *     posN × i32 positions
 *   crc        CRC32C (src/core/checksum.ts) of every byte before it
 */
import { crc32c } from '../core/checksum.js';
import type { Analyzer } from './analyzer.js';
import { MatchIndex } from './match-index.js';

const MAGIC = 0x4d544c45; // "ELTM" read as a little-endian u32
const VERSION = 1;
const enc = new TextEncoder();
const dec = new TextDecoder('utf-8', { fatal: true });

export function encodeMatchIndex(idx: MatchIndex, analyzerKey: string): Uint8Array {
  const key = enc.encode(analyzerKey);
  const parts: { token: Uint8Array; rows: Int32Array; start: Int32Array; pos: Int32Array }[] = [];
  let size = 4 * 5 + key.length + 4;
  for (const [term, rows, start, pos] of idx.terms()) {
    const token = enc.encode(term);
    parts.push({ token, rows, start, pos });
    size += 12 + token.length + 4 * (rows.length + start.length + pos.length);
  }
  const out = new Uint8Array(size);
  const dv = new DataView(out.buffer);
  let o = 0;
  const u32 = (v: number): void => {
    dv.setUint32(o, v, true);
    o += 4;
  };
  const ints = (a: Int32Array): void => {
    for (let i = 0; i < a.length; i++, o += 4) dv.setInt32(o, a[i]!, true);
  };
  u32(MAGIC);
  u32(VERSION);
  u32(idx.rowCount);
  u32(key.length);
  out.set(key, o);
  o += key.length;
  u32(parts.length);
  for (const p of parts) {
    u32(p.token.length);
    out.set(p.token, o);
    o += p.token.length;
    u32(p.rows.length);
    u32(p.pos.length);
    ints(p.rows);
    ints(p.start);
    ints(p.pos);
  }
  u32(crc32c(out.subarray(0, o)));
  return out;
}

/**
 * The index in `bytes`, or undefined when the file is not one (magic, version, checksum, bounds),
 * was written for another analyzer, or covers another number of rows.
 */
export function decodeMatchIndex(bytes: Uint8Array, analyzer: Analyzer, analyzerKey: string, rowCount: number): MatchIndex | undefined {
  if (bytes.length < 24) return undefined;
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const end = bytes.length - 4;
  if (dv.getUint32(end, true) !== crc32c(bytes.subarray(0, end))) return undefined;
  let o = 0;
  const need = (n: number): boolean => o + n <= end;
  const u32 = (): number => {
    const v = dv.getUint32(o, true);
    o += 4;
    return v;
  };
  const ints = (n: number): Int32Array => {
    const a = new Int32Array(n);
    for (let i = 0; i < n; i++, o += 4) a[i] = dv.getInt32(o, true);
    return a;
  };
  try {
    if (u32() !== MAGIC || u32() !== VERSION) return undefined;
    if (u32() !== rowCount) return undefined;
    const keyLength = u32();
    if (!need(keyLength)) return undefined;
    if (dec.decode(bytes.subarray(o, o + keyLength)) !== analyzerKey) return undefined;
    o += keyLength;
    const idx = new MatchIndex(analyzer);
    const terms = u32();
    for (let t = 0; t < terms; t++) {
      if (!need(12)) return undefined;
      const tokenLength = u32();
      if (!need(tokenLength + 8)) return undefined;
      const token = dec.decode(bytes.subarray(o, o + tokenLength));
      o += tokenLength;
      const rowsN = u32();
      const posN = u32();
      if (!need(4 * (2 * rowsN + 1 + posN))) return undefined;
      const rows = ints(rowsN);
      const start = ints(rowsN + 1);
      const pos = ints(posN);
      if (start[0] !== 0 || start[rowsN] !== posN) return undefined;
      for (let i = 0; i < rowsN; i++) if (rows[i]! >= rowCount || start[i + 1]! < start[i]! || (i > 0 && rows[i]! <= rows[i - 1]!)) return undefined;
      idx.restoreTerm(token, rows, start, pos);
    }
    if (o !== end) return undefined;
    idx.rowCount = rowCount;
    return idx;
  } catch {
    return undefined;
  }
}
