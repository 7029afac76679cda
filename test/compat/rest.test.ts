/**
 * RESTful v2 suite: the official SDK's `HttpClient` against `startRestServer` over an in-process
 * engine, step by step next to the embedded `MilvusClient` doing the same operations; results must
 * agree. Also the REST-only rules: codes 1800/1801/1802, HTTP 200 always, Int64 rendering.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HttpClient } from '@zilliz/milvus2-sdk-node';
import { Engine } from '../../src/engine/engine.js';
import { MilvusClient, DataType } from '../../src/index.js';
import { restAuth, startRestServer, type RestServer } from '../../src/server/rest/index.js';
import { CredentialCache } from '../../src/server/auth/credential-cache.js';
import { engineCredentialStore } from '../../src/server/auth/credential-store.js';
import { randomVectors } from '../support/data.js';

const DIM = 8;
const N = 300;
const base = randomVectors(N, DIM, 11);
const rows = base.map((v, i) => ({ id: i, cat: i % 5, name: `n${i}`, tags: [i, i + 1], v, w: [i % 7, 1] }));

let dir: string;
let engine: Engine;
let server: RestServer;
let endpoint: string;
let http: HttpClient;
let emb: MilvusClient;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'elanus-rest-'));
  engine = await Engine.open({ dataDir: dir });
  server = await startRestServer(engine, { host: '127.0.0.1', port: 0 });
  endpoint = `http://127.0.0.1:${server.port}`;
  http = new HttpClient({ endpoint });
  emb = new MilvusClient({ address: ':memory:' });
});

after(async () => {
  await server?.close();
  await engine?.close();
  await emb?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

type Res = { code: number; message?: string; data?: unknown; topks?: number[] };
const ok = (r: Res, what: string): void => assert.equal(r.code, 0, `${what}: ${r.message ?? ''}`);
const okE = (st: { code: number; reason: string }, what: string): void => assert.equal(st.code, 0, `${what}: ${st.reason}`);

/** The embedded client nests dynamic keys under `$meta` (as gRPC Milvus does); REST flattens them. */
function flatMeta(list: Record<string, unknown>[]): Record<string, unknown>[] {
  return list.map((r) => {
    const { $meta, ...rest } = r as { $meta?: Record<string, unknown> };
    return { ...rest, ...($meta ?? {}) };
  });
}

async function raw(path: string, body: string, headers: Record<string, string> = {}): Promise<{ status: number; json: Res }> {
  const r = await fetch(`${endpoint}/v2/vectordb/${path}`, { method: 'POST', body, headers });
  return { status: r.status, json: (await r.json()) as Res };
}

/** Creates collection `name` through both clients: full schema, no index (not loaded). */
async function createFull(name: string): Promise<void> {
  ok(
    await http.createCollection({
      collectionName: name,
      schema: {
        autoID: false,
        enabledDynamicField: true,
        fields: [
          { fieldName: 'id', dataType: 'Int64', isPrimary: true },
          { fieldName: 'cat', dataType: 'Int64', isPartitionKey: false },
          { fieldName: 'name', dataType: 'VarChar', elementTypeParams: { max_length: 32 } },
          { fieldName: 'tags', dataType: 'Array', elementDataType: 'Int64', elementTypeParams: { max_capacity: 4 } },
          { fieldName: 'v', dataType: 'FloatVector', elementTypeParams: { dim: DIM } },
          { fieldName: 'w', dataType: 'FloatVector', elementTypeParams: { dim: 2 } },
        ],
      },
    } as Parameters<HttpClient['createCollection']>[0]),
    'create full',
  );
  okE(
    await emb.createCollection({
      collection_name: name,
      enable_dynamic_field: true,
      fields: [
        { name: 'id', data_type: DataType.Int64, is_primary_key: true },
        { name: 'cat', data_type: DataType.Int64 },
        { name: 'name', data_type: DataType.VarChar, max_length: 32 },
        { name: 'tags', data_type: DataType.Array, element_type: DataType.Int64, max_capacity: 4 },
        { name: 'v', data_type: DataType.FloatVector, dim: DIM },
        { name: 'w', data_type: DataType.FloatVector, dim: 2 },
      ],
    }),
    'create full (embedded)',
  );
}

async function indexAndLoad(name: string): Promise<void> {
  ok(
    await http.createIndex({
      collectionName: name,
      indexParams: [
        { fieldName: 'v', indexName: 'v_idx', metricType: 'L2', params: { index_type: 'FLAT' } },
        { fieldName: 'w', indexName: 'w_idx', metricType: 'L2', params: { index_type: 'FLAT' } },
      ],
    }),
    'create index',
  );
  okE(await emb.createIndex({ collection_name: name, field_name: 'v', index_name: 'v_idx', index_type: 'FLAT', metric_type: 'L2' }), 'index v');
  okE(await emb.createIndex({ collection_name: name, field_name: 'w', index_name: 'w_idx', index_type: 'FLAT', metric_type: 'L2' }), 'index w');
  ok(await http.loadCollection({ collectionName: name }), 'load');
  okE(await emb.loadCollection({ collection_name: name }), 'load (embedded)');
}

test('transport rules: any content type, 1801 bad JSON, 1802 missing parameter, 100 not found, HTTP 200', async () => {
  const list = await raw('collections/list', '{}', { 'Content-Type': 'text/plain' });
  assert.equal(list.status, 200);
  assert.equal(list.json.code, 0);
  assert.ok(Array.isArray(list.json.data));
  const bad = await raw('collections/list', '{not json', { 'Content-Type': 'application/json' });
  assert.equal(bad.status, 200);
  assert.equal(bad.json.code, 1801);
  const empty = await raw('collections/list', '');
  assert.equal(empty.json.code, 1801);
  const noName = await raw('collections/describe', '{"dbName":"default"}');
  assert.equal(noName.json.code, 1802);
  assert.match(noName.json.message ?? '', /collectionName/);
  const missing = (await http.describeCollection({ collectionName: 'nope' })) as Res;
  assert.equal(missing.code, 100);
  const embMissing = await emb.describeCollection({ collection_name: 'nope' });
  assert.equal(missing.code, embMissing.status.code);
  const noDb = (await http.listCollections({ dbName: 'no_such_db' })) as Res;
  assert.equal(noDb.code, 800);
});

