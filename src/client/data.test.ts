/** Insert, upsert, delete, get, query, count, indexes and load/release through the embedded client. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MilvusClient, DataType } from '../index.js';

async function people(): Promise<MilvusClient> {
  const c = new MilvusClient({ address: ':memory:' });
  const st = await c.createCollection({
    collection_name: 'people',
    enable_dynamic_field: true,
    fields: [
      { name: 'pk', data_type: DataType.VarChar, max_length: 10, is_primary_key: true },
      { name: 'age', data_type: DataType.Int32 },
      { name: 'city', data_type: DataType.VarChar, max_length: 20, nullable: true },
      { name: 'score', data_type: DataType.Float, default_value: 1.5 },
      { name: 'v', data_type: DataType.FloatVector, dim: 2 },
    ],
  });
  assert.equal(st.code, 0, st.reason);
  const rows = Array.from({ length: 20 }, (_, i) => ({ pk: `p${i}`, age: 20 + i, city: i % 3 === 0 ? null : i % 2 ? 'paris' : 'rome', v: [Math.cos(i), Math.sin(i)], ...(i < 5 ? { score: i } : {}), ...(i === 1 ? { nick: 'bob' } : {}) }));
  assert.equal((await c.insert({ collection_name: 'people', data: rows })).status.code, 0);
  return c;
}

test('query, get, count need a loaded collection (101) and then work', async () => {
  const c = await people();
  assert.equal((await c.query({ collection_name: 'people', filter: 'age > 1' })).status.code, 101);
  assert.equal((await c.count({ collection_name: 'people' })).status.code, 101);
  // As the SDK's loadCollection: a failed load throws.
  await assert.rejects(c.loadCollection({ collection_name: 'people' }), /ErrorCode: IndexNotExist\. Reason: index not found/, 'no vector index yet');
  await c.createIndex({ collection_name: 'people', field_name: 'v', index_type: 'FLAT', metric_type: 'IP' });
  assert.equal((await c.loadCollection({ collection_name: 'people' })).code, 0);
  assert.equal((await c.count({ collection_name: 'people' })).data, 20);
  assert.equal((await c.count({ collection_name: 'people', filter: 'age >= 30' })).data, 10);
  const q = await c.query({ collection_name: 'people', filter: 'pk in ["p1", "p3"]', output_fields: ['age', 'city', 'score', 'nick'] });
  assert.equal(q.status.code, 0, q.status.reason);
  assert.deepEqual(q.data, [
    { pk: 'p1', age: 21, city: 'paris', score: 1, $meta: { nick: 'bob' } },
    { pk: 'p3', age: 23, city: null, score: 3, $meta: {} },
  ]);
  const dflt = await c.get({ collection_name: 'people', ids: ['p10'], output_fields: ['score', 'v'] });
  assert.equal(dflt.data[0]!.score, 1.5, 'default value filled in');
  assert.equal((dflt.data[0]!.v as number[]).length, 2);
  const page = await c.query({ collection_name: 'people', filter: 'age >= 20', limit: 3, offset: 2, output_fields: ['age'] });
  // rows come in primary-key order: p0, p1, p10, p11, p12, ...
  assert.deepEqual(page.data.map((r) => r.age), [30, 31, 32]);
  assert.equal((await c.query({ collection_name: 'people', filter: '' })).status.code, 1100, 'no filter and no limit');
  assert.equal((await c.query({ collection_name: 'people', filter: '', limit: 2 })).data.length, 2);
  assert.equal((await c.query({ collection_name: 'people', filter: 'age > ', limit: 2 })).status.code, 1100);
  assert.equal((await c.query({ collection_name: 'people', filter: 'age > 1', output_fields: ['nope'] })).data.length, 20, 'dynamic keys may be absent');
  const star = await c.query({ collection_name: 'people', filter: 'pk == "p1"', output_fields: ['*'] });
  assert.deepEqual(star.data[0]!.$meta, { nick: 'bob' }, 'query keeps dynamic keys under $meta, as Milvus does');
  assert.ok('v' in star.data[0]!);
  await c.close();
});

test('upsert replaces, delete by ids and by filter, deleted rows never come back', async () => {
  const c = await people();
  await c.createIndex({ collection_name: 'people', field_name: 'v', index_type: 'FLAT', metric_type: 'L2' });
  await c.loadCollection({ collection_name: 'people' });
  const up = await c.upsert({ collection_name: 'people', data: [{ pk: 'p2', age: 99, city: 'oslo', v: [0, 0] }, { pk: 'new', age: 1, city: 'x', v: [1, 1] }] });
  assert.equal(up.status.code, 0, up.status.reason);
  assert.equal(up.upsert_cnt, '2');
  assert.equal((await c.count({ collection_name: 'people' })).data, 21);
  assert.deepEqual((await c.get({ collection_name: 'people', ids: ['p2'], output_fields: ['age', 'city'] })).data, [{ pk: 'p2', age: 99, city: 'oslo' }]);
  // A delete by keys counts the keys given, as Milvus's simpleDelete does (a filter counts matched rows).
  const del = await c.delete({ collection_name: 'people', ids: ['p0', 'p1', 'missing'] });
  assert.equal(del.delete_cnt, '3');
  const delF = await c.delete({ collection_name: 'people', filter: 'age >= 35 and age < 99' });
  assert.equal(delF.status.code, 0, delF.status.reason);
  assert.equal(delF.delete_cnt, '5');
  assert.equal((await c.count({ collection_name: 'people' })).data, 14);
  const s = await c.search({ collection_name: 'people', data: [Math.cos(0), Math.sin(0)], limit: 50 });
  const ids = (s.results as Record<string, unknown>[]).map((h) => h.id);
  assert.equal(ids.length, 14);
  for (const gone of ['p0', 'p1', 'p15', 'p16', 'p17', 'p18', 'p19']) assert.ok(!ids.includes(gone), gone);
  assert.equal((await c.delete({ collection_name: 'people' })).status.code, 1100);
  await c.close();
});

test('insert validation: nothing is written when any row is bad', async () => {
  const c = await people();
  const bad: [Record<string, unknown>, RegExp][] = [
    [{ pk: 'a', age: 1, v: [1] }, /dimension mismatch.*dim is 2, got 1/],
    [{ pk: 'a', age: 'x', v: [1, 2] }, /age \(row 1\).*Int32/],
    [{ pk: 'a', age: 2 ** 40, v: [1, 2] }, /out of the Int32 range/],
    [{ age: 1, v: [1, 2] }, /missing primary key/],
    [{ pk: 'a', v: [1, 2] }, /missing value for field "age"/],
    [{ pk: 'abcdefghijk', age: 1, v: [1, 2] }, /exceeds max_length 10/],
    [{ pk: 'a', age: 1, v: [1, 'x'] }, /not a finite number/],
  ];
  for (const [row, re] of bad) {
    const r = await c.insert({ collection_name: 'people', data: [{ pk: 'good', age: 1, v: [0, 0] }, row] });
    assert.equal(r.status.code, 1100, JSON.stringify(row));
    assert.match(r.status.reason, re);
  }
  assert.equal((await c.getCollectionStatistics({ collection_name: 'people' })).data.row_count, '20');
  // As the SDK: an insert into a collection it cannot describe throws that describeCollection reply.
  await assert.rejects(c.insert({ collection_name: 'nope', data: [{}] }), (err: { status?: { code: number } }) => err.status?.code === 100);
  assert.equal((await c.insert({ collection_name: 'people', data: [] })).status.code, 1100);
  await c.close();
});

test('indexes: create/describe/list/drop, FLAT and AUTOINDEX, metric validation', async () => {
  const c = await people();
  assert.equal((await c.describeIndex({ collection_name: 'people' })).status.code, 700);
  assert.equal((await c.createIndex({ collection_name: 'people', field_name: 'v', index_type: 'FLAT', metric_type: 'HAMMING' })).code, 1100);
  assert.equal((await c.createIndex({ collection_name: 'people', field_name: 'nope', index_type: 'FLAT' })).code, 1100);
  assert.equal((await c.createIndex({ collection_name: 'people', field_name: 'v', index_type: 'AUTOINDEX', metric_type: 'L2', index_name: 'vi' })).code, 0);
  const d = await c.describeIndex({ collection_name: 'people', index_name: 'vi' });
  assert.equal(d.index_descriptions[0]!.field_name, 'v');
  assert.equal((d.index_descriptions[0]!['params'] as { key: string; value: string }[]).find((p) => p.key === 'metric_type')?.value, 'L2');
  assert.deepEqual((await c.listIndexes({ collection_name: 'people' })).indexes, ['vi']);
  assert.equal((await c.createIndex({ collection_name: 'people', field_name: 'v', index_type: 'FLAT', metric_type: 'IP', index_name: 'vi' })).code, 702);
  await c.loadCollection({ collection_name: 'people' });
  assert.equal((await c.dropIndex({ collection_name: 'people', index_name: 'vi' })).code, 1100, 'loaded');
  await c.releaseCollection({ collection_name: 'people' });
  assert.equal((await c.dropIndex({ collection_name: 'people', index_name: 'vi' })).code, 0);
  assert.deepEqual((await c.listIndexes({ collection_name: 'people' })).indexes, []);
  await c.close();
});

test('load: async + state/progress, release, reload', async () => {
  const c = await people();
  await c.createIndex({ collection_name: 'people', field_name: 'v', metric_type: 'COSINE' });
  assert.equal((await c.getLoadState({ collection_name: 'people' })).state, 'LoadStateNotLoad');
  assert.equal((await c.loadCollectionAsync({ collection_name: 'people' })).code, 0);
  for (let i = 0; i < 100; i++) {
    if ((await c.getLoadingProgress({ collection_name: 'people' })).progress === '100') break;
    await new Promise((r) => setTimeout(r, 10));
  }
  assert.equal((await c.getLoadState({ collection_name: 'people' })).state, 'LoadStateLoaded');
  assert.equal((await c.releaseCollection({ collection_name: 'people' })).code, 0);
  assert.equal((await c.getLoadState({ collection_name: 'people' })).state, 'LoadStateNotLoad');
  assert.equal((await c.getLoadState({ collection_name: 'nope' })).status.code, 100);
  assert.equal((await c.loadCollectionSync({ collection_name: 'people' })).code, 0);
  assert.equal((await c.count({ collection_name: 'people' })).data, 20);
  await c.close();
});
