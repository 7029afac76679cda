/**
 * The rows of one collection: its segments (one active growing segment per partition, plus sealed
 * ones), inserts, upserts, deletes by primary key, sealing (flush), compaction and partition drops.
 *
 * This is the seam the engine writes through. Every mutating method appends one WAL record; the
 * change reaches memory only once the record is durable (the WAL applies changes in LSN order, so
 * memory follows LSN order and never shows a write the disk lacks) and the call resolves then (group
 * commit). A failed write is never applied: the call rejects and memory is as if it had not happened. Sealing writes the segment file in the background; the manifest
 * names it once durable. Released collections keep growing segments (and the WAL) resident and only
 * the delete bitmaps of sealed segments; `load()` reads sealed segment files back in.
 */
import { existsSync } from 'node:fs';
import { Bitset } from '../core/bitset.js';
import type { Column } from '../core/column.js';
import { dataCorrupted, missingParam, MilvusError } from '../core/errors.js';
import type { CollectionSchema } from '../core/schema.js';
import type { CollectionMeta } from './catalog.js';
import { withAbsentColumns } from './added-fields.js';
import { expiryCutoff, stampInsertTime } from './insert-time.js';
import { mergeColumns, planCompaction, type CompactionOptions, type MergeSource } from './compaction.js';
import { encodeDeleteFile, readDeleteFile, writeDeleteFile } from './delete-file.js';
import type { CollectionFiles, SealedSegmentMeta } from './manifest.js';
import { Segment, type PrimaryKey } from './segment.js';
import { encodeSegmentFile, lookupPks, pkSortOrder, readSegmentFile, readSegmentPk, writeSegmentFile } from './segment-file.js';
import { memoryHost, type StoreHost } from './store-host.js';
import { SEGMENT_DEFAULTS, segmentLimits, type SegmentLimits } from './segment-size.js';
import { deleteRecord, dropPartitionRecord, insertRecord, truncateRecord, upsertRecord, type DeleteBody, type InsertBody } from './wal-record.js';

export interface StoreOptions {
  /**
   * Row override: a growing segment is sealed once it holds this many rows, and compaction merges
   * up to it. Unset (the default): sizes by bytes, `segmentMaxSize` and `sealProportion`.
   */
  sealRows?: number | undefined;
  /** Milvus `dataCoord.segment.maxSize`, MB: compaction merges small sealed segments up to it. */
  segmentMaxSize: number;
  /** Milvus `dataCoord.segment.sealProportion`: growing segments seal at this fraction of the max size. */
  sealProportion: number;
  /** Merge small sealed segments in the background after seals. */
  autoCompact: boolean;
  /** A sealed segment with this fraction of rows deleted is rewritten by compaction. */
  compactDeletedRatio: number;
}

export const defaultStoreOptions: StoreOptions = {
  segmentMaxSize: SEGMENT_DEFAULTS.segmentMaxSize,
  sealProportion: SEGMENT_DEFAULTS.sealProportion,
  autoCompact: true,
  compactDeletedRatio: 0.3,
};

/**
 * Prepares a merged segment before compaction swaps it in (the engine builds its indexes, so a
 * merged segment is never searched without them — Milvus serves the sources until then).
 */
export interface CompactionPreparer {
  /** `seg` is resident and not yet in the store; resolves once what it needs is built and saved. */
  prepare(seg: Segment): Promise<void>;
  /** The merge was abandoned: free what `prepare` made for `seg`. */
  discard(seg: Segment): void;
}

export type SealListener = (segment: Segment) => void;

/** A merged segment written by compaction and waiting to be swapped in. */
interface MergedGroup {
  seg: Segment;
  /** The applied LSN when the sources' deletes were snapshotted. */
  lsn0: number;
  snaps: Bitset[];
  /** Per source: source row → merged row (-1 = dropped). */
  maps: Int32Array[];
  path: string;
  /** The encoded merged file until it is written (null once written, or when nothing is written). */
  bytes: Uint8Array | null;
}

export class CollectionStore {
  private segs: Segment[] = [];
  private readonly growing = new Map<number, Segment>();
  private readonly sealListeners: SealListener[] = [];
  private readonly sealing = new Map<number, Promise<void>>();
  /** Segments compacted away whose insert records may still be in the WAL. */
  private dead: { id: number; sealLsn: number }[] = [];
  /** Replay only: ids named by the manifest as sealed or dead (their insert records are skipped). */
  private skipIds = new Set<number>();
  private replayFloor = 0;
  /** Replay only: pk columns of non-resident segments, read once. */
  private replayPkCache: Map<number, { data: BigInt64Array | string[]; order: Int32Array }> | null = null;
  private compactQueued = false;
  /** Compactions run one at a time per collection (plans see the previous one's result). */
  private compactChain: Promise<unknown> = Promise.resolve();
  private preparer: CompactionPreparer | null = null;
  /** Records appended and not yet applied or aborted, per growing segment (and the rows they add). */
  private readonly inflight = new Map<Segment, { records: number; rows: number }>();
  /** Segments no new insert goes to, sealed once nothing is in flight to them. */
  private readonly closing = new Set<Segment>();
  /** Why the file write of a sealed segment failed (until it is redone). */
  private readonly persistErrors = new Map<number, MilvusError>();
  /** Sealed segment data is resident (the collection is loaded). */
  loaded: boolean;
  private readonly host: StoreHost;
  private readonly opts: StoreOptions;

