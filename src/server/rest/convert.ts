/**
 * REST request pieces → engine requests (fields, index params), and engine rows → REST rows with
 * Int64 values as bigints (the encoder renders them per `Accept-Type-Allow-Int64`).
 */
import { DataType, parseDataType } from '../../core/data-type.js';
import { invalidParam } from '../../core/errors.js';
import { DYNAMIC_FIELD, type FieldSchema } from '../../core/schema.js';
import type { Engine } from '../../engine/engine.js';
import type { CreateIndexReq } from '../../engine/requests.js';
import type { FieldInput } from '../../engine/schema-builder.js';
import { missing, reqStr, type Body } from './body.js';
import type { RestContext } from './route.js';

/** `{collection_name, db_name}` from `collectionName` / `dbName`. */
export function collectionOf(ctx: RestContext): { collection_name: string; db_name: string } {
  return { collection_name: reqStr(ctx.body, 'collectionName'), db_name: ctx.db };
}

function record(v: unknown, what: string): Body {
  if (v === undefined || v === null) return {};
  if (typeof v !== 'object' || Array.isArray(v)) throw invalidParam(what, 'must be a JSON object');
  return v as Body;
}

/** One `schema.fields[]` entry of collections/create → the engine's field input. */
export function fieldInput(raw: unknown, i: number, autoId: boolean, at = `schema.fields[${i}]`): FieldInput {
  const f = record(raw, at);
  if (typeof f.fieldName !== 'string' || f.fieldName === '') throw missing(`${at}.fieldName`);
  if (f.dataType === undefined || f.dataType === '') throw missing(`${at}.dataType`);
  const out: FieldInput = {
    name: f.fieldName,
    data_type: f.dataType,
    is_primary_key: f.isPrimary === true,
    is_partition_key: f.isPartitionKey === true,
    is_clustering_key: f.isClusteringKey === true,
    nullable: f.nullable === true,
    type_params: { ...record(f.elementTypeParams, `${at}.elementTypeParams`) },
  };
  if (typeof f.description === 'string') out.description = f.description;
  if (f.isPrimary === true && autoId) out.autoID = true;
  if (f.elementDataType !== undefined && f.elementDataType !== '') out.element_type = f.elementDataType;
  if (f.defaultValue !== undefined) out.default_value = f.defaultValue;
  return out;
}

/** One `indexParams[]` entry → the engine's createIndex request. */
export function indexInput(raw: unknown, i: number, coll: { collection_name: string; db_name: string }): CreateIndexReq {
  const p = record(raw, `indexParams[${i}]`);
  if (typeof p.fieldName !== 'string' || p.fieldName === '') throw missing(`indexParams[${i}].fieldName`);
  const params = { ...record(p.params, `indexParams[${i}].params`) };
  const indexType = p.indexType ?? params.index_type ?? 'AUTOINDEX';
  const metricType = p.metricType ?? params.metric_type;
  delete params.index_type;
  delete params.metric_type;
  const req: CreateIndexReq = { ...coll, field_name: p.fieldName, index_type: String(indexType), params };
  if (typeof p.indexName === 'string' && p.indexName !== '') req.index_name = p.indexName;
  if (metricType !== undefined && metricType !== '') req.metric_type = String(metricType);
  return req;
}

/** Schema fields by name, for rendering rows. */
export function fieldsOf(engine: Engine, coll: { collection_name: string; db_name: string }): Map<string, FieldSchema> {
  const meta = engine.catalog.describeCollection(coll);
  return new Map(meta.schema.fields.filter((f) => !f.isDynamic).map((f) => [f.name, f]));
}

const COUNT_COLUMN = 'count(*)';

function toBig(v: unknown): unknown {
  if (typeof v === 'string' && /^-?\d+$/.test(v)) return BigInt(v);
  if (typeof v === 'number' && Number.isInteger(v)) return BigInt(v);
  return v;
}

/**
 * A row as the engine returns it (Int64 as decimal strings) with Int64 schema values as bigints and
 * the dynamic field's keys flattened into the row, as Milvus's REST layer renders them.
 */
export function restRow(row: Record<string, unknown>, fields: Map<string, FieldSchema>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const meta = row[DYNAMIC_FIELD];
  for (const [k, v] of Object.entries(row)) {
    if (k === DYNAMIC_FIELD && typeof meta === 'object' && meta !== null && !Array.isArray(meta)) continue;
    const f = fields.get(k);
    if (k === COUNT_COLUMN) out[k] = toBig(v); // an Int64 column in Milvus, rendered like the others
    else if (!f || v === null || v === undefined) out[k] = v;
    else if (f.dataType === DataType.Int64) out[k] = toBig(v);
    else if (f.dataType === DataType.Array && f.elementType === DataType.Int64 && Array.isArray(v)) out[k] = v.map(toBig);
    else out[k] = v;
  }
  if (typeof meta === 'object' && meta !== null && !Array.isArray(meta)) {
    for (const [k, v] of Object.entries(meta as Record<string, unknown>)) if (!(k in out)) out[k] = v;
  }
  return out;
}

/** Primary keys as sent: Int64 keys may arrive as numbers or decimal strings. */
export function idList(v: unknown, key: string): (string | number)[] {
  if (v === undefined || v === null || v === '') throw missing(key);
  const list = Array.isArray(v) ? v : [v];
  if (list.length === 0) throw missing(key);
  for (const x of list) if (typeof x !== 'string' && typeof x !== 'number') throw invalidParam(key, 'must be a primary key or a list of primary keys');
  return list as (string | number)[];
}

/** `idType` of the quick create form: "Int64" (default) or "VarChar". */
export function quickIdType(v: unknown): DataType {
  if (v === undefined || v === null || v === '') return DataType.Int64;
  const t = parseDataType(v);
  if (t !== DataType.Int64 && t !== DataType.VarChar) throw invalidParam('idType', `must be Int64 or VarChar, got ${JSON.stringify(v)}`);
  return t;
}
