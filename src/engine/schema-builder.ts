/**
 * Turns a createCollection request's field list (SDK `FieldType`s) into a validated CollectionSchema.
 * Rules follow Milvus: exactly one primary key (Int64 or VarChar), at least one vector field, dims and
 * lengths in range, unique names, partition key on a scalar Int64/VarChar field, and so on.
 */
import { DataType, dataTypeName, isVectorType, parseDataType } from '../core/data-type.js';
import { invalidParam, MilvusError, ErrorCode } from '../core/errors.js';
import { DYNAMIC_FIELD, type CollectionSchema, type FieldSchema, type FunctionSchema } from '../core/schema.js';
import { buildAnalyzer } from '../text/index.js';
import { MINHASH_REFUSAL } from '../index/index.js';
import { checkName } from './names.js';
import { geometryValue, timestamptzDefault } from './temporal-spatial.js';

export interface FieldInput {
  name?: string;
  description?: string;
  data_type?: unknown;
  element_type?: unknown;
  is_primary_key?: boolean;
  is_partition_key?: boolean;
  is_clustering_key?: boolean;
  autoID?: boolean;
  auto_id?: boolean;
  nullable?: boolean;
  default_value?: unknown;
  type_params?: Record<string, unknown>;
  dim?: unknown;
  max_length?: unknown;
  max_capacity?: unknown;
  [k: string]: unknown;
}

/** Text type params the SDK sends inside type_params (the embedded client also takes them top-level). */
const TEXT_PARAMS = ['enable_analyzer', 'enable_match', 'analyzer_params', 'multi_analyzer_params'];

export const LIMITS = {
  maxDim: 32768,
  maxVarCharLength: 65535,
  maxArrayCapacity: 4096,
  maxFields: 64,
  maxVectorFields: 4,
};

const allowedElementTypes = new Set<number>([
  DataType.Bool,
  DataType.Int8,
  DataType.Int16,
  DataType.Int32,
  DataType.Int64,
  DataType.Float,
  DataType.Double,
  DataType.VarChar,
]);

function intParam(field: string, key: string, v: unknown, min: number, max: number): number {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) {
    throw invalidParam(`${field}.${key}`, `must be an integer in [${min}, ${max}], got ${JSON.stringify(v)}`);
  }
  return n;
}

/** Converts a default value to the field's JS value type, or throws 1100. */
export function coerceDefault(f: FieldSchema, v: unknown): unknown {
  const bad = (): MilvusError => invalidParam(`${f.name}.default_value`, `${JSON.stringify(v)} is not a valid ${dataTypeName(f.dataType)}`);
  switch (f.dataType) {
    case DataType.Bool:
      if (typeof v === 'boolean') return v;
      if (v === 'true' || v === 'false') return v === 'true';
      throw bad();
    case DataType.Int8:
    case DataType.Int16:
    case DataType.Int32:
    case DataType.Int64: {
      const n = typeof v === 'string' ? Number(v) : v;
      if (typeof n === 'bigint') return f.dataType === DataType.Int64 ? n : Number(n);
      if (typeof n !== 'number' || !Number.isInteger(n)) throw bad();
      return f.dataType === DataType.Int64 ? BigInt(typeof v === 'string' ? v : n) : n;
    }
    case DataType.Float:
    case DataType.Double: {
      const n = typeof v === 'string' ? Number(v) : v;
      if (typeof n !== 'number' || Number.isNaN(n)) throw bad();
      return n;
    }
    case DataType.VarChar:
      if (typeof v !== 'string') throw bad();
      return v;
    case DataType.JSON:
      return typeof v === 'string' ? JSON.parse(v) : v;
    case DataType.Timestamptz:
      return timestamptzDefault(v, `${f.name}.default_value`);
    case DataType.Geometry:
      return geometryValue(v, `${f.name}.default_value`);
    default:
      throw invalidParam(`${f.name}.default_value`, `fields of type ${dataTypeName(f.dataType)} cannot have a default value`);
  }
}