  constructor(
    readonly meta: CollectionMeta,
    allocId: () => number,
    opts: Partial<StoreOptions> = defaultStoreOptions,
    host?: StoreHost,
  ) {
    this.host = host ?? memoryHost(allocId);
    this.opts = { ...defaultStoreOptions, ...opts };
    this.loaded = !this.host.durable;
  }

  get schema(): CollectionSchema {
    return this.meta.schema;
  }

  /** Seal point and merge target in rows, from the segment size options and the schema. */
  limits(): SegmentLimits {
    return segmentLimits(this.schema, this.opts);
  }

  /** Set by the engine: builds a merged segment's indexes before compaction swaps it in. */
  setCompactionPreparer(p: CompactionPreparer | null): void {
    this.preparer = p;
  }

  private get pkName(): string {
    return this.schema.fields.find((f) => f.isPrimaryKey)!.name;
  }

  /** Segments whose rows are in memory: growing ones always, sealed ones while loaded. */
  segments(): readonly Segment[] {
    return this.segs.filter((s) => s.resident);
  }

  /** Every segment, resident or not (non-resident sealed segments have no columns). */
  allSegments(): readonly Segment[] {
    return this.segs;
  }

  /** `listener` runs when a segment is sealed (flush, size threshold) or produced by compaction. */
  onSealed(listener: SealListener): void {
    this.sealListeners.push(listener);
  }

  /** Live rows (loaded or not). */
  get rowCount(): number {
    let n = 0;
    for (const s of this.segs) n += s.liveCount;
    return n;
  }

  /** Live rows of one partition (loaded or not). */
  partitionRowCount(partitionId: number): number {
    let n = 0;
    for (const s of this.segs) if (s.partitionId === partitionId) n += s.liveCount;
    return n;
  }

  private activeGrowing(partitionId: number): Segment {
    let seg = this.growing.get(partitionId);
    if (!seg) {
      seg = new Segment(this.host.allocId(), partitionId, this.schema);
      this.growing.set(partitionId, seg);
      this.segs.push(seg);
    }
    return seg;
  }

  /**
   * Counts a record in flight to `seg` (appended, not yet applied or aborted). Once the rows in and
   * in flight reach the seal size, new inserts go to a fresh segment and `seg` seals when its
   * records have landed.
   */
  private reserve(seg: Segment, n: number): void {
    const f = this.inflight.get(seg) ?? { records: 0, rows: 0 };
    f.records++;
    f.rows += n;
    this.inflight.set(seg, f);
    if (seg.rowCount + f.rows >= this.limits().sealRows) this.close(seg);
  }

  /** A record in flight to `seg` was applied or aborted. */
  private settle(seg: Segment, n: number): void {
    const f = this.inflight.get(seg);
    if (!f) return;
    f.records--;
    f.rows -= n;
    if (f.records > 0) return;
    this.inflight.delete(seg);
    if (seg.rowCount === 0) seg.firstLsn = 0;
    if (this.closing.delete(seg)) this.closeNow(seg);
  }

  /** No new insert goes to `seg`; it seals once nothing is in flight to it. */
  private close(seg: Segment): void {
    if (this.growing.get(seg.partitionId) === seg) this.growing.delete(seg.partitionId);
    if (seg.sealed) return;
    if (this.inflight.has(seg)) this.closing.add(seg);
    else this.closeNow(seg);
  }

  private closeNow(seg: Segment): void {
    if (!this.segs.includes(seg) || seg.sealed) return;
    if (this.growing.get(seg.partitionId) === seg) this.growing.delete(seg.partitionId);
    if (seg.rowCount === 0) {
      this.segs = this.segs.filter((s) => s !== seg);
      return;
    }
    this.sealNow(seg);
  }

  /**
   * Appends `n` rows (columns by field name, already validated) to a partition. The rows become
   * visible once durable; on a failed write they never do and the error is thrown.
   */
  async insert(partitionId: number, rows: ReadonlyMap<string, Column>, n: number): Promise<void> {
    const batch = stampInsertTime(rows, n);
    const seg = this.activeGrowing(partitionId);
    const ids = { collectionId: this.meta.id, partitionId, segmentId: seg.id };
    const lsn = this.appendTo(seg, n, () => insertRecord(ids, batch, n), () => this.applyInsert(seg, batch, n));
    await this.host.sync(lsn);
    this.host.afterWrite();
  }