test('quick create: id + vector, dynamic field, AUTOINDEX COSINE, loaded; insert and search like embedded', async () => {
  ok(await http.createCollection({ collectionName: 'quick', dimension: 4 }), 'quick create');
  okE(await emb.createCollection({ collection_name: 'quick', dimension: 4 }), 'quick create (embedded)');
  const d = (await http.describeCollection({ collectionName: 'quick' })) as Res & { data: Record<string, unknown> };
  ok(d, 'describe');
  const fields = d.data.fields as { name: string; type: string; primaryKey: boolean; params: { key: string; value: string }[] }[];
  assert.deepEqual(fields.map((f) => [f.name, f.type, f.primaryKey]), [['id', 'Int64', true], ['vector', 'FloatVector', false]]);
  assert.deepEqual(fields[1]!.params, [{ key: 'dim', value: '4' }]);
  assert.equal(d.data.enableDynamicField, true);
  assert.equal(d.data.load, 'LoadStateLoaded');
  assert.deepEqual(d.data.indexes, [{ fieldName: 'vector', indexName: 'vector', metricType: 'COSINE' }]);
  const qrows = Array.from({ length: 20 }, (_, i) => ({ id: i, vector: [1, i, i % 3, 0.5], color: i % 2 === 0 ? 'red' : 'blue' }));
  const ins = (await http.insert({ collectionName: 'quick', data: qrows })) as Res & { data: { insertCount: number; insertIds: string[] } };
  ok(ins, 'insert');
  assert.equal(ins.data.insertCount, 20);
  assert.deepEqual(ins.data.insertIds, qrows.map((r) => String(r.id)));
  okE((await emb.insert({ collection_name: 'quick', data: qrows })).status, 'insert (embedded)');
  const s = (await http.search({ collectionName: 'quick', data: [[1, 3, 1, 0.5]], limit: 5, outputFields: ['color'] } as Parameters<HttpClient['search']>[0])) as Res & { data: Record<string, unknown>[] };
  ok(s, 'search');
  assert.deepEqual(s.topks, [5]);
  const e = await emb.search({ collection_name: 'quick', data: [1, 3, 1, 0.5], limit: 5, output_fields: ['color'] });
  const eh = e.results as Record<string, unknown>[];
  assert.deepEqual(s.data.map((h) => h.id), eh.map((h) => h.id));
  assert.deepEqual(s.data.map((h) => h.color), eh.map((h) => h.color));
  s.data.forEach((h, i) => assert.ok(Math.abs((h.distance as number) - (eh[i]!.score as number)) < 1e-6));
});

test('full schema: insert, count, get, query with filters, upsert, delete, 101 when not loaded — same as embedded', async () => {
  await createFull('full');
  const d = (await http.describeCollection({ collectionName: 'full' })) as Res & { data: Record<string, unknown> };
  assert.equal(d.data.load, 'LoadStateNotLoad');
  const tags = (d.data.fields as { name: string; elementType?: string }[]).find((f) => f.name === 'tags');
  assert.equal(tags?.elementType, 'Int64');
  const st = (await http.getCollectionLoadState({ collectionName: 'full' })) as Res & { data: { loadState: string } };
  assert.equal(st.data.loadState, 'LoadStateNotLoad');

  for (let i = 0; i < N; i += 100) {
    const batch = rows.slice(i, i + 100).map((r) => ({ ...r, extra: r.id % 3 }));
    ok(await http.insert({ collectionName: 'full', data: batch }), 'insert');
    okE((await emb.insert({ collection_name: 'full', data: batch })).status, 'insert (embedded)');
  }
  const notLoaded = (await http.query({ collectionName: 'full', filter: 'id < 3', outputFields: ['id'] })) as Res;
  const embNotLoaded = await emb.query({ collection_name: 'full', filter: 'id < 3', output_fields: ['id'] });
  assert.equal(notLoaded.code, 101);
  assert.equal(notLoaded.code, embNotLoaded.status.code);

  await indexAndLoad('full');
  const loadState = (await http.getCollectionLoadState({ collectionName: 'full' })) as Res & { data: { loadState: string; loadProgress: number } };
  assert.deepEqual(loadState.data, { loadState: 'LoadStateLoaded', loadProgress: 100 });

  // defaults: limit 100, every field
  const dflt = (await http.query({ collectionName: 'full', filter: 'id >= 0' } as Parameters<HttpClient['query']>[0])) as Res & { data: Record<string, unknown>[] };
  ok(dflt, 'query with defaults');
  assert.equal(dflt.data.length, 100);
  assert.deepEqual(Object.keys(dflt.data[0]!).sort(), ['cat', 'extra', 'id', 'name', 'tags', 'v', 'w']);
  // count(*) is an Int64 column: a string under Accept-Type-Allow-Int64: false, as in Milvus
  const count = (await http.query({ collectionName: 'full', filter: '', outputFields: ['count(*)'] })) as Res & { data: { 'count(*)': string }[] };
  ok(count, 'count');
  assert.equal(count.data[0]!['count(*)'], String((await emb.count({ collection_name: 'full' })).data));
  assert.equal(count.data[0]!['count(*)'], String(N));
  const countNum = (await new HttpClient({ endpoint, acceptInt64: true }).query({ collectionName: 'full', filter: '', outputFields: ['count(*)'] })) as Res & { data: { 'count(*)': number }[] };
  assert.equal(countNum.data[0]!['count(*)'], N);

  const filters = ['cat == 2 and id > 100', 'name like "n1%"', 'array_contains(tags, 5)', 'extra == 1 and cat in [0, 4]', 'id in [1, 2, 3]'];
  for (const filter of filters) {
    const q = (await http.query({ collectionName: 'full', filter, outputFields: ['id', 'cat', 'name', 'tags', 'extra'], limit: 50 })) as Res & { data: unknown[] };
    ok(q, filter);
    const e = await emb.query({ collection_name: 'full', filter, output_fields: ['id', 'cat', 'name', 'tags', 'extra'], limit: 50 });
    assert.deepEqual(q.data, flatMeta(e.data), filter);
    assert.ok(q.data.length > 0, filter);
  }
  const g = (await http.get({ collectionName: 'full', id: [5, 7], outputFields: ['*'] })) as Res & { data: Record<string, unknown>[] };
  ok(g, 'get');
  const eg = await emb.get({ collection_name: 'full', ids: [5, 7], output_fields: ['*'] });
  assert.deepEqual(g.data, flatMeta(eg.data));
  assert.equal(g.data[0]!.cat, '0'); // Int64 as a string: the SDK sends Accept-Type-Allow-Int64: false

  const numeric = new HttpClient({ endpoint, acceptInt64: true });
  const gn = (await numeric.get({ collectionName: 'full', id: 5, outputFields: ['cat', 'tags'] })) as Res & { data: Record<string, unknown>[] };
  assert.deepEqual(gn.data, [{ id: 5, cat: 0, tags: [5, 6] }]);

  const up = rows.slice(0, 3).map((r) => ({ ...r, name: `u${r.id}` }));
  const u = (await http.upsert({ collectionName: 'full', data: up })) as Res & { data: { upsertCount: number; upsertIds: string[] } };
  ok(u, 'upsert');
  assert.deepEqual(u.data, { upsertCount: 3, upsertIds: ['0', '1', '2'] });
  okE((await emb.upsert({ collection_name: 'full', data: up })).status, 'upsert (embedded)');

  ok(await http.delete({ collectionName: 'full', filter: 'cat == 4' }), 'delete by filter');
  okE((await emb.delete({ collection_name: 'full', filter: 'cat == 4' })).status, 'delete (embedded)');
  ok(await http.delete({ collectionName: 'full', id: [10, 11] } as unknown as Parameters<HttpClient['delete']>[0]), 'delete by id');
  okE((await emb.delete({ collection_name: 'full', ids: [10, 11] })).status, 'delete by id (embedded)');

  const after1 = (await http.query({ collectionName: 'full', filter: 'id < 30', outputFields: ['id', 'name'], limit: 100 })) as Res & { data: unknown[] };
  const eAfter = await emb.query({ collection_name: 'full', filter: 'id < 30', output_fields: ['id', 'name'], limit: 100 });
  assert.deepEqual(after1.data, flatMeta(eAfter.data));
  const c2 = (await http.query({ collectionName: 'full', filter: '', outputFields: ['count(*)'] })) as Res & { data: { 'count(*)': string }[] };
  assert.equal(c2.data[0]!['count(*)'], String((await emb.count({ collection_name: 'full' })).data));

  const stats = (await http.getCollectionStatistics({ collectionName: 'full' })) as Res & { data: { rowCount: number } };
  ok(stats, 'stats');
  assert.equal(typeof stats.data.rowCount, 'number');
});

