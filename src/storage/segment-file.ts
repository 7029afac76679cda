/**
 * Sealed segment file (`<collection>/seg-<segmentId>.seg`): immutable, columnar, one per segment.
 *
 * Layout (little-endian; sections start at 64-byte aligned offsets so a vector section maps
 * straight into a Float32Array / Wasm memory without parsing):
 *   0  magic "ELSG"            4  format version u32 (= 2; 1 is still read)
 *   8  segmentId u64           16 partitionId u64
 *   24 rowCount u64            32 sealLsn u64 (last WAL LSN whose rows may be in this segment)
 *   40 sectionCount u32        44 directoryLength u32
 *   48 directoryOffset u64     56 directory CRC32C u32     60 header CRC32C u32 (of bytes 0..59)
 *   64 sections ...            directory at directoryOffset:
 *      per section: kind u8 (0 = field column, 1 = primary-key sort order), column descriptor
 *      (see column-codec.ts), offset u64, length u64, CRC32C u32 of the section bytes.
 * Versions: 2 lets a vector column carry a validity bitmap (nullable vectors, Milvus 2.6); a version 1
 * file has none, so it reads the same under both. A reader that knows only 1 refuses a 2 file rather
 * than mistake its null vectors for zero vectors.
 * A column section is a column body (column-codec.ts). The primary-key order section is an Int32
 * body: row offsets sorted by primary key, for binary-search lookups without a hash map.
 * Besides the fields' columns, a field column section named `$ts` (Double) holds each row's insert
 * time, ms since the Unix epoch (insert-time.ts; collection TTL). Files written before insert times
 * were kept lack it: their rows read 0, an unknown time, and never expire.
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { Column } from '../core/column.js';
import { DataType } from '../core/data-type.js';
import { dataCorrupted } from '../core/errors.js';
import { ByteReader, ByteWriter } from './bytes.js';
import { type ColumnDesc, columnDesc, readColumnBody, readColumnDesc, writeColumnBody, writeColumnDesc } from './column-codec.js';
import { crc32c } from '../core/checksum.js';
import { ioError, writeFileDurable } from './fs-util.js';

const MAGIC = 0x47534c45; // "ELSG"
const VERSION = 2;
/** Versions this reader understands (see the header comment). */
const READABLE = new Set([1, 2]);
const HEADER = 64;
const PK_ORDER = '$pkorder';

export interface SegmentFileData {
  segmentId: number;
  partitionId: number;
  rowCount: number;
  sealLsn: number;
  columns: Map<string, Column>;
  pkOrder: Int32Array;
}

interface Section {
  kind: number;
  desc: ColumnDesc;
  offset: number;
  length: number;
  crc: number;
}

/** Row offsets [0, rows) sorted by primary key (ties by row). */
export function pkSortOrder(pk: Column, rows: number): Int32Array {
  const order = new Int32Array(rows);
  for (let i = 0; i < rows; i++) order[i] = i;
  const d = pk.data as BigInt64Array | string[];
  let sorted = true;
  for (let i = 1; i < rows && sorted; i++) sorted = d[i - 1]! <= d[i]!;
  if (sorted) return order; // auto-id and other ascending keys: no sort needed
  const arr = Array.from(order);
  arr.sort((a, b) => {
    const x = d[a]!;
    const y = d[b]!;
    return x < y ? -1 : x > y ? 1 : a - b;
  });
  order.set(arr);
  return order;
}

