/** Reads a scalar index file (layout in codec.ts), checking magic, version, CRC and bounds. */
import { dataCorrupted } from '../../core/errors.js';
import { crc32c } from '../../core/checksum.js';
import { KINDS, MAGIC, TYPES, VERSION } from './codec.js';
import type { ScalarIndex } from './scalar-index.js';
import { makeScalarIndex } from './scalar-index.js';
import { SortedPostings } from './sorted-postings.js';

const FILE = 'scalar index';

export function loadScalarIndex(bytes: Uint8Array): ScalarIndex {
  if (bytes.length < 28) throw dataCorrupted(FILE, `${bytes.length} bytes is shorter than the header`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (dv.getUint32(0, true) !== MAGIC) throw dataCorrupted(FILE, 'bad magic');
  const version = dv.getUint16(4, true);
  if (version !== VERSION) throw dataCorrupted(FILE, `unsupported version ${version}`);
  const end = bytes.length - 4;
  if (crc32c(bytes.subarray(0, end)) !== dv.getUint32(end, true)) throw dataCorrupted(FILE, 'checksum mismatch');
  const type = TYPES[bytes[6]!];
  const kind = KINDS[bytes[7]!];
  if (type === undefined || kind === undefined) throw dataCorrupted(FILE, 'unknown index type or key kind');
  const rowCount = dv.getUint32(12, true);
  const nKeys = dv.getUint32(16, true);
  const nEntries = dv.getUint32(20, true);
  let o = 24;
  const need = (n: number): void => {
    if (o + n > end) throw dataCorrupted(FILE, 'truncated body');
  };
  let keys: Float64Array | BigInt64Array | string[];
  if (kind === 'f64') {
    need(8 * nKeys);
    const k = new Float64Array(nKeys);
    for (let i = 0; i < nKeys; i++, o += 8) k[i] = dv.getFloat64(o, true);
    keys = k;
  } else if (kind === 'i64') {
    need(8 * nKeys);
    const k = new BigInt64Array(nKeys);
    for (let i = 0; i < nKeys; i++, o += 8) k[i] = dv.getBigInt64(o, true);
    keys = k;
  } else {
    need(4 * nKeys);
    const lens: number[] = [];
    for (let i = 0; i < nKeys; i++, o += 4) lens.push(dv.getUint32(o, true));
    const dec = new TextDecoder();
    keys = [];
    for (const len of lens) {
      need(len);
      keys.push(dec.decode(bytes.subarray(o, o + len)));
      o += len;
    }
  }
  need(4 * (nKeys + 1) + 4 * nEntries);
  const offsets = new Uint32Array(nKeys + 1);
  for (let i = 0; i <= nKeys; i++, o += 4) offsets[i] = dv.getUint32(o, true);
  const rows = new Uint32Array(nEntries);
  for (let i = 0; i < nEntries; i++, o += 4) rows[i] = dv.getUint32(o, true);
  if (o !== end) throw dataCorrupted(FILE, 'trailing bytes');
  if (offsets[nKeys] !== nEntries) throw dataCorrupted(FILE, 'offsets do not cover the postings');
  for (const r of rows) if (r >= rowCount) throw dataCorrupted(FILE, `row ${r} out of range`);
  return makeScalarIndex(type, new SortedPostings(kind, keys, offsets, rows, rowCount, (bytes[8]! & 1) === 1));
}
