/**
 * Schema evolution (Milvus 2.6): AddCollectionField and AlterCollectionField. Each is one catalog
 * transaction (the manifest holds the new schema before memory does). An added field changes no file:
 * rows written before it read its default value or null (storage/added-fields.ts), on every segment,
 * after a restart and through compaction.
 *
 * The rules are Milvus's (proxy addCollectionFieldTask / alterCollectionFieldTask, rootcoord): only
 * nullable fields can be added (a scalar may have a default value besides; a vector, nullable since
 * 2.6, never has one, and the vector field limit holds), never a primary key, an auto-id, a partition
 * key, a struct array or a function output; at most 64 fields. Alterable field
 * properties: max_length (VarChar, Array of VarChar), max_capacity (Array), mmap.enabled
 * (`mmap_enabled` is the same key; not while the collection is loaded), field.description; only
 * mmap.enabled can be dropped.
 */
import { DataType, isVectorType, LoadState, parseDataType } from '../core/data-type.js';
import { ErrorCode, invalidParam, MilvusError } from '../core/errors.js';
import { DYNAMIC_FIELD, type FieldSchema } from '../core/schema.js';
import { forgetCompiledFilters } from '../expr/index.js';
import { checkName } from './names.js';
import { buildField, LIMITS, type FieldInput } from './schema-builder.js';
import type { CollectionReq } from './requests.js';
import { isStructArrayField, structArrayRefusal } from './request-checks.js';
import { stringProps, type EngineContext } from './context.js';

export interface AddFieldReq extends CollectionReq {
  field?: FieldInput;
}

export interface AlterFieldReq extends CollectionReq {
  field_name?: string;
  properties?: Record<string, unknown>;
  delete_keys?: string[];
}

const MMAP = 'mmap.enabled';
const DESCRIPTION = 'field.description';
const ALTERABLE = new Set(['max_length', 'max_capacity', MMAP, DESCRIPTION]);
const DROPPABLE = new Set([MMAP]);

/** `mmap_enabled` is Milvus's other spelling of `mmap.enabled` (proxy updateKey). */
function fieldKey(k: string): string {
  return k === 'mmap_enabled' ? MMAP : k;
}

export async function addCollectionField(ctx: EngineContext, req: AddFieldReq): Promise<void> {
  const rt = ctx.runtime(req);
  const inp = req.field;
  if (!inp || typeof inp !== 'object' || Array.isArray(inp)) throw invalidParam('field', 'addCollectionField needs the new field\'s schema in `field`');
  const name = inp.name;
  if (typeof name !== 'string') throw invalidParam('field.name', 'must be a string');
  checkName('field name', name);
  if (name === DYNAMIC_FIELD) throw invalidParam('field.name', `${DYNAMIC_FIELD} is the dynamic field; it cannot be added to an existing collection`);
  if (isStructArrayField(inp)) throw structArrayRefusal(name);
  const dataType = parseDataType(inp.data_type);
  if (inp.is_primary_key === true) throw invalidParam(`${name}.is_primary_key`, `not support to add pk field, field name = ${name}`);
  if (inp.nullable !== true) throw invalidParam(`${name}.nullable`, `added field must be nullable, please check it, field name = ${name}`);
  if (inp.autoID === true || inp.auto_id === true) throw invalidParam(`${name}.autoID`, `only primary field can speficy AutoID with true, field name = ${name}`);
  if (inp.is_partition_key === true) throw invalidParam(`${name}.is_partition_key`, `not support to add partition key field, field name = ${name}`);
  if (inp['is_function_output'] === true) throw invalidParam(`${name}.is_function_output`, 'a function output field cannot be added to an existing collection');
  const fields = rt.meta.schema.fields;
  if (fields.some((f) => f.name === name)) throw invalidParam('field.name', `duplicate field name: ${name}`);
  if (inp.is_clustering_key === true && fields.some((f) => f.isClusteringKey)) {
    throw invalidParam(`${name}.is_clustering_key`, `already has another clutering key field, field name: ${name}`);
  }
  // Milvus 2.6 adds nullable vector fields too (rows before it read null), up to the vector field limit.
  if (dataType !== undefined && isVectorType(dataType) && fields.filter((f) => isVectorType(f.dataType)).length >= LIMITS.maxVectorFields) {
    throw invalidParam(`${name}.data_type`, `maximum vector field's number should be limited to ${LIMITS.maxVectorFields}`);
  }
  const userFields = fields.filter((f) => !f.isDynamic).length;
  if (userFields >= LIMITS.maxFields) throw invalidParam('field', `The number of fields has reached the maximum value ${LIMITS.maxFields}`);
  const field = buildField(inp, Math.max(...fields.map((f) => f.fieldID)) + 1);
  await ctx.change(() => {
    // The same schema object every segment holds: they see the field from the next use on.
    const at = fields.findIndex((f) => f.isDynamic);
    if (at < 0) fields.push(field);
    else fields.splice(at, 0, field);
  });
  forgetCompiledFilters(rt.meta.schema);
}