  /** Appends a record that adds `n` rows to `seg`; `apply` runs once it is durable. */
  private appendTo(seg: Segment, n: number, build: () => Uint8Array, apply: () => void): number {
    this.reserve(seg, n);
    let lsn: number;
    try {
      lsn = this.host.append(build, {
        apply: (l) => {
          if (seg.firstLsn === 0) seg.firstLsn = l;
          apply();
          this.settle(seg, n);
        },
        abort: () => this.settle(seg, n),
      });
    } catch (err) {
      this.settle(seg, n);
      throw err;
    }
    // The floor must not pass a record in flight (the manifest may be written before it lands).
    if (lsn > 0 && seg.firstLsn === 0) seg.firstLsn = lsn;
    return lsn;
  }

  private applyInsert(seg: Segment, batch: ReadonlyMap<string, Column>, n: number): void {
    // Gone: truncated or its partition dropped by an earlier record (replay skips these rows too).
    if (!this.segs.includes(seg)) return;
    seg.append(batch, n);
  }

  /**
   * Upsert as one atomic WAL record: deletes every live row holding one of the batch's primary keys
   * (in `deleteIn` partitions, all when omitted), then appends the batch. Returns the rows deleted.
   */
  async upsert(partitionId: number, rows: ReadonlyMap<string, Column>, n: number, deleteIn?: ReadonlySet<number>): Promise<number> {
    const batch = stampInsertTime(rows, n);
    const pkCol = batch.get(this.pkName);
    if (!pkCol) throw missingParam(this.pkName);
    const pkData = pkCol.data as ArrayLike<PrimaryKey>;
    const pks: PrimaryKey[] = [];
    for (let i = 0; i < n; i++) pks.push(pkData[i]!);
    const pre = this.prefetch(pks, deleteIn);
    const seg = this.activeGrowing(partitionId);
    const ids = { collectionId: this.meta.id, partitionId, segmentId: seg.id };
    let deleted = 0;
    const lsn = this.appendTo(seg, n, () => upsertRecord(ids, pks, deleteIn, batch, n), () => {
      deleted = this.applyDelete(pks, deleteIn, pre);
      this.applyInsert(seg, batch, n);
    });
    await this.host.sync(lsn);
    this.host.afterWrite();
    return deleted;
  }

  /**
   * The rows of `pks` in segments that are not resident, read now (they can throw) so the delete
   * applied later needs no disk; the segments looked at are remembered.
   */
  private prefetch(pks: readonly PrimaryKey[], partitionIds?: ReadonlySet<number>): { hits: Map<Segment, number[]>; seen: Set<Segment> } {
    return { hits: this.findRows(pks, partitionIds), seen: new Set(this.segs) };
  }

  /** Marks every live row holding one of `pks` deleted, as the WAL replay would at this point. */
  private applyDelete(pks: readonly PrimaryKey[], partitionIds: ReadonlySet<number> | undefined, pre: { hits: Map<Segment, number[]>; seen: Set<Segment> }): number {
    let n = 0;
    for (const seg of this.segs) {
      if (partitionIds && !partitionIds.has(seg.partitionId)) continue;
      let rows: readonly number[];
      if (seg.resident) rows = seg.rowsOfPks(pks);
      else if (pre.seen.has(seg)) rows = pre.hits.get(seg) ?? [];
      else {
        try {
          rows = this.rowsOnDisk(seg, pks);
        } catch (err) {
          this.host.backgroundError(err);
          continue;
        }
      }
      for (const r of rows) if (seg.markDeleted(r)) n++;
    }
    return n;
  }

  /** Rows holding any of `pks`, per segment (non-resident sealed segments read their pk column). */
  private findRows(pks: readonly PrimaryKey[], partitionIds?: ReadonlySet<number>, minDelLsn = 0): Map<Segment, number[]> {
    const out = new Map<Segment, number[]>();
    if (pks.length === 0) return out;
    for (const seg of this.segs) {
      if (partitionIds && !partitionIds.has(seg.partitionId)) continue;
      if (minDelLsn > 0 && seg.durable && seg.delLsn >= minDelLsn) continue;
      const rows = seg.resident ? seg.rowsOfPks(pks) : this.rowsOnDisk(seg, pks);
      if (rows.length > 0) out.set(seg, rows);
    }
    return out;
  }

