/**
 * `elanus export`: writes a collection in Milvus's bulk-insert formats, for moving to Milvus
 * distributed (`do_bulk_insert` / RESTful `jobs/import/create`):
 *
 * - `schema.json` — the collection in the SDK's `createCollection` request shape (`collection_name`,
 *   `description`, `enable_dynamic_field`, `fields: [{ name, data_type, is_primary_key, autoID, dim,
 *   max_length, element_type, max_capacity, nullable, default_value, ... }]`), so the target
 *   collection can be created first;
 * - `rows-000001.json`, `rows-000002.json`, ... — row-based JSON import files, `{"rows": [{...}, ...]}`,
 *   at most `rowsPerFile` rows each, in primary-key order. Int64 values are JSON numbers written digit
 *   for digit (exact beyond 2^53), vectors are arrays (sparse ones `{"index": value}` objects), nulls
 *   are `null`, dynamic keys are top-level keys, and an auto-id primary key is left out (Milvus
 *   assigns new ones on import, as it requires);
 * - or, with `format: 'parquet'`, Parquet files written by the official SDK's own `BulkWriter`
 *   (`<uuid>/chunk_N/data.parquet`), the column layout Milvus imports.
 */
import { join } from 'node:path';
import { SingleBar, Presets } from 'cli-progress';
import { DataType, dataTypeName } from '../core/data-type.js';
import { invalidParam } from '../core/errors.js';
import type { CollectionMeta } from '../storage/index.js';
import type { FieldSchema } from '../core/schema.js';
import { Engine } from '../engine/engine.js';
import { f32ToBf16, f32ToF16 } from '../index/reference/half.js';
import { appendUserFile, makeDir, writeUserFile } from '../storage/index.js';

export interface ExportOptions {
  data: string;
  collection: string;
  db?: string;
  out: string;
  /** Rows per `rows-NNNNNN.json` file (default 100000). */
  rowsPerFile?: number;
  /** `json` (row-based, default) or `parquet` (columnar, via the SDK's BulkWriter). */
  format?: 'json' | 'parquet';
  /** Show a progress bar on stderr (default true). */
  progress?: boolean;
}

export interface ExportResult {
  rows: number;
  files: string[];
}

const consistencyNames = ['Strong', 'Session', 'Bounded', 'Eventually', 'Customized'];

/** The collection as an SDK `createCollection` request. */
export function schemaJson(meta: CollectionMeta): Record<string, unknown> {
  const fields = meta.schema.fields.filter((f) => !f.isDynamic).map(fieldJson);
  const out: Record<string, unknown> = {
    collection_name: meta.name,
    description: meta.schema.description,
    enable_dynamic_field: meta.schema.enableDynamicField,
    consistency_level: consistencyNames[meta.consistencyLevel] ?? 'Bounded',
    fields,
  };
  if (meta.numPartitions > 0) out.num_partitions = meta.numPartitions;
  return out;
}

function fieldJson(f: FieldSchema): Record<string, unknown> {
  const out: Record<string, unknown> = {
    name: f.name,
    description: f.description,
    data_type: dataTypeName(f.dataType),
    is_primary_key: f.isPrimaryKey,
    autoID: f.autoID,
    is_partition_key: f.isPartitionKey,
    is_clustering_key: f.isClusteringKey,
    nullable: f.nullable,
  };
  if (f.dim !== undefined && f.dataType !== DataType.SparseFloatVector) out.dim = f.dim;
  if (f.maxLength !== undefined) out.max_length = f.maxLength;
  if (f.elementType !== undefined) out.element_type = dataTypeName(f.elementType);
  if (f.maxCapacity !== undefined) out.max_capacity = f.maxCapacity;
  if (f.defaultValue !== undefined) out.default_value = typeof f.defaultValue === 'bigint' ? f.defaultValue.toString() : f.defaultValue;
  if (Object.keys(f.typeParams).length > 0) out.type_params = { ...f.typeParams };
  return out;
}

const INT_TEXT = /^-?\d+$/;

function int64Text(v: unknown, field: string): string {
  const s = typeof v === 'bigint' ? v.toString() : String(v);
  if (!INT_TEXT.test(s)) throw invalidParam(field, `expected an Int64 value, got ${JSON.stringify(v)}`);
  return s;
}

/** A number as JSON, keeping the sign of zero (JSON.stringify writes -0 as 0). */
function numberText(x: unknown): string {
  return typeof x === 'number' && Object.is(x, -0) ? '-0' : jsonText(x);
}

const DENSE_VECTORS = new Set<number>([DataType.FloatVector, DataType.BinaryVector, DataType.Float16Vector, DataType.BFloat16Vector, DataType.Int8Vector]);

function jsonText(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? Number(x) : x)) ?? 'null';
}

/** One row as JSON text: Int64 values (and Int64 array elements) as exact number literals. */
export function rowJson(row: Record<string, unknown>, fields: ReadonlyMap<string, FieldSchema>): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(row)) {
    const f = fields.get(k);
    let text: string;
    if (v === null || v === undefined) text = 'null';
    else if (f?.dataType === DataType.Int64) text = int64Text(v, k);
    else if (f?.dataType === DataType.Array && f.elementType === DataType.Int64 && Array.isArray(v)) text = `[${v.map((x) => int64Text(x, k)).join(',')}]`;
    // A string in a JSON field is read as JSON text on import (by Milvus too): write its JSON text.
    else if (f?.dataType === DataType.JSON && typeof v === 'string') text = JSON.stringify(JSON.stringify(v));
    else if (f && DENSE_VECTORS.has(f.dataType) && Array.isArray(v)) text = `[${v.map(numberText).join(',')}]`;
    else if (f?.dataType === DataType.Float || f?.dataType === DataType.Double) text = numberText(v);
    else text = jsonText(v);
    parts.push(`${JSON.stringify(k)}:${text}`);
  }
  return `{${parts.join(',')}}`;
}

