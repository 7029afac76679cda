/**
 * text_match / phrase_match (Milvus 2.6 keyword match and phrase match) through all three
 * transports: the embedded `MilvusClient`, the official SDK over gRPC to a real `elanus serve`, and
 * the SDK's `HttpClient` over REST to the same process. Each runs the same story on its own
 * collection — rows in a growing segment, flush (sealed) plus new growing rows, a delete by a
 * phrase_match filter, a restart — and every query, count and filtered search must return exactly
 * the rows a brute-force scan (test/support/text-oracle.ts) picks; the refusals (bad options, a field
 * without enable_match, enable_match without enable_analyzer) give the same 1100 everywhere.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HttpClient, MilvusClient as SdkClient } from '@zilliz/milvus2-sdk-node';
import { MilvusClient } from '../../src/index.js';
import { DataType } from '../../src/core/data-type.js';
import { startServe, type ServedProcess } from '../server/spawn-server.js';
import { phraseMatches, textMatches } from '../support/text-oracle.js';
import { call, type AnyClient, type Res } from './scenarios.js';

const WORDS = ['machine', 'learning', 'deep', 'robotics', 'model', 'data', 'the', 'of', 'search', 'vector', 'Fast', 'systems'];
const EN = { type: 'english' };
const N = 60;
const text = (i: number, salt: number): string =>
  Array.from({ length: 2 + ((i * salt) % 7) }, (_, k) => WORDS[(i * 7 + k * (salt + 3) + ((i * k) % 5)) % WORDS.length]!).join(' ');
interface Row { id: number; t: string; e: string; n: number; v: number[] }
const ROWS: Row[] = Array.from({ length: N }, (_, i) => ({
  id: i,
  t: i === 0 ? 'machine learning boosts efficiency' : i === 1 ? 'machine deep learning models' : i === 2 ? 'learning machine' : text(i, 3),
  e: text(i, 5),
  n: i % 5,
  v: [Math.cos(i), Math.sin(i), (i % 7) / 7, 1],
}));

interface Probe { filter: string; oracle: (r: Row) => boolean }
const PROBES: Probe[] = [
  { filter: 'text_match(t, "machine")', oracle: (r) => textMatches(undefined, r.t, 'machine') },
  { filter: "TEXT_MATCH(t, 'deep robotics')", oracle: (r) => textMatches(undefined, r.t, 'deep robotics') },
  { filter: 'text_match(t, "machine learning deep", minimum_should_match=2)', oracle: (r) => textMatches(undefined, r.t, 'machine learning deep', 2) },
  { filter: 'text_match(e, "models learns")', oracle: (r) => textMatches(EN, r.e, 'models learns') },
  { filter: 'phrase_match(t, "machine learning")', oracle: (r) => phraseMatches(undefined, r.t, 'machine learning') },
  { filter: 'phrase_match(t, "machine learning", 1)', oracle: (r) => phraseMatches(undefined, r.t, 'machine learning', 1) },
  { filter: 'phrase_match(t, "data search", 3) or n == 4', oracle: (r) => phraseMatches(undefined, r.t, 'data search', 3) || r.n === 4 },
  { filter: 'not text_match(t, "vector") and n < 3', oracle: (r) => !textMatches(undefined, r.t, 'vector') && r.n < 3 },
  { filter: 'phrase_match(e, "systems of the data", 2) and text_match(t, "fast")', oracle: (r) => phraseMatches(EN, r.e, 'systems of the data', 2) && textMatches(undefined, r.t, 'fast') },
];
const COUNT = 'text_match(t, "learning") or phrase_match(e, "search vector")';
const countOracle = (r: Row): boolean => textMatches(undefined, r.t, 'learning') || phraseMatches(EN, r.e, 'search vector');
const SEARCH = 'phrase_match(t, "machine learning", 2) or text_match(e, "robotics")';
const searchOracle = (r: Row): boolean => phraseMatches(undefined, r.t, 'machine learning', 2) || textMatches(EN, r.e, 'robotics');
const DELETE = 'phrase_match(t, "deep model", 1)';
const deleteOracle = (r: Row): boolean => phraseMatches(undefined, r.t, 'deep model', 1);
const Q = [1, 0, 0.5, 1];

const BAD_FILTERS = [
  'text_match(t, "a", minimum_should_match=0)',
  'phrase_match(t, "a b", -1)',
  'text_match(plain, "a")',
  'phrase_match(t, "a b", slop=2)',
];

/** What one transport saw at one stage: ids per probe, the count, the search's hits. */
interface Stage { probes: number[][]; count: number; search: number[] }
interface Outcome { stages: Record<string, Stage>; deleted: number; errors: string[] }

