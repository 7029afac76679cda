/** The fast reply serializers write the same message as the generic protobufjs path. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DataType } from '../../../core/data-type.js';
import { messageType } from '../../../api/proto.js';
import { rowsToFieldData, type ColumnSpec } from './field-data.js';
import { serializeQueryResults, serializeSearchResults } from './result-wire.js';

const SDK_VIEW = { longs: String, enums: String, defaults: true, oneofs: true, bytes: String };

function generic(typeName: string, value: Record<string, unknown>): Uint8Array {
  const t = messageType(typeName);
  return t.encode(t.fromObject(value)).finish();
}

function decoded(typeName: string, bytes: Uint8Array): unknown {
  const t = messageType(typeName);
  return t.toObject(t.decode(bytes), SDK_VIEW);
}

const specs: ColumnSpec[] = [
  { name: 'id', fieldID: 100, dataType: DataType.Int64 },
  { name: 'tag', fieldID: 101, dataType: DataType.VarChar, nullable: true },
  { name: 'v', fieldID: 102, dataType: DataType.FloatVector, dim: 3 },
  { name: 'w', fieldID: 103, dataType: DataType.FloatVector, dim: 2, nullable: true },
  { name: 'b', fieldID: 104, dataType: DataType.BinaryVector, dim: 8 },
  { name: '$meta', fieldID: 105, dataType: DataType.JSON, isDynamic: true },
];
const rows = [
  { id: '1', tag: 'a', v: [0.1, 0.2, 0.3], w: [1, 2], b: [7], $meta: { x: 1 } },
  { id: '2', tag: null, v: [1e-40, -0, 3.5e38], w: null, b: [255], $meta: {} },
  { id: '-9007199254740993', tag: 'c', v: [Math.PI, -1, 0], w: [0.5, -0.5], b: [0], $meta: { y: 'z' } },
];

test('SearchResults: vectors, nulls, binary and dynamic columns, scores, ids, iterator info', () => {
  const reply = {
    status: { error_code: 0, code: 0, reason: '', retriable: false, detail: '' },
    results: {
      num_queries: 2,
      top_k: 2,
      fields_data: rowsToFieldData(rows, specs),
      scores: [0.25, 1.5, Math.E],
      ids: { int_id: { data: rows.map((r) => r.id) } },
      topks: [2, 1],
      output_fields: specs.map((s) => s.name),
      primary_field_name: 'id',
      search_iterator_v2_results: { token: 't', last_bound: 1.5 },
    },
    collection_name: 'c',
    session_ts: '123',
  };
  const type = 'milvus.proto.milvus.SearchResults';
  assert.deepEqual(decoded(type, serializeSearchResults(reply)), decoded(type, generic(type, reply)));
});

test('SearchResults: no hits, and a failure with empty results', () => {
  const type = 'milvus.proto.milvus.SearchResults';
  const empty = { status: { error_code: 0, code: 0 }, results: { num_queries: 1, top_k: 10, fields_data: rowsToFieldData([], specs), scores: [], ids: { int_id: { data: [] } }, topks: [0], output_fields: ['id'], primary_field_name: 'id' }, collection_name: 'c' };
  assert.deepEqual(decoded(type, serializeSearchResults(empty)), decoded(type, generic(type, empty)));
  const failed = { status: { error_code: 1, code: 1100, reason: 'bad' }, results: {} };
  assert.deepEqual(decoded(type, serializeSearchResults(failed)), decoded(type, generic(type, failed)));
});

test('QueryResults with vector columns', () => {
  const type = 'milvus.proto.milvus.QueryResults';
  const reply = { status: { error_code: 0, code: 0 }, fields_data: rowsToFieldData(rows, specs), collection_name: 'c', output_fields: ['id', 'v'], primary_field_name: 'id' };
  assert.deepEqual(decoded(type, serializeQueryResults(reply)), decoded(type, generic(type, reply)));
});