  private rowsOnDisk(seg: Segment, pks: readonly PrimaryKey[]): number[] {
    let pk = this.replayPkCache?.get(seg.id);
    if (!pk) {
      const path = this.host.segPath(this.meta.id, seg.id);
      this.host.pin(path);
      try {
        const r = readSegmentPk(path, this.pkName);
        pk = { data: r.column.data as BigInt64Array | string[], order: r.pkOrder };
      } finally {
        this.host.unpin(path);
      }
      this.replayPkCache?.set(seg.id, pk);
    }
    return lookupPks(pk.data, pk.order, pks);
  }

  /**
   * Deletes every live row holding one of `pks` (restricted to `partitionIds` when given).
   * Returns the number of rows deleted. Visible once durable; nothing changes on a failed write.
   */
  async deletePks(pks: readonly PrimaryKey[], partitionIds?: ReadonlySet<number>): Promise<number> {
    const pre = this.prefetch(pks, partitionIds);
    let live = 0;
    for (const [s, rows] of pre.hits) for (const r of rows) if (!s.deleted.get(r)) live++;
    if (live === 0) return 0;
    let n = 0;
    const lsn = this.host.append(() => deleteRecord(this.meta.id, pks, partitionIds), { apply: () => (n = this.applyDelete(pks, partitionIds, pre)) });
    await this.host.sync(lsn);
    this.host.afterWrite();
    return n;
  }

  /**
   * Seals every growing segment (once the writes in flight to it have landed) and waits until they
   * and all deletes so far are in the manifest. Returns the ids sealed. Throws when writing a
   * segment, a delete file or the manifest fails.
   */
  async flush(): Promise<number[]> {
    const closers = this.segs.filter((s) => !s.sealed);
    for (const seg of closers) this.close(seg);
    if (closers.some((s) => this.inflight.has(s))) await this.host.sync(this.host.lastLsn()).catch(() => undefined);
    const ids = closers.filter((s) => s.sealed && this.segs.includes(s)).map((s) => s.id);
    if (!this.host.durable) return ids;
    for (const seg of this.segs) if (seg.sealed && !seg.durable && !this.sealing.has(seg.id)) this.persistInBackground(seg);
    await Promise.all([...this.sealing.values()]);
    await this.host.serial(() => this.checkpointDeletes());
    return ids;
  }

  /** The write error of a listed segment whose file write failed (sealed, not durable yet), if any. */
  persistError(segmentIds: readonly number[]): MilvusError | undefined {
    for (const id of segmentIds) {
      const err = this.persistErrors.get(id);
      // A write being redone is not a failure (yet): the caller sees "not flushed" meanwhile.
      if (err && !this.sealing.has(id) && this.segs.some((s) => s.id === id && !s.durable)) return err;
    }
    return undefined;
  }

  /** Sealed segments whose file write failed and is not redone yet. */
  failedSegmentIds(): number[] {
    return this.segs.filter((s) => !s.durable && this.persistErrors.has(s.id)).map((s) => s.id);
  }

  /** Retries writing sealed segments whose file write failed (after a storage fault clears). */
  retryPersist(): void {
    if (!this.host.durable) return;
    for (const seg of this.segs) if (seg.sealed && !seg.durable && !this.sealing.has(seg.id)) this.persistInBackground(seg);
  }

  /** True when every listed segment is sealed and durable (or no longer exists, e.g. compacted). */
  flushState(segmentIds: readonly number[]): boolean {
    const byId = new Map(this.segs.map((s) => [s.id, s]));
    return segmentIds.every((id) => {
      const s = byId.get(id);
      return !s || (s.sealed && (s.durable || !this.host.durable));
    });
  }

  /** Segments sealed in memory whose files are not durable yet (Milvus "flushing"). */
  unflushedSegmentIds(): number[] {
    return this.segs.filter((s) => !s.sealed || (this.host.durable && !s.durable)).map((s) => s.id);
  }

  private sealNow(seg: Segment): void {
    seg.seal();
    // Every record that wrote to it is applied: their LSNs are at most the applied LSN.
    seg.sealLsn = this.host.appliedLsn();
    if (this.growing.get(seg.partitionId) === seg) this.growing.delete(seg.partitionId);
    if (!this.host.durable) seg.durable = true;
    for (const l of this.sealListeners) l(seg);
    if (this.host.durable) this.persistInBackground(seg);
  }

  private persistInBackground(seg: Segment): void {
    const snap = { bits: seg.deleted.clone(), count: seg.deletedCount, lsn: seg.sealLsn };
    seg.deletesDirty = false;
    this.persistErrors.delete(seg.id);
    const p = this.host
      .serial(() => this.persistSealed(seg, snap))
      .finally(() => this.sealing.delete(seg.id));
    this.sealing.set(seg.id, p);
    p.then(
      () => {
        this.persistErrors.delete(seg.id);
        this.maybeCompact();
      },
      (err: unknown) => {
        this.persistErrors.set(seg.id, MilvusError.from(err));
        this.host.backgroundError(err);
      },
    );
  }

