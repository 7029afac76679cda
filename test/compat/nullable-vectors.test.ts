/**
 * Nullable vector fields (Milvus 2.6, issue 11) through all three transports: the embedded
 * `MilvusClient`, the official SDK over gRPC and the SDK's `HttpClient` over REST against a real
 * `elanus serve` process. A collection with a nullable float vector and a nullable sparse vector gets
 * rows with nulls in both; most are flushed into one sealed segment (its HNSW and sparse inverted
 * indexes are built over a segment holding null rows), the rest stay in the WAL; the process is
 * killed (SIGKILL) or the embedded client closed and reopened on the same data, then the WAL rows are
 * flushed and both segments compacted into one (indexed over its null rows before the swap). After the
 * restart and again after the compaction: searches
 * (plain, filtered, sparse) never return a null vector and always fill their top-k from the valid
 * rows, with recall against an exact search over the valid rows; `vec is null` / `is not null`
 * queries and counts match the rows; query and get return null vectors as null. Every transport must
 * give the same transcript.
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
import { call, normalise, type AnyClient, type Res } from './scenarios.js';

const C = 'nv';
const DIM = 8;
/** Rows flushed into the sealed segment, then rows left in the WAL. */
const SEALED = 4500;
const TOTAL = 5100;
const K = 10;

const fields = [
  { name: 'id', data_type: DataType.Int64, is_primary_key: true },
  { name: 'vec', data_type: DataType.FloatVector, dim: DIM, nullable: true },
  { name: 'sp', data_type: DataType.SparseFloatVector, nullable: true },
  { name: 'cat', data_type: DataType.Int32 },
];

const vecNull = (i: number): boolean => i % 3 === 0;
const spNull = (i: number): boolean => i % 4 === 0;

function vecOf(i: number): number[] {
  return Array.from({ length: DIM }, (_, j) => Math.fround(Math.sin(i * 0.731 + j * 1.37) + 0.3 * Math.cos(i * 0.117 * (j + 1))));
}
function spOf(i: number): Record<string, number> {
  return { [String(i % 50)]: 1 + (i % 7), [String(100 + (i % 13))]: 0.5 };
}
function row(i: number): Res {
  return { id: i, vec: vecNull(i) ? null : vecOf(i), sp: spNull(i) ? null : spOf(i), cat: i % 4 };
}
const rows = (from: number, to: number): Res[] => Array.from({ length: to - from }, (_, k) => row(from + k));

const query = vecOf(7);
const sparseQuery = { '7': 1 };
const FILTER = 'cat != 3';
/** The vector field added to the collection at the end (Milvus 2.6 adds nullable vectors), and a row that has it. */
const added = { name: 'vec2', data_type: DataType.FloatVector, dim: 4, nullable: true };
const addedRow = { id: TOTAL, vec: null, sp: null, cat: 0, vec2: [0.5, 0.5, 0.5, 0.5] };
/** A row with a vector of the wrong dimension: refused, nothing stored. */
const badRow = { id: 99999, vec: [1, 2, 3], sp: null, cat: 0 };

/** Exact L2 top-k over the rows with a vector (and passing `keep`): the oracle the index is held to. */
function truth(keep: (i: number) => boolean): string[] {
  const d: [number, number][] = [];
  for (let i = 0; i < TOTAL; i++) {
    if (vecNull(i) || !keep(i)) continue;
    const v = vecOf(i);
    let s = 0;
    for (let j = 0; j < DIM; j++) s += (v[j]! - query[j]!) ** 2;
    d.push([s, i]);
  }
  d.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  return d.slice(0, K).map(([, i]) => String(i));
}

type Outcome = { code: number; message: string };
interface Transcript {
  before: Record<string, unknown>;
  after: Record<string, unknown>;
}