test('indexes: describe, list, drop; search with filter, output fields, several queries and hybrid search — same as embedded', async () => {
  const di = (await http.describeIndex({ collectionName: 'full', indexName: 'v_idx' })) as Res & { data: Record<string, unknown>[] };
  ok(di, 'describe index');
  assert.equal(di.data.length, 1);
  assert.deepEqual([di.data[0]!.fieldName, di.data[0]!.indexType, di.data[0]!.metricType, di.data[0]!.indexState], ['v', 'FLAT', 'L2', 'Finished']);
  const li = (await http.listIndexes({ collectionName: 'full' })) as Res & { data: string[] };
  assert.deepEqual([...li.data].sort(), ['v_idx', 'w_idx']);
  const missingIdx = (await http.describeIndex({ collectionName: 'full', indexName: 'zzz' })) as Res;
  assert.equal(missingIdx.code, 700);

  const q = base[42]!;
  const opts = { filter: 'cat in [1, 2] and id > 50', limit: 7 };
  const s = (await http.search({ collectionName: 'full', data: [q], annsField: 'v', ...opts, outputFields: ['name', 'cat', 'extra'] } as Parameters<HttpClient['search']>[0])) as Res & { data: Record<string, unknown>[] };
  ok(s, 'search');
  const e = await emb.search({ collection_name: 'full', data: q, anns_field: 'v', ...opts, output_fields: ['name', 'cat', 'extra'] });
  const eh = e.results as Record<string, unknown>[];
  assert.equal(s.data.length, 7);
  assert.deepEqual(s.data.map((h) => h.id), eh.map((h) => h.id));
  assert.deepEqual(s.data.map((h) => [h.name, h.cat, h.extra]), eh.map((h) => [h.name, h.cat, h.extra]));
  s.data.forEach((h, i) => assert.ok(Math.abs((h.distance as number) - (eh[i]!.score as number)) < 1e-5));

  // several query vectors: the SDK splits the flat rows by `topks`
  const multi = (await http.search({ collectionName: 'full', data: [base[1]!, base[2]!], annsField: 'v', limit: 3 } as Parameters<HttpClient['search']>[0])) as Res & { data: Record<string, unknown>[][] };
  ok(multi, 'multi search');
  assert.deepEqual(multi.topks, [3, 3]);
  const em = await emb.search({ collection_name: 'full', data: [base[1]!, base[2]!], anns_field: 'v', limit: 3 });
  assert.deepEqual(multi.data.map((l) => l.map((h) => h.id)), (em.results as Record<string, unknown>[][]).map((l) => l.map((h) => h.id)));

  const hy = (await http.hybridSearch({
    collectionName: 'full',
    search: [
      { data: [q], annsField: 'v', limit: 10 },
      { data: [[3, 1]], annsField: 'w', limit: 10, filter: 'cat != 0' },
    ],
    rerank: { strategy: 'rrf', params: { k: 60 } },
    limit: 5,
    outputFields: ['name'],
  })) as Res & { data: Record<string, unknown>[] };
  ok(hy, 'hybrid search');
  const eHy = await emb.hybridSearch({
    collection_name: 'full',
    data: [
      { data: q, anns_field: 'v', limit: 10 },
      { data: [3, 1], anns_field: 'w', limit: 10, filter: 'cat != 0' },
    ],
    rerank: { strategy: 'rrf', params: { k: 60 } },
    limit: 5,
    output_fields: ['name'],
  });
  assert.deepEqual(hy.data.map((h) => [h.id, h.name]), (eHy.results as Record<string, unknown>[]).map((h) => [h.id, h.name]));

  const wrongMetric = (await http.search({ collectionName: 'full', data: [q], annsField: 'v', limit: 3, searchParams: { metricType: 'IP' } } as unknown as Parameters<HttpClient['search']>[0])) as Res;
  const eWrong = await emb.search({ collection_name: 'full', data: q, anns_field: 'v', limit: 3, metric_type: 'IP' });
  assert.equal(wrongMetric.code, 1100);
  assert.equal(wrongMetric.code, eWrong.status.code);

  // release → 101 on search; drop index needs a released collection
  ok(await http.releaseCollection({ collectionName: 'full' }), 'release');
  okE(await emb.releaseCollection({ collection_name: 'full' }), 'release (embedded)');
  const s101 = (await http.search({ collectionName: 'full', data: [q], annsField: 'v', limit: 3 } as Parameters<HttpClient['search']>[0])) as Res;
  assert.equal(s101.code, 101);
  ok(await http.dropIndex({ collectionName: 'full', indexName: 'w_idx' }), 'drop index');
  const li2 = (await http.listIndexes({ collectionName: 'full' })) as Res & { data: string[] };
  assert.deepEqual(li2.data, ['v_idx']);
});

