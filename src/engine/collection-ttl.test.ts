/** Collection TTL (collection.ttl.seconds) in the engine: validation, the read path, compaction. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DataType } from '../core/data-type.js';
import { Engine } from './engine.js';
import { refusal } from '../../test/support/refusal.js';

const fields = [
  { name: 'id', data_type: DataType.Int64, is_primary_key: true },
  { name: 'v', data_type: DataType.FloatVector, dim: 4 },
];
const C = { collection_name: 'c' };
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

test('collection.ttl.seconds must be an integer in [-1, 3155760000]: 1100 naming it, nothing stored', async () => {
  const e = await Engine.open({ dataDir: null });
  for (const bad of ['abc', '1.5', '', 'true', '-2', '3155760001']) {
    const err = await refusal(e.catalog.createCollection({ ...C, fields, properties: { 'collection.ttl.seconds': bad } }));
    assert.equal(err.code, 1100, bad);
    assert.match(err.message, /"collection\.ttl\.seconds": collection TTL is (not a valid positive integer|out of range, expect \[-1, 3155760000\])/, bad);
  }
  assert.equal(e.catalog.hasCollection(C), false, 'nothing created');
  await e.catalog.createCollection({ ...C, fields, properties: { 'collection.ttl.seconds': 60 } });
  assert.equal(e.catalog.describeCollection(C).properties['collection.ttl.seconds'], '60');
  const err = await refusal(e.catalog.alterCollection({ ...C, properties: { 'collection.ttl.seconds': 'soon' } }));
  assert.equal(err.code, 1100);
  assert.equal(e.catalog.describeCollection(C).properties['collection.ttl.seconds'], '60', 'the old TTL stays');
  await e.catalog.alterCollection({ ...C, properties: { 'collection.ttl.seconds': -1 } });
  assert.equal(e.catalog.describeCollection(C).properties['collection.ttl.seconds'], '-1');
  const tf = await refusal(e.catalog.alterCollection({ ...C, properties: { ttl_field: 'ts' } }));
  assert.match(tf.message, /"ttl_field".*not supported/);
  await e.close();
});

test('rows older than now − TTL are invisible to query, get, count and search; compaction drops them', async () => {
  const e = await Engine.open({ dataDir: null });
  await e.catalog.createCollection({ ...C, fields });
  await e.indexes.createIndex({ ...C, field_name: 'v', index_type: 'FLAT', metric_type: 'L2' });
  await e.loads.loadCollection(C);
  await e.writes.insert({ ...C, data: [0, 1, 2].map((i) => ({ id: i, v: [i, 0, 0, 1] })) });
  await e.writes.flush({ collection_names: ['c'] });
  await sleep(1100);
  await e.writes.insert({ ...C, data: [3, 4].map((i) => ({ id: i, v: [i, 0, 0, 1] })) });
  await e.writes.upsert({ ...C, data: [{ id: 0, v: [0, 0, 0, 1] }] }); // rewritten: new again
  const ids = async (): Promise<number[]> => (await e.search.query({ ...C, filter: 'id >= 0', output_fields: ['id'] })).map((r) => Number(r['id'])).sort();
  assert.deepEqual(await ids(), [0, 1, 2, 3, 4]);
  await e.catalog.alterCollection({ ...C, properties: { 'collection.ttl.seconds': 1 } });
  assert.deepEqual(await ids(), [0, 3, 4], 'rows 1 and 2 (sealed, older than 1 s) are expired');
  assert.equal(await e.search.count(C), 3);
  assert.deepEqual((await e.search.get({ ...C, ids: [1, 3] })).map((r) => Number(r['id'])), [3]);
  const found = await e.search.search({ ...C, data: [[1, 0, 0, 1]], limit: 10 });
  assert.deepEqual(found.hits[0]!.map((h) => Number(h.pk)).sort(), [0, 3, 4]);
  const byIds = await refusal(e.search.search({ ...C, ids: [2], limit: 3 }));
  assert.match(byIds.message, /primary keys not found/);
  // Dropping the property brings them back until compaction removes them.
  await e.catalog.alterCollection({ ...C, delete_keys: ['collection.ttl.seconds'] });
  assert.deepEqual(await ids(), [0, 1, 2, 3, 4]);
  await e.catalog.alterCollection({ ...C, properties: { 'collection.ttl.seconds': 1 } });
  await e.writes.flush({ collection_names: ['c'] });
  const rows = (): number => e.jobs.segmentInfo(C, false).reduce((n, s) => n + s.numRows, 0);
  assert.equal(rows(), 6);
  const job = e.jobs.compact(C);
  while (e.jobs.getCompactionState({ compactionID: job.id }).state === 'Executing') await sleep(10);
  assert.equal(rows(), 3, 'the expired rows (and the deleted old row 0) are gone');
  await e.catalog.alterCollection({ ...C, delete_keys: ['collection.ttl.seconds'] });
  assert.deepEqual(await ids(), [0, 3, 4], 'gone for good');
  await e.close();
});