function sdkOutcome(r: Res): Outcome {
  if ('thrown' in r) return { code: -1, message: String(r['thrown']) };
  const s = (r['status'] ?? r) as Res;
  return { code: Number(s['code']), message: String(s['reason'] ?? '') };
}
function restOutcome(r: { code: number; message?: string }): Outcome {
  return { code: r.code, message: r.code === 0 ? '' : String(r.message ?? '') };
}

const ids = (list: unknown): string[] => ((list ?? []) as Res[]).map((h) => String(h['id']));
const byId = (list: unknown): Res[] =>
  ((list ?? []) as Res[])
    .map((r) => normalise({ id: String(r['id']), vec: r['vec'] ?? null, sp: r['sp'] ?? null }) as Res)
    .sort((a, b) => Number(a['id']) - Number(b['id']));

// ---------------------------------------------------------------- embedded + SDK over gRPC

async function waitIndexed(c: AnyClient): Promise<void> {
  for (let i = 0; i < 600; i++) {
    let done = true;
    for (const f of ['vec', 'sp']) {
      const d = (((await call(c, 'describeIndex', { collection_name: C, field_name: f }))['index_descriptions'] ?? []) as Res[])[0] ?? {};
      if (d['state'] !== 'Finished' || String(d['pending_index_rows']) !== '0') done = false;
    }
    if (done) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail('indexes never finished');
}

async function sdkPhase1(c: AnyClient): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  out['create'] = sdkOutcome(await call(c, 'createCollection', { collection_name: C, fields }));
  out['index vec'] = sdkOutcome(await call(c, 'createIndex', { collection_name: C, field_name: 'vec', index_type: 'HNSW', metric_type: 'L2', params: { M: 16, efConstruction: 100 } }));
  out['index sp'] = sdkOutcome(await call(c, 'createIndex', { collection_name: C, field_name: 'sp', index_type: 'SPARSE_INVERTED_INDEX', metric_type: 'IP' }));
  out['load'] = sdkOutcome(await call(c, 'loadCollection', { collection_name: C }));
  for (let at = 0; at < SEALED; at += 1500) {
    const ins = await call(c, 'insert', { collection_name: C, data: rows(at, Math.min(SEALED, at + 1500)) });
    out[`insert ${at}`] = { ...sdkOutcome(ins), n: String(ins['insert_cnt']) };
  }
  out['flush'] = sdkOutcome(await call(c, 'flush', { collection_names: [C] }));
  const ins = await call(c, 'insert', { collection_name: C, data: rows(SEALED, TOTAL) });
  out['insert wal'] = { ...sdkOutcome(ins), n: String(ins['insert_cnt']) };
  out['bad dim'] = sdkOutcome(await call(c, 'insert', { collection_name: C, data: [badRow] }));
  return out;
}

async function sdkReads(c: AnyClient, out: Record<string, unknown>, at: string): Promise<void> {
  await waitIndexed(c);
  const search = async (extra: Res): Promise<Res> => {
    const s = await call(c, 'search', { collection_name: C, limit: K, output_fields: ['id'], consistency_level: 'Strong', ...extra });
    return { ...sdkOutcome(s), ids: ids(s['results']) };
  };
  out[`${at}: search vec`] = await search({ anns_field: 'vec', data: [query], params: { ef: 64 } });
  out[`${at}: search vec filtered`] = await search({ anns_field: 'vec', data: [query], filter: FILTER, params: { ef: 64 } });
  out[`${at}: search sp`] = await search({ anns_field: 'sp', data: [sparseQuery] });
  const q = await call(c, 'query', { collection_name: C, filter: 'vec is null and id < 13', output_fields: ['id', 'vec', 'sp'], consistency_level: 'Strong' });
  out[`${at}: query vec is null`] = { ...sdkOutcome(q), rows: byId(q['data']) };
  const q2 = await call(c, 'query', { collection_name: C, filter: 'sp is not null and vec is null and id < 40', output_fields: ['id'], consistency_level: 'Strong' });
  out[`${at}: query sp is not null`] = { ...sdkOutcome(q2), ids: ids(q2['data']).sort((a, b) => Number(a) - Number(b)) };
  const cnt = await call(c, 'query', { collection_name: C, filter: 'vec is null', output_fields: ['count(*)'], consistency_level: 'Strong' });
  out[`${at}: count vec is null`] = String((((cnt['data'] ?? []) as Res[])[0] ?? {})['count(*)']);
  const g = await call(c, 'get', { collection_name: C, ids: [0, 1, 4, TOTAL - 1], output_fields: ['id', 'vec', 'sp'] });
  out[`${at}: get`] = { ...sdkOutcome(g), rows: byId(g['data']) };
  // Search by primary keys: an id whose vector is null gets no hits; all of them null is an error.
  const byIds = await call(c, 'search', { collection_name: C, anns_field: 'vec', ids: [1, 3], limit: K, output_fields: ['id'], consistency_level: 'Strong' });
  const lists = (byIds['results'] ?? []) as Res[][];
  out[`${at}: search by ids`] = { ...sdkOutcome(byIds), topks: lists.map((l) => l.length) };
  out[`${at}: search by null ids`] = sdkOutcome(await call(c, 'search', { collection_name: C, anns_field: 'vec', ids: [0, 3], limit: K, output_fields: ['id'] }));
}