test('partitions: create, has, list, insert into, stats, search by partition, load/release, drop', async () => {
  await createFull('parts');
  ok(await http.createPartition({ collectionName: 'parts', partitionName: 'p1' }), 'create partition');
  okE(await emb.createPartition({ collection_name: 'parts', partition_name: 'p1' }), 'create partition (embedded)');
  const has = (await http.hasPartition({ collectionName: 'parts', partitionName: 'p1' })) as Res & { data: { has: boolean } };
  assert.deepEqual(has.data, { has: true });
  const list = (await http.listPartitions({ collectionName: 'parts' } as Parameters<HttpClient['listPartitions']>[0])) as Res & { data: string[] };
  const eList = await emb.listPartitions({ collection_name: 'parts' });
  assert.deepEqual(list.data, eList.partition_names);
  const inP1 = rows.slice(0, 40);
  const inDefault = rows.slice(40, 100);
  ok(await http.insert({ collectionName: 'parts', data: inP1, partitionName: 'p1' } as Parameters<HttpClient['insert']>[0]), 'insert p1');
  ok(await http.insert({ collectionName: 'parts', data: inDefault }), 'insert default');
  okE((await emb.insert({ collection_name: 'parts', data: inP1, partition_name: 'p1' })).status, 'insert p1 (embedded)');
  okE((await emb.insert({ collection_name: 'parts', data: inDefault })).status, 'insert default (embedded)');
  const ps = (await http.getPartitionStatistics({ collectionName: 'parts', partitionName: 'p1' })) as Res & { data: { rowCount: number } };
  const eps = await emb.getPartitionStatistics({ collection_name: 'parts', partition_name: 'p1' });
  assert.equal(ps.data.rowCount, Number(eps.data.row_count));
  await indexAndLoad('parts');
  const s = (await http.search({ collectionName: 'parts', data: [base[60]!], annsField: 'v', limit: 5, partitionNames: ['p1'] } as Parameters<HttpClient['search']>[0])) as Res & { data: Record<string, unknown>[] };
  ok(s, 'search p1');
  const e = await emb.search({ collection_name: 'parts', data: base[60]!, anns_field: 'v', limit: 5, partition_names: ['p1'] });
  assert.deepEqual(s.data.map((h) => h.id), (e.results as Record<string, unknown>[]).map((h) => h.id));
  for (const h of s.data) assert.ok(Number(h.id) < 40);
  ok(await http.releasePartitions({ collectionName: 'parts', partitionNames: ['p1'] }), 'release p1');
  const q = (await http.query({ collectionName: 'parts', filter: 'id >= 0', outputFields: ['count(*)'] })) as Res & { data: { 'count(*)': string }[] };
  okE(await emb.releasePartitions({ collection_name: 'parts', partition_names: ['p1'] }), 'release p1 (embedded)');
  const eq = await emb.count({ collection_name: 'parts', filter: 'id >= 0' });
  assert.equal(q.code, eq.status.code);
  if (q.code === 0) assert.equal(q.data[0]!['count(*)'], String(eq.data));
  ok(await http.loadPartitions({ collectionName: 'parts', partitionNames: ['p1'] }), 'load p1');
  ok(await http.releaseCollection({ collectionName: 'parts' }), 'release');
  ok(await http.dropPartition({ collectionName: 'parts', partitionName: 'p1' }), 'drop partition');
  const has2 = (await http.hasPartition({ collectionName: 'parts', partitionName: 'p1' })) as Res & { data: { has: boolean } };
  assert.deepEqual(has2.data, { has: false });
  const dup = (await http.createPartition({ collectionName: 'parts', partitionName: '_default' })) as Res;
  const eDup = await emb.createPartition({ collection_name: 'parts', partition_name: '_default' });
  assert.notEqual(dup.code, 0);
  assert.equal(dup.code, eDup.code);
});

