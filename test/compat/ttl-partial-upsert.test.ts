/**
 * Collection TTL and partial upsert (issue 11) through all three transports: the embedded
 * `MilvusClient`, the official SDK over gRPC and the SDK's `HttpClient` over REST, each against its
 * own data directory (a real `elanus serve` process for the last two; the gRPC one is SIGKILLed
 * between the phases, so its unflushed rows come back from the WAL).
 *
 * TTL (`ttl`): rows are inserted and flushed (sealed), more stay growing; after 3.3 s more rows come
 * and row 3 is upserted, then `collection.ttl.seconds` is set to 3: the old rows vanish from count,
 * query, get, search and hybrid search alike, the new ones stay. Bad TTLs (not a number, below -1, a
 * fraction) are refused with 1100 at create and alter, nothing stored. After the restart every row
 * of the first phase is past its TTL (sealed or replayed from the WAL); flush and compaction drop
 * the expired rows (no segment is left), dropping the TTL then brings nothing back, and rows written
 * after it are seen.
 *
 * Partial upsert (`pu`): `partial_update` (REST `partialUpdate`) on sealed and growing rows replaces
 * the given fields and keeps the others and the dynamic keys; a new key without its vector is
 * refused; after the restart a released collection refuses it (101), a loaded one merges again.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { HttpClient} from '@zilliz/milvus2-sdk-node';
import { DataType } from '../../src/core/data-type.js';
import { call, type AnyClient, type Res } from './scenarios.js';
import { phasedTransports, type Opener } from './phased.js';

type Outcome = { code: number; message: string };
type Row = Record<string, unknown>;

const T = 'ttl';
const P = 'pu';
const TTL = 'collection.ttl.seconds';
const vec = (i: number): number[] => [Math.cos(i), Math.sin(i), i / 10, 1];
const tRow = (i: number): Row => ({ id: i, v: vec(i), w: vec(i + 1), tag: `t${i}` });
const pRow = (i: number): Row => ({ id: i, v: vec(i), title: `title${i}`, n: i, color: i % 2 ? 'red' : 'blue' });
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

const tFields = [
  { name: 'id', data_type: DataType.Int64, is_primary_key: true },
  { name: 'v', data_type: DataType.FloatVector, dim: 4 },
  { name: 'w', data_type: DataType.FloatVector, dim: 4 },
  { name: 'tag', data_type: DataType.VarChar, max_length: 16 },
];
const pFields = [
  { name: 'id', data_type: DataType.Int64, is_primary_key: true },
  { name: 'v', data_type: DataType.FloatVector, dim: 4 },
  { name: 'title', data_type: DataType.VarChar, max_length: 16 },
  { name: 'n', data_type: DataType.Int32, nullable: true },
];
const restFields = (c: string): Record<string, unknown>[] =>
  (c === T ? tFields : pFields).map((f) => ({
    fieldName: f.name,
    dataType: f.data_type === DataType.Int64 ? 'Int64' : f.data_type === DataType.FloatVector ? 'FloatVector' : f.data_type === DataType.VarChar ? 'VarChar' : 'Int32',
    ...('is_primary_key' in f ? { isPrimary: true } : {}),
    ...('nullable' in f ? { nullable: true } : {}),
    elementTypeParams: 'dim' in f ? { dim: f.dim } : 'max_length' in f ? { max_length: f.max_length } : {},
  }));

/** What each transport can do, each answer normalised to the same shape. */
interface Ops {
  create(c: string, props?: Record<string, unknown>): Promise<Outcome>;
  has(c: string): Promise<boolean>;
  index(c: string): Promise<Outcome>;
  load(c: string): Promise<Outcome>;
  release(c: string): Promise<Outcome>;
  flush(c: string): Promise<Outcome>;
  compact(c: string): Promise<Outcome & { state: string }>;
  insert(c: string, rows: Row[]): Promise<Outcome & { n: number }>;
  upsert(c: string, rows: Row[], partial: boolean): Promise<Outcome & { n: number }>;
  alter(c: string, props: Record<string, unknown>): Promise<Outcome>;
  dropProps(c: string, keys: string[]): Promise<Outcome>;
  ttl(c: string): Promise<string | null>;
  ids(c: string, filter: string): Promise<Outcome & { ids: number[] }>;
  rows(c: string, filter: string, out: string[]): Promise<Outcome & { rows: Row[] }>;
  count(c: string): Promise<number>;
  get(c: string, ids: number[]): Promise<number[]>;
  search(c: string, v: number[], limit: number): Promise<number[]>;
  hybrid(c: string, v: number[], limit: number): Promise<number[]>;
  /** Segments as `rows:state` (RESTful v2 has no such call). */
  segments?(c: string): Promise<string[]>;
  close(): Promise<void>;
}

