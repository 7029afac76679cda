/**
 * The arrays of one IVF index — what build produces, what the Wasm instance searches and what the
 * index file stores — and their payload codec.
 *
 * Payload layout (inside the index-file frame of kernels/index-file.ts, which adds magic, version,
 * spec JSON and CRC-32 of the whole file). Little endian; every section starts 8-byte aligned:
 *   0   u32  magic 0x31465649 ("IVF1")
 *   4   u32  payload version (2)
 *   8   u32  codec: 0 F32 (IVF_FLAT), 1 SQ8 (IVF_SQ8), 2 PQ (IVF_PQ), 3 BIN (BIN_IVF_FLAT)
 *   12  u32  dim
 *   16  u32  nlist (after Milvus's nlist/row-count adjustment)
 *   20  u32  nrows
 *   24  u32  codeBytes (bytes per stored code)
 *   28  u32  pq m (0 unless PQ)
 *   32  u32  pq nbits (0 unless PQ)
 *   36  u32  reserved (0)
 *   40  ...  centroids: nlist × dim f32 (BIN: nlist × dim/8 bytes)
 *        ...  listStart: (nlist + 1) i32 — list l holds positions [listStart[l], listStart[l+1])
 *        ...  ids: nrows i32 — segment row offset of each list position
 *        ...  codes: nrows × codeBytes — F32 rows (unit length for COSINE); SQ8 residual codes
 *             zero-padded to a multiple of 16 bytes; PQ residual codes; BIN packed bits
 *   SQ8 only: vmin dim f32, step dim f32, rowNorms nrows f32 (|centroid + decoded residual|² per position)
 *   PQ only:  codebooks m × 2^nbits × dim/m f32, then rowNorms nrows f32 (|x̂|² − |centroid|²)
 */
import { dataCorrupted } from '../../core/errors.js';

export const CODEC_F32 = 0;
export const CODEC_SQ8 = 1;
export const CODEC_PQ = 2;
export const CODEC_BIN = 3;

export interface IvfModel {
  codec: number;
  dim: number;
  nlist: number;
  nrows: number;
  codeBytes: number;
  centroids: Float32Array | Uint8Array;
  listStart: Int32Array;
  ids: Int32Array;
  codes: Uint8Array;
  sqVmin?: Float32Array;
  sqStep?: Float32Array;
  rowNorms?: Float32Array;
  pqM?: number;
  pqNbits?: number;
  pqBooks?: Float32Array;
}

const MAGIC = 0x31465649;
const VERSION = 2;
const HEADER = 40;
const FILE = 'IVF index payload';

const pad8 = (n: number): number => (n + 7) & ~7;

type Section = Float32Array | Int32Array | Uint8Array;

function sections(m: IvfModel): Section[] {
  const s: Section[] = [m.centroids, m.listStart, m.ids, m.codes];
  if (m.codec === CODEC_SQ8) s.push(m.sqVmin!, m.sqStep!, m.rowNorms!);
  if (m.codec === CODEC_PQ) s.push(m.pqBooks!, m.rowNorms!);
  return s;
}

export function encodeIvfModel(m: IvfModel): Uint8Array {
  const secs = sections(m);
  let size = HEADER;
  for (const s of secs) size += pad8(s.byteLength);
  const out = new Uint8Array(size);
  const dv = new DataView(out.buffer);
  const head = [MAGIC, VERSION, m.codec, m.dim, m.nlist, m.nrows, m.codeBytes, m.pqM ?? 0, m.pqNbits ?? 0, 0];
  head.forEach((v, i) => dv.setUint32(i * 4, v, true));
  let o = HEADER;
  for (const s of secs) {
    out.set(new Uint8Array(s.buffer, s.byteOffset, s.byteLength), o);
    o += pad8(s.byteLength);
  }
  return out;
}

export function decodeIvfModel(payload: Uint8Array): IvfModel {
  if (payload.length < HEADER) throw dataCorrupted(FILE, `truncated (${payload.length} bytes)`);
  const dv = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
  const u = (i: number): number => dv.getUint32(i * 4, true);
  if (u(0) !== MAGIC) throw dataCorrupted(FILE, `bad magic 0x${u(0).toString(16)}`);
  if (u(1) !== VERSION) throw dataCorrupted(FILE, `unsupported version ${u(1)}`);
  const codec = u(2);
  const dim = u(3);
  const nlist = u(4);
  const nrows = u(5);
  const codeBytes = u(6);
  const pqM = u(7);
  const pqNbits = u(8);
  if (codec > CODEC_BIN) throw dataCorrupted(FILE, `unknown codec ${codec}`);
  let o = HEADER;
  // Copies (not views) so the sections are aligned whatever the payload's offset.
  const take = (bytes: number): Uint8Array => {
    if (o + bytes > payload.length) throw dataCorrupted(FILE, 'section past end of payload');
    const b = new Uint8Array(payload.subarray(o, o + bytes)); // a copy, also for a Node Buffer
    o += pad8(bytes);
    return b;
  };
  const f32 = (n: number): Float32Array => new Float32Array(take(n * 4).buffer);
  const i32 = (n: number): Int32Array => new Int32Array(take(n * 4).buffer);
  const centroids = codec === CODEC_BIN ? take(nlist * (dim >>> 3)) : f32(nlist * dim);
  const m: IvfModel = { codec, dim, nlist, nrows, codeBytes, centroids, listStart: i32(nlist + 1), ids: i32(nrows), codes: take(nrows * codeBytes) };
  if (codec === CODEC_SQ8) {
    m.sqVmin = f32(dim);
    m.sqStep = f32(dim);
    m.rowNorms = f32(nrows);
  }
  if (codec === CODEC_PQ) {
    m.pqM = pqM;
    m.pqNbits = pqNbits;
    m.pqBooks = f32((1 << pqNbits) * dim);
    m.rowNorms = f32(nrows);
  }
  if (m.listStart[nlist] !== nrows) throw dataCorrupted(FILE, 'inverted lists do not cover the rows');
  return m;
}
