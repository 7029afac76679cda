/**
 * Collection schemas on the wire.
 *
 * - CreateCollection carries `schema` as BYTES of `schema.CollectionSchema` (field ids 0, the server
 *   assigns them; `enable_dynamic_field` inside). Decoded here into the SDK's `FieldType` list, which
 *   is what the engine's createCollection takes.
 * - DescribeCollection answers with `schema.FieldSchema`s built from the engine's description. The
 *   hidden `$meta` field and system fields (id < 100) are never listed: clients treat every listed
 *   field as an insert column; only `enable_dynamic_field` tells them about dynamic fields.
 * Replies read fields from the engine's own `FieldSchema` (core/schema.ts): the adapter keeps no
 * schema model of its own.
 */
import { invalidParam } from '../../../core/errors.js';
import { DYNAMIC_FIELD, type FieldSchema } from '../../../core/schema.js';
import { decodeMessage } from '../../../api/proto.js';
import type { CommonKeyValuePair, SchemaCollectionSchema, SchemaFieldSchema, SchemaValueField } from '../../../api/wire-types.js';
import type { ColumnSpec } from './field-data.js';

type WireKeyValue = CommonKeyValuePair;
type WireFieldSchema = SchemaFieldSchema;

export const CONSISTENCY_NAMES = ['Strong', 'Session', 'Bounded', 'Eventually', 'Customized'] as const;

export function kvToRecord(kvs: WireKeyValue[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const kv of kvs ?? []) out[kv.key] = kv.value;
  return out;
}

export function recordToKv(rec: unknown): WireKeyValue[] {
  if (Array.isArray(rec)) return rec.map((kv: { key: string; value: unknown }) => ({ key: String(kv.key), value: stringValue(kv.value) }));
  if (rec === null || typeof rec !== 'object') return [];
  return Object.entries(rec as Record<string, unknown>).map(([key, value]) => ({ key, value: stringValue(value) }));
}

function stringValue(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'object' && v !== null) return JSON.stringify(v);
  return String(v);
}

function valueFieldToJs(v: SchemaValueField | null): unknown {
  if (!v || !v.data) return undefined;
  const x = v[v.data];
  if (Buffer.isBuffer(x)) return x.toString('utf8');
  return x;
}

/** One proto FieldSchema → the SDK `FieldType` shape the engine takes. */
export function wireFieldToFieldType(f: WireFieldSchema): Record<string, unknown> {
  const typeParams = kvToRecord(f.type_params);
  const out: Record<string, unknown> = {
    name: f.name,
    description: f.description,
    data_type: f.data_type,
    is_primary_key: f.is_primary_key,
    is_partition_key: f.is_partition_key,
    is_clustering_key: f.is_clustering_key,
    autoID: f.autoID,
    nullable: f.nullable,
  };
  if (f.element_type) out['element_type'] = f.element_type;
  const dv = valueFieldToJs(f.default_value);
  if (dv !== undefined) out['default_value'] = dv;
  for (const key of ['dim', 'max_length', 'max_capacity'] as const) {
    const v = typeParams[key];
    if (v !== undefined) {
      out[key] = Number(v);
      delete typeParams[key];
    }
  }
  if (Object.keys(typeParams).length > 0) out['type_params'] = typeParams;
  if (f.is_function_output) out['is_function_output'] = true;
  return out;
}

/** CreateCollectionRequest fields → the engine's createCollection request. */
/** AddCollectionField's `schema`: BYTES of one `schema.FieldSchema`, as the SDK's `FieldType`. */
export function decodeAddedField(bytes: Uint8Array | undefined): Record<string, unknown> {
  if (!bytes || bytes.byteLength === 0) throw invalidParam('schema', 'the schema of the field to add is required');
  return wireFieldToFieldType(decodeMessage<WireFieldSchema>('milvus.proto.schema.FieldSchema', bytes));
}

export function decodeCreateCollection(req: {
  collection_name: string;
  schema: Uint8Array;
  shards_num: number;
  consistency_level: number;
  properties: WireKeyValue[];
  num_partitions: string;
}): Record<string, unknown> {
  if (!req.schema || req.schema.byteLength === 0) throw invalidParam('schema', 'the collection schema is required');
  const schema = decodeMessage<SchemaCollectionSchema>('milvus.proto.schema.CollectionSchema', req.schema);
  const functions = schema.functions.map((fn) => ({
    name: fn.name,
    description: fn.description,
    type: fn.type,
    input_field_names: fn.input_field_names,
    output_field_names: fn.output_field_names,
    params: kvToRecord(fn.params),
  }));
  const fields = schema.fields.filter((f) => !f.is_dynamic && f.name !== DYNAMIC_FIELD).map(wireFieldToFieldType);
  const out: Record<string, unknown> = {
    collection_name: req.collection_name,
    fields,
    description: schema.description,
    enable_dynamic_field: schema.enable_dynamic_field,
    consistency_level: CONSISTENCY_NAMES[req.consistency_level] ?? 'Bounded',
    ...(functions.length ? { functions } : {}),
    struct_array_fields: schema.struct_array_fields,
  };
  if (schema.autoID && !fields.some((f) => f['autoID'] === true)) {
    const pk = fields.find((f) => f['is_primary_key'] === true);
    if (pk) pk['autoID'] = true;
  }
  if (req.shards_num > 0) out['shards_num'] = req.shards_num;
  const numPartitions = Number(req.num_partitions);
  if (numPartitions > 0) out['num_partitions'] = numPartitions;
  const props = kvToRecord(req.properties);
  if (Object.keys(props).length > 0) out['properties'] = props;
  return out;
}

// ---------------------------------------------------------------- engine description → wire

/** The adapter's normalised view of a field. */
export function columnSpec(f: FieldSchema): ColumnSpec {
  const spec: ColumnSpec = { name: f.name, fieldID: f.fieldID, dataType: f.dataType, nullable: f.nullable, isDynamic: f.isDynamic };
  if (f.elementType) spec.elementType = f.elementType;
  if (f.dim !== undefined) spec.dim = f.dim;
  return spec;
}

/** The fields a client may see: no `$meta`, no system fields. */
export function visibleFields(fields: readonly FieldSchema[]): FieldSchema[] {
  return fields.filter((f) => !f.isDynamic && (f.fieldID === 0 || f.fieldID >= 100));
}
