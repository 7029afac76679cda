/**
 * Fast serializers for the replies that carry rows: SearchResults (Search, HybridSearch) and
 * QueryResults (Query). The generic path (@grpc/proto-loader: protobufjs `fromObject`, then
 * `encode`) copies every float of every returned vector into a message object and then writes it
 * one float at a time; for a 784-d search returning its vectors that was most of the reply's cost.
 *
 * Protobuf messages may be written in pieces: fields in any order, repeated elements in the order
 * they appear, a length-delimited sub-message written as its bytes. So the reply is written as
 * - its small fields through protobufjs (the same encoder as the generic path), then
 * - `fields_data` element by element: a float-vector column's `float_vector.data` written as one
 *   packed block of little-endian f32 straight from a Float32Array, every other column (and the
 *   column's own small fields) through protobufjs;
 * - SearchResultData's packed `scores` likewise.
 * A decoder sees the same message the generic path writes (tests compare both).
 */
import protobuf from 'protobufjs';
import { messageType } from '../../../api/proto.js';

const SEARCH_RESULTS = messageType('milvus.proto.milvus.SearchResults');
const QUERY_RESULTS = messageType('milvus.proto.milvus.QueryResults');
const RESULT_DATA = messageType('milvus.proto.schema.SearchResultData');
const FIELD_DATA = messageType('milvus.proto.schema.FieldData');
const VECTOR_FIELD = messageType('milvus.proto.schema.VectorField');
const FLOAT_ARRAY = messageType('milvus.proto.schema.FloatArray');

function fieldId(type: protobuf.Type, name: string): number {
  const f = type.fields[name];
  if (!f) throw new TypeError(`${type.fullName} has no field ${name}`);
  return f.id;
}

const LEN = 2; // wire type of length-delimited fields
const TAG = {
  searchResults: (fieldId(SEARCH_RESULTS, 'results') << 3) | LEN,
  resultFields: (fieldId(RESULT_DATA, 'fields_data') << 3) | LEN,
  resultScores: (fieldId(RESULT_DATA, 'scores') << 3) | LEN,
  queryFields: (fieldId(QUERY_RESULTS, 'fields_data') << 3) | LEN,
  vectors: (fieldId(FIELD_DATA, 'vectors') << 3) | LEN,
  floatVector: (fieldId(VECTOR_FIELD, 'float_vector') << 3) | LEN,
  floatData: (fieldId(FLOAT_ARRAY, 'data') << 3) | LEN,
};

type Obj = Record<string, unknown>;

function generic(type: protobuf.Type, value: Obj): Uint8Array {
  return type.encode(type.fromObject(value)).finish();
}

/** Packed f32 bytes of `values` (numbers or a Float32Array). */
function f32Bytes(values: ArrayLike<number>): Uint8Array {
  const f = values instanceof Float32Array ? values : new Float32Array(values as number[]);
  return new Uint8Array(f.buffer, f.byteOffset, f.byteLength);
}

function floatVectorOf(col: Obj): ArrayLike<number> | undefined {
  const v = col['vectors'] as Obj | null | undefined;
  const fv = v?.['float_vector'] as { data?: unknown } | null | undefined;
  const data = fv?.data;
  return Array.isArray(data) || data instanceof Float32Array ? (data as ArrayLike<number>) : undefined;
}

/** One FieldData; a float-vector column's floats written as one block. */
function fieldDataBytes(col: Obj): Uint8Array {
  const floats = floatVectorOf(col);
  if (!floats) return generic(FIELD_DATA, col);
  const vectors = col['vectors'] as Obj;
  const head = generic(FIELD_DATA, { ...col, vectors: undefined });
  const vecHead = generic(VECTOR_FIELD, { ...vectors, float_vector: undefined });
  const floatArray = protobuf.Writer.create().uint32(TAG.floatData).bytes(f32Bytes(floats)).finish();
  const vectorField = concat([vecHead, protobuf.Writer.create().uint32(TAG.floatVector).bytes(floatArray).finish()]);
  return concat([head, protobuf.Writer.create().uint32(TAG.vectors).bytes(vectorField).finish()]);
}

function concat(parts: Uint8Array[]): Uint8Array {
  return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
}

/** `fields_data` elements under field tag `tag`. */
function fieldsBytes(tag: number, cols: unknown): Uint8Array[] {
  if (!Array.isArray(cols) || cols.length === 0) return [];
  const w = protobuf.Writer.create();
  for (const col of cols as Obj[]) w.uint32(tag).bytes(fieldDataBytes(col));
  return [w.finish()];
}

function resultDataBytes(data: Obj): Uint8Array {
  const parts = [generic(RESULT_DATA, { ...data, fields_data: [], scores: [] })];
  parts.push(...fieldsBytes(TAG.resultFields, data['fields_data']));
  const scores = data['scores'];
  if ((Array.isArray(scores) || scores instanceof Float32Array) && (scores as ArrayLike<number>).length > 0) {
    parts.push(protobuf.Writer.create().uint32(TAG.resultScores).bytes(f32Bytes(scores as ArrayLike<number>)).finish());
  }
  return concat(parts);
}

/** SearchResults (Search, HybridSearch). */
export function serializeSearchResults(reply: Obj): Buffer {
  const results = reply['results'];
  if (results === null || typeof results !== 'object' || Array.isArray(results)) return Buffer.from(generic(SEARCH_RESULTS, reply));
  const head = generic(SEARCH_RESULTS, { ...reply, results: undefined });
  const body = protobuf.Writer.create().uint32(TAG.searchResults).bytes(resultDataBytes(results as Obj)).finish();
  return Buffer.concat([head, body]);
}

/** QueryResults (Query). */
export function serializeQueryResults(reply: Obj): Buffer {
  const head = generic(QUERY_RESULTS, { ...reply, fields_data: [] });
  return Buffer.concat([head, ...fieldsBytes(TAG.queryFields, reply['fields_data'])]);
}

/** The serializers by RPC name, replacing proto-loader's for these methods. */
export const FAST_SERIALIZERS: Record<string, (reply: Obj) => Buffer> = {
  Search: serializeSearchResults,
  HybridSearch: serializeSearchResults,
  Query: serializeQueryResults,
};
