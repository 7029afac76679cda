/** Databases, collections, field types, partitions and aliases through the embedded client. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ResStatus } from '../index.js';
import { MilvusClient, DataType } from '../index.js';

const vec = (d: number, x = 0.5): number[] => Array.from({ length: d }, (_, i) => x + i * 0.01);

function fields(dim = 4): Record<string, unknown>[] {
  return [
    { name: 'id', data_type: DataType.Int64, is_primary_key: true },
    { name: 'v', data_type: DataType.FloatVector, dim },
  ];
}

test('databases: default, create, list, describe, use, drop', async () => {
  const c = new MilvusClient({ address: ':memory:' });
  const l0 = await c.listDatabases();
  assert.deepEqual(l0.db_names, ['default']);
  assert.equal((await c.createDatabase({ db_name: 'shop' })).code, 0);
  assert.equal((await c.createDatabase({ db_name: 'shop' })).code, 1902);
  assert.equal((await c.createDatabase({ db_name: '1bad' })).code, 1100);
  assert.deepEqual((await c.listDatabases()).db_names, ['default', 'shop']);
  assert.equal((await c.describeDatabase({ db_name: 'shop' })).db_name, 'shop');
  assert.equal((await c.describeDatabase({ db_name: 'nope' })).status.code, 800);
  assert.equal((await c.use({ db_name: 'nope' })).code, 800);
  assert.equal((await c.use({ db_name: 'shop' })).code, 0);
  assert.equal((await c.createCollection({ collection_name: 'items', fields: fields() })).code, 0);
  assert.deepEqual((await c.showCollections()).data.map((x) => x.name), ['items']);
  assert.deepEqual((await c.showCollections({ db_name: 'default' })).data, []);
  assert.equal((await c.dropDatabase({ db_name: 'shop' })).code, 1100, 'not empty');
  assert.equal((await c.dropCollection({ collection_name: 'items' })).code, 0);
  assert.equal((await c.dropDatabase({ db_name: 'shop' })).code, 0);
  assert.equal((await c.dropDatabase({ db_name: 'default' })).code, 1100);
  await c.close();
});

test('collections: create, has, describe, list, rename, statistics, truncate, drop', async () => {
  const c = new MilvusClient({ address: ':memory:' });
  const st = await c.createCollection({
    collection_name: 'books',
    description: 'library',
    enable_dynamic_field: true,
    fields: [
      { name: 'id', data_type: DataType.Int64, is_primary_key: true, autoID: true },
      { name: 'b', data_type: DataType.Bool },
      { name: 'i8', data_type: DataType.Int8 },
      { name: 'i16', data_type: DataType.Int16 },
      { name: 'i32', data_type: DataType.Int32 },
      { name: 'i64', data_type: DataType.Int64 },
      { name: 'f', data_type: DataType.Float },
      { name: 'd', data_type: DataType.Double },
      { name: 'title', data_type: DataType.VarChar, max_length: 20 },
      { name: 'meta', data_type: DataType.JSON, nullable: true },
      { name: 'tags', data_type: DataType.Array, element_type: DataType.VarChar, max_capacity: 3, max_length: 10 },
      { name: 'v1', data_type: DataType.FloatVector, dim: 4 },
      { name: 'v2', data_type: 'FloatVector', type_params: { dim: 2 } },
    ],
  });
  assert.equal(st.code, 0, st.reason);
  assert.equal((await c.hasCollection({ collection_name: 'books' })).value, true);
  assert.equal((await c.hasCollection({ collection_name: 'nope' })).value, false);
  const d = await c.describeCollection({ collection_name: 'books' });
  const schema = d.schema as { fields: Record<string, unknown>[]; enable_dynamic_field: boolean; description: string };
  assert.equal(schema.enable_dynamic_field, true);
  assert.equal(schema.description, 'library');
  assert.deepEqual(schema.fields.map((f) => f.name), ['id', 'b', 'i8', 'i16', 'i32', 'i64', 'f', 'd', 'title', 'meta', 'tags', 'v1', 'v2']);
  const v1 = schema.fields.find((f) => f.name === 'v1')!;
  assert.equal(v1.data_type, 'FloatVector');
  assert.equal(v1.dataType, 101);
  assert.equal(v1.dim, '4');
  assert.equal(schema.fields[0]!.fieldID, '100');
  assert.equal(schema.fields.find((f) => f.name === 'tags')!.element_type, 'VarChar');
  assert.equal((await c.describeCollection({ collection_name: 'nope' })).status.code, 100);
  assert.equal((await c.describeCollection({ collection_name: 'nope' })).status.error_code, 'CollectionNotExists');

  const ins = await c.insert({
    collection_name: 'books',
    data: [
      { b: true, i8: 1, i16: 2, i32: 3, i64: '9007199254740993', f: 1.5, d: 2.5, title: 'a', meta: { x: 1 }, tags: ['p'], v1: vec(4), v2: [1, 2], extra: 'dyn' },
      { b: false, i8: -1, i16: -2, i32: -3, i64: 5, f: 0, d: 0, title: 'b', meta: null, tags: [], v1: vec(4, 1), v2: [0, 1] },
    ],
  });
  assert.equal(ins.status.code, 0, ins.status.reason);
  const ids = (ins.IDs as { int_id: { data: string[] } }).int_id.data;
  assert.equal(ids.length, 2);
  assert.ok(BigInt(ids[1]!) > BigInt(ids[0]!), 'auto ids increase');
  assert.ok(BigInt(ids[0]!) > 2n ** 53n, 'auto ids are timestamp-based int64 like Milvus');
  assert.equal((await c.getCollectionStatistics({ collection_name: 'books' })).data.row_count, '2');

  assert.equal((await c.renameCollection({ collection_name: 'books', new_collection_name: 'tomes' })).code, 0);
  assert.equal((await c.hasCollection({ collection_name: 'books' })).value, false);
  assert.deepEqual((await c.showCollections()).data.map((x) => x.name), ['tomes']);
  assert.equal((await c.truncateCollection({ collection_name: 'tomes' })).status.code, 0, 'a TruncateCollectionResponse, as the SDK returns it');
  assert.equal((await c.getCollectionStatistics({ collection_name: 'tomes' })).data.row_count, '0');
  assert.equal((await c.dropCollection({ collection_name: 'tomes' })).code, 0);
  // Dropping what is already gone succeeds, as Milvus's drop is idempotent.
  assert.equal((await c.dropCollection({ collection_name: 'tomes' })).code, 0);
  await c.close();
});

test('createCollection quick form: id + vector, AUTOINDEX COSINE, loaded, dynamic', async () => {
  const c = new MilvusClient({ address: ':memory:' });
  assert.equal((await c.createCollection({ collection_name: 'quick', dimension: 3 })).code, 0);
  assert.equal((await c.getLoadState({ collection_name: 'quick' })).state, 'LoadStateLoaded');
  const idx = await c.describeIndex({ collection_name: 'quick' });
  assert.equal(indexParam(idx.index_descriptions[0]!, 'metric_type'), 'COSINE');
  assert.equal((await c.insert({ collection_name: 'quick', data: [{ id: 1, vector: [1, 0, 0], color: 'red' }, { id: 2, vector: [0, 1, 0], color: 'blue' }] })).status.code, 0);
  const r = await c.search({ collection_name: 'quick', data: [1, 0.1, 0], limit: 2, output_fields: ['color'] });
  const hits = r.results as Record<string, unknown>[];
  assert.equal(hits[0]!.id, '1');
  assert.equal(hits[0]!.color, 'red');
  await c.close();
});

/** A key of an index description's `params` KV list (as the SDK returns index_type and metric_type). */
function indexParam(d: Record<string, unknown>, key: string): string | undefined {
  return (d['params'] as { key: string; value: string }[]).find((p) => p.key === key)?.value;
}

