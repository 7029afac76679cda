/**
 * Bulk import jobs (Milvus's Import / `bulkInsert`, GetImportState, ListImportTasks): a background
 * job inserts the rows of import files — paths on this machine — into a collection. The files come
 * in groups, as Milvus's `ImportFile` has them: a group is one row-based JSON file (`.json`), one
 * Parquet file (`.parquet`), one CSV file (`.csv`), or the `.npy` files of one Numpy import (a file
 * per field). Any other file type is refused when the job is submitted, as Milvus's proxy refuses it
 * (`importutilv2.GetFileType`).
 *
 * A job is all or nothing, as in Milvus: every file is read and every row validated before the
 * first row is written, so a missing file or a bad row fails the job with nothing imported. Then
 * the rows are inserted in batches (durable, like any insert) and the collection is flushed.
 */
import { extname } from 'node:path';
import { importFailed, invalidParam, MilvusError } from '../core/errors.js';
import { JobTable } from './job-table.js';
import type { CollectionSchema } from '../core/schema.js';
import { readUserFile } from '../storage/index.js';
import { csvOptions, rowsOfCsv } from './csv-rows.js';
import { rowsOfFile } from './json-rows.js';
import { rowsOfNumpy } from './npy-rows.js';
import { rowsOfParquet } from './parquet-rows.js';
import { encodeRows } from './row-codec.js';

export type ImportFormat = 'JSON' | 'Numpy' | 'Parquet' | 'CSV';

/** One group of an import: its files and their format. */
export interface ImportGroup {
  paths: string[];
  format: ImportFormat;
}

const FORMAT_BY_EXT: Record<string, ImportFormat> = { '.json': 'JSON', '.npy': 'Numpy', '.parquet': 'Parquet', '.csv': 'CSV' };

/** The format of one group, refused as Milvus's `GetFileType` refuses it (by extension, case as written). */
export function importFormat(paths: readonly string[]): ImportFormat {
  if (paths.length === 0) throw importFailed('no file to import');
  const ext = extname(paths[0]!);
  const other = paths.findIndex((p) => extname(p) !== ext);
  if (other >= 0) throw importFailed(`inconsistency in file types, (${paths[0]!}) vs (${paths[other]!})`);
  const format = FORMAT_BY_EXT[ext];
  if (!format) throw importFailed(`unexpected file type, files=[${paths.join(' ')}]`);
  if (format !== 'Numpy' && paths.length !== 1) throw importFailed(`for ${format} import, accepts only one file`);
  return format;
}

/**
 * The groups of an import request: a list of groups (`[["a.json"], ["x/id.npy", "x/v.npy"]]`, as the
 * RESTful API sends them) as given; a flat list of paths (as the SDKs' `bulkInsert` sends them) one
 * group per file, except that `.npy` files together make one Numpy group, one file per field. Each
 * group's format is checked here, before the job starts.
 */
export function importGroups(files: unknown): ImportGroup[] {
  const valid = (f: unknown): f is string => typeof f === 'string' && f !== '';
  if (!Array.isArray(files) || files.length === 0) throw invalidParam('files', 'needs a non-empty list of file paths (JSON, Parquet, CSV or Numpy files)');
  let groups: string[][];
  if (files.every(valid)) {
    const npy = files.filter((f) => extname(f) === '.npy');
    groups = npy.length === files.length ? [files] : files.map((f) => [f]);
  } else if (files.every((g) => Array.isArray(g) && g.every(valid))) {
    groups = (files as string[][]).filter((g) => g.length > 0);
    if (groups.length === 0) throw invalidParam('files', 'import request is empty');
  } else {
    throw invalidParam('files', 'needs a non-empty list of file paths, or of lists of file paths');
  }
  return groups.map((paths) => ({ paths, format: importFormat(paths) }));
}

/** Import options (`sep`, `nullkey`, ...) from a key/value list or a plain object; CSV ones are checked. */
export function importOptions(raw: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (Array.isArray(raw)) {
    for (const kv of raw as { key?: unknown; value?: unknown }[]) if (kv && typeof kv.key === 'string') out[kv.key] = String(kv.value ?? '');
  } else if (raw && typeof raw === 'object') {
    for (const [k, v] of Object.entries(raw)) out[k] = String(v);
  }
  csvOptions(out);
  return out;
}

export type ImportStateName = 'ImportPending' | 'ImportStarted' | 'ImportCompleted' | 'ImportFailed';

export interface ImportJob {
  id: bigint;
  collectionId: number;
  collectionName: string;
  db: string;
  partition: string;
  /** Every file of the job, in order. */
  files: string[];
  groups: ImportGroup[];
  /** Import options as given (`sep`, `nullkey` for CSV). */
  options: Record<string, string>;
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

  start(target: Pick<ImportJob, 'collectionId' | 'collectionName' | 'db' | 'partition' | 'files' | 'groups' | 'options'>, run: (job: ImportJob) => Promise<void>): ImportJob {
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

/** The rows of one group of files. */
async function rowsOfGroup(schema: CollectionSchema, group: ImportGroup, options: Record<string, string>): Promise<Record<string, unknown>[]> {
  const fields = new Map(schema.fields.filter((f) => !f.isDynamic).map((f) => [f.name, f]));
  const read = (path: string) => readUserFile(path, 'import file');
  const [first] = group.paths as [string];
  switch (group.format) {
    case 'Numpy':
      return rowsOfNumpy(schema, await Promise.all(group.paths.map(async (path) => ({ path, bytes: await read(path) }))));
    case 'Parquet':
      return rowsOfParquet(await read(first), fields, first);
    case 'CSV':
      return rowsOfCsv(schema, (await read(first)).toString('utf8'), first, csvOptions(options));
    case 'JSON':
      return rowsOfFile((await read(first)).toString('utf8'), fields, first);
  }
}

/**
 * Reads every file group of the job and validates every row (encoding it, writing nothing), in
 * batches of `batch` rows; sets `job.total`. A bad row fails naming its file and rows.
 */
export async function readImportFiles(schema: CollectionSchema, job: ImportJob, batch: number): Promise<Record<string, unknown>[][]> {
  const autoId = schema.fields.some((f) => f.isPrimaryKey && f.autoID);
  const batches: Record<string, unknown>[][] = [];
  for (const group of job.groups) {
    const rows = await rowsOfGroup(schema, group, job.options);
    const name = group.paths.length === 1 ? group.paths[0]! : `[${group.paths.join(' ')}]`;
    for (let at = 0; at < rows.length; at += batch) {
      const part = rows.slice(at, at + batch);
      try {
        encodeRows(schema, part, autoId ? () => 0n : null);
      } catch (err) {
        const e = MilvusError.from(err);
        throw new MilvusError(e.code, `${name} (rows ${at}..${at + part.length - 1}): ${e.message}`);
      }
      batches.push(part);
    }
    job.total += rows.length;
  }
  return batches;
}