/** Encodes a segment file. `columns` hold at least `rowCount` rows each. */
export function encodeSegmentFile(
  meta: { segmentId: number; partitionId: number; rowCount: number; sealLsn: number },
  columns: ReadonlyMap<string, Column>,
  pkName: string,
): Uint8Array {
  let estimate = HEADER + 4096;
  for (const c of columns.values()) estimate += ArrayBuffer.isView(c.data) ? (c.data as Uint8Array).byteLength + 128 : meta.rowCount * 24;
  const w = new ByteWriter(estimate + meta.rowCount * 4);
  w.pos = HEADER;
  const sections: Section[] = [];
  const add = (kind: number, name: string, col: Column): void => {
    w.align(64);
    const offset = w.pos;
    writeColumnBody(w, col, meta.rowCount);
    const length = w.pos - offset;
    sections.push({ kind, desc: columnDesc(name, col), offset, length, crc: crc32c(w.buf.subarray(offset, offset + length)) });
  };
  for (const [name, col] of columns) add(0, name, col);
  const pk = columns.get(pkName);
  if (!pk) throw dataCorrupted('(segment encoder)', `primary key column "${pkName}" missing`);
  add(1, PK_ORDER, { type: DataType.Int32, data: pkSortOrder(pk, meta.rowCount), valid: null });
  w.align(64);
  const dirOffset = w.pos;
  for (const s of sections) {
    w.u8(s.kind);
    writeColumnDesc(w, s.desc);
    w.u64(s.offset);
    w.u64(s.length);
    w.u32(s.crc);
  }
  const dirLength = w.pos - dirOffset;
  const out = w.finish();
  const dv = new DataView(out.buffer, out.byteOffset, out.byteLength);
  dv.setUint32(0, MAGIC, true);
  dv.setUint32(4, VERSION, true);
  const hw = new ByteWriter(64);
  hw.u32(MAGIC);
  hw.u32(VERSION);
  hw.u64(meta.segmentId);
  hw.u64(meta.partitionId);
  hw.u64(meta.rowCount);
  hw.u64(meta.sealLsn);
  hw.u32(sections.length);
  hw.u32(dirLength);
  hw.u64(dirOffset);
  hw.u32(crc32c(out.subarray(dirOffset, dirOffset + dirLength)));
  const head = hw.finish();
  out.set(head, 0);
  dv.setUint32(60, crc32c(out.subarray(0, 60)), true);
  return out;
}

export async function writeSegmentFile(path: string, bytes: Uint8Array): Promise<void> {
  await writeFileDurable(path, [bytes]);
}

interface Parsed {
  segmentId: number;
  partitionId: number;
  rowCount: number;
  sealLsn: number;
  sections: Section[];
}

function parseHeader(head: Uint8Array, file: string, fileSize: number): Parsed & { dirOffset: number; dirLength: number; dirCrc: number } {
  if (head.length < HEADER) throw dataCorrupted(file, `segment file too short (${head.length} bytes)`);
  const r = new ByteReader(head, file);
  if (r.u32() !== MAGIC) throw dataCorrupted(file, 'bad magic (not an Elanus segment file)');
  const version = r.u32();
  if (!READABLE.has(version)) throw dataCorrupted(file, `unsupported segment format version ${version}`);
  const crc = new DataView(head.buffer, head.byteOffset).getUint32(60, true);
  if (crc32c(head.subarray(0, 60)) !== crc) throw dataCorrupted(file, 'header checksum mismatch');
  const segmentId = r.u64();
  const partitionId = r.u64();
  const rowCount = r.u64();
  const sealLsn = r.u64();
  r.u32();
  const dirLength = r.u32();
  const dirOffset = r.u64();
  const dirCrc = r.u32();
  if (dirOffset + dirLength > fileSize) throw dataCorrupted(file, 'directory beyond end of file');
  return { segmentId, partitionId, rowCount, sealLsn, sections: [], dirOffset, dirLength, dirCrc };
}

function parseDirectory(dir: Uint8Array, file: string, crc: number, count: number, fileSize: number): Section[] {
  if (crc32c(dir) !== crc) throw dataCorrupted(file, 'directory checksum mismatch');
  const r = new ByteReader(dir, file);
  const out: Section[] = [];
  for (let i = 0; i < count; i++) {
    const kind = r.u8();
    const desc = readColumnDesc(r);
    const offset = r.u64();
    const length = r.u64();
    const c = r.u32();
    if (offset + length > fileSize) throw dataCorrupted(file, `section "${desc.name}" beyond end of file`);
    out.push({ kind, desc, offset, length, crc: c });
  }
  return out;
}

