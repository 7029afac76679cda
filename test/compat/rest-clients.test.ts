/**
 * Issue 9 over the RESTful v2 API: the SDK's `HttpClient` against `startRestServer` next to the embedded
 * `MilvusClient`, for what real clients rely on — idempotent drops, empty results (query, get, search on
 * an empty collection), index parameters a type does not use, VarChar primary keys with auto_id, and
 * delete replies. Same outcome on both; REST's own shapes (flat rows, `deleteCount`, code 0 on success).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HttpClient } from '@zilliz/milvus2-sdk-node';
import { Engine } from '../../src/engine/engine.js';
import { MilvusClient, DataType } from '../../src/index.js';
import { startRestServer, type RestServer } from '../../src/server/rest/index.js';
import { randomVectors } from '../support/data.js';

const DIM = 4;
const base = randomVectors(40, DIM, 5);

let dir: string;
let engine: Engine;
let server: RestServer;
let http: HttpClient;
let emb: MilvusClient;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'elanus-rest-clients-'));
  engine = await Engine.open({ dataDir: dir });
  server = await startRestServer(engine, { host: '127.0.0.1', port: 0 });
  http = new HttpClient({ endpoint: `http://127.0.0.1:${server.port}` });
  emb = new MilvusClient({ address: ':memory:' });
});

after(async () => {
  await server?.close();
  await engine?.close();
  await emb?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

type Res = { code: number; message?: string; data?: unknown };
type Api = Record<string, (req: Record<string, unknown>) => Promise<unknown>>;
const rest = (method: string, req: Record<string, unknown>): Promise<Res> => (http as unknown as Api)[method]!(req) as Promise<Res>;

async function create(name: string, fields: { rest: Record<string, unknown>[]; emb: Record<string, unknown>[] }, dynamic = false): Promise<void> {
  const r = await rest('createCollection', { collectionName: name, schema: { autoID: false, enabledDynamicField: dynamic, fields: fields.rest } });
  assert.equal(r.code, 0, r.message);
  const e = await emb.createCollection({ collection_name: name, enable_dynamic_field: dynamic, fields: fields.emb as never });
  assert.equal(e.code, 0, e.reason);
}

const plainFields = {
  rest: [
    { fieldName: 'id', dataType: 'Int64', isPrimary: true },
    { fieldName: 'title', dataType: 'VarChar', elementTypeParams: { max_length: 16 } },
    { fieldName: 'v', dataType: 'FloatVector', elementTypeParams: { dim: DIM } },
  ],
  emb: [
    { name: 'id', data_type: DataType.Int64, is_primary_key: true },
    { name: 'title', data_type: DataType.VarChar, max_length: 16 },
    { name: 'v', data_type: DataType.FloatVector, dim: DIM },
  ],
};

test('REST: dropping what does not exist succeeds where Milvus succeeds (collection, partition, alias, user), a role is refused', async () => {
  const cases: [string, Record<string, unknown>, () => Promise<{ code: number }>, number][] = [
    ['dropCollection', { collectionName: 'r_nope' }, () => emb.dropCollection({ collection_name: 'r_nope' }), 0],
    ['dropAlias', { aliasName: 'r_alias_nope' }, () => emb.dropAlias({ alias: 'r_alias_nope' }), 0],
    ['dropUser', { userName: 'r_user_nope' }, () => emb.deleteUser({ username: 'r_user_nope' }), 0],
    ['dropPartition', { collectionName: 'r_nope', partitionName: 'p' }, () => emb.dropPartition({ collection_name: 'r_nope', partition_name: 'p' }), 100],
  ];
  for (const [method, req, viaEmb, want] of cases) {
    const r = await rest(method, req);
    assert.equal(r.code, want, `${method}: ${r.message ?? ''}`);
    assert.equal((await viaEmb()).code, want, `${method} (embedded)`);
  }
  const role = await rest('dropRole', { roleName: 'r_role_nope' });
  assert.notEqual(role.code, 0, 'Milvus refuses to drop a role that does not exist');
  assert.notEqual((await emb.dropRole({ roleName: 'r_role_nope' })).code, 0);

  await create('r_drops', plainFields);
  for (const c of [rest('createPartition', { collectionName: 'r_drops', partitionName: 'p1' }), emb.createPartition({ collection_name: 'r_drops', partition_name: 'p1' })]) assert.equal((await c).code, 0);
  for (let i = 0; i < 2; i++) {
    assert.equal((await rest('dropPartition', { collectionName: 'r_drops', partitionName: 'p1' })).code, 0, `drop partition #${i + 1}`);
    assert.equal((await emb.dropPartition({ collection_name: 'r_drops', partition_name: 'p1' })).code, 0);
  }
  for (let i = 0; i < 2; i++) {
    assert.equal((await rest('dropCollection', { collectionName: 'r_drops' })).code, 0, `drop collection #${i + 1}`);
    assert.equal((await emb.dropCollection({ collection_name: 'r_drops' })).code, 0);
  }
});

test('REST: query, get and search on an empty collection return no rows, not an error', async () => {
  await create('r_empty', plainFields, true);
  assert.equal((await rest('createIndex', { collectionName: 'r_empty', indexParams: [{ fieldName: 'v', indexName: 'v', metricType: 'L2', params: { index_type: 'FLAT' } }] })).code, 0);
  assert.equal((await emb.createIndex({ collection_name: 'r_empty', field_name: 'v', index_type: 'FLAT', metric_type: 'L2' })).code, 0);
  assert.equal((await rest('loadCollection', { collectionName: 'r_empty' })).code, 0);
  assert.equal((await emb.loadCollection({ collection_name: 'r_empty' })).code, 0);

  const s = await rest('search', { collectionName: 'r_empty', data: [base[0]], limit: 5, outputFields: ['id', 'title', 'color'] });
  assert.equal(s.code, 0, s.message);
  assert.deepEqual(s.data, []);
  const es = await emb.search({ collection_name: 'r_empty', data: base[0], limit: 5, output_fields: ['id', 'title', 'color'] });
  assert.equal(es.status.code, 0, es.status.reason);
  assert.deepEqual(es.results, []);

  const q = await rest('query', { collectionName: 'r_empty', filter: 'id >= 0', outputFields: ['id', 'title', 'color'] });
  assert.equal(q.code, 0, q.message);
  assert.deepEqual(q.data, []);
  const eq = await emb.query({ collection_name: 'r_empty', filter: 'id >= 0', output_fields: ['id', 'title', 'color'] });
  assert.deepEqual([eq.status.code, eq.data], [0, []]);

  const g = await rest('get', { collectionName: 'r_empty', id: [1, 2], outputFields: ['title'] });
  assert.deepEqual([g.code, g.data], [0, []]);
  const eg = await emb.get({ collection_name: 'r_empty', ids: [1, 2], output_fields: ['title'] });
  assert.deepEqual([eg.status.code, eg.data], [0, []]);
});

test('REST: index parameters a type does not use are kept and ignored; the ones it uses keep their ranges', async () => {
  await create('r_ixp', plainFields);
  const make = (params: Record<string, unknown>, type: string) =>
    rest('createIndex', { collectionName: 'r_ixp', indexParams: [{ fieldName: 'v', indexName: 'v', metricType: 'L2', params: { index_type: type, ...params } }] });
  for (const [type, params, ok] of [
    ['FLAT', { nlist: 128 }, true],
    ['HNSW', { nlist: 128, M: 8, efConstruction: 64 }, true],
    ['HNSW', { M: 100000, efConstruction: 64 }, false],
  ] as const) {
    const r = await make(params, type);
    const e = await emb.createIndex({ collection_name: 'r_ixp', field_name: 'v', index_name: 'v', index_type: type, metric_type: 'L2', params });
    assert.equal(r.code === 0, ok, `${type} ${JSON.stringify(params)}: ${r.message ?? ''}`);
    assert.equal(e.code === 0, ok, `${type} ${JSON.stringify(params)} (embedded): ${e.reason}`);
    if (!ok) {
      assert.equal(r.code, e.code);
      assert.match(r.message ?? '', /"M"/);
      continue;
    }
    const d = (await rest('describeIndex', { collectionName: 'r_ixp', indexName: 'v' })) as Res & { data: Record<string, unknown>[] };
    assert.equal(d.code, 0);
    assert.equal(d.data[0]!['indexType'], type);
    const ed = (await emb.describeIndex({ collection_name: 'r_ixp', index_name: 'v' })) as unknown as { index_descriptions: { params: { key: string; value: string }[] }[] };
    const kept = JSON.parse(ed.index_descriptions[0]!.params.find((kv) => kv.key === 'params')?.value ?? '{}') as Record<string, unknown>;
    assert.equal(kept['nlist'], 128, 'the unused key is kept in the description');
    assert.equal((await rest('dropIndex', { collectionName: 'r_ixp', indexName: 'v' })).code, 0);
    assert.equal((await emb.dropIndex({ collection_name: 'r_ixp', index_name: 'v' })).code, 0);
  }
});

test('REST: VarChar primary key with autoID gets generated string keys; delete replies carry the count', async () => {
  const name = 'r_vcauto';
  const r = await rest('createCollection', {
    collectionName: name,
    schema: {
      autoID: true,
      fields: [
        { fieldName: 'pk', dataType: 'VarChar', isPrimary: true, elementTypeParams: { max_length: 64 } },
        { fieldName: 'n', dataType: 'Int64' },
        { fieldName: 'v', dataType: 'FloatVector', elementTypeParams: { dim: DIM } },
      ],
    },
    indexParams: [{ fieldName: 'v', indexName: 'v', metricType: 'L2', params: { index_type: 'FLAT' } }],
  });
  assert.equal(r.code, 0, r.message);
  const e = await emb.createCollection({
    collection_name: name,
    fields: [
      { name: 'pk', data_type: DataType.VarChar, is_primary_key: true, autoID: true, max_length: 64 },
      { name: 'n', data_type: DataType.Int64 },
      { name: 'v', data_type: DataType.FloatVector, dim: DIM },
    ],
    index_params: [{ field_name: 'v', index_type: 'FLAT', metric_type: 'L2' }],
  } as never);
  assert.equal(e.code, 0, e.reason);
  const data = base.slice(0, 5).map((v, n) => ({ v, n }));
  const ins = (await rest('insert', { collectionName: name, data })) as Res & { data: { insertCount: number; insertIds: unknown[] } };
  assert.equal(ins.code, 0, ins.message);
  assert.equal(ins.data.insertCount, 5);
  assert.ok(ins.data.insertIds.every((k) => typeof k === 'string' && /^\d+$/.test(k)), JSON.stringify(ins.data.insertIds));
  const eins = await emb.insert({ collection_name: name, data });
  assert.equal(eins.status.code, 0, eins.status.reason);
  assert.equal(((eins as unknown as { IDs: { str_id: { data: string[] } } }).IDs.str_id.data).length, 5);

  assert.equal((await rest('loadCollection', { collectionName: name })).code, 0);
  const q = (await rest('query', { collectionName: name, filter: 'n >= 0', outputFields: ['pk', 'n'] })) as Res & { data: { pk: string; n: unknown }[] };
  assert.deepEqual(q.data.map((x) => x.pk).sort(), [...(ins.data.insertIds as string[])].sort());

  const del = (await rest('delete', { collectionName: name, filter: `pk in ["${String(ins.data.insertIds[0])}", "${String(ins.data.insertIds[1])}"]` })) as Res & { data: Record<string, unknown> };
  assert.equal(del.code, 0, del.message);
  assert.deepEqual(del.data, { deleteCount: 2 });
  const edel = await emb.delete({ collection_name: name, ids: (eins as unknown as { IDs: { str_id: { data: string[] } } }).IDs.str_id.data.slice(0, 2) });
  assert.equal(String((edel as Record<string, unknown>)['delete_cnt']), '2');
  assert.deepEqual((edel as Record<string, unknown>)['IDs'], {});
});
