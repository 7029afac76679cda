/**
 * `elanus import`: reads what `elanus export` wrote (or any Milvus row-based JSON import files,
 * `{"rows": [...]}`, beside a `schema.json` in the SDK's `createCollection` shape) and inserts the
 * rows through the engine in batches. With `create`, a missing collection is created from
 * `schema.json` first. Int64 literals beyond 2^53 keep every digit: they are read as bigints.
 */
import { join } from 'node:path';
import { SingleBar, Presets } from 'cli-progress';
import { DataType } from '../core/data-type.js';
import { ErrorCode, invalidParam, MilvusError } from '../core/errors.js';
import type { FieldSchema } from '../core/schema.js';
import { Engine } from '../engine/engine.js';
import type { CreateCollectionReq } from '../engine/requests.js';
import { listDir, readUserFile } from '../storage/index.js';

export interface ImportOptions {
  data: string;
  collection: string;
  db?: string;
  in: string;
  /** Create the collection from `schema.json` when it does not exist. */
  create?: boolean;
  /** Rows per insert call (default 1000). */
  batchSize?: number;
  /** Show a progress bar on stderr (default true). */
  progress?: boolean;
}

export interface ImportResult {
  rows: number;
  files: string[];
  created: boolean;
}

const ROWS_FILE = /^rows-\d+\.json$/;
const BIG = '\u0000elanus-int64:';

/**
 * JSON.parse that keeps integer literals outside the safe range exact (as bigints). Strings are
 * matched whole so digits inside them are never touched.
 */
export function parseJsonExact(text: string, what: string): unknown {
  const marked = /\d{16}/.test(text)
    ? text.replace(/"(?:[^"\\]|\\.)*"|(?<![\d.eE+-])-?\d{16,}(?![\d.eE])/g, (m) => (m.startsWith('"') || Number.isSafeInteger(Number(m)) ? m : `"\\u0000elanus-int64:${m}"`))
    : text;
  try {
    return JSON.parse(marked, (_k, v: unknown) => (typeof v === 'string' && v.startsWith(BIG) ? BigInt(v.slice(BIG.length)) : v));
  } catch (err) {
    throw invalidParam(what, `is not valid JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** Bigints outside Int64 fields become plain numbers (what JSON.parse would have given). */
function plain(v: unknown): unknown {
  if (typeof v === 'bigint') return Number(v);
  if (Array.isArray(v)) return v.map(plain);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
  return v;
}

function normaliseRow(row: unknown, fields: ReadonlyMap<string, FieldSchema>, what: string): Record<string, unknown> {
  if (!row || typeof row !== 'object' || Array.isArray(row)) throw invalidParam(what, 'each row must be a JSON object');
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) {
    const f = fields.get(k);
    const int64 = f && (f.dataType === DataType.Int64 || (f.dataType === DataType.Array && f.elementType === DataType.Int64));
    out[k] = int64 ? v : plain(v);
  }
  return out;
}

export async function importCollection(opts: ImportOptions): Promise<ImportResult> {
  const batchSize = opts.batchSize ?? 1000;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw invalidParam('batch-size', `must be a positive integer, got ${String(opts.batchSize)}`);
  const names = (await listDir(opts.in)).filter((n) => ROWS_FILE.test(n));
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
      await engine.createCollection({ ...(plain(schema) as CreateCollectionReq), collection_name: opts.collection, db_name: opts.db });
      created = true;
    }
    const meta = engine.describeCollection(req);
    const fields = new Map(meta.schema.fields.filter((f) => !f.isDynamic).map((f) => [f.name, f]));
    bar?.start(0, 0);
    let rows = 0;
    for (const path of files) {
      const doc = parseJsonExact((await readUserFile(path, 'import file')).toString('utf8'), path);
      const list = (doc as { rows?: unknown } | null)?.rows;
      if (!Array.isArray(list)) throw invalidParam(path, 'must be a JSON object with a `rows` array');
      bar?.setTotal(bar.getTotal() + list.length);
      for (let at = 0; at < list.length; at += batchSize) {
        const batch = list.slice(at, at + batchSize).map((r, i) => normaliseRow(r, fields, `${path} rows[${at + i}]`));
        await engine.insert({ ...req, data: batch });
        rows += batch.length;
        bar?.update(rows);
      }
    }
    await engine.flush({ collection_names: [opts.collection], db_name: opts.db });
    return { rows, files, created };
  } finally {
    bar?.stop();
    await engine.close();
  }
}
