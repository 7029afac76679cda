/**
 * The rows of one collection: its segments (one growing segment per partition, plus sealed ones),
 * inserts, deletes by primary key, sealing (flush) and partition drops.
 *
 * This is the seam the engine writes through. Durability (WAL, segment files, manifest) lives behind
 * it: every mutating method resolves only once the change is durable.
 */
import type { Column } from '../core/column.js';
import type { CollectionSchema } from '../core/schema.js';
import type { CollectionMeta } from './catalog.js';
import { Segment, type PrimaryKey } from './segment.js';

export interface StoreOptions {
  /** A growing segment is sealed once it holds this many rows. */
  sealRows: number;
}

export const defaultStoreOptions: StoreOptions = { sealRows: 100_000 };

export type SealListener = (segment: Segment) => void;

export class CollectionStore {
  private readonly segs: Segment[] = [];
  private readonly growing = new Map<number, Segment>();
  private readonly sealListeners: SealListener[] = [];

  constructor(
    readonly meta: CollectionMeta,
    private readonly allocId: () => number,
    private readonly opts: StoreOptions = defaultStoreOptions,
  ) {}

  get schema(): CollectionSchema {
    return this.meta.schema;
  }

  /** All segments, sealed and growing. */
  segments(): readonly Segment[] {
    return this.segs;
  }

  onSealed(listener: SealListener): void {
    this.sealListeners.push(listener);
  }

  get rowCount(): number {
    let n = 0;
    for (const s of this.segs) n += s.liveCount;
    return n;
  }

  /** Appends `n` rows (columns by field name, already validated) to a partition. */
  async insert(partitionId: number, batch: ReadonlyMap<string, Column>, n: number): Promise<void> {
    let seg = this.growing.get(partitionId);
    if (!seg) {
      seg = new Segment(this.allocId(), partitionId, this.schema);
      this.growing.set(partitionId, seg);
      this.segs.push(seg);
    }
    seg.append(batch, n);
    if (seg.rowCount >= this.opts.sealRows) this.seal(seg);
  }

  /**
   * Deletes every live row holding one of `pks` (restricted to `partitionIds` when given).
   * Returns the number of rows deleted.
   */
  async deletePks(pks: readonly PrimaryKey[], partitionIds?: ReadonlySet<number>): Promise<number> {
    let n = 0;
    for (const seg of this.segs) {
      if (partitionIds && !partitionIds.has(seg.partitionId)) continue;
      for (const row of seg.rowsOfPks(pks)) if (seg.markDeleted(row)) n++;
    }
    return n;
  }

  /** Seals every growing segment; returns the ids of the segments sealed. */
  async flush(): Promise<number[]> {
    const ids: number[] = [];
    for (const seg of [...this.growing.values()]) {
      if (seg.rowCount === 0) continue;
      this.seal(seg);
      ids.push(seg.id);
    }
    return ids;
  }

  private seal(seg: Segment): void {
    seg.seal();
    this.growing.delete(seg.partitionId);
    for (const l of this.sealListeners) l(seg);
  }

  /** Removes a partition's segments. */
  async dropPartition(partitionId: number): Promise<void> {
    this.growing.delete(partitionId);
    for (let i = this.segs.length - 1; i >= 0; i--) if (this.segs[i]!.partitionId === partitionId) this.segs.splice(i, 1);
  }

  /** Removes every row. */
  async truncate(): Promise<void> {
    this.growing.clear();
    this.segs.length = 0;
  }

  /** Bytes held in memory by this collection's segments. */
  memoryBytes(): number {
    let n = 0;
    for (const s of this.segs) n += s.memoryBytes();
    return n;
  }
}