const sorted = (xs: unknown[]): number[] => xs.map(Number).sort((a, b) => a - b);

/** Rows compared across transports: ids as numbers, the dynamic keys flattened. */
function normRows(list: Row[], out: string[]): Row[] {
  return list
    .map((r) => {
      const flat: Row = { ...((r['$meta'] as Row | undefined) ?? {}), ...r };
      delete flat['$meta'];
      return Object.fromEntries(['id', ...out].map((k) => [k, k === 'id' ? Number(flat[k]) : (flat[k] ?? null)]));
    })
    .sort((a, b) => Number(a['id']) - Number(b['id']));
}

function sdkOutcome(r: Res): Outcome {
  if ('thrown' in r) {
    const t = r['thrown'] as Res | string;
    if (t && typeof t === 'object') return { code: Number(t['code']), message: String(t['reason'] ?? '') };
    return { code: -1, message: String(t) };
  }
  const s = (r['status'] ?? r) as Res;
  return { code: Number(s['code']), message: s['code'] === 0 ? '' : String(s['reason'] ?? '') };
}

function sdkOps(c: AnyClient, onClose: () => Promise<void>): Ops {
  const o = async (method: string, req: unknown): Promise<Outcome> => sdkOutcome(await call(c, method, req));
  return {
    create: (name, props) => o('createCollection', { collection_name: name, fields: name === T ? tFields : pFields, enable_dynamic_field: name === P, ...(props ? { properties: props } : {}) }),
    has: async (name) => (await call(c, 'hasCollection', { collection_name: name }))['value'] === true,
    async index(name) {
      const r = await o('createIndex', { collection_name: name, field_name: 'v', index_type: 'FLAT', metric_type: 'L2' });
      if (name === T && r.code === 0) return o('createIndex', { collection_name: name, field_name: 'w', index_type: 'FLAT', metric_type: 'L2' });
      return r;
    },
    load: (name) => o('loadCollection', { collection_name: name }),
    release: (name) => o('releaseCollection', { collection_name: name }),
    flush: (name) => o('flush', { collection_names: [name] }),
    async compact(name) {
      const r = await call(c, 'compact', { collection_name: name });
      let state: Res = {};
      for (let i = 0; i < 400; i++) {
        state = await call(c, 'getCompactionState', { compactionID: r['compactionID'] });
        if (state['state'] !== 'Executing') break;
        await sleep(25);
      }
      return { ...sdkOutcome(r), state: String(state['state']) };
    },
    async insert(name, rows) {
      const r = await call(c, 'insert', { collection_name: name, data: rows });
      return { ...sdkOutcome(r), n: Number(r['insert_cnt'] ?? 0) };
    },
    async upsert(name, rows, partial) {
      const r = await call(c, 'upsert', { collection_name: name, data: rows, ...(partial ? { partial_update: true } : {}) });
      return { ...sdkOutcome(r), n: Number(r['upsert_cnt'] ?? 0) };
    },
    alter: (name, properties) => o('alterCollectionProperties', { collection_name: name, properties }),
    dropProps: (name, properties) => o('dropCollectionProperties', { collection_name: name, properties }),
    async ttl(name) {
      const d = await call(c, 'describeCollection', { collection_name: name });
      const kv = ((d['properties'] ?? []) as { key: string; value: string }[]).find((p) => p.key === TTL);
      return kv ? kv.value : null;
    },
    async ids(name, filter) {
      const r = await call(c, 'query', { collection_name: name, filter, output_fields: ['id'], consistency_level: 'Strong' });
      return { ...sdkOutcome(r), ids: sorted(((r['data'] ?? []) as Row[]).map((x) => x['id'])) };
    },
    async rows(name, filter, out) {
      const r = await call(c, 'query', { collection_name: name, filter, output_fields: ['id', ...out], consistency_level: 'Strong' });
      return { ...sdkOutcome(r), rows: normRows((r['data'] ?? []) as Row[], out) };
    },
    async count(name) {
      const r = await call(c, 'count', { collection_name: name, consistency_level: 'Strong' });
      return Number(r['data']);
    },
    async get(name, ids) {
      const r = await call(c, 'get', { collection_name: name, ids, output_fields: ['id'], consistency_level: 'Strong' });
      return sorted(((r['data'] ?? []) as Row[]).map((x) => x['id']));
    },
    async search(name, v, limit) {
      const r = await call(c, 'search', { collection_name: name, data: [v], anns_field: 'v', limit, output_fields: ['id'], consistency_level: 'Strong' });
      return sorted(((r['results'] ?? []) as Row[]).map((h) => h['id']));
    },
    async hybrid(name, v, limit) {
      const r = await call(c, 'hybridSearch', {
        collection_name: name,
        data: [{ data: [v], anns_field: 'v', limit }, { data: [v], anns_field: 'w', limit }],
        rerank: { strategy: 'rrf', params: { k: 60 } },
        limit,
        output_fields: ['id'],
        consistency_level: 'Strong',
      });
      return sorted(((r['results'] ?? []) as Row[]).map((h) => h['id']));
    },
    async segments(name) {
      const r = await call(c, 'getPersistentSegmentInfo', { collectionName: name });
      return ((r['infos'] ?? []) as Res[]).map((x) => `${String(x['num_rows'])}:${String(x['state'])}`).sort();
    },
    close: onClose,
  };
}

