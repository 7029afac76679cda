/**
 * The frame of every vector index file (one per sealed segment and index).
 *
 * Layout (little endian):
 *   0   u32  magic 0x58494c45 ("ELIX")
 *   4   u32  format version (2; version 1 framed with CRC-32 (IEEE) is refused and rebuilt by the engine)
 *   8   u32  specLength: bytes of the UTF-8 JSON spec that follows
 *   12  ...  spec JSON ({indexType, metricType, params, dataType, dim}), zero-padded to a multiple of 8
 *   P   ...  family payload (layout documented by the family's own file), P = 12 + padded spec
 *   n-4 u32  CRC32C (core/checksum.ts, as every storage file) of bytes [0, n-4)
 */
import { dataCorrupted } from '../../core/errors.js';
import type { VectorIndexSpec } from '../registry.js';
import { crc32c } from '../../core/checksum.js';

export const INDEX_FILE_MAGIC = 0x58494c45;
export const INDEX_FILE_VERSION = 2;
const FILE = 'vector index file';

export function writeIndexFile(spec: VectorIndexSpec, payload: Uint8Array): Uint8Array {
  const specBytes = new TextEncoder().encode(JSON.stringify(spec));
  const padded = (specBytes.length + 7) & ~7;
  const out = new Uint8Array(12 + padded + payload.length + 4);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, INDEX_FILE_MAGIC, true);
  dv.setUint32(4, INDEX_FILE_VERSION, true);
  dv.setUint32(8, specBytes.length, true);
  out.set(specBytes, 12);
  out.set(payload, 12 + padded);
  dv.setUint32(out.length - 4, crc32c(out.subarray(0, out.length - 4)), true);
  return out;
}

/** Checks magic, version and checksum; returns the spec and a view of the payload. Throws 1002. */
export function readIndexFile(bytes: Uint8Array): { spec: VectorIndexSpec; payload: Uint8Array } {
  if (bytes.length < 16) throw dataCorrupted(FILE, `truncated (${bytes.length} bytes)`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = dv.getUint32(0, true);
  if (magic !== INDEX_FILE_MAGIC) throw dataCorrupted(FILE, `bad magic 0x${magic.toString(16)}`);
  const version = dv.getUint32(4, true);
  if (version !== INDEX_FILE_VERSION) throw dataCorrupted(FILE, `unsupported version ${version}`);
  const want = dv.getUint32(bytes.length - 4, true);
  const got = crc32c(bytes.subarray(0, bytes.length - 4));
  if (want !== got) throw dataCorrupted(FILE, `checksum mismatch (stored ${want.toString(16)}, computed ${got.toString(16)})`);
  const specLength = dv.getUint32(8, true);
  const padded = (specLength + 7) & ~7;
  if (12 + padded > bytes.length - 4) throw dataCorrupted(FILE, 'spec length past end of file');
  let spec: VectorIndexSpec;
  try {
    spec = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + specLength))) as VectorIndexSpec;
  } catch {
    throw dataCorrupted(FILE, 'spec is not valid JSON');
  }
  // A plain Uint8Array view even when `bytes` is a Node Buffer (read from a file), whose slice()
  // would share memory where payload decoders expect a copy.
  return { spec, payload: new Uint8Array(bytes.buffer, bytes.byteOffset + 12 + padded, bytes.length - 16 - padded) };
}