async function sdkPhase2(c: AnyClient): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  out['load'] = sdkOutcome(await call(c, 'loadCollection', { collection_name: C }));
  const desc = await call(c, 'describeCollection', { collection_name: C });
  out['nullable'] = (((desc['schema'] as Res | undefined)?.['fields'] ?? []) as Res[]).filter((f) => f['nullable'] === true).map((f) => f['name']);
  await sdkReads(c, out, 'restarted');
  // The WAL rows sealed too, then both segments merged: the merged segment is indexed before the swap.
  out['flush'] = sdkOutcome(await call(c, 'flush', { collection_names: [C] }));
  const r = await call(c, 'compact', { collection_name: C });
  let state: Res = {};
  for (let i = 0; i < 400; i++) {
    state = await call(c, 'getCompactionState', { compactionID: r['compactionID'] });
    if (state['state'] !== 'Executing') break;
    await new Promise((res) => setTimeout(res, 25));
  }
  out['compact'] = { ...sdkOutcome(r), state: String(state['state']) };
  const segs = await call(c, 'getQuerySegmentInfo', { collectionName: C });
  out['segments'] = ((segs['infos'] ?? []) as Res[]).map((x) => String(x['num_rows'])).sort();
  await sdkReads(c, out, 'compacted');
  // A nullable vector field added afterwards: every row so far reads null, a new row is found by it.
  out['add vec2'] = sdkOutcome(await call(c, 'addCollectionField', { collection_name: C, field: added }));
  const cnt = await call(c, 'query', { collection_name: C, filter: 'vec2 is null', output_fields: ['count(*)'], consistency_level: 'Strong' });
  out['count vec2 is null'] = String((((cnt['data'] ?? []) as Res[])[0] ?? {})['count(*)']);
  out['index vec2'] = sdkOutcome(await call(c, 'createIndex', { collection_name: C, field_name: 'vec2', index_type: 'HNSW', metric_type: 'L2', params: { M: 8, efConstruction: 32 } }));
  const ins = await call(c, 'insert', { collection_name: C, data: [addedRow] });
  out['insert vec2'] = { ...sdkOutcome(ins), n: String(ins['insert_cnt']) };
  const s2 = await call(c, 'search', { collection_name: C, anns_field: 'vec2', data: [addedRow.vec2], limit: 3, output_fields: ['id'], consistency_level: 'Strong' });
  out['search vec2'] = { ...sdkOutcome(s2), ids: ids(s2['results']) };
  return out;
}

// ---------------------------------------------------------------- REST

type RestRes = { code: number; message?: string; data?: unknown };
type P<M extends keyof HttpClient> = HttpClient[M] extends (a: infer A, ...r: never[]) => unknown ? A : never;