function sectionCount(head: Uint8Array): number {
  return new DataView(head.buffer, head.byteOffset).getUint32(40, true);
}

function decodeSection(bytes: Uint8Array, s: Section, file: string, rows: number): Column {
  if (crc32c(bytes) !== s.crc) throw dataCorrupted(file, `checksum mismatch in section "${s.desc.name}"`);
  const r = new ByteReader(bytes, file);
  return readColumnBody(r, s.desc, rows);
}

/** Reads and verifies a whole segment file. Errors name the file. */
export async function readSegmentFile(path: string): Promise<SegmentFileData> {
  let buf: Uint8Array;
  try {
    const b = await readFile(path);
    // An exclusively owned, 64-aligned copy lets typed arrays view sections in place.
    buf = b.byteOffset % 64 === 0 ? b : new Uint8Array(b);
  } catch (err) {
    throw ioError('reading segment file', path, err);
  }
  const h = parseHeader(buf.subarray(0, HEADER), path, buf.length);
  const sections = parseDirectory(buf.subarray(h.dirOffset, h.dirOffset + h.dirLength), path, h.dirCrc, sectionCount(buf), buf.length);
  const columns = new Map<string, Column>();
  let pkOrder: Int32Array | undefined;
  for (const s of sections) {
    const col = decodeSection(buf.subarray(s.offset, s.offset + s.length), s, path, h.rowCount);
    if (s.kind === 1) pkOrder = col.data as Int32Array;
    else columns.set(s.desc.name, col);
  }
  if (!pkOrder) throw dataCorrupted(path, 'primary-key order section missing');
  return { segmentId: h.segmentId, partitionId: h.partitionId, rowCount: h.rowCount, sealLsn: h.sealLsn, columns, pkOrder };
}

/** Reads only the named column and the pk order (synchronously; used for deletes on released collections). */
export function readSegmentPk(path: string, pkName: string): { column: Column; pkOrder: Int32Array; rowCount: number } {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    throw ioError('opening segment file', path, err);
  }
  try {
    const size = statSync(path).size;
    const readAt = (off: number, len: number): Uint8Array => {
      const b = new Uint8Array(len);
      let got = 0;
      while (got < len) {
        const n = readSync(fd, b, got, len - got, off + got);
        if (n === 0) throw dataCorrupted(path, 'unexpected end of file');
        got += n;
      }
      return b;
    };
    const head = readAt(0, Math.min(HEADER, size));
    const h = parseHeader(head, path, size);
    const sections = parseDirectory(readAt(h.dirOffset, h.dirLength), path, h.dirCrc, sectionCount(head), size);
    const want = (kind: number, name: string): Column => {
      const s = sections.find((x) => x.kind === kind && (kind === 1 || x.desc.name === name));
      if (!s) throw dataCorrupted(path, `section "${name}" missing`);
      return decodeSection(readAt(s.offset, s.length), s, path, h.rowCount);
    };
    return { column: want(0, pkName), pkOrder: want(1, PK_ORDER).data as Int32Array, rowCount: h.rowCount };
  } finally {
    closeSync(fd);
  }
}

/** Rows whose pk equals one of `pks`, by binary search over the sorted order. */
export function lookupPks(pkData: BigInt64Array | string[], order: Int32Array, pks: readonly (bigint | string)[]): number[] {
  const out: number[] = [];
  for (const pk of pks) {
    if (typeof pk !== typeof pkData[0] && pkData.length > 0) continue;
    let lo = 0;
    let hi = order.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (pkData[order[mid]!]! < pk) lo = mid + 1;
      else hi = mid;
    }
    while (lo < order.length && pkData[order[lo]!] === pk) out.push(order[lo++]!);
  }
  return out.sort((a, b) => a - b);
}