test('aliases, rename, flush, has, drop', async () => {
  ok(await http.createAlias({ collectionName: 'quick', aliasName: 'qa' }), 'create alias');
  const da = (await http.describeAlias({ aliasName: 'qa' })) as Res & { data: Record<string, unknown> };
  assert.deepEqual(da.data, { aliasName: 'qa', collectionName: 'quick', dbName: 'default' });
  const la = (await http.listAliases({ collectionName: 'quick' } as Parameters<HttpClient['listAliases']>[0])) as Res & { data: string[] };
  assert.deepEqual(la.data, ['qa']);
  const viaAlias = (await http.query({ collectionName: 'qa', filter: 'id < 3', outputFields: ['id'] })) as Res & { data: unknown[] };
  assert.deepEqual(viaAlias.data, [{ id: '0' }, { id: '1' }, { id: '2' }]);
  ok(await http.alterAlias({ collectionName: 'full', aliasName: 'qa' }), 'alter alias');
  const da2 = (await http.describeAlias({ aliasName: 'qa' })) as Res & { data: Record<string, unknown> };
  assert.equal(da2.data.collectionName, 'full');
  ok(await http.dropAlias({ aliasName: 'qa' }), 'drop alias');
  const gone = (await http.describeAlias({ aliasName: 'qa' })) as Res;
  const eGone = await emb.describeAlias({ alias: 'qa' });
  assert.notEqual(gone.code, 0);
  assert.equal(gone.code, eGone.status.code);

  ok(await http.flushCollection({ collectionName: 'quick' } as Parameters<HttpClient['flushCollection']>[0]), 'flush');
  const compact = (await http.compactCollection({ collectionName: 'quick' } as Parameters<HttpClient['compactCollection']>[0])) as Res & { data: { compactionID: number } };
  ok(compact, 'compact');
  assert.ok(Number.isSafeInteger(compact.data.compactionID) && compact.data.compactionID > 0, `compactionID ${compact.data.compactionID}`);
  let state = { state: 'Executing' } as Record<string, unknown>;
  for (let i = 0; i < 100 && state['state'] === 'Executing'; i++) {
    const r = (await http.getCompactionState({ compactionID: compact.data.compactionID } as Parameters<HttpClient['getCompactionState']>[0])) as Res & { data: Record<string, unknown> };
    ok(r, 'compaction state');
    state = r.data;
    if (state['state'] === 'Executing') await new Promise((res) => setTimeout(res, 20));
  }
  assert.equal(state['state'], 'Completed');
  assert.equal(state['failedPlanNo'], '0');
  const eState = await emb.getCompactionState({ compactionID: '1' });
  const unknown = (await http.getCompactionState({ compactionID: 1 } as Parameters<HttpClient['getCompactionState']>[0])) as Res;
  assert.equal(unknown.code, 1100);
  assert.equal(unknown.code, eState.status.code);
  const noId = (await http.getCompactionState({} as Parameters<HttpClient['getCompactionState']>[0])) as Res;
  assert.equal(noId.code, 1802);
  ok(await http.renameCollection({ collectionName: 'quick', newCollectionName: 'quick2' }), 'rename');
  const has = (await http.hasCollection({ collectionName: 'quick2', dbName: 'default' })) as Res & { data: { has: boolean } };
  assert.deepEqual(has.data, { has: true });
  const hasOld = (await http.hasCollection({ collectionName: 'quick', dbName: 'default' })) as Res & { data: { has: boolean } };
  assert.deepEqual(hasOld.data, { has: false });
  ok(await http.dropCollection({ collectionName: 'quick2' }), 'drop');
  const list = (await http.listCollections()) as Res & { data: string[] };
  const eList = await emb.listCollections();
  assert.deepEqual([...list.data].sort(), ['full', 'parts']);
  assert.deepEqual([...list.data].sort(), eList.data.map((c) => c.name).filter((n) => n !== 'quick').sort());
  const dupe = (await http.createCollection({ collectionName: 'full', dimension: 4 })) as Res;
  assert.equal(dupe.code, 1900);
});

test('databases: create, list, describe, collections per database, drop', async () => {
  ok(await http.createDatabase({ dbName: 'db2' }), 'create db');
  okE(await emb.createDatabase({ db_name: 'db2' }), 'create db (embedded)');
  const list = (await http.listDatabases()) as Res & { data: string[] };
  assert.deepEqual([...list.data].sort(), [...(await emb.listDatabases()).db_names].sort());
  const d = (await http.describeDatabase({ dbName: 'db2' })) as Res & { data: Record<string, unknown> };
  ok(d, 'describe db');
  assert.equal(d.data.dbName, 'db2');
  const inDb2 = new HttpClient({ endpoint, database: 'db2' });
  ok(await inDb2.createCollection({ collectionName: 'c2', dimension: 3 }), 'create in db2');
  // the SDK's listCollections() defaults its body to {dbName: 'default'}; `{}` picks the client's database
  const viaHeader = await raw('collections/list', '{}', { 'DB-Name': 'db2' });
  assert.deepEqual(viaHeader.json.data, ['c2']);
  const l2 = (await inDb2.listCollections({} as Parameters<HttpClient['listCollections']>[0])) as Res & { data: string[] };
  assert.deepEqual(l2.data, ['c2']);
  const lDefault = (await http.listCollections()) as Res & { data: string[] };
  assert.ok(!lDefault.data.includes('c2'));
  const notEmpty = (await http.dropDatabase({ dbName: 'db2' })) as Res;
  okE(await emb.createCollection({ collection_name: 'c2', db_name: 'db2', dimension: 3 }), 'create in db2 (embedded)');
  const eNotEmpty = await emb.dropDatabase({ db_name: 'db2' });
  assert.equal(notEmpty.code, eNotEmpty.code);
  ok(await inDb2.dropCollection({ collectionName: 'c2' }), 'drop c2');
  ok(await http.dropDatabase({ dbName: 'db2' }), 'drop db');
  const missing = (await http.describeDatabase({ dbName: 'db2' })) as Res;
  assert.equal(missing.code, 800);
});