async function restWaitIndexed(h: HttpClient): Promise<void> {
  for (let i = 0; i < 600; i++) {
    let done = true;
    for (const f of ['vec', 'sp']) {
      const r = (await h.describeIndex({ collectionName: C, indexName: f } as unknown as P<'describeIndex'>)) as RestRes;
      const d = ((r.data ?? []) as Res[])[0] ?? {};
      if (d['indexState'] !== 'Finished' || Number(d['pendingRows']) !== 0) done = false;
    }
    if (done) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail('indexes never finished (REST)');
}

async function restPhase1(h: HttpClient): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  const restFields = [
    { fieldName: 'id', dataType: 'Int64', isPrimary: true },
    { fieldName: 'vec', dataType: 'FloatVector', nullable: true, elementTypeParams: { dim: DIM } },
    { fieldName: 'sp', dataType: 'SparseFloatVector', nullable: true },
    { fieldName: 'cat', dataType: 'Int32' },
  ];
  out['create'] = restOutcome((await h.createCollection({ collectionName: C, schema: { autoID: false, enabledDynamicField: false, fields: restFields } } as unknown as P<'createCollection'>)) as RestRes);
  out['index vec'] = restOutcome((await h.createIndex({ collectionName: C, indexParams: [{ fieldName: 'vec', indexName: 'vec', metricType: 'L2', params: { index_type: 'HNSW', M: 16, efConstruction: 100 } }] } as unknown as P<'createIndex'>)) as RestRes);
  out['index sp'] = restOutcome((await h.createIndex({ collectionName: C, indexParams: [{ fieldName: 'sp', indexName: 'sp', metricType: 'IP', params: { index_type: 'SPARSE_INVERTED_INDEX' } }] } as unknown as P<'createIndex'>)) as RestRes);
  out['load'] = restOutcome((await h.loadCollection({ collectionName: C } as unknown as P<'loadCollection'>)) as RestRes);
  const insert = async (data: Res[]): Promise<Res> => {
    const r = (await h.insert({ collectionName: C, data } as unknown as P<'insert'>)) as RestRes & { data?: { insertCount?: number } };
    return { ...restOutcome(r), n: String(r.data?.insertCount) };
  };
  for (let at = 0; at < SEALED; at += 1500) out[`insert ${at}`] = await insert(rows(at, Math.min(SEALED, at + 1500)));
  out['flush'] = restOutcome((await h.flushCollection({ collectionName: C } as unknown as P<'flushCollection'>)) as RestRes);
  out['insert wal'] = await insert(rows(SEALED, TOTAL));
  out['bad dim'] = restOutcome((await h.insert({ collectionName: C, data: [badRow] } as unknown as P<'insert'>)) as RestRes);
  return out;
}

