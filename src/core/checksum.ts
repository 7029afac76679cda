/**
 * CRC32C (Castagnoli, reflected polynomial 0x82F63B78), slice-by-8 table implementation in plain
 * TypeScript. Every storage file format checksums its header, records and sections with it.
 * `crc32c(bytes)` of the ASCII string "123456789" is 0xE3069283 (the standard check value).
 */

const POLY = 0x82f63b78;
const T = new Uint32Array(8 * 256);
for (let i = 0; i < 256; i++) {
  let c = i;
  for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ POLY : c >>> 1;
  T[i] = c >>> 0;
}
for (let i = 0; i < 256; i++) {
  for (let s = 1; s < 8; s++) {
    const prev = T[(s - 1) * 256 + i]!;
    T[s * 256 + i] = (T[prev & 0xff]! ^ (prev >>> 8)) >>> 0;
  }
}

/** Continues a CRC32C over `bytes` (pass the previous result as `crc` to checksum in pieces). */
export function crc32c(bytes: Uint8Array, crc = 0): number {
  let c = ~crc >>> 0;
  let i = 0;
  const n = bytes.length;
  const end8 = n - (n % 8);
  while (i < end8) {
    const lo = (c ^ (bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24))) >>> 0;
    c =
      T[7 * 256 + (lo & 0xff)]! ^
      T[6 * 256 + ((lo >>> 8) & 0xff)]! ^
      T[5 * 256 + ((lo >>> 16) & 0xff)]! ^
      T[4 * 256 + (lo >>> 24)]! ^
      T[3 * 256 + bytes[i + 4]!]! ^
      T[2 * 256 + bytes[i + 5]!]! ^
      T[256 + bytes[i + 6]!]! ^
      T[bytes[i + 7]!]!;
    i += 8;
  }
  while (i < n) c = T[(c ^ bytes[i++]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}