type RestRes = { code: number; message?: string; data?: unknown };
function restOutcome(r: RestRes): Outcome {
  return { code: r.code, message: r.code === 0 ? '' : String(r.message ?? '') };
}

function restOps(h: HttpClient, onClose: () => Promise<void>): Ops {
  const post = async (method: string, name: string, body: Record<string, unknown>): Promise<RestRes> =>
    (await (h as unknown as Record<string, (b: unknown) => Promise<unknown>>)[method]!.call(h, { collectionName: name, ...body })) as RestRes;
  const o = async (method: string, name: string, body: Record<string, unknown> = {}): Promise<Outcome> => restOutcome(await post(method, name, body));
  return {
    create: (name, props) => o('createCollection', name, { schema: { autoID: false, enabledDynamicField: name === P, fields: restFields(name) }, ...(props ? { properties: props } : {}) }),
    has: async (name) => ((await post('hasCollection', name, {})).data as { has?: boolean } | undefined)?.has === true,
    index: (name) => o('createIndex', name, { indexParams: (name === T ? ['v', 'w'] : ['v']).map((f) => ({ fieldName: f, indexName: f, metricType: 'L2', params: { index_type: 'FLAT' } })) }),
    load: (name) => o('loadCollection', name),
    release: (name) => o('releaseCollection', name),
    flush: (name) => o('flushCollection', name),
    async compact(name) {
      const r = await post('compactCollection', name, {});
      const id = (r.data as { compactionID?: number } | undefined)?.compactionID;
      let state = 'Executing';
      for (let i = 0; i < 400 && state === 'Executing'; i++) {
        const s = (await h.getCompactionState({ compactionID: id } as Parameters<HttpClient['getCompactionState']>[0])) as RestRes;
        state = String((s.data as Res | undefined)?.['state']);
        if (state === 'Executing') await sleep(25);
      }
      return { ...restOutcome(r), state };
    },
    async insert(name, rows) {
      const r = await post('insert', name, { data: rows });
      return { ...restOutcome(r), n: Number((r.data as { insertCount?: number } | undefined)?.insertCount ?? 0) };
    },
    async upsert(name, rows, partial) {
      const r = await post('upsert', name, { data: rows, ...(partial ? { partialUpdate: true } : {}) });
      return { ...restOutcome(r), n: Number((r.data as { upsertCount?: number } | undefined)?.upsertCount ?? 0) };
    },
    alter: (name, properties) => o('alterCollectionProperties', name, { properties }),
    dropProps: (name, propertyKeys) => o('dropCollectionProperties', name, { propertyKeys }),
    async ttl(name) {
      const r = await post('describeCollection', name, {});
      const kv = (((r.data as Res | undefined)?.['properties'] ?? []) as { key: string; value: string }[]).find((p) => p.key === TTL);
      return kv ? kv.value : null;
    },
    async ids(name, filter) {
      const r = await post('query', name, { filter, outputFields: ['id'], limit: 1000 });
      return { ...restOutcome(r), ids: sorted(((r.data ?? []) as Row[]).map((x) => x['id'])) };
    },
    async rows(name, filter, out) {
      const r = await post('query', name, { filter, outputFields: ['id', ...out], limit: 1000 });
      return { ...restOutcome(r), rows: normRows((r.data ?? []) as Row[], out) };
    },
    async count(name) {
      const r = await post('query', name, { filter: '', outputFields: ['count(*)'] });
      return Number(((r.data ?? []) as Row[])[0]?.['count(*)']);
    },
    async get(name, ids) {
      const r = await post('get', name, { id: ids, outputFields: ['id'] });
      return sorted(((r.data ?? []) as Row[]).map((x) => x['id']));
    },
    async search(name, v, limit) {
      const r = await post('search', name, { data: [v], annsField: 'v', limit, outputFields: ['id'] });
      return sorted(((r.data ?? []) as Row[]).map((x) => x['id']));
    },
    async hybrid(name, v, limit) {
      const r = await post('hybridSearch', name, {
        search: ['v', 'w'].map((f) => ({ data: [v], annsField: f, limit })),
        rerank: { strategy: 'rrf', params: { k: 60 } },
        limit,
        outputFields: ['id'],
      });
      return sorted(((r.data ?? []) as Row[]).map((x) => x['id']));
    },
    close: onClose,
  };
}