async function restReads(h: HttpClient, out: Record<string, unknown>, at: string): Promise<void> {
  await restWaitIndexed(h);
  const search = async (extra: Res): Promise<Res> => {
    const s = (await h.search({ collectionName: C, limit: K, outputFields: ['id'], ...extra } as unknown as P<'search'>)) as RestRes;
    return { ...restOutcome(s), ids: ids(s.data) };
  };
  out[`${at}: search vec`] = await search({ annsField: 'vec', data: [query], searchParams: { params: { ef: 64 } } });
  out[`${at}: search vec filtered`] = await search({ annsField: 'vec', data: [query], filter: FILTER, searchParams: { params: { ef: 64 } } });
  out[`${at}: search sp`] = await search({ annsField: 'sp', data: [sparseQuery] });
  const q = (await h.query({ collectionName: C, filter: 'vec is null and id < 13', outputFields: ['id', 'vec', 'sp'] } as unknown as P<'query'>)) as RestRes;
  out[`${at}: query vec is null`] = { ...restOutcome(q), rows: byId(q.data) };
  const q2 = (await h.query({ collectionName: C, filter: 'sp is not null and vec is null and id < 40', outputFields: ['id'] } as unknown as P<'query'>)) as RestRes;
  out[`${at}: query sp is not null`] = { ...restOutcome(q2), ids: ids(q2.data).sort((a, b) => Number(a) - Number(b)) };
  const cnt = (await h.query({ collectionName: C, filter: 'vec is null', outputFields: ['count(*)'] } as unknown as P<'query'>)) as RestRes;
  out[`${at}: count vec is null`] = String(((cnt.data as Res[] | undefined)?.[0] ?? {})['count(*)']);
  const g = (await h.get({ collectionName: C, id: [0, 1, 4, TOTAL - 1], outputFields: ['id', 'vec', 'sp'] } as unknown as P<'get'>)) as RestRes;
  out[`${at}: get`] = { ...restOutcome(g), rows: byId(g.data) };
  const byIds = (await h.search({ collectionName: C, annsField: 'vec', ids: [1, 3], limit: K, outputFields: ['id'] } as unknown as P<'search'>)) as RestRes & { topks?: number[] };
  out[`${at}: search by ids`] = { ...restOutcome(byIds), topks: (byIds.topks ?? []).map(Number) };
  out[`${at}: search by null ids`] = restOutcome((await h.search({ collectionName: C, annsField: 'vec', ids: [0, 3], limit: K, outputFields: ['id'] } as unknown as P<'search'>)) as RestRes);
}

async function restPhase2(h: HttpClient, sdkAddress: string, db: string): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  out['load'] = restOutcome((await h.loadCollection({ collectionName: C } as unknown as P<'loadCollection'>)) as RestRes);
  const desc = (await h.describeCollection({ collectionName: C } as unknown as P<'describeCollection'>)) as RestRes;
  out['nullable'] = (((desc.data as Res | undefined)?.['fields'] ?? []) as Res[]).filter((f) => f['nullable'] === true).map((f) => f['name']);
  await restReads(h, out, 'restarted');
  out['flush'] = restOutcome((await h.flushCollection({ collectionName: C } as unknown as P<'flushCollection'>)) as RestRes);
  const r = (await h.compactCollection({ collectionName: C } as unknown as P<'compactCollection'>)) as RestRes;
  const id = (r.data as { compactionID?: number } | undefined)?.compactionID;
  let state = 'Executing';
  for (let i = 0; i < 400 && state === 'Executing'; i++) {
    const st = (await h.getCompactionState({ compactionID: id } as unknown as P<'getCompactionState'>)) as RestRes;
    state = String((st.data as Res | undefined)?.['state']);
    if (state === 'Executing') await new Promise((res) => setTimeout(res, 25));
  }
  out['compact'] = { ...restOutcome(r), state };
  // RESTful v2 has no segment listing: read it over gRPC from the same process.
  const sdk = new SdkClient({ address: sdkAddress, logLevel: 'error', database: db } as ConstructorParameters<typeof SdkClient>[0]);
  await sdk.connectPromise;
  const segs = await call(sdk as unknown as AnyClient, 'getQuerySegmentInfo', { collectionName: C });
  out['segments'] = ((segs['infos'] ?? []) as Res[]).map((x) => String(x['num_rows'])).sort();
  await sdk.closeConnection();
  await restReads(h, out, 'compacted');
  const r2 = (await h.addCollectionField({ collectionName: C, schema: { fieldName: 'vec2', dataType: 'FloatVector', nullable: true, elementTypeParams: { dim: 4 } } } as unknown as P<'addCollectionField'>)) as RestRes;
  out['add vec2'] = restOutcome(r2);
  const cnt = (await h.query({ collectionName: C, filter: 'vec2 is null', outputFields: ['count(*)'] } as unknown as P<'query'>)) as RestRes;
  out['count vec2 is null'] = String(((cnt.data as Res[] | undefined)?.[0] ?? {})['count(*)']);
  out['index vec2'] = restOutcome((await h.createIndex({ collectionName: C, indexParams: [{ fieldName: 'vec2', indexName: 'vec2', metricType: 'L2', params: { index_type: 'HNSW', M: 8, efConstruction: 32 } }] } as unknown as P<'createIndex'>)) as RestRes);
  const ins = (await h.insert({ collectionName: C, data: [addedRow] } as unknown as P<'insert'>)) as RestRes & { data?: { insertCount?: number } };
  out['insert vec2'] = { ...restOutcome(ins), n: String(ins.data?.insertCount) };
  const s2 = (await h.search({ collectionName: C, annsField: 'vec2', data: [addedRow.vec2], limit: 3, outputFields: ['id'] } as unknown as P<'search'>)) as RestRes;
  out['search vec2'] = { ...restOutcome(s2), ids: ids(s2.data) };
  return out;
}