/** The refusal of a createCollection, which throws as the SDK's does: its own check's Error, or the failed status. */
async function createRefusal(c: MilvusClient, req: Parameters<MilvusClient['createCollection']>[0]): Promise<{ code: number | 'sdk-check'; reason: string }> {
  try {
    const st = await c.createCollection(req);
    return { code: st.code, reason: st.reason };
  } catch (err) {
    if (err instanceof Error) return { code: 'sdk-check', reason: err.message };
    return { code: (err as ResStatus).code, reason: (err as ResStatus).reason };
  }
}

test('schema errors name the field and the rule (1100) and create nothing', async () => {
  // The engine's own messages for each rule are checked in src/engine/engine.test.ts; here the embedded
  // client refuses as the SDK does: the SDK's own field checks first (a thrown Error), then the engine's 1100.
  const c = new MilvusClient({ address: ':memory:' });
  const cases: [Record<string, unknown>[], RegExp][] = [
    [[{ name: 'v', data_type: DataType.FloatVector, dim: 4 }], /no primary key/],
    [[...fields(), { name: 'id', data_type: DataType.Int32 }], /duplicate field name "id"/],
    [[{ name: 'id', data_type: DataType.Int64, is_primary_key: true }], /at least one vector field/],
    [[{ name: 'id', data_type: DataType.Float, is_primary_key: true }, { name: 'v', data_type: DataType.FloatVector, dim: 4 }], /primary key must be Int64 or VarChar/],
    [[{ name: 'id', data_type: DataType.Int64, is_primary_key: true }, { name: 'v', data_type: DataType.FloatVector }], /v\.dim/],
    [[{ name: 'id', data_type: DataType.Int64, is_primary_key: true }, { name: 'v', data_type: DataType.FloatVector, dim: 0 }], /v\.dim.*\[1, 32768\]/],
    [[{ name: 'id', data_type: DataType.Int64, is_primary_key: true }, { name: 'v', data_type: DataType.BinaryVector, dim: 12 }], /multiple of 8/],
    [[{ name: 'id', data_type: DataType.VarChar, is_primary_key: true }, { name: 'v', data_type: DataType.FloatVector, dim: 4 }], /max_length/],
    [[...fields(), { name: 'a', data_type: DataType.Array, element_type: DataType.JSON, max_capacity: 4 }], /element type/],
    [[...fields(), { name: 'x', data_type: 'Nonsense' }], /unknown data type/],
  ];
  for (const [f, re] of cases) {
    const st = await createRefusal(c, { collection_name: 'bad', fields: f } as Parameters<MilvusClient['createCollection']>[0]);
    assert.ok(st.code === 'sdk-check' || (st.code === 1100 && re.test(st.reason)), `${JSON.stringify(f)} → ${st.code} ${st.reason}`);
    assert.equal((await c.hasCollection({ collection_name: 'bad' })).value, false);
  }
  assert.equal((await c.createCollection({ collection_name: 'ok', fields: fields() })).code, 0);
  assert.equal((await createRefusal(c, { collection_name: 'ok', fields: fields() })).code, 1900);
  await c.close();
});

