/**
 * WAL record bodies (the payload after type, padding and LSN; see wal.ts for the frame):
 *   1 INSERT          collectionId u64 | partitionId u64 | segmentId u64 | rows u32 | columns u32 |
 *                     per column: descriptor + body (column-codec.ts; vectors as raw LE floats);
 *                     a Double column named `$ts` carries each row's insert time (ms since the
 *                     epoch, insert-time.ts), absent in records written before insert times were kept
 *   2 DELETE          collectionId u64 | partition filter count u32 | partitionIds u64... |
 *                     pk kind u8 (0 Int64, 1 VarChar) | count u32 | pk column body
 *   3 UPSERT          a DELETE body followed by an INSERT body (one atomic record)
 *   4 TRUNCATE        collectionId u64
 *   5 DROP_PARTITION  collectionId u64 | partitionId u64
 */
import type { Column } from '../core/column.js';
import { DataType } from '../core/data-type.js';
import { dataCorrupted } from '../core/errors.js';
import { ByteWriter, type ByteReader } from './bytes.js';
import { columnDesc, readColumnBody, readColumnDesc, writeColumnBody, writeColumnDesc } from './column-codec.js';
import type { PrimaryKey } from './segment.js';
import { FRAME, LSN_OFFSET } from './wal.js';

export const RecordType = { Insert: 1, Delete: 2, Upsert: 3, Truncate: 4, DropPartition: 5 } as const;

export interface InsertBody {
  collectionId: number;
  partitionId: number;
  segmentId: number;
  rows: number;
  columns: Map<string, Column>;
}

export interface DeleteBody {
  collectionId: number;
  partitionIds: number[] | null;
  pks: PrimaryKey[];
}

function begin(type: number, estimate: number): ByteWriter {
  const w = new ByteWriter(estimate + 64);
  w.pos = FRAME; // frame: filled by Wal.append
  w.u8(type);
  w.pos = LSN_OFFSET + 8; // 7 pad bytes + lsn u64 (filled by Wal.append)
  return w;
}

function estimateBatch(batch: ReadonlyMap<string, Column>, n: number): number {
  let e = 0;
  for (const c of batch.values()) e += ArrayBuffer.isView(c.data) ? (c.data as Uint8Array).byteLength : n * 32;
  return e;
}

function writeInsert(w: ByteWriter, b: { collectionId: number; partitionId: number; segmentId: number }, batch: ReadonlyMap<string, Column>, n: number): void {
  w.u64(b.collectionId);
  w.u64(b.partitionId);
  w.u64(b.segmentId);
  w.u32(n);
  w.u32(batch.size);
  for (const [name, col] of batch) {
    writeColumnDesc(w, columnDesc(name, col));
    writeColumnBody(w, col, n);
  }
}

function writeDelete(w: ByteWriter, collectionId: number, partitionIds: ReadonlySet<number> | undefined, pks: readonly PrimaryKey[]): void {
  w.u64(collectionId);
  const parts = partitionIds ? [...partitionIds] : null;
  w.u32(parts ? parts.length + 1 : 0);
  for (const p of parts ?? []) w.u64(p);
  const str = pks.length > 0 && typeof pks[0] === 'string';
  w.u8(str ? 1 : 0);
  w.u32(pks.length);
  const col: Column = str
    ? { type: DataType.VarChar, data: pks as string[], valid: null }
    : { type: DataType.Int64, data: BigInt64Array.from(pks as bigint[]), valid: null };
  writeColumnBody(w, col, pks.length);
}

export function insertRecord(ids: { collectionId: number; partitionId: number; segmentId: number }, batch: ReadonlyMap<string, Column>, n: number): Uint8Array {
  const w = begin(RecordType.Insert, estimateBatch(batch, n));
  writeInsert(w, ids, batch, n);
  return w.finish();
}

export function deleteRecord(collectionId: number, pks: readonly PrimaryKey[], partitionIds?: ReadonlySet<number>): Uint8Array {
  const w = begin(RecordType.Delete, pks.length * 12);
  writeDelete(w, collectionId, partitionIds, pks);
  return w.finish();
}

export function upsertRecord(
  ids: { collectionId: number; partitionId: number; segmentId: number },
  pks: readonly PrimaryKey[],
  deleteIn: ReadonlySet<number> | undefined,
  batch: ReadonlyMap<string, Column>,
  n: number,
): Uint8Array {
  const w = begin(RecordType.Upsert, estimateBatch(batch, n) + pks.length * 12);
  writeDelete(w, ids.collectionId, deleteIn, pks);
  w.align();
  writeInsert(w, ids, batch, n);
  return w.finish();
}

export function truncateRecord(collectionId: number): Uint8Array {
  const w = begin(RecordType.Truncate, 8);
  w.u64(collectionId);
  return w.finish();
}

export function dropPartitionRecord(collectionId: number, partitionId: number): Uint8Array {
  const w = begin(RecordType.DropPartition, 16);
  w.u64(collectionId);
  w.u64(partitionId);
  return w.finish();
}

/** Reader positioned after the LSN (payload offset 16). */
export function readInsert(r: ByteReader): InsertBody {
  const collectionId = r.u64();
  const partitionId = r.u64();
  const segmentId = r.u64();
  const rows = r.u32();
  const ncols = r.u32();
  const columns = new Map<string, Column>();
  for (let i = 0; i < ncols; i++) {
    const d = readColumnDesc(r);
    columns.set(d.name, readColumnBody(r, d, rows));
  }
  return { collectionId, partitionId, segmentId, rows, columns };
}

export function readDelete(r: ByteReader): DeleteBody {
  const collectionId = r.u64();
  const np = r.u32();
  const partitionIds = np === 0 ? null : Array.from({ length: np - 1 }, () => r.u64());
  const kind = r.u8();
  const n = r.u32();
  if (kind > 1) throw dataCorrupted(r.file, `bad primary key kind ${kind} in delete record`);
  const col = readColumnBody(r, { name: '', type: kind === 1 ? DataType.VarChar : DataType.Int64, elementType: 0, dim: 0, hasValid: false }, n);
  const pks = kind === 1 ? (col.data as string[]) : Array.from(col.data as BigInt64Array);
  return { collectionId, partitionIds, pks };
}

export function readUpsert(r: ByteReader): { del: DeleteBody; ins: InsertBody } {
  const del = readDelete(r);
  r.align();
  return { del, ins: readInsert(r) };
}

/** The collection a record belongs to (the first body field of every type). */
export function readCollectionId(r: ByteReader): number {
  const at = r.pos;
  const id = r.u64();
  r.pos = at;
  return id;
}