const sorted = (xs: unknown[]): number[] => xs.map(Number).sort((a, b) => a - b);

/** The operations in each transport's own shapes. */
interface Ops {
  create(name: string, fields: 'good' | 'match-without-analyzer'): Promise<string>;
  indexAndLoad(name: string): Promise<void>;
  load(name: string): Promise<void>;
  insert(name: string, rows: Row[]): Promise<void>;
  flush(name: string): Promise<void>;
  query(name: string, filter: string): Promise<{ ids?: number[]; error?: string }>;
  count(name: string, filter: string): Promise<number>;
  search(name: string, filter: string): Promise<number[]>;
  deleteBy(name: string, filter: string): Promise<number>;
}

const sdkFields = (kind: 'good' | 'match-without-analyzer'): unknown[] => [
  { name: 'id', data_type: DataType.Int64, is_primary_key: true },
  kind === 'good'
    ? { name: 't', data_type: DataType.VarChar, max_length: 512, enable_analyzer: true, enable_match: true }
    : { name: 't', data_type: DataType.VarChar, max_length: 512, enable_match: true },
  { name: 'e', data_type: DataType.VarChar, max_length: 512, enable_analyzer: true, enable_match: true, analyzer_params: EN },
  { name: 'plain', data_type: DataType.VarChar, max_length: 64 },
  { name: 'n', data_type: DataType.Int64 },
  { name: 'v', data_type: DataType.FloatVector, dim: 4 },
];

const statusOf = (r: Res): string => {
  if ('thrown' in r) return `thrown ${String(r['thrown'])}`;
  const s = (r['status'] ?? r) as Res;
  return `${String(s['code'] ?? s['error_code'])} ${String(s['reason'] ?? '')}`;
};
const okStatus = (r: Res, what: string): void => {
  const s = statusOf(r);
  assert.ok(s.startsWith('0 ') || s.startsWith('Success'), `${what}: ${s}`);
};

function sdkOps(c: AnyClient): Ops {
  return {
    async create(name, kind) {
      return statusOf(await call(c, 'createCollection', { collection_name: name, fields: sdkFields(kind) }));
    },
    async indexAndLoad(name) {
      okStatus(await call(c, 'createIndex', { collection_name: name, field_name: 'v', index_type: 'FLAT', metric_type: 'L2' }), 'index');
      okStatus(await call(c, 'loadCollection', { collection_name: name }), 'load');
    },
    async load(name) {
      okStatus(await call(c, 'loadCollection', { collection_name: name }), 'load');
    },
    async insert(name, rows) {
      okStatus(await call(c, 'insert', { collection_name: name, data: rows.map((r) => ({ ...r, plain: `p${r.id}` })) }), 'insert');
    },
    async flush(name) {
      okStatus(await call(c, 'flushSync', { collection_names: [name] }), 'flush');
    },
    async query(name, filter) {
      const r = await call(c, 'query', { collection_name: name, filter, output_fields: ['id'], limit: 1000, consistency_level: 'Strong' });
      const s = statusOf(r);
      if (!s.startsWith('0 ') && !s.startsWith('Success')) return { error: s };
      return { ids: sorted(((r['data'] ?? []) as Res[]).map((x) => x['id'])) };
    },
    async count(name, filter) {
      const r = await call(c, 'query', { collection_name: name, filter, output_fields: ['count(*)'], consistency_level: 'Strong' });
      okStatus(r, 'count');
      return Number(((r['data'] ?? []) as Res[])[0]?.['count(*)']);
    },
    async search(name, filter) {
      const r = await call(c, 'search', { collection_name: name, data: [Q], filter, limit: 100, output_fields: ['id'], consistency_level: 'Strong' });
      okStatus(r, 'search');
      return sorted(((r['results'] ?? []) as Res[]).map((x) => x['id']));
    },
    async deleteBy(name, filter) {
      const r = await call(c, 'delete', { collection_name: name, filter, consistency_level: 'Strong' });
      okStatus(r, 'delete');
      return Number(r['delete_cnt']);
    },
  };
}

