/**
 * The seed's Node snippet (shared/seed/search.md) through the legacy API it shows, with the official
 * SDK 2.2.6 (`milvus-sdk-legacy`): `collectionManager.loadCollection`, `dataManager.search` with
 * `search_params: {anns_field, topk, metric_type, params: JSON string}` and `vector_type`, against a
 * real `elanus serve`. The snippet's own `vector_type: 100` (BinaryVector) against its float field is
 * rejected with a clear 1100 instead of searching garbage; with 101 the results are exact.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { MilvusClient } from 'milvus-sdk-legacy';
import { bruteForce, randomVectors } from '../support/data.js';
import { startServe, type ServedProcess } from '../server/spawn-server.js';

const COLLECTION_NAME = 'seed_legacy';
const DIM = 8;
const N = 500;

let served: ServedProcess;
let milvusClient: MilvusClient;
const vectors = randomVectors(N, DIM, 11);

before(async () => {
  served = await startServe();
  milvusClient = new MilvusClient(served.address);
  // The 2.2 getters warn that the managers are deprecated aliases of the client.
  const warn = console.warn;
  console.warn = () => undefined;
  after(() => {
    console.warn = warn;
  });
});

after(async () => {
  milvusClient?.closeConnection();
  assert.equal(await served?.stop(), 0);
});

test('legacy 2.2 SDK: the seed snippet end to end', async () => {
  const created = await milvusClient.collectionManager.createCollection({
    collection_name: COLLECTION_NAME,
    fields: [
      { name: 'id', data_type: 5, is_primary_key: true, autoID: false, description: '' },
      { name: 'example_field', data_type: 101, type_params: { dim: String(DIM) }, description: '' },
    ],
  } as never);
  assert.equal(created.error_code, 'Success', created.reason);
  const partition = await milvusClient.partitionManager.createPartition({ collection_name: COLLECTION_NAME, partition_name: 'p1' });
  assert.equal(partition.error_code, 'Success', partition.reason);
  const half = N / 2;
  const rows = vectors.map((v, i) => ({ id: i, example_field: v }));
  const ins = await milvusClient.dataManager.insert({ collection_name: COLLECTION_NAME, fields_data: rows.slice(0, half) } as never);
  assert.equal(ins.status.error_code, 'Success', ins.status.reason);
  const ins2 = await milvusClient.dataManager.insert({ collection_name: COLLECTION_NAME, partition_name: 'p1', fields_data: rows.slice(half) } as never);
  assert.equal(ins2.status.error_code, 'Success', ins2.status.reason);
  const idx = await milvusClient.indexManager.createIndex({
    collection_name: COLLECTION_NAME,
    field_name: 'example_field',
    extra_params: { index_type: 'IVF_FLAT', metric_type: 'L2', params: JSON.stringify({ nlist: 16 }) },
  } as never);
  assert.equal(idx.error_code, 'Success', idx.reason);

  // 1. search parameters, exactly as the snippet writes them
  const searchParams = {
    anns_field: 'example_field',
    topk: '4',
    metric_type: 'L2',
    params: JSON.stringify({ nprobe: 10 }),
  };
  // 2. load
  const loaded = await milvusClient.collectionManager.loadCollection({ collection_name: COLLECTION_NAME });
  assert.equal(loaded.error_code, 'Success', loaded.reason);

  // 3. search — the snippet's vector_type 100 is BinaryVector, the field is a FloatVector: clear error
  const wrong = await milvusClient.dataManager.search({
    collection_name: COLLECTION_NAME,
    expr: '',
    vectors: [[1, 2, 3, 4, 5, 6, 7, 8]],
    search_params: searchParams,
    vector_type: 100,
  } as never);
  assert.equal(wrong.status.error_code, 'IllegalArgument', JSON.stringify(wrong.status));
  assert.match(wrong.status.reason, /BinaryVector.*example_field.*FloatVector/);
  assert.deepEqual(wrong.results, []);

  // ... and with the field's own type (FloatVector = 101) the hits are the exact nearest neighbours
  const q = [1, 2, 3, 4, 5, 6, 7, 8].map((x) => x / 10);
  const ok = await milvusClient.dataManager.search({
    collection_name: COLLECTION_NAME,
    expr: '',
    vectors: [q],
    search_params: { ...searchParams, params: JSON.stringify({ nprobe: 16 }) },
    vector_type: 101,
  } as never);
  assert.equal(ok.status.error_code, 'Success', ok.status.reason);
  const expected = bruteForce(vectors, q, 'L2', 4);
  assert.deepEqual(
    ok.results.map((r: { id: string }) => Number(r.id)),
    expected.map((e) => e[0]),
  );
  ok.results.forEach((r: { score: number }, i: number) => assert.ok(Math.abs(r.score - expected[i]![1]) < 1e-3, `${r.score} vs ${expected[i]![1]}`));

  // search in a specific partition
  const inP1 = await milvusClient.dataManager.search({
    collection_name: COLLECTION_NAME,
    partition_names: ['p1'],
    expr: '',
    vectors: [q],
    search_params: { ...searchParams, params: JSON.stringify({ nprobe: 16 }) },
    vector_type: 101,
  } as never);
  assert.equal(inP1.status.error_code, 'Success', inP1.status.reason);
  assert.deepEqual(
    inP1.results.map((r: { id: string }) => Number(r.id)),
    bruteForce(vectors.slice(half), q, 'L2', 4).map((e) => e[0] + half),
  );

  // 4. release; searching afterwards fails with "not loaded"
  const released = await milvusClient.collectionManager.releaseCollection({ collection_name: COLLECTION_NAME });
  assert.equal(released.error_code, 'Success', released.reason);
  const afterRelease = await milvusClient.dataManager.search({ collection_name: COLLECTION_NAME, expr: '', vectors: [q], search_params: searchParams, vector_type: 101 } as never);
  assert.notEqual(afterRelease.status.error_code, 'Success');
  assert.match(afterRelease.status.reason, /not loaded/);
});
