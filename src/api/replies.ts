/**
 * Engine results → Milvus reply messages, in the shape of the SDK's own protobuf descriptors (field
 * names as in `milvus.proto.milvus.*Response`, Int64 as decimal strings or numbers, enums as numbers).
 * One encoder per reply: the gRPC server sends these as they are; the embedded client passes them
 * through `sdkView` (what the SDK's decoding makes of the same bytes) and the SDK's own
 * post-processing, so both transports answer with the same object.
 */
import { DataType } from '../core/data-type.js';
import type { FieldSchema } from '../core/schema.js';
import type { CollectionMeta, IndexMeta, PartitionMeta } from '../storage/index.js';
import type { LoadState } from '../core/data-type.js';
import { formatFunctions } from './sdk-format.js';

const FUNCTION_TYPE_NUMBERS: Record<string, number> = { BM25: 1, TextEmbedding: 2, Rerank: 3, MinHash: 4, MolFingerprint: 5 };

export interface WireKeyValue {
  key: string;
  value: string;
}

/** Milvus hybrid timestamp (physical ms << 18) as a decimal string. */
export function hybridTs(ms: number): string {
  return (BigInt(ms) << 18n).toString();
}

function stringValue(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'object' && v !== null) return JSON.stringify(v);
  return String(v);
}

/** A record (or a KeyValuePair list) as KeyValuePairs with string values. */
export function recordToKv(rec: unknown): WireKeyValue[] {
  if (Array.isArray(rec)) return rec.map((kv: { key: string; value: unknown }) => ({ key: String(kv.key), value: stringValue(kv.value) }));
  if (rec === null || typeof rec !== 'object') return [];
  return Object.entries(rec as Record<string, unknown>).map(([key, value]) => ({ key, value: stringValue(value) }));
}

function defaultValueWire(f: FieldSchema): Record<string, unknown> | null {
  const v = f.defaultValue;
  if (v === undefined || v === null) return null;
  switch (f.dataType) {
    case DataType.Bool:
      return { bool_data: v === true || v === 'true' };
    case DataType.Int8:
    case DataType.Int16:
    case DataType.Int32:
      return { int_data: Number(v) };
    case DataType.Int64:
      return { long_data: String(v) };
    case DataType.Float:
      return { float_data: Number(v) };
    case DataType.Double:
      return { double_data: Number(v) };
    case DataType.JSON:
      return { bytes_data: Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)) };
    default:
      return { string_data: String(v) };
  }
}

/** One engine field as `schema.FieldSchema` (dim, max_length, max_capacity among the type params). */
export function fieldToWire(f: FieldSchema): Record<string, unknown> {
  const typeParams: Record<string, string> = { ...f.typeParams };
  if (f.dim !== undefined) typeParams['dim'] = String(f.dim);
  if (f.maxLength !== undefined) typeParams['max_length'] = String(f.maxLength);
  if (f.maxCapacity !== undefined) typeParams['max_capacity'] = String(f.maxCapacity);
  return {
    fieldID: f.fieldID,
    name: f.name,
    is_primary_key: f.isPrimaryKey,
    description: f.description,
    data_type: f.dataType,
    type_params: recordToKv(typeParams),
    index_params: [],
    autoID: f.autoID,
    element_type: f.elementType ?? DataType.None,
    default_value: defaultValueWire(f),
    is_dynamic: false,
    is_partition_key: f.isPartitionKey,
    is_clustering_key: f.isClusteringKey,
    nullable: f.nullable,
    is_function_output: (f as { isFunctionOutput?: boolean }).isFunctionOutput === true,
  };
}

/** The fields a client may see: no `$meta`, no system fields. */
export function visibleFields(fields: readonly FieldSchema[]): FieldSchema[] {
  return fields.filter((f) => !f.isDynamic && (f.fieldID === 0 || f.fieldID >= 100));
}

/** DescribeCollectionResponse (without status). */
export function encodeDescribeCollection(meta: CollectionMeta): Record<string, unknown> {
  const fields = visibleFields(meta.schema.fields);
  return {
    schema: {
      name: meta.name,
      description: meta.schema.description,
      autoID: fields.some((f) => f.isPrimaryKey && f.autoID),
      fields: fields.map(fieldToWire),
      enable_dynamic_field: meta.schema.enableDynamicField,
      properties: [],
      functions: formatFunctions(meta).map((fn) => ({ ...fn, type: FUNCTION_TYPE_NUMBERS[fn['type'] as string] ?? 0 })),
      dbName: meta.dbName,
    },
    collectionID: meta.id,
    virtual_channel_names: [],
    physical_channel_names: [],
    created_timestamp: hybridTs(meta.createdAt),
    created_utc_timestamp: meta.createdAt,
    shards_num: meta.shardsNum,
    aliases: [...meta.aliases],
    consistency_level: meta.consistencyLevel,
    collection_name: meta.name,
    properties: recordToKv(meta.properties),
    db_name: meta.dbName,
    num_partitions: meta.numPartitions || meta.partitions.length,
    db_id: 0,
    update_timestamp: meta.createdAt,
    update_timestamp_str: String(meta.createdAt),
  };
}

/** ShowCollectionsResponse (without status). */
export function encodeShowCollections(list: readonly { meta: CollectionMeta; loadedPercentage: number; loadState: LoadState }[]): Record<string, unknown> {
  return {
    collection_names: list.map((c) => c.meta.name),
    collection_ids: list.map((c) => c.meta.id),
    created_timestamps: list.map((c) => hybridTs(c.meta.createdAt)),
    created_utc_timestamps: list.map((c) => c.meta.createdAt),
    inMemory_percentages: list.map((c) => c.loadedPercentage),
    query_service_available: list.map((c) => c.loadedPercentage >= 100),
    shards_num: list.map((c) => c.meta.shardsNum),
  };
}

/** ShowPartitionsResponse (without status). */
export function encodeShowPartitions(r: { partitions: readonly PartitionMeta[]; loaded: readonly boolean[] }): Record<string, unknown> {
  return {
    partition_names: r.partitions.map((p) => p.name),
    partitionIDs: r.partitions.map((p) => p.id),
    created_timestamps: r.partitions.map((p) => hybridTs(p.createdAt)),
    created_utc_timestamps: r.partitions.map((p) => p.createdAt),
    inMemory_percentages: r.loaded.map((l) => (l ? 100 : 0)),
  };
}

export interface IndexDescription {
  meta: IndexMeta;
  indexedRows: number;
  totalRows: number;
  pendingRows: number;
  state: number;
  failReason: string;
}

/** One IndexDescription (index_type, metric_type and params as KeyValuePairs, as Milvus lists them). */
export function encodeIndexDescription(d: IndexDescription): Record<string, unknown> {
  const params: Record<string, unknown> = { index_type: d.meta.indexType };
  if (d.meta.metricType) params['metric_type'] = d.meta.metricType;
  params['params'] = JSON.stringify(d.meta.params);
  Object.assign(params, d.meta.properties); // AlterIndex's properties, as Milvus lists them beside the params
  return {
    index_name: d.meta.indexName,
    indexID: d.meta.indexID,
    params: recordToKv(params),
    field_name: d.meta.fieldName,
    indexed_rows: d.indexedRows,
    total_rows: d.totalRows,
    pending_index_rows: d.pendingRows,
    state: d.state,
    index_state_fail_reason: d.failReason,
  };
}