test('users and authentication: Bearer user:password, 1800 for bad credentials', async () => {
  ok(await http.createUser({ userName: 'alice', password: 'secret123' }), 'create user');
  okE(await emb.createUser({ username: 'alice', password: 'secret123' }), 'create user (embedded)');
  const users = (await http.listUsers()) as Res & { data: string[] };
  assert.deepEqual([...users.data].sort(), [...(await emb.listUsers()).usernames].sort());
  const du = (await http.describeUser({ userName: 'alice' })) as Res & { data: unknown };
  ok(du, 'describe user');
  const authed = await startRestServer(engine, { host: '127.0.0.1', port: 0, auth: restAuth(new CredentialCache(engineCredentialStore(engine))) });
  try {
    const ep = `http://127.0.0.1:${authed.port}`;
    const good = (await new HttpClient({ endpoint: ep, username: 'alice', password: 'secret123' }).listCollections()) as Res;
    ok(good, 'authorised list');
    // Milvus answers bad credentials with HTTP 401 and code 1800; the SDK raises an HttpError for it
    const is401 = (e: unknown): boolean => (e as { status?: number }).status === 401 && /"code":1800/.test((e as Error).message);
    await assert.rejects(new HttpClient({ endpoint: ep, username: 'alice', password: 'wrong' }).listCollections(), is401);
    await assert.rejects(new HttpClient({ endpoint: ep }).listCollections(), is401);
    const rawBad = await fetch(`${ep}/v2/vectordb/collections/list`, { method: 'POST', body: '{}', headers: { Authorization: 'Bearer alice:wrong' } });
    assert.equal(rawBad.status, 401);
    assert.deepEqual(await rawBad.json(), { code: 1800, message: "user hasn't authenticated" });
    ok(await http.updateUserPassword({ userName: 'alice', password: 'secret123', newPassword: 'secret456' }), 'update password');
    const newPw = (await new HttpClient({ endpoint: ep, username: 'alice', password: 'secret456' }).listCollections()) as Res;
    ok(newPw, 'new password');
    const basic = await fetch(`${ep}/v2/vectordb/collections/list`, { method: 'POST', body: '{}', headers: { Authorization: `Basic ${Buffer.from('alice:secret456').toString('base64')}` } });
    assert.equal(((await basic.json()) as Res).code, 0);
    // a password change through REST drops cached successes: the old password stops working at once
    const authedClient = new HttpClient({ endpoint: ep, username: 'alice', password: 'secret456' });
    ok(await authedClient.updateUserPassword({ userName: 'alice', password: 'secret456', newPassword: 'secret000' }), 'change via authed server');
    await assert.rejects(authedClient.listCollections(), is401);
    ok(await http.updateUserPassword({ userName: 'alice', password: 'secret000', newPassword: 'secret456' }), 'change back');
  } finally {
    await authed.close();
  }
  const wrongOld = (await http.updateUserPassword({ userName: 'alice', password: 'nope-nope', newPassword: 'secret789' })) as Res;
  const eWrongOld = await emb.updateUser({ username: 'alice', oldPassword: 'nope-nope', newPassword: 'secret789' });
  assert.equal(wrongOld.code, eWrongOld.code);
  ok(await http.dropUser({ userName: 'alice' }), 'drop user');
  const gone = (await http.describeUser({ userName: 'alice' })) as Res;
  assert.notEqual(gone.code, 0);
});