  /** Writes a sealed segment's file (and its deletes as of sealing), then commits the manifest. */
  private async persistSealed(seg: Segment, snap: { bits: Bitset; count: number; lsn: number }): Promise<void> {
    if (!this.segs.includes(seg)) return;
    const path = this.host.segPath(this.meta.id, seg.id);
    const order = pkSortOrder(seg.column(this.pkName)!, seg.rowCount);
    const bytes = encodeSegmentFile({ segmentId: seg.id, partitionId: seg.partitionId, rowCount: seg.rowCount, sealLsn: seg.sealLsn }, seg.fileColumns(), this.pkName);
    await writeSegmentFile(path, bytes);
    let gen = 0;
    if (snap.count > 0) {
      gen = 1;
      await writeDeleteFile(this.host.delPath(this.meta.id, seg.id, gen), encodeDeleteFile(seg.id, snap.bits, snap.lsn, snap.count));
    }
    await this.host.syncCollectionDir(this.meta.id);
    seg.usePkOrder(order);
    seg.delGen = gen;
    seg.delLsn = snap.lsn;
    seg.persistedDeleted = snap.count;
    seg.durable = true;
    if (!this.loaded) seg.detach();
    await this.host.commit();
    if (!this.segs.includes(seg)) this.retireSegment(seg);
  }

  /** Writes new delete-file generations for sealed segments with new deletes, then commits. */
  private async checkpointDeletes(): Promise<void> {
    // Memory holds exactly the deletes up to the applied LSN.
    const lsn = this.host.appliedLsn();
    const work: { seg: Segment; bits: Bitset; count: number }[] = [];
    for (const seg of this.segs) {
      if (!seg.durable) continue;
      if (seg.deletesDirty) {
        work.push({ seg, bits: seg.deleted.clone(), count: seg.deletedCount });
        seg.deletesDirty = false;
      } else if (seg.delLsn < lsn && seg.deletedCount === seg.persistedDeleted) {
        seg.delLsn = lsn;
      }
    }
    const old: string[] = [];
    try {
      for (const w of work) {
        const gen = w.seg.delGen + 1;
        await writeDeleteFile(this.host.delPath(this.meta.id, w.seg.id, gen), encodeDeleteFile(w.seg.id, w.bits, lsn, w.count));
        if (w.seg.delGen > 0) old.push(this.host.delPath(this.meta.id, w.seg.id, w.seg.delGen));
        w.seg.delGen = gen;
        w.seg.delLsn = lsn;
        w.seg.persistedDeleted = w.count;
      }
    } catch (err) {
      for (const w of work) if (w.seg.delLsn !== lsn) w.seg.deletesDirty = true;
      throw err;
    }
    if (work.length > 0) await this.host.syncCollectionDir(this.meta.id);
    await this.host.commit();
    this.host.retire(old);
  }

  /** Seals everything and checkpoints deletes (WAL checkpoint). */
  async checkpoint(): Promise<void> {
    await this.flush();
  }

  private retireSegment(seg: Segment): void {
    if (!this.host.durable || !seg.durable) return;
    const paths = [this.host.segPath(this.meta.id, seg.id)];
    if (seg.delGen > 0) paths.push(this.host.delPath(this.meta.id, seg.id, seg.delGen));
    this.host.retire(paths);
    this.host.retireSegmentIndexes(this.meta.id, seg.id);
  }

  /**
   * Removes segments (truncate / drop partition), durably. Inserts after it go to fresh segments;
   * the segments it removes are those existing when it was written (and what compaction makes of
   * them), as replay removes every segment sealed below its LSN.
   */
  private async removeSegments(keep: (s: Segment) => boolean, record: () => Uint8Array): Promise<void> {
    await this.host.beforeFreeing();
    const victims = new Set(this.segs.filter((s) => !keep(s)));
    let gone: Segment[] = [];
    const lsn = this.host.append(record, {
      apply: (l) => {
        const out = (s: Segment): boolean => !keep(s) && (victims.has(s) || (s.sealed && s.sealLsn < l));
        gone = this.segs.filter(out);
        this.segs = this.segs.filter((s) => !out(s));
        for (const s of gone) {
          this.closing.delete(s);
          if (this.growing.get(s.partitionId) === s) this.growing.delete(s.partitionId);
        }
      },
      abort: () => {
        for (const s of victims) if (!s.sealed && !this.inflight.has(s) && this.closing.delete(s)) this.closeNow(s);
      },
    });
    for (const s of victims) if (!s.sealed && this.segs.includes(s)) {
      if (this.growing.get(s.partitionId) === s) this.growing.delete(s.partitionId);
      this.closing.add(s);
    }
    await this.host.sync(lsn);
    if (!this.host.durable) return;
    await this.host.serial(async () => {
      await this.host.commit();
      for (const s of gone) this.retireSegment(s);
    });
    await this.host.afterFreeing();
  }