// ---------------------------------------------------------------- the three runs

let served: ServedProcess | undefined;
let dataDir: string;
let embeddedDir: string;

before(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'elanus-nv-serve-'));
  embeddedDir = mkdtempSync(join(tmpdir(), 'elanus-nv-emb-'));
});

after(async () => {
  if (served) await served.stop();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(embeddedDir, { recursive: true, force: true });
});

async function serve(): Promise<ServedProcess> {
  served = await startServe([], { dataDir });
  return served;
}

async function viaEmbedded(): Promise<Transcript> {
  let c = new MilvusClient({ address: embeddedDir });
  const before = await sdkPhase1(c as unknown as AnyClient);
  await c.close();
  c = new MilvusClient({ address: embeddedDir });
  const after = await sdkPhase2(c as unknown as AnyClient);
  await c.close();
  return { before, after };
}

async function viaGrpc(db: string): Promise<Transcript> {
  let p = await serve();
  let sdk = new SdkClient({ address: p.address, logLevel: 'error' } as ConstructorParameters<typeof SdkClient>[0]);
  await sdk.connectPromise;
  await call(sdk as unknown as AnyClient, 'createDatabase', { db_name: db });
  await sdk.use({ db_name: db });
  const before = await sdkPhase1(sdk as unknown as AnyClient);
  await sdk.closeConnection();
  // A crash: the WAL rows and the flushed segment must both come back.
  await p.stop({ keepData: true, signal: 'SIGKILL' });
  p = await serve();
  sdk = new SdkClient({ address: p.address, logLevel: 'error', database: db } as ConstructorParameters<typeof SdkClient>[0]);
  await sdk.connectPromise;
  const after = await sdkPhase2(sdk as unknown as AnyClient);
  await sdk.closeConnection();
  assert.equal(await p.stop({ keepData: true }), 0, p.output());
  served = undefined;
  return { before, after };
}

async function viaRest(db: string): Promise<Transcript> {
  let p = await serve();
  let h = new HttpClient({ endpoint: `http://${p.restAddress!}` });
  await h.createDatabase({ dbName: db } as unknown as P<'createDatabase'>);
  h = new HttpClient({ endpoint: `http://${p.restAddress!}`, database: db });
  const before = await restPhase1(h);
  await p.stop({ keepData: true, signal: 'SIGKILL' });
  p = await serve();
  h = new HttpClient({ endpoint: `http://${p.restAddress!}`, database: db });
  const after = await restPhase2(h, p.address, db);
  assert.equal(await p.stop({ keepData: true }), 0, p.output());
  served = undefined;
  return { before, after };
}

function recall(got: unknown, want: string[]): number {
  const g = new Set((got as { ids: string[] }).ids);
  return want.filter((id) => g.has(id)).length / want.length;
}