test('partitions: default, create/has/list/drop, limit 1024, insert and search per partition', async () => {
  const c = new MilvusClient({ address: ':memory:' });
  await c.createCollection({ collection_name: 'p', fields: fields(2) });
  assert.deepEqual((await c.showPartitions({ collection_name: 'p' })).partition_names, ['_default']);
  assert.equal((await c.createPartition({ collection_name: 'p', partition_name: 'a' })).code, 0);
  assert.equal((await c.createPartition({ collection_name: 'p', partition_name: 'a' })).code, 1901);
  assert.equal((await c.hasPartition({ collection_name: 'p', partition_name: 'a' })).value, true);
  assert.equal((await c.hasPartition({ collection_name: 'p', partition_name: 'zz' })).value, false);
  for (let i = 0; i < 1022; i++) assert.equal((await c.createPartition({ collection_name: 'p', partition_name: `x${i}` })).code, 0);
  const over = await c.createPartition({ collection_name: 'p', partition_name: 'one_too_many' });
  assert.notEqual(over.code, 0);
  assert.match(over.reason, /1024/);
  assert.equal((await c.dropPartition({ collection_name: 'p', partition_name: 'x5' })).code, 0);
  assert.equal((await c.dropPartition({ collection_name: 'p', partition_name: '_default' })).code, 1100);
  assert.equal((await c.dropPartition({ collection_name: 'p', partition_name: 'nope' })).code, 0); // idempotent, as Milvus
  await c.insert({ collection_name: 'p', partition_name: 'a', data: [{ id: 1, v: [1, 0] }] });
  await c.insert({ collection_name: 'p', data: [{ id: 2, v: [1, 0.1] }] });
  assert.equal((await c.insert({ collection_name: 'p', partition_name: 'nope', data: [{ id: 3, v: [1, 0] }] })).status.code, 200);
  assert.equal((await c.getPartitionStatistics({ collection_name: 'p', partition_name: 'a' })).data.row_count, '1');
  await c.createIndex({ collection_name: 'p', field_name: 'v', index_type: 'FLAT', metric_type: 'L2' });
  await c.loadPartitions({ collection_name: 'p', partition_names: ['a'] });
  assert.equal((await c.getLoadState({ collection_name: 'p', partition_names: ['a'] })).state, 'LoadStateLoaded');
  const r = await c.search({ collection_name: 'p', data: [1, 0], limit: 5 });
  assert.deepEqual((r.results as Record<string, unknown>[]).map((h) => h.id), ['1']);
  const notLoaded = await c.search({ collection_name: 'p', data: [1, 0], limit: 5, partition_names: ['_default'] });
  assert.equal(notLoaded.status.code, 201);
  await c.loadPartitions({ collection_name: 'p', partition_names: ['_default'] });
  const both = await c.search({ collection_name: 'p', data: [1, 0], limit: 5 });
  assert.deepEqual((both.results as Record<string, unknown>[]).map((h) => h.id), ['1', '2']);
  await c.releasePartitions({ collection_name: 'p', partition_names: ['a'] });
  const onlyDefault = await c.search({ collection_name: 'p', data: [1, 0], limit: 5 });
  assert.deepEqual((onlyDefault.results as Record<string, unknown>[]).map((h) => h.id), ['2']);
  await c.close();
});

