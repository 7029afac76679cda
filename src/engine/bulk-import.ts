/**
 * Bulk import jobs (Milvus's Import / `bulkInsert`, GetImportState, ListImportTasks): a background
 * job inserts the rows of row-based JSON files or Parquet files (`.parquet`) — paths on this
 * machine, as Milvus's BulkWriter writes them — into a collection.
 *
 * A job is all or nothing, as in Milvus: every file is read and every row validated before the
 * first row is written, so a missing file or a bad row fails the job with nothing imported. Then
 * the rows are inserted in batches (durable, like any insert) and the collection is flushed.
 */
import { MilvusError } from '../core/errors.js';
import { JobTable } from './job-table.js';
import type { CollectionSchema } from '../core/schema.js';
import { readUserFile } from '../storage/index.js';
import { rowsOfFile } from './json-rows.js';
import { rowsOfParquet } from './parquet-rows.js';
import { encodeRows } from './row-codec.js';

export type ImportStateName = 'ImportPending' | 'ImportStarted' | 'ImportCompleted' | 'ImportFailed';

export interface ImportJob {
  id: bigint;
  collectionId: number;
  collectionName: string;
  db: string;
  partition: string;
  files: string[];
  state: ImportStateName;
  /** Rows imported so far. */
  rows: number;
  /** Rows found in the files (known once they are read). */
  total: number;
  reason: string;
  /** The Milvus error code of a failed job (0 otherwise). */
  code: number;
  createdAt: number;
}

export class ImportJobs {
  private readonly jobs = new JobTable<ImportJob>('import job', 'task', 'bulkInsert');
  /** Jobs run one after another (each is CPU- and disk-bound on the one thread). */
  private queue: Promise<unknown> = Promise.resolve();

  start(target: Pick<ImportJob, 'collectionId' | 'collectionName' | 'db' | 'partition' | 'files'>, run: (job: ImportJob) => Promise<void>): ImportJob {
    const job = this.jobs.add((id) => ({ ...target, id, state: 'ImportPending', rows: 0, total: 0, reason: '', code: 0, createdAt: Date.now() }));
    const go = async (): Promise<void> => {
      job.state = 'ImportStarted';
      try {
        await run(job);
        job.state = 'ImportCompleted';
      } catch (err) {
        const e = MilvusError.from(err);
        job.state = 'ImportFailed';
        job.reason = e.message;
        job.code = e.code;
      }
    };
    this.queue = this.queue.then(go, go);
    return job;
  }

  get(id: unknown): ImportJob {
    return this.jobs.get(id);
  }

  /** Newest first; of one collection when `collectionId` is given; at most `limit` (0 = all). */
  list(collectionId: number | null, limit: number): ImportJob[] {
    const all = this.jobs.all().filter((j) => collectionId === null || j.collectionId === collectionId).reverse();
    return limit > 0 ? all.slice(0, limit) : all;
  }

  /** Resolves when every job started so far has ended. */
  idle(): Promise<unknown> {
    return this.queue;
  }
}

/** Progress in percent (100 once completed). */
export function importProgress(job: ImportJob): number {
  if (job.state === 'ImportCompleted') return 100;
  return job.total > 0 ? Math.floor((99 * job.rows) / job.total) : 0;
}

/**
 * Reads every file of the job and validates every row (encoding it, writing nothing), in batches
 * of `batch` rows; sets `job.total`. A bad row fails naming its file and rows.
 */
export async function readImportFiles(schema: CollectionSchema, job: ImportJob, batch: number): Promise<Record<string, unknown>[][]> {
  const fields = new Map(schema.fields.filter((f) => !f.isDynamic).map((f) => [f.name, f]));
  const autoId = schema.fields.some((f) => f.isPrimaryKey && f.autoID);
  const batches: Record<string, unknown>[][] = [];
  for (const file of job.files) {
    const bytes = await readUserFile(file, 'import file');
    const rows = /\.parquet$/i.test(file) ? await rowsOfParquet(bytes, fields, file) : rowsOfFile(bytes.toString('utf8'), fields, file);
    for (let at = 0; at < rows.length; at += batch) {
      const part = rows.slice(at, at + batch);
      try {
        encodeRows(schema, part, autoId ? () => 0n : null);
      } catch (err) {
        const e = MilvusError.from(err);
        throw new MilvusError(e.code, `${file} (rows ${at}..${at + part.length - 1}): ${e.message}`);
      }
      batches.push(part);
    }
    job.total += rows.length;
  }
  return batches;
}
