/**
 * `elanus import`: imports what `elanus export` wrote (or any Milvus row-based JSON import files,
 * `{"rows": [...]}`, beside a `schema.json` in the SDK's `createCollection` shape) as one engine
 * bulk-import job — all or nothing, as `bulkInsert` — following its progress. With `create`, a
 * missing collection is created from `schema.json` first. Int64 literals beyond 2^53 keep every
 * digit.
 */
import { join } from 'node:path';
import { SingleBar, Presets } from 'cli-progress';
import { ErrorCode, invalidParam, MilvusError } from '../core/errors.js';
import { Engine } from '../engine/engine.js';
import { parseJsonExact, plainNumbers } from '../engine/json-rows.js';
import type { CreateCollectionReq } from '../engine/requests.js';
import { listDir, listFilesDeep, readUserFile } from '../storage/index.js';

export interface ImportOptions {
  data: string;
  collection: string;
  db?: string;
  in: string;
  /** Create the collection from `schema.json` when it does not exist. */
  create?: boolean;
  /** Show a progress bar on stderr (default true). */
  progress?: boolean;
}

export interface ImportResult {
  rows: number;
  files: string[];
  created: boolean;
}

const ROWS_FILE = /^rows-\d+\.json$/;
export { parseJsonExact };

export async function importCollection(opts: ImportOptions): Promise<ImportResult> {
  // Row-based JSON files beside schema.json, else the Parquet files below it (BulkWriter's layout).
  let names = (await listDir(opts.in)).filter((n) => ROWS_FILE.test(n));
  if (names.length === 0) names = (await listFilesDeep(opts.in)).filter((n) => n.endsWith('.parquet'));
  const files = names.map((n) => join(opts.in, n));
  const engine = await Engine.open({ dataDir: opts.data });
  const bar = opts.progress === false ? null : new SingleBar({ format: 'import |{bar}| {value}/{total} rows', stream: process.stderr }, Presets.shades_classic);
  try {
    const req = { collection_name: opts.collection, db_name: opts.db };
    let created = false;
    if (!engine.hasCollection(req)) {
      if (!opts.create) throw new MilvusError(ErrorCode.CollectionNotFound, `collection not found[collection=${opts.collection}] (pass --create to create it from schema.json)`);
      const schemaPath = join(opts.in, 'schema.json');
      const schema = parseJsonExact((await readUserFile(schemaPath, 'schema.json')).toString('utf8'), schemaPath);
      if (!schema || typeof schema !== 'object' || !Array.isArray((schema as { fields?: unknown }).fields)) throw invalidParam(schemaPath, 'needs a `fields` array (the createCollection request shape)');
      await engine.createCollection({ ...(plainNumbers(schema) as CreateCollectionReq), collection_name: opts.collection, db_name: opts.db });
      created = true;
    }
    if (files.length === 0) return { rows: 0, files, created };
    const job = engine.bulkImport({ ...req, files });
    bar?.start(0, 0);
    while (job.state === 'ImportPending' || job.state === 'ImportStarted') {
      await new Promise((r) => setTimeout(r, 100));
      bar?.setTotal(job.total);
      bar?.update(job.rows);
    }
    if (job.state === 'ImportFailed') throw new MilvusError(job.code || ErrorCode.Unexpected, job.reason);
    return { rows: job.rows, files, created };
  } finally {
    bar?.stop();
    await engine.close();
  }
}
