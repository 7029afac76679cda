/**
 * Milvus semantics on the wire, checked with a bare gRPC client: handshake, heartbeat, the `dbname`
 * header, Status with both codes, typed replies on failure, search result layout, load progress,
 * message size limits above 4 MB, and every RPC of the service answered (never a silent UNIMPLEMENTED).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import { MilvusClient, DataType } from '@zilliz/milvus2-sdk-node';
import { encodeMessage } from '../../src/api/proto.js';
import { allRoutes } from '../../src/server/grpc/registry.js';
import { randomVectors } from '../support/data.js';
import { startInProcess, type InProcess } from './in-process.js';
import { rawClient, type RawClient, type Reply } from './raw-client.js';

let srv: InProcess;
let raw: RawClient;
const DIM = 16;
const vectors = randomVectors(300, DIM, 3);

function schemaBytes(name: string, dynamic = true): Uint8Array {
  return encodeMessage('milvus.proto.schema.CollectionSchema', {
    name,
    enable_dynamic_field: dynamic,
    fields: [
      { name: 'pk', data_type: DataType.Int64, is_primary_key: true },
      { name: 'v', data_type: DataType.FloatVector, type_params: [{ key: 'dim', value: String(DIM) }] },
      { name: 'label', data_type: DataType.VarChar, type_params: [{ key: 'max_length', value: '16' }], nullable: true },
    ],
  });
}

function placeholder(type: number, values: Buffer[]): Uint8Array {
  return encodeMessage('milvus.proto.common.PlaceholderGroup', { placeholders: [{ tag: '$0', type, values }] });
}

function f32(v: number[]): Buffer {
  return Buffer.from(new Float32Array(v).buffer);
}

async function setupCollection(name: string, db?: string): Promise<void> {
  const md: Record<string, string> = db ? { dbname: db } : {};
  assert.equal((await raw.call('CreateCollection', { collection_name: name, schema: schemaBytes(name) }, md)).code, 0);
  const rows = vectors.length;
  const ins = await raw.call(
    'Insert',
    {
      collection_name: name,
      num_rows: rows,
      fields_data: [
        { type: DataType.Int64, field_name: 'pk', scalars: { long_data: { data: vectors.map((_, i) => String(i)) } } },
        { type: DataType.FloatVector, field_name: 'v', vectors: { dim: DIM, float_vector: { data: vectors.flat() } } },
        { type: DataType.VarChar, field_name: 'label', valid_data: vectors.map((_, i) => i % 3 !== 0), scalars: { string_data: { data: vectors.map((_, i) => `l${i}`).filter((_, i) => i % 3 !== 0) } } },
        { type: DataType.JSON, field_name: '$meta', is_dynamic: true, scalars: { json_data: { data: vectors.map((_, i) => Buffer.from(JSON.stringify(i % 2 ? { color: 'red', n: i } : {}))) } } },
      ],
    },
    md,
  );
  assert.equal(ins.status?.code, 0, ins.status?.reason);
  assert.equal(ins['insert_cnt'], String(rows));
  const idx = await raw.call('CreateIndex', { collection_name: name, field_name: 'v', extra_params: [{ key: 'index_type', value: 'FLAT' }, { key: 'metric_type', value: 'L2' }, { key: 'params', value: '{}' }] }, md);
  assert.equal(idx.code, 0, String(idx.reason));
  assert.equal((await raw.call('LoadCollection', { collection_name: name }, md)).code, 0);
  for (let i = 0; i < 100; i++) {
    const p = await raw.call('GetLoadingProgress', { collection_name: name }, md);
    assert.equal(p.status?.code, 0);
    if (p['progress'] === '100') return;
    await new Promise((r) => setTimeout(r, 20));
  }
  assert.fail('load progress never reached 100');
}

before(async () => {
  srv = await startInProcess();
  raw = rawClient(srv.address);
  await setupCollection('wire');
});

after(async () => {
  raw?.close();
  await srv?.stop();
});

test('Connect returns a non-zero identifier and server_info; heartbeat answers OK', async () => {
  const c = await raw.call('Connect', { client_info: { sdk_type: 'test' } });
  assert.equal(c.status?.code, 0);
  assert.notEqual(c['identifier'], '0');
  assert.ok((c['server_info'] as Record<string, string>)['build_tags']!.startsWith('elanus'));
  const tele = rawClient(srv.address, { service: 'ClientTelemetryService' });
  const hb = await tele.call('ClientHeartbeat', { report_timestamp: Date.now() });
  assert.equal(hb.status?.code, 0);
  assert.deepEqual(hb['commands'], []);
  assert.notEqual(hb['server_timestamp'], '0');
  tele.close();
  assert.equal((await raw.call('CheckHealth')).isHealthy, true);
  assert.match(String((await raw.call('GetVersion'))['version']), /^v2\./);
});

test('Status carries both code and legacy error_code, and failures keep the typed reply', async () => {
  const d = await raw.call('DescribeCollection', { collection_name: 'missing' });
  assert.equal(d.status?.code, 100);
  assert.equal(d.status?.error_code, 4);
  const s = await raw.call('Search', { collection_name: 'missing', placeholder_group: placeholder(101, [f32(vectors[0]!)]), nq: 1 });
  assert.equal(s.status?.code, 100);
  assert.ok(s['results'] !== null && typeof s['results'] === 'object', 'SearchResults keeps its results message');
  const idx = await raw.call('DescribeIndex', { collection_name: 'wire', field_name: 'label' });
  assert.equal(idx.status?.code, 700);
  assert.equal(idx.status?.error_code, 25);
  const bad = await raw.call('Query', { collection_name: 'wire', expr: 'pk <<< 1', output_fields: ['pk'] });
  assert.equal(bad.status?.code, 1100);
  assert.equal(bad.status?.error_code, 5);
});

test('the dbname header selects the database; a request db_name overrides it', async () => {
  assert.equal((await raw.call('CreateDatabase', { db_name: 'other' })).code, 0);
  await setupCollection('in_other', 'other');
  const inDefault = await raw.call('ShowCollections', {});
  assert.ok(!(inDefault['collection_names'] as string[]).includes('in_other'));
  const viaHeader = await raw.call('ShowCollections', {}, { dbname: 'other' });
  assert.deepEqual(viaHeader['collection_names'], ['in_other']);
  const viaRequest = await raw.call('ShowCollections', { db_name: 'other' }, { dbname: 'default' });
  assert.deepEqual(viaRequest['collection_names'], ['in_other']);
  const empty = await raw.call('HasCollection', { collection_name: 'in_other', db_name: '' }, { dbname: 'other' });
  assert.equal(empty['value'], true);
});

test('DescribeCollection lists no $meta or system fields and sets enable_dynamic_field', async () => {
  const d = await raw.call('DescribeCollection', { collection_name: 'wire' });
  const schema = d['schema'] as { fields: { name: string; fieldID: string }[]; enable_dynamic_field: boolean };
  assert.deepEqual(schema.fields.map((f) => f.name), ['pk', 'v', 'label']);
  assert.ok(schema.fields.every((f) => Number(f.fieldID) >= 100));
  assert.equal(schema.enable_dynamic_field, true);
});

test('search results carry ids, scores, topks, fields_data, output_fields and primary_field_name', async () => {
  const s = await raw.call('Search', {
    collection_name: 'wire',
    dsl: 'pk < 200',
    dsl_type: 1,
    nq: 2,
    placeholder_group: placeholder(101, [f32(vectors[10]!), f32(vectors[11]!)]),
    output_fields: ['label', 'color'],
    search_params: [
      { key: 'anns_field', value: 'v' },
      { key: 'topk', value: '3' },
      { key: 'metric_type', value: 'L2' },
      { key: 'params', value: '{}' },
    ],
  });
  assert.equal(s.status?.code, 0, s.status?.reason);
  const r = s['results'] as Record<string, unknown>;
  assert.equal(r['num_queries'], '2');
  assert.deepEqual(r['topks'], ['3', '3']);
  assert.equal((r['scores'] as number[]).length, 6);
  assert.equal((r['scores'] as number[])[0], 0, 'L2 is squared distance, the query itself first');
  const ids = (r['ids'] as { int_id: { data: string[] } }).int_id.data;
  assert.equal(ids[0], '10');
  assert.equal(ids[3], '11');
  assert.equal(r['primary_field_name'], 'pk');
  assert.deepEqual(r['output_fields'], ['pk', 'label', 'color']);
  const fd = r['fields_data'] as { field_name: string; is_dynamic: boolean; valid_data: boolean[] }[];
  assert.deepEqual(fd.map((f) => f.field_name), ['pk', 'label', '$meta']);
  assert.ok(fd[2]!.is_dynamic);
});

test('a placeholder type that does not match the field is a clear 1100', async () => {
  const s = await raw.call('Search', {
    collection_name: 'wire',
    nq: 1,
    placeholder_group: placeholder(100, [Buffer.from([1, 2])]),
    search_params: [{ key: 'topk', value: '3' }],
  });
  assert.equal(s.status?.code, 1100);
  assert.match(s.status!.reason, /BinaryVector.*"v".*FloatVector/);
});

test('messages above 4 MB are accepted and answered', async () => {
  const n = 20_000;
  const big = randomVectors(n, 64, 5);
  assert.equal((await raw.call('CreateCollection', { collection_name: 'big', schema: encodeMessage('milvus.proto.schema.CollectionSchema', { name: 'big', fields: [{ name: 'pk', data_type: 5, is_primary_key: true }, { name: 'v', data_type: 101, type_params: [{ key: 'dim', value: '64' }] }] }) })).code, 0);
  const ins = await raw.call('Insert', {
    collection_name: 'big',
    num_rows: n,
    fields_data: [
      { type: 5, field_name: 'pk', scalars: { long_data: { data: big.map((_, i) => String(i)) } } },
      { type: 101, field_name: 'v', vectors: { dim: 64, float_vector: { data: big.flat() } } },
    ],
  });
  assert.equal(ins.status?.code, 0, ins.status?.reason);
  assert.equal((await raw.call('CreateIndex', { collection_name: 'big', field_name: 'v', extra_params: [{ key: 'index_type', value: 'FLAT' }, { key: 'metric_type', value: 'IP' }] })).code, 0);
  assert.equal((await raw.call('LoadCollection', { collection_name: 'big' })).code, 0);
  while ((await raw.call('GetLoadingProgress', { collection_name: 'big' }))['progress'] !== '100') await new Promise((r) => setTimeout(r, 20));
  const q = await raw.call('Query', { collection_name: 'big', expr: 'pk >= 0', output_fields: ['v'], query_params: [{ key: 'limit', value: '16384' }] });
  assert.equal(q.status?.code, 0, q.status?.reason);
  const col = (q['fields_data'] as { field_name: string; vectors: { float_vector: { data: number[] } } }[]).find((f) => f.field_name === 'v')!;
  assert.equal(col.vectors.float_vector.data.length, 16384 * 64, 'a reply of more than 4 MB');
});

test('every RPC is implemented or answers an explicit "not supported" status', async () => {
  const routes = allRoutes();
  assert.equal(routes.filter((r) => r.service.endsWith('MilvusService')).length, 143);
  const unsupported = routes.filter((r) => r.kind === 'unsupported');
  assert.ok(unsupported.length > 0);
  for (const r of unsupported.slice(0, 200)) {
    if (r.service.endsWith('ClientTelemetryService')) continue;
    const reply: Reply = await raw.call(r.method, {});
    const status = (r.statusReply ? reply : reply.status) as { code: number; error_code: number; reason: string };
    assert.equal(status.code, 10, `${r.method}: ${JSON.stringify(reply)}`);
    assert.equal(status.error_code, 1);
    assert.match(status.reason, new RegExp(`${r.method} is not supported by Elanus`));
  }
  // RPCs whose reply has no Status answer gRPC UNIMPLEMENTED (the SDK relies on it for AlterCollectionSchema)
  const none = routes.filter((r) => r.kind === 'unimplemented').map((r) => r.method);
  assert.ok(none.includes('AlterCollectionSchema'));
  await assert.rejects(raw.call('AlterCollectionSchema', {}), (e: { code?: number }) => e.code === grpc.status.UNIMPLEMENTED);
});

test('the official SDK sees an unsupported RPC as an error, not an empty success', async () => {
  const c = new MilvusClient({ address: srv.address, logLevel: 'error' } as ConstructorParameters<typeof MilvusClient>[0]);
  // Cross-cluster replication has no single-node answer: Elanus refuses it (resource groups are served now).
  const r = await c.updateReplicateConfiguration({ clusters: [] } as unknown as Parameters<MilvusClient['updateReplicateConfiguration']>[0]);
  assert.equal(r.error_code, 'UnexpectedError');
  assert.equal(r.code, 10);
  assert.match(r.reason, /UpdateReplicateConfiguration is not supported by Elanus/);
  await c.closeConnection();
});

test('pymilvus-style requests: no anns_field/metric_type, empty dbname header, count(*), index state', async () => {
  const md = { dbname: '' };
  const s = await raw.call(
    'Search',
    {
      collection_name: 'wire',
      nq: 1,
      placeholder_group: placeholder(101, [f32(vectors[7]!)]),
      search_params: [
        { key: 'topk', value: '2' },
        { key: 'round_decimal', value: '-1' },
        { key: 'ignore_growing', value: 'False' },
        { key: 'params', value: '{}' },
      ],
    },
    md,
  );
  assert.equal(s.status?.code, 0, s.status?.reason);
  assert.deepEqual((s['results'] as { ids: { int_id: { data: string[] } } }).ids.int_id.data[0], '7');
  const count = await raw.call('Query', { collection_name: 'wire', expr: '', output_fields: ['count(*)'] }, md);
  assert.equal(count.status?.code, 0, count.status?.reason);
  const col = (count['fields_data'] as { field_name: string; type: number; scalars: { long_data: { data: string[] } } }[])[0]!;
  assert.equal(col.field_name, 'count(*)');
  assert.equal(col.type, DataType.Int64);
  assert.deepEqual(col.scalars.long_data.data, [String(vectors.length)]);
  const idx = await raw.call('DescribeIndex', { collection_name: 'wire', field_name: 'v' }, md);
  assert.equal((idx['index_descriptions'] as { state: number }[])[0]!.state, 3, 'Finished');
  const stats = await raw.call('GetCollectionStatistics', { collection_name: 'wire' }, md);
  assert.deepEqual(stats['stats'], [{ key: 'row_count', value: String(vectors.length) }]);
  assert.notEqual((await raw.call('AllocTimestamp', {}, md))['timestamp'], '0');
});