test('quick form variants (VarChar ids, auto ids), nullable/default fields, range and grouped search, Int64 as numbers', async () => {
  ok(await http.createCollection({ collectionName: 'vc', dimension: 2, idType: 'VarChar', params: { max_length: 16 } } as Parameters<HttpClient['createCollection']>[0]), 'varchar quick');
  ok(await http.insert({ collectionName: 'vc', data: [{ id: 'a', vector: [1, 0] }, { id: 'b', vector: [0, 1] }] }), 'insert vc');
  const g = (await http.get({ collectionName: 'vc', id: 'b', outputFields: ['id'] })) as Res & { data: unknown[] };
  assert.deepEqual(g.data, [{ id: 'b' }]);
  const d = (await http.describeCollection({ collectionName: 'vc' })) as Res & { data: { fields: { name: string; type: string; params: unknown }[] } };
  assert.deepEqual(d.data.fields[0], { ...d.data.fields[0], name: 'id', type: 'VarChar', params: [{ key: 'max_length', value: '16' }] });

  ok(await http.createCollection({ collectionName: 'auto', dimension: 2, autoID: true }), 'auto quick');
  const ins = (await http.insert({ collectionName: 'auto', data: [{ vector: [1, 0] }, { vector: [0, 1] }] })) as Res & { data: { insertIds: unknown[] } };
  ok(ins, 'insert auto');
  for (const id of ins.data.insertIds) assert.match(id as string, /^\d+$/);
  const numeric = new HttpClient({ endpoint, acceptInt64: true });
  const ins2 = (await numeric.insert({ collectionName: 'auto', data: [{ vector: [1, 1] }] })) as Res & { data: { insertIds: unknown[] } };
  assert.equal(typeof ins2.data.insertIds[0], 'number');
  const sn = (await numeric.search({ collectionName: 'auto', data: [[1, 1]], limit: 1 } as Parameters<HttpClient['search']>[0])) as Res & { data: Record<string, unknown>[] };
  assert.equal(typeof sn.data[0]!.id, 'number');

  const fields = [
    { fieldName: 'id', dataType: 'Int64', isPrimary: true },
    { fieldName: 'score', dataType: 'Double', nullable: true },
    { fieldName: 'label', dataType: 'VarChar', elementTypeParams: { max_length: 8 }, defaultValue: 'none' },
    { fieldName: 'v', dataType: 'FloatVector', elementTypeParams: { dim: DIM } },
  ];
  ok(
    await http.createCollection({
      collectionName: 'nd',
      schema: { fields },
      indexParams: [{ fieldName: 'v', indexName: 'v', metricType: 'L2', params: { index_type: 'FLAT' } }],
    } as unknown as Parameters<HttpClient['createCollection']>[0]),
    'create with index params',
  );
  okE(
    await emb.createCollection({
      collection_name: 'nd',
      fields: [
        { name: 'id', data_type: DataType.Int64, is_primary_key: true },
        { name: 'score', data_type: DataType.Double, nullable: true },
        { name: 'label', data_type: DataType.VarChar, max_length: 8, default_value: 'none' },
        { name: 'v', data_type: DataType.FloatVector, dim: DIM },
      ],
      index_params: [{ field_name: 'v', index_name: 'v', index_type: 'FLAT', metric_type: 'L2' }],
    } as Parameters<MilvusClient['createCollection']>[0]),
    'create nd (embedded)',
  );
  const loaded = (await http.getCollectionLoadState({ collectionName: 'nd' })) as Res & { data: { loadState: string } };
  assert.equal(loaded.data.loadState, 'LoadStateLoaded'); // indexParams covering every vector field → loaded
  const ndRows = base.slice(0, 60).map((v, i) => (i % 2 === 0 ? { id: i, v, score: i / 2, label: `l${i % 3}` } : { id: i, v }));
  ok(await http.insert({ collectionName: 'nd', data: ndRows }), 'insert nd');
  okE((await emb.insert({ collection_name: 'nd', data: ndRows })).status, 'insert nd (embedded)');
  const q = (await http.query({ collectionName: 'nd', filter: 'id < 6', outputFields: ['score', 'label'] })) as Res & { data: unknown[] };
  const eq = await emb.query({ collection_name: 'nd', filter: 'id < 6', output_fields: ['score', 'label'] });
  assert.deepEqual(q.data, eq.data);
  assert.deepEqual(q.data[1], { id: '1', score: null, label: 'none' });

  const all = await emb.search({ collection_name: 'nd', data: base[5]!, limit: 30 });
  const scores = (all.results as { score: number }[]).map((h) => h.score);
  const radius = scores[20]!;
  const rangeFilter = scores[5]!;
  const r = (await http.search({ collectionName: 'nd', data: [base[5]!], limit: 30, searchParams: { metricType: 'L2', params: { radius, range_filter: rangeFilter } } } as unknown as Parameters<HttpClient['search']>[0])) as Res & { data: Record<string, unknown>[] };
  ok(r, 'range search');
  const er = await emb.search({ collection_name: 'nd', data: base[5]!, limit: 30, params: { radius, range_filter: rangeFilter } });
  assert.deepEqual(r.data.map((h) => h.id), (er.results as Record<string, unknown>[]).map((h) => h.id));
  assert.ok(r.data.length > 0 && r.data.length < 30);

  const grouped = (await http.search({ collectionName: 'nd', data: [base[5]!], limit: 3, groupingField: 'label', outputFields: ['label'] } as unknown as Parameters<HttpClient['search']>[0])) as Res & { data: Record<string, unknown>[] };
  ok(grouped, 'grouped search');
  const eg = await emb.search({ collection_name: 'nd', data: base[5]!, limit: 3, group_by_field: 'label', output_fields: ['label'] });
  assert.deepEqual(grouped.data.map((h) => [h.id, h.label]), (eg.results as Record<string, unknown>[]).map((h) => [h.id, h.label]));
  assert.equal(new Set(grouped.data.map((h) => h.label)).size, grouped.data.length);
});