export async function alterCollectionField(ctx: EngineContext, req: AlterFieldReq): Promise<void> {
  const rt = ctx.runtime(req);
  const fieldName = req.field_name;
  if (typeof fieldName !== 'string' || fieldName === '') throw invalidParam('field_name', 'must name a field of the collection');
  const props = Object.entries(stringProps(req.properties)).map(([k, v]) => [fieldKey(k), v] as const);
  const drops = (req.delete_keys ?? []).map(fieldKey);
  const field = rt.meta.schema.fields.find((f) => f.name === fieldName && !f.isDynamic);
  if (!field) throw invalidParam('field_name', `field ${fieldName} does not exist in collection ${rt.meta.name}`);
  const loaded = rt.load.state !== LoadState.NotLoad;
  const collectionLoaded = (what: string): MilvusError =>
    new MilvusError(ErrorCode.CollectionLoaded, `${what}: collection already loaded[collection=${rt.meta.name}]`);
  const changes: ((f: FieldSchema) => void)[] = [];
  for (const [key, value] of props) {
    if (!ALTERABLE.has(key)) throw invalidParam(`properties.${key}`, `${key} does not allow update in collection field param`);
    if (key === MMAP) {
      if (loaded) throw collectionLoaded('can not alter collection field properties if collection loaded');
      if (value !== 'true' && value !== 'false') throw invalidParam(`properties.${MMAP}`, `must be true or false, got ${JSON.stringify(value)}`);
      changes.push((f) => (f.typeParams[MMAP] = value));
    } else if (key === 'max_length') {
      if (!(field.dataType === DataType.VarChar || (field.dataType === DataType.Array && field.elementType === DataType.VarChar))) {
        throw invalidParam('properties.max_length', `${fieldName} can not modify the maxlength for non-string types`);
      }
      const n = intValue(value);
      if (n === undefined || n < 1) throw invalidParam('properties.max_length', `max_length should be an integer in [1, ${LIMITS.maxVarCharLength}], got ${JSON.stringify(value)}`);
      if (n > LIMITS.maxVarCharLength) throw invalidParam('properties.max_length', `${value} exceeds the maximum allowed value ${LIMITS.maxVarCharLength}`);
      changes.push((f) => (f.maxLength = n));
    } else if (key === 'max_capacity') {
      if (field.dataType !== DataType.Array) throw invalidParam('properties.max_capacity', `${fieldName} can not modify the maxcapacity for non-array types`);
      const n = intValue(value);
      if (n === undefined) throw invalidParam('properties.max_capacity', `the value for max_capacity of field ${fieldName} must be an integer`);
      if (n <= 0 || n > LIMITS.maxArrayCapacity) throw invalidParam('properties.max_capacity', `the maximum capacity specified for a Array should be in (0, ${LIMITS.maxArrayCapacity}]`);
      changes.push((f) => (f.maxCapacity = n));
    } else {
      changes.push((f) => (f.description = value));
    }
  }
  for (const key of drops) {
    if (!DROPPABLE.has(key)) throw invalidParam(`delete_keys.${key}`, `${key} is not allowed to drop in collection field param`);
    if (loaded) throw collectionLoaded('can not drop collection field properties if collection loaded');
    changes.push((f) => delete f.typeParams[key]);
  }
  if (changes.length === 0) return;
  await ctx.change(() => {
    for (const c of changes) c(field);
  });
  forgetCompiledFilters(rt.meta.schema);
}

function intValue(v: string): number | undefined {
  if (!/^-?\d+$/.test(v.trim())) return undefined;
  const n = Number(v);
  return Number.isSafeInteger(n) ? n : undefined;
}

