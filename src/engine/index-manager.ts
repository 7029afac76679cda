/**
 * Per-collection index bookkeeping: which fields have an index (from the catalog), one index per
 * sealed segment built in the background (when a segment is sealed or compacted, and when
 * createIndex runs over existing segments), index files written beside the segment files and read
 * back on load, progress for describeIndex, and freeing index memory on release/drop.
 *
 * A built index is recorded in its IndexMeta (`segments`), so describeIndex reports it as built
 * even while the collection is released and only the file exists. An index file that fails its
 * checks on load is reported (background error) and rebuilt from the segment's rows.
 */
import { IndexState, isVectorType } from '../core/data-type.js';
import { MilvusError } from '../core/errors.js';
import type { VectorColumn } from '../core/column.js';
import type { IndexMeta, CollectionStore, Segment } from '../storage/index.js';
import { buildVectorIndex, loadVectorIndex, type VectorIndex, type VectorIndexSpec } from '../index/index.js';
import { buildScalarIndex, type FieldIndexType } from '../index/scalar/index.js';
import { quarterSteps } from './progress.js';

export interface IndexProgress {
  indexedRows: number;
  totalRows: number;
  pendingRows: number;
  state: number;
  failReason: string;
}

/** Where index files live (the data directory) and how catalog changes are made durable. */
export interface IndexHost {
  save(segmentId: number, name: string, bytes: Uint8Array): Promise<void>;
  read(segmentId: number, name: string): Promise<Uint8Array | undefined>;
  remove(segmentId: number | undefined, name: string): Promise<void>;
  commit(): Promise<void>;
  /** True while the collection is loaded: built indexes stay in memory only then. */
  resident(): boolean;
  onError(err: unknown): void;
  /** A vector index build on a segment reached `percent` (0 at the start, each quarter, 100). */
  onBuildProgress?(segmentId: number, meta: IndexMeta, rows: number, percent: number): void;
}

/**
 * Index builds run one at a time per process: they are CPU-bound on the one JS thread, so running
 * them side by side only interleaves them and multiplies peak memory.
 */
let buildQueue: Promise<unknown> = Promise.resolve();
function enqueueBuild<T>(job: () => Promise<T>): Promise<T> {
  const run = buildQueue.then(job, job);
  buildQueue = run.catch(() => undefined);
  return run;
}

function fileName(meta: IndexMeta): string {
  return `i${meta.indexID}`;
}

export class IndexManager {
  private readonly building = new Map<string, Promise<void>>();
  private readonly failures = new Map<string, string>();
  /** Indexes built on merged segments not swapped in yet, by `${segmentId}/${indexID}`. */
  private readonly prepared = new Map<string, VectorIndex>();

  constructor(
    private readonly store: CollectionStore,
    private readonly indexes: () => readonly IndexMeta[],
    private readonly specOf: (meta: IndexMeta) => VectorIndexSpec | null,
    private readonly host: IndexHost,
  ) {
    store.onSealed((seg) => {
      for (const meta of this.indexes()) this.ensure(seg, meta);
    });
    store.setCompactionPreparer({ prepare: (seg) => this.prepareMerged(seg), discard: (seg) => this.discardPrepared(seg) });
  }

  /**
   * Builds (and saves) every vector index on a segment compaction has merged but not swapped in
   * yet, so it arrives indexed: searches use the sources and their indexes until the swap, as
   * Milvus serves a compaction's sources until its result is indexed. Builds one at a time with
   * the others (the process build queue); `idle()` waits for them.
   */
  private async prepareMerged(seg: Segment): Promise<void> {
    for (const meta of this.indexes()) {
      const spec = this.specOf(meta);
      const col = seg.column(meta.fieldName);
      if (!spec || !col || !isVectorType(col.type)) continue;
      const key = `${seg.id}/${meta.indexID}`;
      const p = (async () => {
        const step = quarterSteps((percent) => this.host.onBuildProgress?.(seg.id, meta, seg.rowCount, percent));
        const idx = await enqueueBuild(() => {
          step(0);
          return buildVectorIndex(spec, col as VectorColumn, seg.rowCount, step);
        });
        if (!this.indexes().some((m) => m.indexID === meta.indexID)) {
          idx.dispose();
          return;
        }
        await this.host.save(seg.id, fileName(meta), idx.serialize());
        this.prepared.set(key, idx);
      })().finally(() => this.building.delete(key));
      this.building.set(key, p);
      await p;
    }
  }

  private discardPrepared(seg: Segment): void {
    for (const [key, idx] of this.prepared) {
      if (!key.startsWith(`${seg.id}/`)) continue;
      idx.dispose();
      this.prepared.delete(key);
    }
  }

  /** Makes `meta` available on every sealed segment: in memory when resident, as a file otherwise. */
  ensureAll(meta: IndexMeta): void {
    for (const seg of this.store.allSegments()) if (seg.sealed) this.ensure(seg, meta);
  }

  private isLive(meta: IndexMeta, seg: Segment): boolean {
    return this.indexes().some((m) => m.indexID === meta.indexID) && this.store.allSegments().includes(seg);
  }