/** When phase 1 wrote its last rows (ms, this process's clock; the servers run on the same host). */
let lastWrite = 0;

async function phase1(ops: Ops): Promise<Record<string, unknown>> {
  const t: Record<string, unknown> = {};
  // ---- TTL
  t['refuse create ttl abc'] = await ops.create(T, { [TTL]: 'abc' });
  t['refuse create ttl -5'] = await ops.create(T, { [TTL]: -5 });
  t['nothing created'] = await ops.has(T);
  t['create'] = await ops.create(T, { [TTL]: 3600 });
  t['index'] = await ops.index(T);
  t['load'] = await ops.load(T);
  t['insert sealed'] = await ops.insert(T, [1, 2, 3, 4, 5, 6].map(tRow));
  t['flush'] = await ops.flush(T);
  t['insert growing'] = await ops.insert(T, [7, 8].map(tRow));
  await sleep(3300);
  t['insert new'] = await ops.insert(T, [9, 10].map(tRow));
  t['upsert 3'] = await ops.upsert(T, [{ ...tRow(3), tag: 'again' }], false);
  lastWrite = Date.now();
  t['before ttl'] = await ops.ids(T, 'id > 0');
  t['alter ttl 3'] = await ops.alter(T, { [TTL]: 3 });
  t['ttl'] = await ops.ttl(T);
  t['query'] = await ops.ids(T, 'id > 0');
  t['count'] = await ops.count(T);
  t['get'] = await ops.get(T, [1, 3, 7, 9]);
  t['search'] = await ops.search(T, vec(2), 10);
  t['hybrid'] = await ops.hybrid(T, vec(2), 10);
  for (const bad of ['abc', -2, '1.5']) t[`refuse alter ttl ${String(bad)}`] = await ops.alter(T, { [TTL]: bad });
  t['ttl after refusals'] = await ops.ttl(T);
  // ---- partial upsert
  t['pu create'] = await ops.create(P);
  t['pu index'] = await ops.index(P);
  t['pu load'] = await ops.load(P);
  t['pu insert sealed'] = await ops.insert(P, [1, 2, 3].map(pRow));
  t['pu flush'] = await ops.flush(P);
  t['pu insert growing'] = await ops.insert(P, [4, 5].map(pRow));
  t['pu partial'] = await ops.upsert(P, [{ id: 2, title: 'two', size: 2 }, { id: 4, title: 'four', size: 4 }], true);
  t['pu partial null'] = await ops.upsert(P, [{ id: 3, n: null }], true);
  t['pu refuse new without vector'] = await ops.upsert(P, [{ id: 1, title: 'x' }, { id: 9, title: 'nine' }], true);
  t['pu new row'] = await ops.upsert(P, [{ id: 6, v: vec(6), title: 'six' }], true);
  t['pu rows'] = await ops.rows(P, 'id > 0', ['title', 'n', 'color', 'size']);
  t['pu search'] = await ops.search(P, vec(4), 3);
  lastWrite = Date.now();
  return t;
}