/** A row as the SDK's BulkWriter takes it for Parquet: half vectors as their bytes. */
function parquetRow(row: Record<string, unknown>, halves: ReadonlyMap<string, boolean>): Record<string, unknown> {
  for (const [name, bf] of halves) {
    const v = row[name];
    if (Array.isArray(v)) row[name] = new Uint8Array(Uint16Array.from(v as number[], (x) => (bf ? f32ToBf16(x) : f32ToF16(x))).buffer);
  }
  return row;
}

async function exportParquet(engine: Engine, meta: CollectionMeta, req: { collection_name: string; db_name?: string }, out: string, onRows: (n: number) => void): Promise<ExportResult> {
  const { BulkWriter } = await import('@zilliz/milvus2-sdk-node');
  const schema = schemaJson(meta);
  const writer = new BulkWriter({ schema: { enable_dynamic_field: meta.schema.enableDynamicField, fields: schema.fields }, format: 'parquet', localPath: out } as ConstructorParameters<typeof BulkWriter>[0]);
  const halves = new Map(meta.schema.fields.filter((f) => f.dataType === DataType.Float16Vector || f.dataType === DataType.BFloat16Vector).map((f) => [f.name, f.dataType === DataType.BFloat16Vector]));
  const autoPk = meta.schema.fields.find((f) => f.isPrimaryKey && f.autoID)?.name;
  let rows = 0;
  for await (const batch of engine.search.scanRows({ ...req, batchSize: 1000 })) {
    for (const row of batch) {
      if (autoPk !== undefined) delete row[autoPk];
      try {
        await writer.append(parquetRow(row, halves));
      } catch (err) {
        // The BulkWriter is stricter than Milvus in places (a JSON field must hold an object).
        throw invalidParam('format', `the Parquet writer refused row ${rows}: ${err instanceof Error ? err.message : String(err)}; --format json writes every value`);
      }
      rows++;
    }
    onRows(rows);
  }
  return { rows, files: (await writer.close()).flat() };
}

export async function exportCollection(opts: ExportOptions): Promise<ExportResult> {
  const perFile = opts.rowsPerFile ?? 100_000;
  if (!Number.isInteger(perFile) || perFile < 1) throw invalidParam('rows-per-file', `must be a positive integer, got ${String(opts.rowsPerFile)}`);
  const format = opts.format ?? 'json';
  if (format !== 'json' && format !== 'parquet') throw invalidParam('format', `must be json or parquet, got ${String(opts.format)}`);
  const engine = await Engine.open({ dataDir: opts.data, mustExist: true });
  const bar = opts.progress === false ? null : new SingleBar({ format: 'export |{bar}| {value}/{total} rows', stream: process.stderr }, Presets.shades_classic);
  try {
    const req = { collection_name: opts.collection, db_name: opts.db };
    const meta = engine.catalog.describeCollection(req);
    await makeDir(opts.out);
    await writeUserFile(join(opts.out, 'schema.json'), `${JSON.stringify(schemaJson(meta), null, 2)}\n`);
    if (format === 'parquet') {
      bar?.start(engine.catalog.getCollectionStatistics(req).rowCount, 0);
      return await exportParquet(engine, meta, req, opts.out, (n) => bar?.update(n));
    }
    const fields = new Map(meta.schema.fields.filter((f) => !f.isDynamic).map((f) => [f.name, f]));
    const autoPk = meta.schema.fields.find((f) => f.isPrimaryKey && f.autoID)?.name;
    bar?.start(engine.catalog.getCollectionStatistics(req).rowCount, 0);
    const files: string[] = [];
    let rows = 0;
    let inFile = 0;
    let path = '';
    for await (const batch of engine.search.scanRows({ ...req, batchSize: 1000 })) {
      let chunk = '';
      for (const row of batch) {
        if (inFile === perFile) {
          await appendUserFile(path, `${chunk}\n]}\n`);
          chunk = '';
          inFile = 0;
        }
        if (inFile === 0) {
          path = join(opts.out, `rows-${String(files.length + 1).padStart(6, '0')}.json`);
          files.push(path);
          await writeUserFile(path, '{"rows":[\n');
        }
        if (autoPk !== undefined) delete row[autoPk];
        chunk += `${inFile === 0 ? '' : ',\n'}${rowJson(row, fields)}`;
        inFile++;
        rows++;
      }
      await appendUserFile(path, chunk);
      bar?.setTotal(Math.max(rows, bar.getTotal()));
      bar?.update(rows);
    }
    if (files.length > 0) await appendUserFile(path, '\n]}\n');
    else {
      path = join(opts.out, 'rows-000001.json');
      files.push(path);
      await writeUserFile(path, '{"rows":[]}\n');
    }
    bar?.setTotal(rows);
    bar?.update(rows);
    return { rows, files };
  } finally {
    bar?.stop();
    await engine.close();
  }
}