/** One field of a schema (name already checked), validated by the rules of its type. */
export function buildField(inp: FieldInput, fieldID: number, partitionKeyField?: string): FieldSchema {
  const name = inp.name!;
  const dataType = parseDataType(inp.data_type);
  if (dataType === undefined || dataType === DataType.None) {
    throw invalidParam(`${name}.data_type`, `unknown data type ${JSON.stringify(inp.data_type)}`);
  }
  if (dataType === DataType.String) throw invalidParam(`${name}.data_type`, 'String is not supported for fields; use VarChar');
  const tp: Record<string, unknown> = { ...(inp.type_params ?? {}) };
  for (const k of ['dim', 'max_length', 'max_capacity', ...TEXT_PARAMS]) if (inp[k] !== undefined && tp[k] === undefined) tp[k] = inp[k];
  const f: FieldSchema = {
    fieldID,
    name,
    description: inp.description ?? '',
    dataType,
    isPrimaryKey: inp.is_primary_key === true,
    autoID: inp.autoID === true || inp.auto_id === true,
    isPartitionKey: inp.is_partition_key === true || (partitionKeyField !== undefined && partitionKeyField === name),
    isClusteringKey: inp.is_clustering_key === true,
    nullable: inp.nullable === true,
    isDynamic: false,
    typeParams: {},
  };
  if (isVectorType(dataType)) {
    if (dataType === DataType.SparseFloatVector) {
      f.dim = 0;
    } else {
      if (tp.dim === undefined) throw invalidParam(`${name}.dim`, 'vector fields need a dimension (type_params.dim)');
      f.dim = intParam(name, 'dim', tp.dim, 1, LIMITS.maxDim);
      if (dataType === DataType.BinaryVector && f.dim % 8 !== 0) throw invalidParam(`${name}.dim`, `binary vector dim must be a multiple of 8, got ${f.dim}`);
    }
    // Milvus 2.6: every vector type may be nullable (null rows are stored, skipped by search and by
    // index builds); a vector never has a default value (coerceDefault refuses one).
  }
  if (dataType === DataType.VarChar) {
    if (tp.max_length === undefined) throw invalidParam(`${name}.max_length`, 'VarChar fields need max_length');
    f.maxLength = intParam(name, 'max_length', tp.max_length, 1, LIMITS.maxVarCharLength);
  }
  if (dataType === DataType.Array) {
    const et = parseDataType(inp.element_type);
    if (et === undefined || !allowedElementTypes.has(et)) {
      throw invalidParam(`${name}.element_type`, `array element type must be one of Bool, Int8, Int16, Int32, Int64, Float, Double, VarChar; got ${JSON.stringify(inp.element_type)}`);
    }
    f.elementType = et;
    if (tp.max_capacity === undefined) throw invalidParam(`${name}.max_capacity`, 'Array fields need max_capacity');
    f.maxCapacity = intParam(name, 'max_capacity', tp.max_capacity, 1, LIMITS.maxArrayCapacity);
    if (et === DataType.VarChar) {
      if (tp.max_length === undefined) throw invalidParam(`${name}.max_length`, 'Array fields of VarChar need max_length');
      f.maxLength = intParam(name, 'max_length', tp.max_length, 1, LIMITS.maxVarCharLength);
    }
  }
  for (const [k, v] of Object.entries(tp)) {
    if (k === 'dim' || k === 'max_length' || k === 'max_capacity') continue;
    f.typeParams[k] = typeof v === 'string' ? v : JSON.stringify(v);
  }
  if (f.typeParams['enable_match'] === 'true' && f.typeParams['enable_analyzer'] !== 'true') {
    // Milvus: "field %s is set to enable match or bm25 function but not enable analyzer"
    throw invalidParam(`${name}.enable_match`, `field "${name}" sets enable_match but not enable_analyzer; text match needs the field analysed (set enable_analyzer: true)`);
  }
  if (f.typeParams['enable_analyzer'] === 'true' || f.typeParams['enable_match'] === 'true') {
    if (dataType !== DataType.VarChar) throw invalidParam(`${name}.enable_analyzer`, `only VarChar fields can be analysed, "${name}" is ${dataTypeName(dataType)}`);
    if (f.typeParams['multi_analyzer_params'] !== undefined) throw invalidParam(`${name}.multi_analyzer_params`, 'multi-language analyzers are not supported by Elanus; use analyzer_params');
    buildAnalyzer(f.typeParams['analyzer_params']);
  }
  if (f.isPrimaryKey) {
    if (dataType !== DataType.Int64 && dataType !== DataType.VarChar) {
      throw invalidParam(`${name}.data_type`, `the primary key must be Int64 or VarChar, got ${dataTypeName(dataType)}`);
    }
    if (f.nullable) throw invalidParam(`${name}.nullable`, 'the primary key cannot be nullable');
    if (inp.default_value !== undefined) throw invalidParam(`${name}.default_value`, 'the primary key cannot have a default value');
  } else if (f.autoID) {
    throw invalidParam(`${name}.autoID`, 'only the primary key can be auto-generated');
  }
  if (f.isPartitionKey) {
    if (f.isPrimaryKey) throw invalidParam(`${name}.is_partition_key`, 'the primary key cannot be the partition key');
    if (dataType !== DataType.Int64 && dataType !== DataType.VarChar) {
      throw invalidParam(`${name}.is_partition_key`, `the partition key must be Int64 or VarChar, got ${dataTypeName(dataType)}`);
    }
    if (f.nullable) throw invalidParam(`${name}.is_partition_key`, 'the partition key cannot be nullable');
  }
  if (inp.default_value !== undefined && inp.default_value !== null) f.defaultValue = coerceDefault(f, inp.default_value);
  return f;
}