async function phase2(ops: Ops): Promise<Record<string, unknown>> {
  const t: Record<string, unknown> = {};
  // Every row of phase 1 is past the 3 s TTL by now (sealed, or replayed from the WAL).
  const wait = lastWrite + 3300 - Date.now();
  if (wait > 0) await sleep(wait);
  t['pu refuse released'] = await ops.upsert(P, [{ id: 1, title: 'one' }], true);
  t['load'] = await ops.load(T);
  t['ttl'] = await ops.ttl(T);
  t['query after restart'] = await ops.ids(T, 'id > 0');
  t['count after restart'] = await ops.count(T);
  t['get after restart'] = await ops.get(T, [3, 7, 9]);
  t['search after restart'] = await ops.search(T, vec(2), 10);
  if (ops.segments) t['segments before compaction'] = await ops.segments(T);
  // Once sealed, the segments with expired rows may already be rewritten by the background merge.
  t['flush'] = await ops.flush(T);
  t['compact'] = await ops.compact(T);
  if (ops.segments) t['segments after compaction'] = await ops.segments(T);
  t['drop ttl'] = await ops.dropProps(T, [TTL]);
  t['ttl dropped'] = await ops.ttl(T);
  t['query without ttl'] = await ops.ids(T, 'id > 0');
  t['alter ttl 3 again'] = await ops.alter(T, { [TTL]: 3 });
  t['insert fresh'] = await ops.insert(T, [20, 21].map(tRow));
  t['query fresh'] = await ops.ids(T, 'id > 0');
  t['count fresh'] = await ops.count(T);
  t['get fresh'] = await ops.get(T, [3, 9, 20]);
  t['search fresh'] = await ops.search(T, vec(2), 10);
  t['hybrid fresh'] = await ops.hybrid(T, vec(2), 10);
  // ---- partial upsert after the restart
  t['pu load'] = await ops.load(P);
  t['pu rows after restart'] = await ops.rows(P, 'id > 0', ['title', 'n', 'color', 'size']);
  t['pu partial after restart'] = await ops.upsert(P, [{ id: 1, title: 'one', n: 100 }, { id: 5, title: 'five', n: 500 }], true);
  t['pu flush'] = await ops.flush(P);
  t['pu compact'] = await ops.compact(P);
  t['pu rows after compaction'] = await ops.rows(P, 'id > 0', ['title', 'n', 'color', 'size']);
  return t;
}

const { embedded, grpc, rest, transcript: run } = phasedTransports<Ops>({ sdk: sdkOps, rest: restOps });
const transcript = (open: Opener<Ops>, prefix: string) => run(open, prefix, phase1, phase2);

const ok = { code: 0, message: '' };