  /** Removes a partition's segments. */
  async dropPartition(partitionId: number): Promise<void> {
    await this.removeSegments((s) => s.partitionId !== partitionId, () => dropPartitionRecord(this.meta.id, partitionId));
  }

  /** Removes every row. */
  async truncate(): Promise<void> {
    await this.removeSegments(() => false, () => truncateRecord(this.meta.id));
  }

  /** Bytes held in memory by this collection's segments. */
  memoryBytes(): number {
    let n = 0;
    for (const s of this.segs) n += s.memoryBytes();
    return n;
  }

  // ---------------------------------------------------------------- load / release

  /** Reads every sealed segment file into memory. Errors name the corrupt file. */
  async load(): Promise<void> {
    this.loaded = true;
    try {
      for (const seg of [...this.segs]) {
        // Skip segments compacted away meanwhile; a pinned file is not deleted until unpinned.
        if (seg.resident || !this.loaded || !this.segs.includes(seg)) continue;
        const path = this.host.segPath(this.meta.id, seg.id);
        this.host.pin(path);
        try {
          const data = await readSegmentFile(path);
          if (data.segmentId !== seg.id || data.rowCount !== seg.rowCount) {
            throw dataCorrupted(path, `file holds segment ${data.segmentId} with ${data.rowCount} rows, manifest says ${seg.id} with ${seg.rowCount}`);
          }
          if (this.loaded && !seg.resident) seg.attach(data.columns, data.pkOrder);
        } finally {
          this.host.unpin(path);
        }
      }
    } catch (err) {
      this.release();
      throw err;
    }
  }

  /** Drops sealed segment data (and the engine's indexes on it) from memory. */
  release(): void {
    if (!this.host.durable) return;
    this.loaded = false;
    for (const seg of this.segs) if (seg.sealed && seg.durable && seg.resident) seg.detach();
  }

  /** The columns of a sealed segment without making it resident (read from its file when released). */
  async readColumns(seg: Segment): Promise<ReadonlyMap<string, Column>> {
    if (seg.resident) return new Map(seg.columns());
    const path = this.host.segPath(this.meta.id, seg.id);
    this.host.pin(path);
    try {
      return withAbsentColumns(this.schema, (await readSegmentFile(path)).columns, seg.rowCount);
    } finally {
      this.host.unpin(path);
    }
  }

  // ---------------------------------------------------------------- compaction

  private maybeCompact(): void {
    if (!this.opts.autoCompact || this.compactQueued || this.host.closing()) return;
    if (planCompaction(this.segs, this.compactionOpts(true)).length === 0) return;
    this.compactQueued = true;
    this.runCompaction(true)
      .catch((err: unknown) => this.host.backgroundError(err))
      .finally(() => {
        this.compactQueued = false;
        // Seals that landed meanwhile may have made more merges worth doing.
        this.maybeCompact();
      });
  }

  /** Auto compaction waits for Milvus's 3 small segments (or enough rows); a manual one merges any 2. */
  private compactionOpts(auto: boolean): CompactionOptions {
    return {
      maxRows: this.limits().maxRows,
      deletedRatio: this.opts.compactDeletedRatio,
      minSegments: auto ? SEGMENT_DEFAULTS.minSegmentsToMerge : 2,
      expireBefore: this.expireBefore(),
      rewriteExpired: !auto,
    };
  }

  /** Rows inserted before this time (ms) are expired by the collection's TTL (0: no TTL); see insert-time.ts. */
  expireBefore(now = Date.now()): number {
    return expiryCutoff(this.meta.properties, now);
  }

  /** How many merges compaction would do now. */
  compactionPlanCount(): number {
    return planCompaction(this.segs, this.compactionOpts(false)).length;
  }

  /** Merges small sealed segments and drops deleted rows (searches go on meanwhile). Returns the merges done. */
  async compact(onMerge?: (sources: number[], target: number) => void): Promise<number> {
    return this.runCompaction(false, onMerge);
  }

  private runCompaction(auto: boolean, onMerge?: (sources: number[], target: number) => void): Promise<number> {
    const run = async (): Promise<number> => {
      let done = 0;
      for (const group of planCompaction(this.segs, this.compactionOpts(auto))) if (await this.compactGroup(group, onMerge)) done++;
      return done;
    };
    const p = this.compactChain.then(run);
    this.compactChain = p.catch(() => undefined);
    return p;
  }

