/**
 * The manifest (`MANIFEST` in the data directory): the catalog plus, per collection, the live sealed
 * segments and their delete-file generations, and the WAL floor below which nothing needs replaying.
 * Source of truth on open; replaced atomically (MANIFEST.tmp, fsync, rename, fsync dir).
 *
 * Layout (little-endian): 0 magic "ELMF" | 4 format version u32 (= 1) | 8 body length u64 |
 * 16 body CRC32C u32 | 20 header CRC32C u32 (of bytes 0..19) | 24 body: UTF-8 JSON of ManifestState,
 * bigint values written as {"$elanus:bigint": "<decimal>"} so Int64 defaults round-trip exactly.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dataCorrupted } from '../core/errors.js';
import { ByteWriter, utf8Decode } from './bytes.js';
import type { CatalogState } from './catalog.js';
import { crc32c } from '../core/checksum.js';
import { ioError, replaceFileAtomic } from './fs-util.js';

const MAGIC = 0x464d4c45; // "ELMF"
const VERSION = 1;
const BIGINT_TAG = '$elanus:bigint';

export interface SealedSegmentMeta {
  id: number;
  partitionId: number;
  rowCount: number;
  /** Last LSN whose inserted rows may be in this segment. */
  sealLsn: number;
  /** The delete file covers deletes up to this LSN (later ones are replayed from the WAL). */
  delLsn: number;
  /** Delete file generation; 0 = no delete file (no deletes as of delLsn). */
  delGen: number;
  deletedCount: number;
}

export interface CollectionFiles {
  /** Insert records with a lower LSN are all in sealed segments (or dropped). */
  growingFloor: number;
  sealed: SealedSegmentMeta[];
  /** Segments removed (compacted away) whose insert records may still be in the WAL. */
  dead: { id: number; sealLsn: number }[];
}

export interface ManifestState {
  catalog: CatalogState;
  /** By collection id. */
  collections: Record<string, CollectionFiles>;
}

function replacer(_k: string, v: unknown): unknown {
  return typeof v === 'bigint' ? { [BIGINT_TAG]: v.toString() } : v;
}

function reviver(_k: string, v: unknown): unknown {
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
    const o = v as Record<string, unknown>;
    const t = o[BIGINT_TAG];
    if (typeof t === 'string' && Object.keys(o).length === 1) return BigInt(t);
  }
  return v;
}

export function encodeManifest(state: ManifestState): Uint8Array {
  const w = new ByteWriter(4096);
  w.pos = 24;
  w.utf8(JSON.stringify(state, replacer));
  const out = w.finish();
  const dv = new DataView(out.buffer, out.byteOffset, out.byteLength);
  dv.setUint32(0, MAGIC, true);
  dv.setUint32(4, VERSION, true);
  const len = out.length - 24;
  dv.setUint32(8, len % 0x100000000, true);
  dv.setUint32(12, Math.floor(len / 0x100000000), true);
  dv.setUint32(16, crc32c(out.subarray(24)), true);
  dv.setUint32(20, crc32c(out.subarray(0, 20)), true);
  return out;
}

export function decodeManifest(buf: Uint8Array, file: string): ManifestState {
  if (buf.length < 24) throw dataCorrupted(file, `manifest too short (${buf.length} bytes)`);
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  if (dv.getUint32(0, true) !== MAGIC) throw dataCorrupted(file, 'bad magic (not an Elanus manifest)');
  const version = dv.getUint32(4, true);
  if (version !== VERSION) throw dataCorrupted(file, `unsupported manifest version ${version}`);
  if (crc32c(buf.subarray(0, 20)) !== dv.getUint32(20, true)) throw dataCorrupted(file, 'manifest header checksum mismatch');
  const len = dv.getUint32(8, true) + dv.getUint32(12, true) * 0x100000000;
  const body = buf.subarray(24);
  if (body.length !== len) throw dataCorrupted(file, `manifest body is ${body.length} bytes, header says ${len}`);
  if (crc32c(body) !== dv.getUint32(16, true)) throw dataCorrupted(file, 'manifest body checksum mismatch');
  try {
    return JSON.parse(utf8Decode(body), reviver) as ManifestState;
  } catch (err) {
    throw dataCorrupted(file, `manifest body is not valid JSON: ${(err as Error).message}`);
  }
}

/** The manifest at `path`, or undefined when there is none yet (a new data directory). */
export function readManifest(path: string): ManifestState | undefined {
  if (!existsSync(path)) return undefined;
  let buf: Uint8Array;
  try {
    buf = readFileSync(path);
  } catch (err) {
    throw ioError('reading manifest', path, err);
  }
  return decodeManifest(buf, path);
}

export async function writeManifest(path: string, state: ManifestState): Promise<void> {
  await replaceFileAtomic(path, encodeManifest(state));
}
