/** Partial upsert (partial_update: true, Milvus 2.6 merge mode) in the engine. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DataType } from '../core/data-type.js';
import { Engine } from './engine.js';
import { refusal } from '../../test/support/refusal.js';

const C = { collection_name: 'p' };
const fields = [
  { name: 'id', data_type: DataType.Int64, is_primary_key: true },
  { name: 'v', data_type: DataType.FloatVector, dim: 2 },
  { name: 'title', data_type: DataType.VarChar, max_length: 32 },
  { name: 'n', data_type: DataType.Int32, nullable: true },
  { name: 'd', data_type: DataType.Int64, default_value: 9 },
];

async function open(): Promise<Engine> {
  const e = await Engine.open({ dataDir: null });
  await e.catalog.createCollection({ ...C, fields, enable_dynamic_field: true });
  await e.indexes.createIndex({ ...C, field_name: 'v', index_type: 'FLAT', metric_type: 'L2' });
  await e.loads.loadCollection(C);
  await e.writes.insert({ ...C, data: [1, 2].map((i) => ({ id: i, v: [i, 0], title: `t${i}`, n: i, d: i * 10, color: 'red', size: i })) });
  await e.writes.flush({ collection_names: ['p'] });
  await e.writes.insert({ ...C, data: [{ id: 3, v: [3, 0], title: 't3', n: null, color: 'blue' }] }); // growing
  return e;
}

const rows = async (e: Engine): Promise<Record<string, unknown>[]> =>
  (await e.search.query({ ...C, filter: 'id > 0', output_fields: ['id', 'v', 'title', 'n', 'd', '$meta'] })).map((r) => ({ ...r, v: Array.from(r['v'] as number[]) }));

test('the given fields replace the stored ones (sealed and growing rows), the others and the dynamic keys stay', async () => {
  const e = await open();
  const r = await e.writes.upsert({ ...C, partial_update: true, data: [{ id: 1, title: 'one', size: 100 }, { id: 3, title: 'three', shape: 'round' }] });
  assert.equal(r.count, 2);
  assert.deepEqual(await rows(e), [
    { id: '1', v: [1, 0], title: 'one', n: 1, d: '10', $meta: { color: 'red', size: 100 } },
    { id: '2', v: [2, 0], title: 't2', n: 2, d: '20', $meta: { color: 'red', size: 2 } },
    { id: '3', v: [3, 0], title: 'three', n: null, d: '9', $meta: { color: 'blue', shape: 'round' } },
  ]);
  // An explicit null sets null; a new key needs every required field, the rest read null / default.
  await e.writes.upsert({ ...C, partial_update: true, data: [{ id: 2, n: null }] });
  await e.writes.upsert({ ...C, partial_update: true, data: [{ id: 4, v: [4, 0], title: 'new' }] });
  const after = await rows(e);
  assert.equal(after[1]!['n'], null);
  assert.equal(after[1]!['title'], 't2');
  assert.deepEqual(after[3], { id: '4', v: [4, 0], title: 'new', n: null, d: '9', $meta: {} });
  assert.equal(await e.search.count(C), 4, 'the old versions are deleted');
  const hits = await e.search.search({ ...C, data: [[1, 0]], limit: 1, output_fields: ['title'] });
  assert.equal(hits.hits[0]![0]!.fields['title'], 'one', 'search sees the merged row');
  await e.close();
});

test('a new primary key without every required field, a bad value, or a released collection is refused; nothing is written', async () => {
  const e = await open();
  const missing = await refusal(e.writes.upsert({ ...C, partial_update: true, data: [{ id: 1, title: 'x' }, { id: 9, title: 'nine' }] }));
  assert.equal(missing.code, 1100);
  assert.equal(missing.message, 'fieldSchema(v) has no corresponding fieldData pass in: invalid parameter');
  const bad = await refusal(e.writes.upsert({ ...C, partial_update: true, data: [{ id: 1, n: 'x' }] }));
  assert.equal(bad.code, 1100);
  assert.match(bad.message, /n \(row 0\)/);
  const flag = await refusal(e.writes.upsert({ ...C, partial_update: 'yes' as unknown as boolean, data: [{ id: 1, n: 1 }] }));
  assert.match(flag.message, /"partial_update": must be a boolean/);
  assert.equal((await rows(e))[0]!['title'], 't1', 'row 1 unchanged');
  await e.loads.releaseCollection(C);
  const released = await refusal(e.writes.upsert({ ...C, partial_update: true, data: [{ id: 1, title: 'x' }] }));
  assert.equal(released.code, 101);
  assert.equal(released.message, 'failed to query: collection not loaded[collection=p]');
  await e.close();
});

test('a partition-key collection keeps each row in its partition; expired rows count as absent', async () => {
  const e = await Engine.open({ dataDir: null });
  await e.catalog.createCollection({
    collection_name: 'k',
    fields: [
      { name: 'id', data_type: DataType.Int64, is_primary_key: true },
      { name: 'v', data_type: DataType.FloatVector, dim: 2 },
      { name: 'tenant', data_type: DataType.VarChar, max_length: 8, is_partition_key: true },
      { name: 'n', data_type: DataType.Int32 },
    ],
    num_partitions: 4,
  });
  await e.indexes.createIndex({ collection_name: 'k', field_name: 'v', index_type: 'FLAT', metric_type: 'L2' });
  await e.loads.loadCollection({ collection_name: 'k' });
  await e.writes.insert({ collection_name: 'k', data: ['a', 'b', 'c', 'd'].map((t, i) => ({ id: i, v: [i, 1], tenant: t, n: i })) });
  await e.writes.upsert({ collection_name: 'k', partial_update: true, data: [0, 1, 2, 3].map((i) => ({ id: i, n: i + 100 })) });
  const got = await e.search.query({ collection_name: 'k', filter: 'id >= 0', output_fields: ['tenant', 'n'] });
  assert.deepEqual(got.map((r) => [r['tenant'], r['n']]), [['a', 100], ['b', 101], ['c', 102], ['d', 103]]);
  assert.deepEqual((await e.search.query({ collection_name: 'k', filter: 'tenant == "c"', output_fields: ['n'] })).map((r) => r['n']), [102]);
  await new Promise((r) => setTimeout(r, 1100));
  await e.catalog.alterCollection({ collection_name: 'k', properties: { 'collection.ttl.seconds': 1 } });
  const expired = await refusal(e.writes.upsert({ collection_name: 'k', partial_update: true, data: [{ id: 0, n: 5 }] }));
  assert.match(expired.message, /fieldSchema\(v\) has no corresponding fieldData/);
  await e.close();
});