test('collection TTL and partial upsert on sealed and growing rows, across a restart and compaction: the same on every transport', async () => {
  const emb = await transcript(embedded, 'elanus-ttl-emb-');
  const b = emb.before;
  const a = emb.after;
  // TTL: refusals name the property, nothing is created or stored
  assert.deepEqual(b['refuse create ttl abc'], { code: 1100, message: 'invalid parameter "collection.ttl.seconds": collection TTL is not a valid positive integer, got "abc"' });
  assert.deepEqual(b['refuse create ttl -5'], { code: 1100, message: 'invalid parameter "collection.ttl.seconds": collection TTL is out of range, expect [-1, 3155760000], got -5' });
  assert.equal(b['nothing created'], false);
  assert.deepEqual(b['before ttl'], { ...ok, ids: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] });
  assert.equal(b['ttl'], '3');
  // rows 1..8 (sealed and growing) are older than 3 s; 3 was upserted, 9 and 10 are new
  assert.deepEqual(b['query'], { ...ok, ids: [3, 9, 10] });
  assert.equal(b['count'], 3);
  assert.deepEqual(b['get'], [3, 9]);
  assert.deepEqual(b['search'], [3, 9, 10]);
  assert.deepEqual(b['hybrid'], [3, 9, 10]);
  for (const bad of ['abc', '-2', '1.5']) assert.equal((b[`refuse alter ttl ${bad}`] as Outcome).code, 1100, bad);
  assert.equal(b['ttl after refusals'], '3');
  // after the restart: everything of phase 1 expired; compaction drops it; fresh rows are seen
  assert.equal(a['ttl'], '3');
  assert.deepEqual(a['query after restart'], { ...ok, ids: [] });
  assert.equal(a['count after restart'], 0);
  assert.deepEqual(a['get after restart'], []);
  assert.deepEqual(a['search after restart'], []);
  assert.deepEqual(a['query fresh'], { ...ok, ids: [20, 21] });
  assert.equal(a['count fresh'], 2);
  assert.deepEqual(a['get fresh'], [20]);
  assert.deepEqual(a['search fresh'], [20, 21]);
  assert.deepEqual(a['hybrid fresh'], [20, 21]);
  assert.deepEqual(a['compact'], { ...ok, state: 'Completed' });
  // sealed: 6 rows; 7, 8, 9, 10, 3 replayed from the WAL into a growing segment; flushed and
  // compacted, every row expired: no segment is left
  assert.deepEqual(a['segments before compaction'], ['5:Growing', '6:Flushed']);
  assert.deepEqual(a['segments after compaction'], []);
  assert.equal(a['ttl dropped'], null);
  assert.deepEqual(a['query without ttl'], { ...ok, ids: [] }, 'expired rows are gone for good');
  // partial upsert
  const merged = [
    { id: 1, title: 'title1', n: 1, color: 'red', size: null },
    { id: 2, title: 'two', n: 2, color: 'blue', size: 2 },
    { id: 3, title: 'title3', n: null, color: 'red', size: null },
    { id: 4, title: 'four', n: 4, color: 'blue', size: 4 },
    { id: 5, title: 'title5', n: 5, color: 'red', size: null },
    { id: 6, title: 'six', n: null, color: null, size: null },
  ];
  assert.deepEqual(b['pu partial'], { ...ok, n: 2 });
  assert.deepEqual(b['pu refuse new without vector'], { code: 1100, message: 'fieldSchema(v) has no corresponding fieldData pass in: invalid parameter', n: 0 });
  assert.deepEqual(b['pu rows'], { ...ok, rows: merged });
  assert.deepEqual(a['pu refuse released'], { code: 101, message: `failed to query: collection not loaded[collection=${P}]`, n: 0 });
  assert.deepEqual(a['pu rows after restart'], { ...ok, rows: merged });
  const again = merged.map((r) => (r.id === 1 ? { ...r, title: 'one', n: 100 } : r.id === 5 ? { ...r, title: 'five', n: 500 } : r));
  assert.deepEqual(a['pu rows after compaction'], { ...ok, rows: again });

  const same = (got: typeof emb, want: typeof emb, what: string): void => {
    for (const phase of ['before', 'after'] as const) for (const k of Object.keys(want[phase])) assert.deepEqual(got[phase][k], want[phase][k], `${what}: ${phase} / ${k}`);
    assert.deepEqual(got, want, what);
  };
  const viaGrpc = await transcript(grpc, 'elanus-ttl-grpc-');
  same(viaGrpc, emb, 'gRPC differs from embedded');
  const viaRest = await transcript(rest, 'elanus-ttl-rest-');
  const { ['segments before compaction']: _b, ['segments after compaction']: _a, ...embAfter } = emb.after;
  same(viaRest, { ...emb, after: embAfter }, 'REST differs from embedded');
});
