/**
 * Scalar index file format (little-endian), version 2:
 *
 *   offset size  field
 *   0      4     magic "ESIX"
 *   4      2     version (2; version 1 had a CRC-32 (IEEE))
 *   6      1     index type: 0 INVERTED, 1 STL_SORT, 2 BITMAP, 3 Trie
 *   7      1     key kind: 0 f64, 1 i64, 2 string
 *   8      1     flags: bit 0 = Array column (postings per element)
 *   9      3     reserved (0)
 *   12     4     rowCount (u32)
 *   16     4     nKeys (u32)
 *   20     4     nEntries: total posting entries (u32)
 *   24     ...   keys: f64 / i64 → nKeys × 8 bytes; string → nKeys × u32 UTF-8 byte lengths, then the bytes
 *   ...    ...   offsets: (nKeys + 1) × u32
 *   ...    ...   rows: nEntries × u32
 *   end-4  4     CRC32C (core/checksum.ts) of every byte before it
 *
 * BITMAP bitsets and STL_SORT value arrays are derived from the postings at load time.
 */
import { crc32c } from '../../core/checksum.js';
import type { ScalarIndexType } from './scalar-index-type.js';
import type { KeyKind, SortedPostings } from './sorted-postings.js';

export const MAGIC = 0x58495345; // "ESIX" read as little-endian u32
export const VERSION = 2;
export const TYPES: readonly ScalarIndexType[] = ['INVERTED', 'STL_SORT', 'BITMAP', 'Trie'];
export const KINDS: readonly KeyKind[] = ['f64', 'i64', 'str'];

export function serializeScalarIndex(index: { readonly type: ScalarIndexType; readonly postings: SortedPostings }): Uint8Array {
  const p = index.postings;
  const enc = new TextEncoder();
  let strBytes: Uint8Array[] = [];
  let keyBytes: number;
  if (p.keyKind === 'str') {
    strBytes = (p.keys as string[]).map((s) => enc.encode(s));
    keyBytes = 4 * strBytes.length + strBytes.reduce((a, b) => a + b.length, 0);
  } else keyBytes = 8 * p.keys.length;
  const size = 24 + keyBytes + 4 * (p.keys.length + 1) + 4 * p.rows.length + 4;
  const out = new Uint8Array(size);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, MAGIC, true);
  dv.setUint16(4, VERSION, true);
  out[6] = TYPES.indexOf(index.type);
  out[7] = KINDS.indexOf(p.keyKind);
  out[8] = p.isArray ? 1 : 0;
  dv.setUint32(12, p.rowCount, true);
  dv.setUint32(16, p.keys.length, true);
  dv.setUint32(20, p.rows.length, true);
  let o = 24;
  if (p.keys instanceof Float64Array) {
    for (const v of p.keys) {
      dv.setFloat64(o, v, true);
      o += 8;
    }
  } else if (p.keys instanceof BigInt64Array) {
    for (const v of p.keys) {
      dv.setBigInt64(o, v, true);
      o += 8;
    }
  } else {
    for (const b of strBytes) {
      dv.setUint32(o, b.length, true);
      o += 4;
    }
    for (const b of strBytes) {
      out.set(b, o);
      o += b.length;
    }
  }
  for (const v of p.offsets) {
    dv.setUint32(o, v, true);
    o += 4;
  }
  for (const v of p.rows) {
    dv.setUint32(o, v, true);
    o += 4;
  }
  dv.setUint32(o, crc32c(out.subarray(0, o)), true);
  return out;
}

