/**
 * Background and maintenance work: manual compaction jobs, flushAll and its state, segment
 * listings, and bulk import jobs (which write through the write service).
 */
import { MilvusError, collectionNotFound, invalidParam } from '../core/errors.js';
import { ImportJobs, importGroups, importOptions, readImportFiles, type ImportJob } from './bulk-import.js';
import { CompactionJobs, segmentInfos, type CompactionJob, type SegmentInfo } from './maintenance.js';
import type { CollectionReq, DbReq } from './requests.js';
import type { WriteService } from './writes.js';
import { dbOf, type CollectionRef, type EngineContext } from './context.js';

/** Rows per insert when a bulk import writes (and per validation chunk). */
const IMPORT_BATCH = 5000;

export class JobService {
  private readonly compactions = new CompactionJobs();
  private readonly imports = new ImportJobs();
  /** Start (ms) of the latest completed flushAll. */
  private flushedAllAt = 0;
  /** The latest flushAll that failed (until a later one succeeds). */
  private flushAllFailure: { ts: number; err: MilvusError } | null = null;

  constructor(
    private readonly ctx: EngineContext,
    private readonly writes: WriteService,
  ) {}

  /** Waits for running import jobs (on close). */
  async idle(): Promise<void> {
    await this.imports.idle();
  }


  /** Starts compacting the collection (by name, or by `collectionID` as pymilvus sends it) in the background; poll getCompactionState. */
  compact(req: CollectionRef): CompactionJob {
    const rt = this.ctx.runtimeByRef(req);
    return this.compactions.start(rt.meta.id, rt.store.compactionPlanCount(), (onMerge) => rt.store.compact(onMerge));
  }

  getCompactionState(req: { compactionID: unknown }): CompactionJob {
    return this.compactions.get(req.compactionID);
  }

  /** Seals and persists the growing data of every collection in the database (all databases if none named). */
  async flushAll(req: DbReq = {}): Promise<number> {
    const db = req.db_name ? this.ctx.database(req) : null;
    const ts = Date.now();
    try {
      for (const rt of [...this.ctx.runtimes.values()]) if (db === null || rt.meta.dbName === db) await rt.store.flush();
    } catch (err) {
      this.flushAllFailure = { ts, err: MilvusError.from(err) };
      throw err;
    }
    this.flushedAllAt = Math.max(this.flushedAllAt, ts);
    if (this.flushAllFailure && this.flushAllFailure.ts <= ts) this.flushAllFailure = null;
    return ts;
  }

  /** The start (ms) of the latest flushAll that failed, while no later one has succeeded. */
  failedFlushAllTs(): number | undefined {
    return this.flushAllFailure?.ts;
  }

  /** True once a flushAll started at `ts` (ms) or later has completed; throws the error of one that failed since. */
  getFlushAllState(req: { flush_all_ts?: unknown }): boolean {
    const ts = Number(req.flush_all_ts ?? 0);
    if (!Number.isFinite(ts)) throw invalidParam('flush_all_ts', `must be a timestamp returned by flushAll, got ${String(req.flush_all_ts)}`);
    if (ts <= this.flushedAllAt) return true;
    if (this.flushAllFailure && this.flushAllFailure.ts >= ts) throw this.flushAllFailure.err;
    return false;
  }

  /** Segments of the collection: all of them (`served` false), or those a loaded collection searches. */
  segmentInfo(req: CollectionReq, served: boolean): SegmentInfo[] {
    return segmentInfos(this.ctx.runtime(req), served);
  }

  // ---------------------------------------------------------------- bulk import

  /**
   * Starts importing files (paths on this machine: JSON, Parquet, CSV or Numpy, see bulk-import.ts)
   * into the collection (Milvus's Import / bulkInsert). A file type Milvus does not import is refused
   * here, before the job starts. All or nothing: every file is read and every row validated before
   * any is written. Poll getImportState with the job's id.
   */
  bulkImport(req: CollectionReq & { partition_name?: string; files: unknown; options?: unknown }): ImportJob {
    const rt = this.ctx.runtime(req);
    const groups = importGroups(req.files);
    const options = importOptions(req.options);
    const partition = req.partition_name ?? '';
    if (partition !== '') this.ctx.partition(rt, partition);
    const db = dbOf(req);
    const files = groups.flatMap((g) => g.paths);
    return this.imports.start({ collectionId: rt.meta.id, collectionName: rt.meta.name, db, partition, files, groups, options }, async (job) => {
      const batches = await readImportFiles(rt.meta.schema, job, IMPORT_BATCH);
      if (!this.ctx.runtimes.has(rt.meta.id)) throw collectionNotFound(job.collectionName, job.db);
      for (const batch of batches) {
        await this.writes.insert({ collection_name: job.collectionName, db_name: job.db, ...(partition ? { partition_name: partition } : {}), data: batch });
        job.rows += batch.length;
      }
      await rt.store.flush();
    });
  }

  getImportState(req: { task: unknown }): ImportJob {
    return this.imports.get(req.task);
  }

  /** Import jobs, newest first: of one collection when named, else all; at most `limit` (0 = all). */
  listImportTasks(req: DbReq & { collection_name?: string; limit?: unknown }): ImportJob[] {
    const id = req.collection_name ? this.ctx.runtime({ collection_name: req.collection_name, db_name: req.db_name }).meta.id : null;
    return this.imports.list(id, Number(req.limit ?? 0) || 0);
  }

}
