/** FieldData columns ↔ rows for every data type, through real protobuf bytes; placeholder decoding. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DataType } from '../../../core/data-type.js';
import { decodeMessage, encodeMessage } from '../../../api/proto.js';
import { fieldDataToRows, rowsToFieldData, type ColumnSpec, type WireFieldData } from './field-data.js';
import { checkPlaceholderType, decodePlaceholderGroup, deferPlaceholderGroup, scanPlaceholderGroup } from './placeholder.js';
import { numbersToHalfBytes } from './vector-bytes.js';

/** Rows → FieldData → InsertRequest bytes → decoded like the server decodes requests → rows. */
function roundTrip(rows: Record<string, unknown>[], specs: ColumnSpec[], dynamicKeys: string[] = []): Record<string, unknown>[] {
  const fields_data = rowsToFieldData(rows, specs, dynamicKeys);
  const bytes = encodeMessage('milvus.proto.milvus.InsertRequest', { collection_name: 'c', num_rows: rows.length, fields_data });
  const decoded = decodeMessage<{ fields_data: WireFieldData[]; num_rows: number }>('milvus.proto.milvus.InsertRequest', bytes);
  return fieldDataToRows(decoded.fields_data, decoded.num_rows);
}

test('scalars of every type, nullable columns and Int64 as strings', () => {
  const specs: ColumnSpec[] = [
    { name: 'b', fieldID: 100, dataType: DataType.Bool },
    { name: 'i8', fieldID: 101, dataType: DataType.Int8 },
    { name: 'i16', fieldID: 102, dataType: DataType.Int16 },
    { name: 'i32', fieldID: 103, dataType: DataType.Int32, nullable: true },
    { name: 'i64', fieldID: 104, dataType: DataType.Int64 },
    { name: 'f', fieldID: 105, dataType: DataType.Float },
    { name: 'd', fieldID: 106, dataType: DataType.Double },
    { name: 's', fieldID: 107, dataType: DataType.VarChar, nullable: true },
    { name: 'j', fieldID: 108, dataType: DataType.JSON },
    { name: 'a', fieldID: 109, dataType: DataType.Array, elementType: DataType.Int64 },
    { name: 'as', fieldID: 110, dataType: DataType.Array, elementType: DataType.VarChar },
  ];
  const rows = [
    { b: true, i8: -128, i16: 300, i32: null, i64: 9007199254740993n, f: 0.5, d: 0.1, s: 'x', j: { k: [1, 'two'] }, a: [1n, -2n], as: ['p', 'q'] },
    { b: false, i8: 127, i16: -300, i32: 7, i64: '-5', f: -2.25, d: 1e300, s: null, j: null, a: [], as: ['ü'] },
  ];
  const back = roundTrip(rows, specs);
  assert.deepEqual(back, [
    { b: true, i8: -128, i16: 300, i32: null, i64: '9007199254740993', f: 0.5, d: 0.1, s: 'x', j: { k: [1, 'two'] }, a: ['1', '-2'], as: ['p', 'q'] },
    { b: false, i8: 127, i16: -300, i32: 7, i64: '-5', f: -2.25, d: 1e300, s: null, j: null, a: [], as: ['ü'] },
  ]);
});

test('vectors of every type, nullable vectors sent compact', () => {
  const specs: ColumnSpec[] = [
    { name: 'fv', fieldID: 100, dataType: DataType.FloatVector, dim: 3 },
    { name: 'bv', fieldID: 101, dataType: DataType.BinaryVector, dim: 16 },
    { name: 'h', fieldID: 102, dataType: DataType.Float16Vector, dim: 2 },
    { name: 'bf', fieldID: 103, dataType: DataType.BFloat16Vector, dim: 2 },
    { name: 'i8', fieldID: 104, dataType: DataType.Int8Vector, dim: 2 },
    { name: 'sp', fieldID: 105, dataType: DataType.SparseFloatVector },
    { name: 'nv', fieldID: 106, dataType: DataType.FloatVector, dim: 2, nullable: true },
  ];
  const rows = [
    { fv: [0.5, -1, 2], bv: [255, 1], h: [1.5, -0.25], bf: [2, -3], i8: [-128, 127], sp: { 3: 0.5, 10: 1.25 }, nv: null },
    { fv: [0, 0, 1], bv: [0, 128], h: [65504, 0], bf: [0.5, 1], i8: [0, -1], sp: { 0: 2 }, nv: [1, 2] },
  ];
  const fd = rowsToFieldData(rows, specs);
  const nv = fd[6] as { valid_data: boolean[]; vectors: { float_vector: { data: number[] } } };
  assert.deepEqual(nv.valid_data, [false, true]);
  assert.deepEqual(nv.vectors.float_vector.data, [1, 2], 'only the valid vector is sent');
  // Sparse rows come off the wire as {indices, values} in wire order (so repeated indices reach the row check).
  const wireSparse = [{ indices: [3, 10], values: [0.5, 1.25] }, { indices: [0], values: [2] }];
  assert.deepEqual(roundTrip(rows, specs), rows.map((r, i) => ({ ...r, sp: wireSparse[i] })));
});