function restOps(h: HttpClient): Ops {
  const post = (m: string, b: Record<string, unknown>): Promise<Res> => (h as unknown as Record<string, (b: unknown) => Promise<Res>>)[m]!.call(h, b);
  const rest = (r: Res): string => `${String(r['code'])} ${String(r['message'] ?? '')}`;
  const ok = (r: Res, what: string): void => assert.equal(r['code'], 0, `${what}: ${rest(r)}`);
  const restFields = (kind: 'good' | 'match-without-analyzer'): unknown[] => [
    { fieldName: 'id', dataType: 'Int64', isPrimary: true },
    { fieldName: 't', dataType: 'VarChar', elementTypeParams: kind === 'good' ? { max_length: 512, enable_analyzer: true, enable_match: true } : { max_length: 512, enable_match: true } },
    { fieldName: 'e', dataType: 'VarChar', elementTypeParams: { max_length: 512, enable_analyzer: true, enable_match: true, analyzer_params: EN } },
    { fieldName: 'plain', dataType: 'VarChar', elementTypeParams: { max_length: 64 } },
    { fieldName: 'n', dataType: 'Int64' },
    { fieldName: 'v', dataType: 'FloatVector', elementTypeParams: { dim: 4 } },
  ];
  return {
    async create(name, kind) {
      const r = await post('createCollection', { collectionName: name, schema: { autoID: false, enabledDynamicField: false, fields: restFields(kind) } });
      return r['code'] === 0 ? '0 ' : rest(r);
    },
    async indexAndLoad(name) {
      ok(await post('createIndex', { collectionName: name, indexParams: [{ fieldName: 'v', indexName: 'v_idx', metricType: 'L2', params: { index_type: 'FLAT' } }] }), 'index');
      ok(await post('loadCollection', { collectionName: name }), 'load');
    },
    async load(name) {
      ok(await post('loadCollection', { collectionName: name }), 'load');
    },
    async insert(name, rows) {
      ok(await post('insert', { collectionName: name, data: rows.map((r) => ({ ...r, plain: `p${r.id}` })) }), 'insert');
    },
    async flush(name) {
      ok(await post('flushCollection', { collectionName: name }), 'flush');
    },
    async query(name, filter) {
      const r = await post('query', { collectionName: name, filter, outputFields: ['id'], limit: 1000 });
      if (r['code'] !== 0) return { error: rest(r) };
      return { ids: sorted(((r['data'] ?? []) as Res[]).map((x) => x['id'])) };
    },
    async count(name, filter) {
      const r = await post('query', { collectionName: name, filter, outputFields: ['count(*)'] });
      ok(r, 'count');
      return Number(((r['data'] ?? []) as Res[])[0]?.['count(*)']);
    },
    async search(name, filter) {
      const r = await post('search', { collectionName: name, data: [Q], annsField: 'v', filter, limit: 100, outputFields: ['id'] });
      ok(r, 'search');
      return sorted(((r['data'] ?? []) as Res[]).map((x) => x['id']));
    },
    async deleteBy(name, filter) {
      const r = await post('delete', { collectionName: name, filter });
      ok(r, 'delete');
      return Number((r['data'] as Res | undefined)?.['deleteCount'] ?? NaN);
    },
  };
}

async function stage(ops: Ops, name: string): Promise<Stage> {
  const probes: number[][] = [];
  for (const p of PROBES) {
    const r = await ops.query(name, p.filter);
    assert.ok(r.ids, `${p.filter}: ${r.error ?? ''}`);
    probes.push(r.ids);
  }
  return { probes, count: await ops.count(name, COUNT), search: await ops.search(name, SEARCH) };
}

/** Growing rows, then sealed + growing, then a delete by phrase_match. `restart` reconnects to the same data. */
async function run(ops: Ops, name: string, restart: () => Promise<Ops>): Promise<Outcome> {
  const stages: Record<string, Stage> = {};
  assert.equal(await ops.create(name, 'good'), '0 ');
  await ops.indexAndLoad(name);
  await ops.insert(name, ROWS.slice(0, 40));
  stages['growing'] = await stage(ops, name);
  await ops.flush(name);
  await ops.insert(name, ROWS.slice(40));
  stages['sealed+growing'] = await stage(ops, name);
  const deleted = await ops.deleteBy(name, DELETE);
  stages['after delete'] = await stage(ops, name);
  const again = await restart();
  await again.load(name);
  stages['after restart'] = await stage(again, name);
  const errors: string[] = [];
  for (const f of BAD_FILTERS) errors.push((await again.query(name, f)).error ?? 'accepted');
  errors.push(await again.create(`${name}_bad`, 'match-without-analyzer'));
  return { stages, deleted, errors };
}