  /**
   * One merge in four steps, the queue held only for I/O that must not interleave with a drop:
   * (1) off the maintenance queue, snapshot the sources' deletes (in one tick), merge their live rows
   * and encode the merged file in memory — the CPU-heavy part, so seals and flushes go on meanwhile;
   * (2) on the queue, write the file (unless a source went away: abandoned, nothing written);
   * (3) off the queue, the engine builds the merged segment's indexes (searches keep using the
   * sources and theirs); (4) on the queue, swap in one tick and commit. Deletes after the snapshot
   * are replayed onto the merged segment at the swap. `onMerge` is told the sources' ids and the
   * merged id.
   */
  private async compactGroup(group: Segment[], onMerge?: (sources: number[], target: number) => void): Promise<boolean> {
    const merged = await this.mergeGroup(group);
    if (!merged) return false;
    const m = await this.host.serial(() => this.writeMerged(group, merged));
    if (!m) return false;
    if (this.preparer && m.seg.rowCount > 0 && !this.host.closing()) {
      try {
        await this.preparer.prepare(m.seg);
      } catch (err) {
        // Derived data: the swap goes on and the indexes are built after it, as after a seal.
        this.host.backgroundError(err);
      }
    }
    return this.host.serial(async () => this.swapGroup(group, m, onMerge));
  }

  private async mergeGroup(group: Segment[]): Promise<MergedGroup | null> {
    if (this.host.closing() || group.some((s) => !this.segs.includes(s))) return null;
    // Snapshot: the merged segment holds the rows live as of lsn0 (what memory shows: the applied
    // LSN); later deletes are replayed onto it.
    const lsn0 = this.host.appliedLsn();
    const expireBefore = this.expireBefore();
    const snaps = group.map((s) => s.deleted.clone());
    const sources: MergeSource[] = [];
    for (let i = 0; i < group.length; i++) {
      const s = group[i]!;
      // A copy of the column map: a release() meanwhile empties the segment's own map.
      let columns: ReadonlyMap<string, Column> = s.resident ? s.fileColumns() : new Map();
      if (!s.resident) {
        const path = this.host.segPath(this.meta.id, s.id);
        this.host.pin(path);
        try {
          columns = (await readSegmentFile(path)).columns;
        } catch (err) {
          // Off the queue, a drop of the collection may have removed the file meanwhile: abandoned.
          if (!existsSync(path)) return null;
          throw err;
        } finally {
          this.host.unpin(path);
        }
      }
      sources.push({ columns, deleted: snaps[i]!, rowCount: s.rowCount });
    }
    const merged = mergeColumns(this.schema, sources, expireBefore);
    const t = Segment.shell(this.host.allocId(), group[0]!.partitionId, this.schema, merged.rows);
    t.sealLsn = Math.max(...group.map((s) => s.sealLsn));
    const order = pkSortOrder(merged.columns.get(this.pkName)!, merged.rows);
    t.attach(merged.columns, order);
    const path = this.host.segPath(this.meta.id, t.id);
    const bytes = merged.rows > 0 && this.host.durable ? encodeSegmentFile({ segmentId: t.id, partitionId: t.partitionId, rowCount: t.rowCount, sealLsn: t.sealLsn }, merged.columns, this.pkName) : null;
    return { seg: t, lsn0, snaps, maps: merged.maps, path, bytes };
  }

  /** Step (2) of a merge, on the maintenance queue: the merged file written, unless a source went away. */
  private async writeMerged(group: Segment[], m: MergedGroup): Promise<MergedGroup | null> {
    if (this.host.closing() || group.some((s) => !this.segs.includes(s))) return null;
    if (m.bytes) {
      await writeSegmentFile(m.path, m.bytes);
      await this.host.syncCollectionDir(this.meta.id);
    }
    return { ...m, bytes: null };
  }

