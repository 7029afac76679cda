/**
 * Delete file (`<collection>/seg-<segmentId>-<generation>.del`): the tombstones of one sealed
 * segment as of a WAL LSN. A new generation is written whenever the deletes are checkpointed; the
 * manifest names the current one. Deletes after `delLsn` are replayed from the WAL.
 *
 * Layout (little-endian):
 *   0 magic "ELDL" | 4 version u32 (= 1) | 8 segmentId u64 | 16 rowCount u64 | 24 delLsn u64 |
 *   32 deletedCount u64 | 40 bitmap CRC32C u32 | 44 header CRC32C u32 (of bytes 0..43) |
 *   48 bitmap: ceil(rowCount/32) u32 words, bit r set = row r deleted
 */
import { readFileSync } from 'node:fs';
import type { Bitset } from '../core/bitset.js';
import { dataCorrupted } from '../core/errors.js';
import { ByteReader, ByteWriter } from './bytes.js';
import { bitsetBytes, bitsetFrom } from './column-codec.js';
import { crc32c } from '../core/checksum.js';
import { ioError, writeFileDurable } from './fs-util.js';

const MAGIC = 0x4c444c45; // "ELDL"
const VERSION = 1;

export function encodeDeleteFile(segmentId: number, deleted: Bitset, delLsn: number, deletedCount: number): Uint8Array {
  const bits = bitsetBytes(deleted);
  const w = new ByteWriter(48 + bits.length);
  w.u32(MAGIC);
  w.u32(VERSION);
  w.u64(segmentId);
  w.u64(deleted.size);
  w.u64(delLsn);
  w.u64(deletedCount);
  w.u32(crc32c(bits));
  w.u32(crc32c(w.buf.subarray(0, 44)));
  w.bytes(bits);
  return w.finish();
}

export async function writeDeleteFile(path: string, bytes: Uint8Array): Promise<void> {
  await writeFileDurable(path, [bytes]);
}

export function readDeleteFile(path: string, rowCount: number): { deleted: Bitset; count: number; delLsn: number } {
  let buf: Uint8Array;
  try {
    buf = readFileSync(path);
  } catch (err) {
    throw ioError('reading delete file', path, err);
  }
  const r = new ByteReader(buf, path);
  if (buf.length < 48 || r.u32() !== MAGIC) throw dataCorrupted(path, 'bad magic (not an Elanus delete file)');
  const version = r.u32();
  if (version !== VERSION) throw dataCorrupted(path, `unsupported delete file version ${version}`);
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  if (crc32c(buf.subarray(0, 44)) !== dv.getUint32(44, true)) throw dataCorrupted(path, 'header checksum mismatch');
  r.u64();
  const rows = r.u64();
  const delLsn = r.u64();
  const count = r.u64();
  if (rows !== rowCount) throw dataCorrupted(path, `row count ${rows} does not match the segment's ${rowCount}`);
  const bits = buf.subarray(48);
  if (bits.length !== ((rows + 31) >>> 5) * 4 || crc32c(bits) !== dv.getUint32(40, true)) throw dataCorrupted(path, 'bitmap checksum mismatch');
  return { deleted: bitsetFrom(rows, bits), count, delLsn };
}