test('loading a partition of a collection loaded whole keeps every partition loaded', async () => {
  const c = new MilvusClient({ address: ':memory:' });
  await c.createCollection({ collection_name: 'w', fields: fields(2) });
  await c.createPartition({ collection_name: 'w', partition_name: 'a' });
  await c.insert({ collection_name: 'w', partition_name: 'a', data: [{ id: 1, v: [1, 0] }] });
  await c.insert({ collection_name: 'w', data: [{ id: 2, v: [1, 0.1] }] });
  await c.createIndex({ collection_name: 'w', field_name: 'v', index_type: 'FLAT', metric_type: 'L2' });
  await c.loadCollection({ collection_name: 'w' });
  assert.equal((await c.loadPartitionsSync({ collection_name: 'w', partition_names: ['a'] })).code, 0);
  assert.equal((await c.getLoadState({ collection_name: 'w', partition_names: ['_default'] })).state, 'LoadStateLoaded');
  const r = await c.search({ collection_name: 'w', data: [1, 0], limit: 5 });
  assert.deepEqual((r.results as Record<string, unknown>[]).map((h) => h.id), ['1', '2']);
  // A partition created later is loaded too, as with a whole-collection load.
  await c.createPartition({ collection_name: 'w', partition_name: 'b' });
  await c.insert({ collection_name: 'w', partition_name: 'b', data: [{ id: 3, v: [1, 0.2] }] });
  assert.equal((await c.count({ collection_name: 'w' })).data, 3);
  await c.close();
});

test('partition key: rows are hash-routed over num_partitions, manual partitions refused', async () => {
  const c = new MilvusClient({ address: ':memory:' });
  const st = await c.createCollection({
    collection_name: 'pk',
    num_partitions: 8,
    fields: [...fields(2), { name: 'tenant', data_type: DataType.VarChar, max_length: 16, is_partition_key: true }],
  });
  assert.equal(st.code, 0, st.reason);
  const parts = await c.showPartitions({ collection_name: 'pk' });
  assert.equal(parts.partition_names.length, 8);
  assert.equal((await c.createPartition({ collection_name: 'pk', partition_name: 'x' })).code, 1100);
  const rows = Array.from({ length: 400 }, (_, i) => ({ id: i, v: [i, 1], tenant: `t${i % 20}` }));
  assert.equal((await c.insert({ collection_name: 'pk', data: rows })).status.code, 0);
  let used = 0;
  for (const p of parts.partition_names) if (Number((await c.getPartitionStatistics({ collection_name: 'pk', partition_name: p })).data.row_count) > 0) used++;
  assert.ok(used >= 4, `rows spread over ${used} partitions`);
  await c.createIndex({ collection_name: 'pk', field_name: 'v', metric_type: 'L2', index_type: 'FLAT' });
  await c.loadCollection({ collection_name: 'pk' });
  const r = await c.search({ collection_name: 'pk', data: [7, 1], limit: 3, filter: 'tenant == "t7"', output_fields: ['tenant'] });
  assert.equal(r.status.code, 0, r.status.reason);
  for (const h of r.results as Record<string, unknown>[]) assert.equal(h.tenant, 't7');
  assert.equal((r.results as Record<string, unknown>[])[0]!.id, '7');
  await c.close();
});

test('aliases: create/alter/drop/describe/list, usable wherever a collection name goes', async () => {
  const c = new MilvusClient({ address: ':memory:' });
  await c.createCollection({ collection_name: 'c1', fields: fields(2) });
  await c.createCollection({ collection_name: 'c2', fields: fields(2) });
  assert.equal((await c.createAlias({ collection_name: 'c1', alias: 'live' })).code, 0);
  assert.equal((await c.createAlias({ collection_name: 'c1', alias: 'live' })).code, 0, 'again on the same collection: ok, as Milvus 2.6');
  assert.equal((await c.createAlias({ collection_name: 'c2', alias: 'live' })).code, 1602);
  assert.equal((await c.createAlias({ collection_name: 'c2', alias: 'c1' })).code, 1601);
  assert.equal((await c.describeAlias({ alias: 'live' })).collection, 'c1');
  assert.deepEqual((await c.listAliases({ collection_name: 'c1' })).aliases, ['live']);
  assert.equal((await c.insert({ collection_name: 'live', data: [{ id: 1, v: [0, 1] }] })).status.code, 0);
  assert.equal((await c.getCollectionStatistics({ collection_name: 'c1' })).data.row_count, '1');
  assert.equal((await c.describeCollection({ collection_name: 'live' })).collection_name, 'c1');
  assert.equal((await c.alterAlias({ collection_name: 'c2', alias: 'live' })).code, 0);
  assert.equal((await c.getCollectionStatistics({ collection_name: 'live' })).data.row_count, '0');
  assert.equal((await c.dropAlias({ alias: 'live' })).code, 0);
  assert.equal((await c.describeAlias({ alias: 'live' })).status.code, 1600);
  assert.equal((await c.hasCollection({ collection_name: 'live' })).value, false);
  await c.close();
});