  private async swapGroup(group: Segment[], m: MergedGroup, onMerge?: (sources: number[], target: number) => void): Promise<boolean> {
    const t = m.seg;
    const rows = t.rowCount;
    if (this.host.closing() || group.some((s) => !this.segs.includes(s))) {
      // Abandoned (a source was truncated or dropped meanwhile, or the directory is closing): the
      // merged file and its index files are named by no manifest (and removed on open anyway).
      this.preparer?.discard(t);
      if (!this.host.closing() && rows > 0 && this.host.durable) {
        this.host.retire([m.path]);
        this.host.retireSegmentIndexes(this.meta.id, t.id);
      }
      return false;
    }
    // Swap in one tick, so no manifest ever lacks both the sources and the merged segment. Deletes
    // that hit the sources since the snapshot move to the merged segment; they are above its delLsn
    // (lsn0), so the WAL still has them until its deletes are checkpointed.
    const bits = new Bitset(rows);
    let count = 0;
    group.forEach((s, i) => {
      const fresh = s.deleted.clone().andNot(m.snaps[i]!);
      for (const r of fresh.indices()) {
        const to = m.maps[i]![r]!;
        if (to >= 0) {
          bits.set(to);
          count++;
        }
      }
    });
    t.setDeleted(bits, count);
    t.delLsn = m.lsn0;
    t.delGen = 0;
    t.persistedDeleted = 0;
    t.deletesDirty = count > 0;
    t.durable = true;
    const at = this.segs.indexOf(group[0]!);
    onMerge?.(group.map((s) => s.id), t.id);
    this.segs = this.segs.filter((s) => !group.includes(s));
    if (rows > 0) this.segs.splice(Math.min(at, this.segs.length), 0, t);
    else this.preparer?.discard(t);
    if (!this.host.durable) {
      if (rows > 0) for (const l of this.sealListeners) l(t);
      return true;
    }
    if (!this.loaded) t.detach();
    for (const s of group) this.dead.push({ id: s.id, sealLsn: s.sealLsn });
    if (rows > 0) for (const l of this.sealListeners) l(t);
    await this.host.commit();
    for (const s of group) this.retireSegment(s);
    return true;
  }

  // ---------------------------------------------------------------- manifest and replay

  /** This store's part of the manifest. */
  filesState(): CollectionFiles {
    let floor = this.host.lastLsn() + 1;
    for (const s of this.segs) if (!s.durable && s.firstLsn > 0) floor = Math.min(floor, s.firstLsn);
    const sealed: SealedSegmentMeta[] = this.segs
      .filter((s) => s.durable)
      .map((s) => ({ id: s.id, partitionId: s.partitionId, rowCount: s.rowCount, sealLsn: s.sealLsn, delLsn: s.delLsn, delGen: s.delGen, deletedCount: s.persistedDeleted }));
    this.dead = this.dead.filter((d) => d.sealLsn >= floor);
    return { growingFloor: floor, sealed, dead: [...this.dead] };
  }

  /** Builds the sealed segments named by the manifest (non-resident; delete bitmaps read now). */
  restore(files: CollectionFiles): void {
    this.replayFloor = files.growingFloor;
    this.replayPkCache = new Map();
    this.dead = [...files.dead];
    for (const d of files.dead) this.skipIds.add(d.id);
    for (const m of files.sealed) {
      const seg = Segment.shell(m.id, m.partitionId, this.schema, m.rowCount);
      seg.sealLsn = m.sealLsn;
      seg.delLsn = m.delLsn;
      seg.delGen = m.delGen;
      seg.durable = true;
      if (m.delGen > 0) {
        const del = readDeleteFile(this.host.delPath(this.meta.id, m.id, m.delGen), m.rowCount);
        seg.setDeleted(del.deleted, del.count);
        seg.persistedDeleted = del.count;
      }
      this.segs.push(seg);
      this.skipIds.add(m.id);
    }
  }

  replayInsert(lsn: number, body: InsertBody): void {
    if (lsn < this.replayFloor || this.skipIds.has(body.segmentId)) return;
    let seg = this.segs.find((s) => s.id === body.segmentId);
    if (!seg) {
      seg = new Segment(body.segmentId, body.partitionId, this.schema);
      this.segs.push(seg);
    }
    this.growing.set(body.partitionId, seg);
    if (seg.rowCount === 0 && seg.firstLsn === 0) seg.firstLsn = lsn;
    seg.append(body.columns, body.rows);
  }

  replayDelete(lsn: number, body: DeleteBody): void {
    const parts = body.partitionIds ? new Set(body.partitionIds) : undefined;
    for (const [s, rows] of this.findRows(body.pks, parts, lsn)) for (const r of rows) s.markDeleted(r);
  }

  replayRemove(lsn: number, partitionId: number | null): void {
    const keep = (s: Segment): boolean => (partitionId !== null && s.partitionId !== partitionId) || (s.durable && s.sealLsn >= lsn);
    this.segs = this.segs.filter(keep);
    for (const [p, s] of [...this.growing]) if (!keep(s)) this.growing.delete(p);
  }

  /** After replay: drop rows of partitions that no longer exist, seal growing segments that are not the active ones. */
  afterReplay(): void {
    this.skipIds.clear();
    this.replayPkCache = null;
    const parts = new Set(this.meta.partitions.map((p) => p.id));
    if (parts.size > 0) {
      this.segs = this.segs.filter((s) => parts.has(s.partitionId));
      for (const [p, s] of [...this.growing]) if (!parts.has(p) || !this.segs.includes(s)) this.growing.delete(p);
    }
    for (const seg of [...this.segs]) {
      if (seg.sealed) continue;
      if (this.growing.get(seg.partitionId) !== seg || seg.rowCount >= this.limits().sealRows) this.sealNow(seg);
    }
  }
}