  private ensure(seg: Segment, meta: IndexMeta): void {
    const key = `${seg.id}/${meta.indexID}`;
    const pre = this.prepared.get(key);
    if (pre) {
      // Built before a compaction swap: recorded now, in the same tick, so the swap's manifest
      // names the merged segment and its index file together.
      this.prepared.delete(key);
      const live = new Set(this.store.allSegments().map((x) => x.id));
      meta.segments = [...(meta.segments ?? []).filter((id) => live.has(id) && id !== seg.id), seg.id];
      if (this.host.resident() && seg.resident && !seg.vectorIndexes.has(meta.fieldName)) seg.vectorIndexes.set(meta.fieldName, pre);
      else pre.dispose();
      return;
    }
    if (this.building.has(key) || seg.vectorIndexes.has(meta.fieldName) || seg.scalarIndexes.has(meta.fieldName)) return;
    const spec = this.specOf(meta);
    if (!spec) {
      // Scalar indexes are a sort or a hash over one resident column: built on the spot.
      const col = seg.column(meta.fieldName);
      if (col && this.host.resident()) seg.scalarIndexes.set(meta.fieldName, buildScalarIndex(meta.indexType as FieldIndexType, col, seg.rowCount, meta.params));
      return;
    }
    const p = (async () => {
      // Yield first so that sealing never waits for an index build.
      await new Promise((r) => setImmediate(r));
      const built = meta.segments?.includes(seg.id) === true;
      if (built && !this.host.resident()) return;
      let idx: VectorIndex | undefined;
      if (built) {
        const bytes = await this.host.read(seg.id, fileName(meta));
        try {
          if (bytes) idx = loadVectorIndex(bytes, await this.nullableColumn(seg, meta.fieldName), seg.rowCount);
        } catch (err) {
          // An index file is derived data: report the damage, then rebuild it from the segment.
          this.host.onError(err);
        }
      }
      if (!idx) {
        // A released collection's sealed segment is read from its file just for the build.
        const col = seg.resident ? seg.column(meta.fieldName) : (await this.store.readColumns(seg)).get(meta.fieldName);
        if (!col || !isVectorType(col.type)) return;
        const step = quarterSteps((percent) => this.host.onBuildProgress?.(seg.id, meta, seg.rowCount, percent));
        idx = await enqueueBuild(() => {
          step(0);
          return buildVectorIndex(spec, col as VectorColumn, seg.rowCount, step);
        });
        if (!this.isLive(meta, seg)) {
          idx.dispose();
          return;
        }
        await this.host.save(seg.id, fileName(meta), idx.serialize());
        const live = new Set(this.store.allSegments().map((x) => x.id));
        meta.segments = [...(meta.segments ?? []).filter((id) => live.has(id)), seg.id];
        await this.host.commit();
      }
      if (this.isLive(meta, seg) && this.host.resident()) seg.vectorIndexes.set(meta.fieldName, idx);
      else idx.dispose();
    })()
      .catch((err: unknown) => {
        this.failures.set(meta.fieldName, MilvusError.from(err).message);
        this.host.onError(err);
      })
      .finally(() => this.building.delete(key));
    this.building.set(key, p);
  }

  /**
   * The column an index of a nullable vector field is loaded against (its validity bitmap maps the
   * index's rows to the segment's, see index/null-rows.ts); undefined for a field that cannot be null.
   */
  private async nullableColumn(seg: Segment, fieldName: string): Promise<VectorColumn | undefined> {
    if (this.store.schema.fields.find((f) => f.name === fieldName)?.nullable !== true) return undefined;
    const col = seg.resident ? seg.column(fieldName) : (await this.store.readColumns(seg)).get(fieldName);
    return col && isVectorType(col.type) ? (col as VectorColumn) : undefined;
  }

  /** Resolves when no build or index read is running. */
  async idle(): Promise<void> {
    while (this.building.size > 0) await Promise.all([...this.building.values()]);
  }

  progress(meta: IndexMeta): IndexProgress {
    let indexed = 0;
    let total = 0;
    let pending = 0;
    const scalar = this.specOf(meta) === null;
    for (const seg of this.store.allSegments()) {
      total += seg.liveCount;
      if (!seg.sealed) continue;
      if (scalar || meta.segments?.includes(seg.id) || seg.vectorIndexes.has(meta.fieldName)) indexed += seg.liveCount;
      else pending += seg.liveCount;
    }
    const fail = this.failures.get(meta.fieldName);
    const state = fail ? IndexState.Failed : pending > 0 ? IndexState.InProgress : IndexState.Finished;
    return { indexedRows: indexed, totalRows: total, pendingRows: pending, state, failReason: fail ?? '' };
  }

  /** Drops an index: frees it on every segment and deletes its files. */
  async drop(meta: IndexMeta): Promise<void> {
    this.failures.delete(meta.fieldName);
    for (const [key, idx] of this.prepared) {
      if (!key.endsWith(`/${meta.indexID}`)) continue;
      idx.dispose();
      this.prepared.delete(key);
    }
    for (const seg of this.store.segments()) {
      (seg.vectorIndexes.get(meta.fieldName) as VectorIndex | undefined)?.dispose();
      seg.vectorIndexes.delete(meta.fieldName);
      seg.scalarIndexes.delete(meta.fieldName);
    }
    await this.host.remove(undefined, fileName(meta));
  }

  /** Frees every in-memory index (release); files stay. */
  unloadAll(): void {
    for (const seg of this.store.segments()) {
      for (const idx of seg.vectorIndexes.values()) (idx as VectorIndex).dispose();
      seg.vectorIndexes.clear();
      seg.scalarIndexes.clear();
    }
  }
}
