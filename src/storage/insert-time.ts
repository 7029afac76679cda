/**
 * Insert times and collection TTL (Milvus's `collection.ttl.seconds`). Every row carries the time it
 * was written (ms since the Unix epoch, taken when its WAL record is built, so replay restores it):
 * in WAL insert/upsert records and sealed segment files as a Double column named `$ts` beside the
 * field columns (no field can be named so). Records and files written before insert times were kept
 * have no such column: their rows read 0, an unknown time, and never expire.
 *
 * A collection with a TTL hides rows older than now − TTL from every read (the engine ands the
 * segment's live rows with "not expired"), and compaction drops them for good.
 */
import type { Column } from '../core/column.js';
import { DataType } from '../core/data-type.js';

/** The column holding each row's insert time in WAL records and segment files. */
export const INSERT_TS = '$ts';

/** The collection property giving the TTL in seconds (Milvus common.CollectionTTLConfigKey). */
export const TTL_PROPERTY = 'collection.ttl.seconds';

/** A `$ts` column of `n` rows all written at `now`. */
export function insertTimeColumn(n: number, now: number): Column {
  return { type: DataType.Double, data: new Float64Array(n).fill(now), valid: null } as Column;
}

/** `batch` with every row stamped `now` (a new map; the caller's columns are shared, not copied). */
export function stampInsertTime(batch: ReadonlyMap<string, Column>, n: number, now = Date.now()): Map<string, Column> {
  const out = new Map(batch);
  out.set(INSERT_TS, insertTimeColumn(n, now));
  return out;
}

/**
 * Rows inserted before the returned time (ms) are expired: now − TTL for a positive TTL, 0 (nothing
 * expires) without one. Milvus: a TTL of 0 or -1 keeps rows forever; the engine refuses bad values
 * before they are stored, so anything unparsable here also means no TTL.
 */
export function expiryCutoff(properties: Readonly<Record<string, string>> | undefined, now = Date.now()): number {
  const raw = properties?.[TTL_PROPERTY];
  if (raw === undefined) return 0;
  const ttl = Number(raw);
  if (!Number.isFinite(ttl) || ttl <= 0) return 0;
  return now - ttl * 1000;
}