test('the dynamic $meta column: nested and top-level keys in, top-level keys out', () => {
  const specs: ColumnSpec[] = [
    { name: 'id', fieldID: 100, dataType: DataType.Int64 },
    { name: '$meta', fieldID: 102, dataType: DataType.JSON, isDynamic: true },
  ];
  const rows = [{ id: '1', color: 'red', $meta: { n: 1 } }, { id: '2' }];
  assert.deepEqual(roundTrip(rows, specs, ['color']), [{ id: '1', color: 'red', n: 1 }, { id: '2' }]);
});

test('a column with the wrong number of values is rejected with 1100 naming the field', () => {
  const fd: WireFieldData[] = [{ type: DataType.Int64, field_name: 'id', scalars: { data: 'long_data', long_data: { data: ['1', '2'] } } }];
  assert.throws(() => fieldDataToRows(fd, 3), (e: { code: number; message: string }) => e.code === 1100 && /"id"/.test(e.message));
});

test('placeholder groups for every vector type', () => {
  const group = (type: number, values: Buffer[]): Uint8Array => encodeMessage('milvus.proto.common.PlaceholderGroup', { placeholders: [{ tag: '$0', type, values }] });
  const f32 = Buffer.from(new Float32Array([1, -0.5]).buffer);
  assert.deepEqual(decodePlaceholderGroup(group(DataType.FloatVector, [f32, f32])), { type: 101, values: [[1, -0.5], [1, -0.5]] });
  assert.deepEqual(decodePlaceholderGroup(group(DataType.BinaryVector, [Buffer.from([3, 250])])).values, [[3, 250]]);
  assert.deepEqual(decodePlaceholderGroup(group(DataType.Float16Vector, [numbersToHalfBytes([1.5, -2], false)])).values, [[1.5, -2]]);
  assert.deepEqual(decodePlaceholderGroup(group(DataType.BFloat16Vector, [numbersToHalfBytes([1.5, -2], true)])).values, [[1.5, -2]]);
  assert.deepEqual(decodePlaceholderGroup(group(DataType.Int8Vector, [Buffer.from([0xff, 0x01])])).values, [[-1, 1]]);
  const sparse = Buffer.alloc(16);
  sparse.writeUInt32LE(7, 0);
  sparse.writeFloatLE(0.5, 4);
  sparse.writeUInt32LE(9, 8);
  sparse.writeFloatLE(2, 12);
  assert.deepEqual(decodePlaceholderGroup(group(DataType.SparseFloatVector, [sparse])).values, [{ indices: [7, 9], values: [0.5, 2] }]);
  assert.deepEqual(decodePlaceholderGroup(group(DataType.VarChar, [Buffer.from('some text')])).values, ['some text']);
  assert.throws(() => decodePlaceholderGroup(new Uint8Array(0)), /no query vectors/);
  assert.throws(() => checkPlaceholderType(DataType.BinaryVector, { name: 'v', dataType: DataType.FloatVector }), /BinaryVector.*"v".*FloatVector/);
  checkPlaceholderType(DataType.FloatVector, { name: 'v', dataType: DataType.FloatVector });
});

test('placeholder groups are counted from the wire bytes, and decoded only once the count is allowed', () => {
  const group = (type: number, values: Buffer[]): Uint8Array => encodeMessage('milvus.proto.common.PlaceholderGroup', { placeholders: [{ tag: '$0', type, values }] });
  const f32 = Buffer.from(new Float32Array([1, -0.5]).buffer);
  assert.deepEqual(scanPlaceholderGroup(group(DataType.FloatVector, [f32, f32, f32])), { placeholders: 1, type: DataType.FloatVector, count: 3 });
  // Empty values are still values (proto3 repeated bytes keep them).
  assert.deepEqual(scanPlaceholderGroup(group(DataType.FloatVector, Array.from({ length: 1000 }, () => Buffer.alloc(0)))).count, 1000);
  const ok = deferPlaceholderGroup(group(DataType.VarChar, [Buffer.from('a'), Buffer.from('b')]));
  assert.equal(ok.count, 2);
  assert.deepEqual(ok.values.decode(), ['a', 'b']);
  const tooMany = deferPlaceholderGroup(group(DataType.FloatVector, Array.from({ length: 16385 }, () => f32)));
  assert.equal(tooMany.count, 16385);
  assert.throws(() => tooMany.values.decode(), (e: { code: number; message: string }) => e.code === 1100 && /"nq".*\[1, 16384\].*16385/.test(e.message));
  const two = encodeMessage('milvus.proto.common.PlaceholderGroup', { placeholders: [{ tag: '$0', type: 101, values: [f32] }, { tag: '$1', type: 101, values: [f32] }] });
  assert.throws(() => deferPlaceholderGroup(two), /expected one placeholder, got 2/);
  assert.throws(() => deferPlaceholderGroup(Uint8Array.from([0x0a, 0x05, 0x1a])), /truncated|broken/);
});