test('roles and grants, and import jobs, through the RESTful v2 API match the embedded client', async () => {
  ok(await http.createCollection({ collectionName: 'rq', dimension: DIM }), 'quick create (indexed, loaded)');
  ok(await http.createRole({ roleName: 'viewer' }), 'create role');
  okE(await emb.createRole({ roleName: 'viewer' }), 'create role (embedded)');
  const roles = (await http.listRoles()) as Res & { data: string[] };
  assert.deepEqual(roles.data, ((await emb.listRoles()).results as { role: { name: string } }[]).map((r) => r.role.name));
  ok(await http.grantPrivilegeToRole({ roleName: 'viewer', objectType: 'Collection', objectName: 'rq', privilege: 'Search' }), 'grant');
  ok(await http.grantPrivilegeToRole({ roleName: 'viewer', objectType: 'Global', objectName: '*', privilege: 'ShowCollections' }), 'grant global');
  const bad = (await http.grantPrivilegeToRole({ roleName: 'viewer', objectType: 'Collection', objectName: 'rq', privilege: 'Teleport' })) as Res;
  assert.equal(bad.code, 1100);
  const described = (await http.describeRole({ roleName: 'viewer' })) as Res & { data: { objectType: string; objectName: string; privilege: string }[] };
  assert.deepEqual(described.data.map((g) => [g.objectType, g.objectName, g.privilege]), [['Collection', 'rq', 'Search'], ['Global', '*', 'ShowCollections']]);
  ok(await http.createUser({ userName: 'carol', password: 'carol-pw-1' }), 'create user');
  ok(await http.grantRoleToUser({ userName: 'carol', roleName: 'viewer' }), 'grant role');
  assert.deepEqual(((await http.describeUser({ userName: 'carol' })) as Res & { data: string[] }).data, ['viewer']);
  const authed = await startRestServer(engine, { host: '127.0.0.1', port: 0, auth: restAuth(new CredentialCache(engineCredentialStore(engine))) });
  try {
    const carol = new HttpClient({ endpoint: `http://127.0.0.1:${authed.port}`, username: 'carol', password: 'carol-pw-1' });
    const q = base[0]!;
    assert.equal(((await carol.search({ collectionName: 'rq', data: [q], limit: 2 } as never)) as Res).code, 0);
    assert.equal(((await carol.insert({ collectionName: 'rq', data: [{ id: 999, vector: q }] })) as Res).code, 1401);
    ok(await http.revokePrivilegeFromRole({ roleName: 'viewer', objectType: 'Collection', objectName: 'rq', privilege: 'Search' }), 'revoke');
    assert.equal(((await carol.search({ collectionName: 'rq', data: [q], limit: 2 } as never)) as Res).code, 1401);
  } finally {
    await authed.close();
  }
  ok(await http.revokeRoleFromUser({ userName: 'carol', roleName: 'viewer' }), 'revoke role');
  assert.equal(((await http.dropRole({ roleName: 'viewer' })) as Res).code, 1100, 'a role with grants left needs them revoked');
  ok(await http.revokePrivilegeFromRole({ roleName: 'viewer', objectType: 'Global', objectName: '*', privilege: 'ShowCollections' }), 'revoke global');
  ok(await http.dropRole({ roleName: 'viewer' }), 'drop role');
  ok(await http.dropUser({ userName: 'carol' }), 'drop user');

  // Import jobs: row-based JSON files on this machine, all or nothing.
  const file = join(dir, 'import-rows.json');
  const { writeFileSync } = await import('node:fs');
  writeFileSync(file, JSON.stringify({ rows: Array.from({ length: 40 }, (_, i) => ({ id: 5000 + i, vector: base[i]!, name: `imp${i}` })) }));
  const created = (await http.createImportJobs({ collectionName: 'rq', files: [[file]] } as never)) as Res & { data: { jobId: string } };
  ok(created, 'create import job');
  let progress: Res & { data: { state: string; progress: number; importedRows: number } } = { code: 0, data: { state: 'Pending', progress: 0, importedRows: 0 } };
  for (let i = 0; i < 200 && !['Completed', 'Failed'].includes(progress.data.state); i++) {
    progress = (await http.getImportJobProgress({ jobId: created.data.jobId } as never)) as typeof progress;
    await new Promise((r) => setTimeout(r, 10));
  }
  assert.equal(progress.data.state, 'Completed', JSON.stringify(progress));
  assert.equal(progress.data.progress, 100);
  assert.equal(progress.data.importedRows, 40);
  const list = (await http.listImportJobs({ collectionName: 'rq' } as never)) as Res & { data: { records: { jobId: string; state: string }[] } };
  assert.deepEqual(list.data.records.map((r) => [r.jobId, r.state]), [[created.data.jobId, 'Completed']]);
  const got = (await http.get({ collectionName: 'rq', id: [5039], outputFields: ['name'] } as never)) as Res & { data: { name: string }[] };
  assert.deepEqual(got.data.map((r) => r.name), ['imp39']);
  assert.equal(((await http.createImportJobs({ collectionName: 'rq', files: [] } as never)) as Res).code, 1100);

  // Numpy (a group of `.npy` files, one per field) and CSV (with the `sep` option), as Milvus's REST
  // import takes them; any other file type is refused when the job is created (ImportFailed, 2100).
  const { mkdirSync } = await import('node:fs');
  const { npyFloat32Matrix, npyInt64, npyUnicode } = await import('../support/npy.js');
  mkdirSync(join(dir, 'np'));
  const npy = (name: string, body: Buffer): string => {
    const p = join(dir, 'np', `${name}.npy`);
    writeFileSync(p, body);
    return p;
  };
  const npIds = [6000, 6001, 6002];
  const group = [npy('id', npyInt64(npIds)), npy('vector', npyFloat32Matrix(npIds.map((_, i) => base[i]!))), npy('$meta', npyUnicode(npIds.map((id) => JSON.stringify({ name: `np${id}` }))))];
  const csv = join(dir, 'rows.csv');
  writeFileSync(csv, `id;vector;name\n7000;${JSON.stringify(base[7])};csv7000\n7001;${JSON.stringify(base[8])};csv7001\n`);
  const finished = async (jobId: string): Promise<{ state: string; importedRows: number; reason: string }> => {
    let p = { state: 'Pending', importedRows: 0, reason: '' };
    for (let i = 0; i < 200 && !['Completed', 'Failed'].includes(p.state); i++) {
      p = ((await http.getImportJobProgress({ jobId } as never)) as Res & { data: typeof p }).data;
      await new Promise((r) => setTimeout(r, 10));
    }
    return p;
  };
  const npJob = (await http.createImportJobs({ collectionName: 'rq', files: [group] } as never)) as Res & { data: { jobId: string } };
  ok(npJob, 'create numpy import job');
  const npDone = await finished(npJob.data.jobId);
  assert.deepEqual([npDone.state, npDone.importedRows], ['Completed', 3], npDone.reason);
  const csvJob = (await http.createImportJobs({ collectionName: 'rq', files: [[csv]], options: { sep: ';' } } as never)) as Res & { data: { jobId: string } };
  ok(csvJob, 'create csv import job');
  assert.equal((await finished(csvJob.data.jobId)).state, 'Completed');
  const got2 = (await http.get({ collectionName: 'rq', id: [6002, 7001], outputFields: ['name'] } as never)) as Res & { data: { id: number; name: string }[] };
  assert.deepEqual(got2.data.map((r) => [String(r.id), r.name]), [['6002', 'np6002'], ['7001', 'csv7001']]);
  const embGot = await emb.createCollection({ collection_name: 'rq', dimension: DIM });
  okE(embGot, 'embedded twin');
  const embJob = await emb.bulkInsert({ collection_name: 'rq', files: group });
  okE(embJob.status, 'embedded numpy import');
  const txt = join(dir, 'rows.txt');
  writeFileSync(txt, 'id\n1\n');
  const refused = (await http.createImportJobs({ collectionName: 'rq', files: [[txt]] } as never)) as Res;
  const refusedEmb = await emb.bulkInsert({ collection_name: 'rq', files: [txt] });
  assert.deepEqual([refused.code, refused.message], [2100, `unexpected file type, files=[${txt}]: importing data failed`]);
  assert.deepEqual([refusedEmb.status.code, refusedEmb.status.reason], [refused.code, refused.message], 'REST refuses as the embedded client does');
  const mixed = (await http.createImportJobs({ collectionName: 'rq', files: [[group[0], csv]] } as never)) as Res;
  assert.deepEqual([mixed.code, mixed.message], [2100, `inconsistency in file types, (${group[0]!}) vs (${csv}): importing data failed`]);
  const twoCsv = (await http.createImportJobs({ collectionName: 'rq', files: [[csv, csv]] } as never)) as Res;
  assert.deepEqual([twoCsv.code, twoCsv.message], [2100, 'for CSV import, accepts only one file: importing data failed']);
});