export function buildSchema(
  collectionName: string,
  inputs: readonly FieldInput[],
  opts: { description?: string; enableDynamicField?: boolean; partitionKeyField?: string; functions?: readonly FunctionInput[] },
): CollectionSchema {
  if (!Array.isArray(inputs) || inputs.length === 0) throw invalidParam('fields', 'a collection needs at least one field');
  if (inputs.length > LIMITS.maxFields) throw invalidParam('fields', `at most ${LIMITS.maxFields} fields, got ${inputs.length}`);
  const fields: FieldSchema[] = [];
  const names = new Set<string>();
  inputs.forEach((inp, i) => {
    const name = inp.name;
    if (typeof name !== 'string') throw invalidParam(`fields[${i}].name`, 'must be a string');
    checkName('field name', name);
    if (names.has(name)) throw invalidParam(`fields[${i}].name`, `duplicate field name "${name}"`);
    names.add(name);
    fields.push(buildField(inp, 100 + i, opts.partitionKeyField));
  });
  const pks = fields.filter((f) => f.isPrimaryKey);
  if (pks.length === 0) throw invalidParam('fields', 'the schema has no primary key field (set is_primary_key on one Int64 or VarChar field)');
  if (pks.length > 1) throw invalidParam('fields', `only one primary key is allowed, got ${pks.map((f) => f.name).join(', ')}`);
  const vectors = fields.filter((f) => isVectorType(f.dataType));
  if (vectors.length === 0) throw invalidParam('fields', 'the schema needs at least one vector field');
  if (vectors.length > LIMITS.maxVectorFields) throw invalidParam('fields', `at most ${LIMITS.maxVectorFields} vector fields, got ${vectors.length}`);
  if (fields.filter((f) => f.isPartitionKey).length > 1) throw invalidParam('fields', 'only one partition key field is allowed');
  if (opts.partitionKeyField !== undefined && !fields.some((f) => f.name === opts.partitionKeyField)) {
    throw invalidParam('partition_key_field', `field "${opts.partitionKeyField}" does not exist`);
  }
  const enableDynamicField = opts.enableDynamicField === true;
  if (enableDynamicField) {
    if (names.has(DYNAMIC_FIELD)) throw new MilvusError(ErrorCode.ParameterInvalid, `field name ${DYNAMIC_FIELD} is reserved`);
    fields.push({
      fieldID: 100 + fields.length,
      name: DYNAMIC_FIELD,
      description: 'dynamic field',
      dataType: DataType.JSON,
      isPrimaryKey: false,
      autoID: false,
      isPartitionKey: false,
      isClusteringKey: false,
      nullable: false,
      isDynamic: true,
      typeParams: {},
    });
  }
  const functions = buildFunctions(fields, opts.functions ?? []);
  return { name: collectionName, description: opts.description ?? '', enableDynamicField, fields, ...(functions.length ? { functions } : {}) };
}

export interface FunctionInput {
  name?: unknown;
  description?: unknown;
  type?: unknown;
  input_field_names?: unknown;
  output_field_names?: unknown;
  params?: unknown;
}

