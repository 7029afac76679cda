// Struct array fields (Milvus 2.6 Array of Struct) are refused with 1100 naming the field, whichever
// way a request carries them; nothing is created. Transport parity is in test/compat/parity-table.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Engine } from './engine.js';
import { DataType } from '../core/data-type.js';

const base = [
  { name: 'id', data_type: DataType.Int64, is_primary_key: true },
  { name: 'v', data_type: DataType.FloatVector, dim: 4 },
];
const refusal = (name: string) => (e: { code?: number; message?: string }) =>
  e.code === 1100 && e.message === `invalid parameter "${name}": struct array fields (Array of Struct, with vector sub-fields and MAX_SIM embedding-list search) are not supported by Elanus`;

test('struct array fields are refused naming the field, in every form; nullable vectors are accepted', async () => {
  const e = await Engine.open({ dataDir: null });
  try {
    const sub = [{ name: 'frame', data_type: DataType.FloatVector, dim: 4 }];
    for (const [label, field] of [
      ['Array of Struct (201)', { name: 'clips', data_type: DataType.Array, element_type: 201, max_capacity: 4, fields: sub }],
      ['element type by name', { name: 'clips', data_type: 'Array', element_type: 'Struct', max_capacity: 4, fields: sub }],
      ['ArrayOfStruct (200)', { name: 'clips', data_type: 200, fields: sub }],
      ['ArrayOfVector (106)', { name: 'clips', data_type: 106, element_type: DataType.FloatVector, dim: 4 }],
    ] as const) {
      await assert.rejects(e.catalog.createCollection({ collection_name: 's', fields: [...base, field] as never }), refusal('clips'), label);
    }
    await assert.rejects(e.catalog.createCollection({ collection_name: 's', fields: base, struct_array_fields: [{ name: 'clips', fields: sub }] }), refusal('clips'));
    await assert.rejects(e.catalog.createCollection({ collection_name: 's', fields: base, struct_fields: [{ name: 'clips' }] }), refusal('clips'));
    assert.equal(e.catalog.hasCollection({ collection_name: 's' }), false);
    await e.catalog.createCollection({ collection_name: 'ok', fields: [...base, { name: 'nv', data_type: DataType.FloatVector, dim: 4, nullable: true }] });
    assert.equal(e.catalog.describeCollection({ collection_name: 'ok' }).schema.fields.find((f) => f.name === 'nv')?.nullable, true);
    await assert.rejects(e.catalog.addCollectionField({ collection_name: 'ok', field: { name: 'c2', data_type: DataType.Array, element_type: 201, nullable: true } }), refusal('c2'));
    // A vector has no default value, nullable or not.
    await assert.rejects(e.catalog.createCollection({ collection_name: 'd', fields: [base[0]!, { name: 'v', data_type: DataType.FloatVector, dim: 4, nullable: true, default_value: [0, 0, 0, 0] }] }), (err: { code?: number; message?: string }) => err.code === 1100 && /v\.default_value/.test(err.message ?? ''));
  } finally {
    await e.close();
  }
});
