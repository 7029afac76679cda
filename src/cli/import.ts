/**
 * `elanus import`: imports what `elanus export` wrote, or any of Milvus's import formats found in the
 * directory (beside a `schema.json` in the SDK's `createCollection` shape), as one engine bulk-import
 * job — all or nothing, as `bulkInsert` — following its progress. What is read, in this order of
 * preference: row-based JSON files `rows-NNNNNN.json`; else the Parquet files below the directory
 * (BulkWriter's layout); else the CSV files below it (each one import file; `sep` / `nullkey` as
 * Milvus's CSV options); else the `.npy` files below it, those of one folder making one Numpy import
 * (a file per field). With `create`, a missing collection is created from `schema.json` first.
 * Int64 literals beyond 2^53 keep every digit.
 */
import { dirname, join } from 'node:path';
import { ErrorCode, invalidParam, MilvusError } from '../core/errors.js';
import { Engine } from '../engine/engine.js';
import { parseJsonExact, plainNumbers } from '../engine/json-rows.js';
import type { CreateCollectionReq } from '../engine/requests.js';
import { listDir, listFilesDeep, readUserFile } from '../storage/index.js';
import { progress } from './progress.js';

export interface ImportOptions {
  data: string;
  collection: string;
  db?: string;
  in: string;
  /** Create the collection from `schema.json` when it does not exist. */
  create?: boolean;
  /** Show progress on stderr (default true): a bar on a terminal, lines otherwise. */
  progress?: boolean;
  /** CSV separator (Milvus's `sep` import option, default `,`). */
  sep?: string;
  /** CSV cell text that means null (Milvus's `nullkey` import option, default empty). */
  nullkey?: string;
}

export interface ImportResult {
  rows: number;
  files: string[];
  created: boolean;
}

const ROWS_FILE = /^rows-\d+\.json$/;
export { parseJsonExact };

/** The import groups found in `dir` (see the header comment for the order of preference). */
async function importGroupsIn(dir: string): Promise<string[][]> {
  const rows = (await listDir(dir)).filter((n) => ROWS_FILE.test(n));
  if (rows.length > 0) return rows.map((n) => [join(dir, n)]);
  const deep = await listFilesDeep(dir);
  for (const ext of ['.parquet', '.csv']) {
    const found = deep.filter((n) => n.endsWith(ext));
    if (found.length > 0) return found.map((n) => [join(dir, n)]);
  }
  const byFolder = new Map<string, string[]>();
  for (const n of deep.filter((x) => x.endsWith('.npy'))) byFolder.set(dirname(n), [...(byFolder.get(dirname(n)) ?? []), join(dir, n)]);
  return [...byFolder.values()];
}

export async function importCollection(opts: ImportOptions): Promise<ImportResult> {
  const groups = await importGroupsIn(opts.in);
  const files = groups.flat();
  const engine = await Engine.open({ dataDir: opts.data });
  const bar = progress('import', 'rows', opts.progress !== false);
  try {
    const req = { collection_name: opts.collection, db_name: opts.db };
    let created = false;
    if (!engine.catalog.hasCollection(req)) {
      if (!opts.create) throw new MilvusError(ErrorCode.CollectionNotFound, `collection not found[collection=${opts.collection}] (pass --create to create it from schema.json)`);
      const schemaPath = join(opts.in, 'schema.json');
      const schema = parseJsonExact((await readUserFile(schemaPath, 'schema.json')).toString('utf8'), schemaPath);
      if (!schema || typeof schema !== 'object' || !Array.isArray((schema as { fields?: unknown }).fields)) throw invalidParam(schemaPath, 'needs a `fields` array (the createCollection request shape)');
      await engine.catalog.createCollection({ ...(plainNumbers(schema) as CreateCollectionReq), collection_name: opts.collection, db_name: opts.db });
      created = true;
    }
    if (files.length === 0) return { rows: 0, files, created };
    const options = { ...(opts.sep !== undefined ? { sep: opts.sep } : {}), ...(opts.nullkey !== undefined ? { nullkey: opts.nullkey } : {}) };
    const job = engine.jobs.bulkImport({ ...req, files: groups, options });
    bar?.start(0, 0);
    while (job.state === 'ImportPending' || job.state === 'ImportStarted') {
      await new Promise((r) => setTimeout(r, 100));
      bar?.setTotal(job.total);
      bar?.update(job.rows);
    }
    bar?.setTotal(job.total);
    bar?.update(job.rows);
    if (job.state === 'ImportFailed') throw new MilvusError(job.code || ErrorCode.Unexpected, job.reason);
    return { rows: job.rows, files, created };
  } finally {
    bar?.stop();
    await engine.close();
  }
}
