/**
 * Per-collection index bookkeeping: which fields have an index (from the catalog), building one index
 * per sealed segment in the background (when a segment is sealed and when createIndex runs over
 * existing segments), progress for describeIndex, and freeing index memory on release/drop.
 */
import { isVectorType } from '../core/data-type.js';
import { MilvusError } from '../core/errors.js';
import type { VectorColumn } from '../core/column.js';
import type { IndexMeta } from '../storage/index.js';
import type { CollectionStore, Segment } from '../storage/index.js';
import { buildVectorIndex, type VectorIndex, type VectorIndexSpec } from '../index/index.js';
import { IndexState } from '../core/data-type.js';
import { buildScalarIndex, type ScalarIndexType } from '../index/scalar/index.js';

export interface IndexProgress {
  indexedRows: number;
  totalRows: number;
  pendingRows: number;
  state: number;
  failReason: string;
}

/**
 * Index builds run one at a time per process: they are CPU-bound on the one JS thread, so running
 * them side by side only interleaves them (and some index builders keep per-build scratch state).
 */
let buildQueue: Promise<unknown> = Promise.resolve();
function enqueueBuild<T>(job: () => Promise<T>): Promise<T> {
  const run = buildQueue.then(job, job);
  buildQueue = run.catch(() => undefined);
  return run;
}

export class IndexManager {
  private readonly building = new Map<string, Promise<void>>();
  private readonly failures = new Map<string, string>();

  constructor(
    private readonly store: CollectionStore,
    private readonly indexes: () => readonly IndexMeta[],
    private readonly specOf: (meta: IndexMeta) => VectorIndexSpec | null,
  ) {
    store.onSealed((seg) => {
      for (const meta of this.indexes()) this.buildOn(seg, meta);
    });
  }

  /** Starts building `meta` on every sealed segment that lacks it. */
  buildAll(meta: IndexMeta): void {
    for (const seg of this.store.segments()) if (seg.sealed) this.buildOn(seg, meta);
  }

  private buildOn(seg: Segment, meta: IndexMeta): void {
    const key = `${seg.id}/${meta.fieldName}`;
    if (this.building.has(key) || seg.vectorIndexes.has(meta.fieldName) || seg.scalarIndexes.has(meta.fieldName)) return;
    const spec = this.specOf(meta);
    const col = seg.column(meta.fieldName);
    if (!spec) {
      // Scalar indexes build synchronously: they are a sort or a hash over one column.
      if (col) seg.scalarIndexes.set(meta.fieldName, buildScalarIndex(meta.indexType as ScalarIndexType, col, seg.rowCount));
      return;
    }
    if (!col || !isVectorType(col.type)) return;
    const p = (async () => {
      // Yield first so that sealing never waits for an index build.
      await new Promise((r) => setImmediate(r));
      try {
        const idx = await enqueueBuild(() => buildVectorIndex(spec, col as VectorColumn, seg.rowCount));
        // The index may have been dropped (or the segment released) while building.
        if (this.indexes().some((m) => m.indexID === meta.indexID) && this.store.segments().includes(seg)) {
          seg.vectorIndexes.set(meta.fieldName, idx);
        } else idx.dispose();
      } catch (err) {
        this.failures.set(meta.fieldName, MilvusError.from(err).message);
      } finally {
        this.building.delete(key);
      }
    })();
    this.building.set(key, p);
  }

  /** Resolves when no build is running. */
  async idle(): Promise<void> {
    while (this.building.size > 0) await Promise.all([...this.building.values()]);
  }

  progress(fieldName: string): IndexProgress {
    let indexed = 0;
    let total = 0;
    let pending = 0;
    for (const seg of this.store.segments()) {
      total += seg.liveCount;
      if (!seg.sealed) continue;
      if (seg.vectorIndexes.has(fieldName) || seg.scalarIndexes.has(fieldName)) indexed += seg.liveCount;
      else pending += seg.liveCount;
    }
    const fail = this.failures.get(fieldName);
    const state = fail ? IndexState.Failed : pending > 0 ? IndexState.InProgress : IndexState.Finished;
    return { indexedRows: indexed, totalRows: total, pendingRows: pending, state, failReason: fail ?? '' };
  }

  /** Frees the index of `fieldName` on every segment. */
  drop(fieldName: string): void {
    this.failures.delete(fieldName);
    for (const seg of this.store.segments()) {
      const idx = seg.vectorIndexes.get(fieldName) as VectorIndex | undefined;
      idx?.dispose();
      seg.vectorIndexes.delete(fieldName);
      seg.scalarIndexes.delete(fieldName);
    }
  }

  /** Frees every index (release/drop). */
  dropAll(): void {
    for (const seg of this.store.segments()) {
      for (const idx of seg.vectorIndexes.values()) (idx as VectorIndex).dispose();
      seg.vectorIndexes.clear();
      seg.scalarIndexes.clear();
    }
  }
}
