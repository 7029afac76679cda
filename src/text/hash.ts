/**
 * The term id of a token in BM25 sparse vectors and RunAnalyzer's `hash`: Milvus's
 * typeutil.HashString2LessUint32 — CRC-32 (IEEE) of the token's first 100 UTF-8 bytes, mod 2^32-1.
 */
import { crc32 } from 'node:zlib';

const enc = new TextEncoder();

export function tokenHash(token: string): number {
  const bytes = enc.encode(token);
  return crc32(bytes.length > 100 ? bytes.subarray(0, 100) : bytes) % 0xffffffff;
}