function expectedStage(live: Row[]): Stage {
  return {
    probes: PROBES.map((p) => live.filter(p.oracle).map((r) => r.id)),
    count: live.filter(countOracle).length,
    search: live.filter(searchOracle).map((r) => r.id),
  };
}

let served: ServedProcess | undefined;
let dataDir: string;
let embeddedDir: string;
before(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'elanus-tm-serve-'));
  embeddedDir = mkdtempSync(join(tmpdir(), 'elanus-tm-emb-'));
});
after(async () => {
  if (served) await served.stop();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(embeddedDir, { recursive: true, force: true });
});

test('text_match / phrase_match over embedded, SDK gRPC and REST: growing, sealed, deleted and restarted rows match a brute-force scan; refusals alike', async () => {
  let emb = new MilvusClient(embeddedDir);
  const embOut = await run(sdkOps(emb as unknown as AnyClient), 'tm', async () => {
    await emb.close();
    emb = new MilvusClient(embeddedDir);
    return sdkOps(emb as unknown as AnyClient);
  });
  await emb.close();

  served = await startServe([], { dataDir });
  let sdk = new SdkClient({ address: served.address });
  const grpcOut = await run(sdkOps(sdk as unknown as AnyClient), 'tm', async () => {
    await sdk.closeConnection();
    await served!.stop({ keepData: true });
    served = await startServe([], { dataDir });
    sdk = new SdkClient({ address: served.address });
    return sdkOps(sdk as unknown as AnyClient);
  });
  const restOut = await run(restOps(new HttpClient({ endpoint: `http://${served.restAddress!}` })), 'tm_rest', async () => {
    await sdk.closeConnection();
    await served!.stop({ keepData: true });
    served = await startServe([], { dataDir });
    sdk = new SdkClient({ address: served.address });
    return restOps(new HttpClient({ endpoint: `http://${served.restAddress!}` }));
  });
  await sdk.closeConnection();

  const deletedRows = new Set(ROWS.filter(deleteOracle).map((r) => r.id));
  const want: Record<string, Stage> = {
    growing: expectedStage(ROWS.slice(0, 40)),
    'sealed+growing': expectedStage(ROWS),
    'after delete': expectedStage(ROWS.filter((r) => !deletedRows.has(r.id))),
    'after restart': expectedStage(ROWS.filter((r) => !deletedRows.has(r.id))),
  };
  // The probes are not vacuous: each picks some rows but not all, and the delete removes some.
  for (const [i, p] of want['sealed+growing']!.probes.entries()) assert.ok(p.length > 0 && p.length < N, `${PROBES[i]!.filter}: ${p.length} rows`);
  assert.ok(deletedRows.size > 0 && deletedRows.size < N / 2, `delete takes ${deletedRows.size} rows`);
  for (const [label, out] of [['embedded', embOut], ['grpc', grpcOut], ['rest', restOut]] as const) {
    for (const [s, w] of Object.entries(want)) assert.deepEqual(out.stages[s], w, `${label} ${s}`);
    assert.equal(out.deleted, deletedRows.size, `${label} delete count`);
  }
  for (const e of embOut.errors) assert.match(e, /^1100 /);
  assert.match(embOut.errors[0]!, /minimum_should_match should be >= 1, got 0/);
  assert.match(embOut.errors[1]!, /the slop of phrase_match should not be negative/);
  assert.match(embOut.errors[2]!, /text_match needs a VarChar field with enable_analyzer and enable_match set; "plain" is not one/);
  assert.match(embOut.errors[3]!, /phrase_match takes/);
  assert.match(embOut.errors[4]!, /invalid parameter "t\.enable_match": field "t" sets enable_match but not enable_analyzer/);
  assert.deepEqual(grpcOut.errors, embOut.errors);
  assert.deepEqual(restOut.errors, embOut.errors);
});