/** Milvus FunctionType numbers (schema.proto) and the names the SDKs and REST use. */
const FUNCTION_TYPES: Record<string, string> = { '0': 'Unknown', '1': 'BM25', '2': 'TextEmbedding', '3': 'Rerank', '4': 'MinHash', '5': 'MolFingerprint' };

export function functionTypeName(t: unknown): string {
  const s = String(t ?? '');
  return FUNCTION_TYPES[s] ?? Object.values(FUNCTION_TYPES).find((n) => n.toLowerCase() === s.toLowerCase()) ?? s;
}

/**
 * Validates schema functions. BM25: one VarChar input with enable_analyzer, one SparseFloatVector
 * output, which becomes a function output (filled on insert, never by the user). Function types that
 * need a model or provider Elanus cannot run offline are refused naming the type.
 */
function buildFunctions(fields: FieldSchema[], inputs: readonly FunctionInput[]): FunctionSchema[] {
  if (!Array.isArray(inputs)) throw invalidParam('functions', 'must be a list of functions');
  const out: FunctionSchema[] = [];
  const names = new Set<string>();
  inputs.forEach((fn, i) => {
    const what = `functions[${i}]`;
    const name = typeof fn.name === 'string' ? fn.name : '';
    if (name === '') throw invalidParam(`${what}.name`, 'a function needs a name');
    if (names.has(name)) throw invalidParam(`${what}.name`, `duplicate function name "${name}"`);
    names.add(name);
    const type = functionTypeName(fn.type);
    if (type !== 'BM25') {
      if (type === 'MinHash') throw invalidParam(`${what}.type`, `function type MinHash: ${MINHASH_REFUSAL}`);
      if (type === 'TextEmbedding' || type === 'Rerank' || type === 'MinHash' || type === 'MolFingerprint') {
        throw invalidParam(`${what}.type`, `function type ${type} is not supported by Elanus (it runs offline, without model providers); only BM25 functions can be part of a schema`);
      }
      throw invalidParam(`${what}.type`, `unknown function type ${JSON.stringify(fn.type)}; Elanus supports BM25`);
    }
    const list = (v: unknown, key: string): string[] => {
      if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) throw invalidParam(`${what}.${key}`, 'must be a list of field names');
      return v as string[];
    };
    const ins = list(fn.input_field_names, 'input_field_names');
    const outs = list(fn.output_field_names, 'output_field_names');
    if (ins.length !== 1) throw invalidParam(`${what}.input_field_names`, `a BM25 function takes exactly one input field, got ${ins.length}`);
    if (outs.length !== 1) throw invalidParam(`${what}.output_field_names`, `a BM25 function has exactly one output field, got ${outs.length}`);
    const input = fields.find((f) => f.name === ins[0]);
    const output = fields.find((f) => f.name === outs[0]);
    if (!input) throw invalidParam(`${what}.input_field_names`, `field "${ins[0]}" does not exist`);
    if (!output) throw invalidParam(`${what}.output_field_names`, `field "${outs[0]}" does not exist`);
    if (input.dataType !== DataType.VarChar || input.typeParams['enable_analyzer'] !== 'true') {
      throw invalidParam(`${what}.input_field_names`, `the BM25 input "${input.name}" must be a VarChar field with enable_analyzer set`);
    }
    if (output.dataType !== DataType.SparseFloatVector) throw invalidParam(`${what}.output_field_names`, `the BM25 output "${output.name}" must be a SparseFloatVector field`);
    if (output.isFunctionOutput) throw invalidParam(`${what}.output_field_names`, `field "${output.name}" is already the output of another function`);
    if (output.isPrimaryKey || output.nullable) throw invalidParam(`${what}.output_field_names`, `the BM25 output "${output.name}" cannot be nullable`);
    output.isFunctionOutput = true;
    const params: Record<string, string> = {};
    if (fn.params && typeof fn.params === 'object') for (const [k, v] of Object.entries(fn.params)) params[k] = typeof v === 'string' ? v : JSON.stringify(v);
    out.push({ name, description: typeof fn.description === 'string' ? fn.description : '', type, inputFieldNames: ins, outputFieldNames: outs, params });
  });
  return out;
}