test('nullable float and sparse vectors: stored through flush, WAL and restart; search skips nulls (indexed, filtered); is null queries; alike on every transport', async () => {
  const emb = await viaEmbedded();
  const ok = { code: 0, message: '' };
  for (const k of ['create', 'index vec', 'index sp', 'load', 'flush']) assert.deepEqual(emb.before[k], ok, k);
  assert.deepEqual(emb.before['insert wal'], { ...ok, n: String(TOTAL - SEALED) });
  const bad = emb.before['bad dim'] as Outcome;
  assert.equal(bad.code, 1100);
  assert.match(bad.message, /vec \(row 0\).*dimension/);

  const a = emb.after;
  assert.deepEqual(a['load'], ok);
  assert.deepEqual(a['nullable'], ['vec', 'sp']);
  assert.deepEqual(a['compact'], { ...ok, state: 'Completed' });
  assert.deepEqual(a['segments'], [String(TOTAL)], 'one merged segment');
  for (const at of ['restarted', 'compacted']) {
    for (const k of ['search vec', 'search vec filtered', 'search sp']) {
      const hits = (a[`${at}: ${k}`] as { ids: string[] }).ids;
      assert.equal(hits.length, K, `${at}: ${k}: the top-k is filled from the rows that have a vector`);
      const isNull = k === 'search sp' ? spNull : vecNull;
      for (const id of hits) assert.ok(!isNull(Number(id)), `${at}: ${k}: returned row ${id}, whose vector is null`);
    }
    // Recall against the exact search over the rows with a vector (HNSW on sealed segments, exact on growing rows).
    const r1 = recall(a[`${at}: search vec`], truth(() => true));
    const r2 = recall(a[`${at}: search vec filtered`], truth((i) => i % 4 !== 3));
    assert.ok(r1 >= 0.9, `${at}: recall ${r1}`);
    assert.ok(r2 >= 0.9, `${at}: filtered recall ${r2}`);
    for (const id of (a[`${at}: search vec filtered`] as { ids: string[] }).ids) assert.notEqual(Number(id) % 4, 3);
    // The sparse hits share index 7 with the query (i % 50 == 7); none is null.
    for (const id of (a[`${at}: search sp`] as { ids: string[] }).ids) assert.equal(Number(id) % 50, 7);
    const nullRows = [0, 3, 6, 9, 12].map((i) => normalise({ id: String(i), vec: null, sp: spNull(i) ? null : spOf(i) }));
    assert.deepEqual(a[`${at}: query vec is null`], { ...ok, rows: nullRows });
    assert.deepEqual(a[`${at}: query sp is not null`], { ...ok, ids: Array.from({ length: 40 }, (_, i) => i).filter((i) => vecNull(i) && !spNull(i)).map(String) });
    assert.equal(a[`${at}: count vec is null`], String(Math.ceil(TOTAL / 3)));
    assert.deepEqual(a[`${at}: get`], {
      ...ok,
      rows: [0, 1, 4, TOTAL - 1].map((i) => normalise({ id: String(i), vec: vecNull(i) ? null : vecOf(i), sp: spNull(i) ? null : spOf(i) })),
    });
  }

  for (const at of ['restarted', 'compacted']) {
    assert.deepEqual(a[`${at}: search by ids`], { ...ok, topks: [K, 0] });
    assert.deepEqual(a[`${at}: search by null ids`], { code: 1100, message: 'invalid parameter "ids": the "vec" vectors of all the given primary keys are null; there is nothing to search with' });
  }
  assert.deepEqual(a['add vec2'], ok);
  assert.equal(a['count vec2 is null'], String(TOTAL));
  assert.deepEqual(a['index vec2'], ok, 'an HNSW index on a segment whose vectors are all null');
  assert.deepEqual(a['insert vec2'], { ...ok, n: '1' });
  assert.deepEqual(a['search vec2'], { ...ok, ids: [String(TOTAL)] });

  const grpc = await viaGrpc('nv_grpc');
  assert.deepEqual(grpc, emb, 'gRPC differs from embedded');
  const rest = await viaRest('nv_rest');
  assert.deepEqual(rest, emb, 'REST differs from embedded');
});
