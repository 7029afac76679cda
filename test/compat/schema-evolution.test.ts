/**
 * Schema evolution (issue 11) through all three transports: the embedded `MilvusClient`, the official
 * SDK over gRPC and the SDK's `HttpClient` over REST, each against its own data directory (a real
 * `elanus serve` process for the last two). Rows are inserted and flushed (a sealed segment), more
 * rows stay in the WAL, then addCollectionField adds a nullable Int64 with a default and a nullable
 * VarChar: old rows read the default / null, new rows their values, filters and searches see both.
 * alterCollectionFieldProperties raises a max_length and sets mmap.enabled. The process (or client)
 * restarts on the same directory, the rows are read back, flushed and compacted (the merged segment
 * is written from a file without the new columns) and read back again. The refusals — a field that
 * is not nullable, a vector field, a primary or partition key, a duplicate name, VarChar without
 * max_length, an unknown or misplaced field property, mmap while loaded — are the same everywhere.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { HttpClient} from '@zilliz/milvus2-sdk-node';
import { DataType, dataTypeName } from '../../src/core/data-type.js';
import { call, type AnyClient, type Res } from './scenarios.js';
import { phasedTransports, type Opener } from './phased.js';

type Outcome = { code: number; message: string };
type Row = Record<string, unknown>;
type Field = Record<string, unknown> & { name: string; data_type: number };

const C = 'evolve';
const baseFields: Field[] = [
  { name: 'id', data_type: DataType.Int64, is_primary_key: true },
  { name: 'vec', data_type: DataType.FloatVector, dim: 4 },
  { name: 'tag', data_type: DataType.VarChar, max_length: 16 },
];
const vec = (i: number): number[] => [Math.cos(i), Math.sin(i), i / 10, 1];
const row = (i: number, extra: Row = {}): Row => ({ id: i, vec: vec(i), tag: `t${i}`, ...extra });

const level: Field = { name: 'level', data_type: DataType.Int64, nullable: true, default_value: 7 };
const note: Field = { name: 'note', data_type: DataType.VarChar, nullable: true, max_length: 8 };
const refusedFields: [string, Field][] = [
  ['not nullable', { name: 'r1', data_type: DataType.Int64 }],
  ['primary key', { name: 'r3', data_type: DataType.Int64, nullable: true, is_primary_key: true }],
  ['partition key', { name: 'r4', data_type: DataType.Int64, nullable: true, is_partition_key: true }],
  ['duplicate name', { name: 'tag', data_type: DataType.VarChar, nullable: true, max_length: 8 }],
  ['varchar without max_length', { name: 'r5', data_type: DataType.VarChar, nullable: true }],
];
const refusedAlters: [string, string, Record<string, unknown>][] = [
  ['mmap while loaded', 'note', { 'mmap.enabled': true }],
  ['max_length on Int64', 'level', { max_length: 10 }],
  ['max_length not a number', 'note', { max_length: 'abc' }],
  ['max_length too large', 'note', { max_length: 65536 }],
  ['unknown property', 'note', { foo: 1 }],
  ['unknown field', 'nope', { max_length: 10 }],
];

/** What each transport can do, each answer normalised to the same shape. */
interface Ops {
  create(): Promise<Outcome>;
  index(): Promise<Outcome>;
  load(): Promise<Outcome>;
  release(): Promise<Outcome>;
  flush(): Promise<Outcome>;
  compact(): Promise<Outcome & { state: string }>;
  insert(rows: Row[]): Promise<Outcome & { n: number }>;
  addField(f: Field): Promise<Outcome>;
  alterField(name: string, props: Record<string, unknown>): Promise<Outcome>;
  describe(): Promise<Row[]>;
  query(filter: string, out: string[]): Promise<Outcome & { rows: Row[] }>;
  search(v: number[], limit: number, out: string[]): Promise<Outcome & { hits: Row[] }>;
  /** Segments as `rows:state` (RESTful v2 has no such call). */
  segments?(): Promise<string[]>;
  close(): Promise<void>;
}

/** Row values compared across transports: Int64 as decimal strings, absent = null. */
function norm(list: Row[], out: string[]): Row[] {
  return list
    .map((r) => Object.fromEntries(['id', ...out].map((k) => [k, r[k] === undefined || r[k] === null ? null : k === 'id' || k === 'level' ? String(r[k]) : r[k]])))
    .sort((a, b) => Number(a['id']) - Number(b['id']));
}

function sdkOutcome(r: Res): Outcome {
  if ('thrown' in r) return { code: -1, message: String(r['thrown']) };
  const s = (r['status'] ?? r) as Res;
  return { code: Number(s['code']), message: s['code'] === 0 ? '' : String(s['reason'] ?? '') };
}

function sdkOps(c: AnyClient, onClose: () => Promise<void>): Ops {
  const o = async (method: string, req: unknown): Promise<Outcome> => sdkOutcome(await call(c, method, req));
  return {
    create: () => o('createCollection', { collection_name: C, fields: baseFields }),
    index: () => o('createIndex', { collection_name: C, field_name: 'vec', index_type: 'FLAT', metric_type: 'L2' }),
    load: () => o('loadCollection', { collection_name: C }),
    release: () => o('releaseCollection', { collection_name: C }),
    flush: () => o('flush', { collection_names: [C] }),
    async compact() {
      const r = await call(c, 'compact', { collection_name: C });
      let state: Res = {};
      for (let i = 0; i < 400; i++) {
        state = await call(c, 'getCompactionState', { compactionID: r['compactionID'] });
        if (state['state'] !== 'Executing') break;
        await new Promise((res) => setTimeout(res, 25));
      }
      return { ...sdkOutcome(r), state: String(state['state']) };
    },
    async insert(rows) {
      const r = await call(c, 'insert', { collection_name: C, data: rows });
      return { ...sdkOutcome(r), n: Number(r['insert_cnt'] ?? 0) };
    },
    addField: (field) => o('addCollectionField', { collection_name: C, field }),
    alterField: (field_name, properties) => o('alterCollectionFieldProperties', { collection_name: C, field_name, properties }),
    async describe() {
      const d = await call(c, 'describeCollection', { collection_name: C });
      const fields = ((d['schema'] as Res | undefined)?.['fields'] ?? []) as Res[];
      return fields.map((f) => {
        const tp = Object.fromEntries(((f['type_params'] ?? []) as { key: string; value: string }[]).map((kv) => [kv.key, kv.value]));
        return { name: f['name'], type: f['data_type'], nullable: f['nullable'], default: f['default_value'] ?? null, max_length: tp['max_length'] ?? null, mmap: tp['mmap.enabled'] ?? null };
      });
    },
    async query(filter, out) {
      const r = await call(c, 'query', { collection_name: C, filter, output_fields: ['id', ...out], consistency_level: 'Strong' });
      return { ...sdkOutcome(r), rows: norm((r['data'] ?? []) as Row[], out) };
    },
    async search(v, limit, out) {
      const r = await call(c, 'search', { collection_name: C, data: [v], limit, output_fields: out, consistency_level: 'Strong' });
      return { ...sdkOutcome(r), hits: ((r['results'] ?? []) as Row[]).map((h) => norm([h], out)[0]!) };
    },
    async segments() {
      const r = await call(c, 'getPersistentSegmentInfo', { collectionName: C });
      return ((r['infos'] ?? []) as Res[]).map((x) => `${String(x['num_rows'])}:${String(x['state'])}`).sort();
    },
    close: onClose,
  };
}

type RestRes = { code: number; message?: string; data?: unknown };
function restOutcome(r: RestRes): Outcome {
  return { code: r.code, message: r.code === 0 ? '' : String(r.message ?? '') };
}

/** An SDK FieldType as RESTful v2 writes a field. */
function restField(f: Field): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  if (f['dim'] !== undefined) params['dim'] = f['dim'];
  if (f['max_length'] !== undefined) params['max_length'] = f['max_length'];
  const out: Record<string, unknown> = { fieldName: f.name, dataType: dataTypeName(f.data_type), elementTypeParams: params };
  if (f['is_primary_key'] === true) out['isPrimary'] = true;
  if (f['is_partition_key'] === true) out['isPartitionKey'] = true;
  if (f['nullable'] !== undefined) out['nullable'] = f['nullable'];
  if (f['default_value'] !== undefined) out['defaultValue'] = f['default_value'];
  return out;
}

function restOps(h: HttpClient, onClose: () => Promise<void>): Ops {
  const post = async (method: string, body: Record<string, unknown>): Promise<RestRes> => (await (h as unknown as Record<string, (b: unknown) => Promise<unknown>>)[method]!.call(h, { collectionName: C, ...body })) as RestRes;
  const o = async (method: string, body: Record<string, unknown> = {}): Promise<Outcome> => restOutcome(await post(method, body));
  return {
    create: () => o('createCollection', { schema: { autoID: false, enabledDynamicField: false, fields: baseFields.map(restField) } }),
    index: () => o('createIndex', { indexParams: [{ fieldName: 'vec', indexName: 'vec', metricType: 'L2', params: { index_type: 'FLAT' } }] }),
    load: () => o('loadCollection'),
    release: () => o('releaseCollection'),
    flush: () => o('flushCollection'),
    async compact() {
      const r = await post('compactCollection', {});
      const id = (r.data as { compactionID?: number } | undefined)?.compactionID;
      let state = 'Executing';
      for (let i = 0; i < 400 && state === 'Executing'; i++) {
        const s = (await h.getCompactionState({ compactionID: id } as Parameters<HttpClient['getCompactionState']>[0])) as RestRes;
        state = String((s.data as Res | undefined)?.['state']);
        if (state === 'Executing') await new Promise((res) => setTimeout(res, 25));
      }
      return { ...restOutcome(r), state };
    },
    async insert(rows) {
      const r = await post('insert', { data: rows });
      return { ...restOutcome(r), n: Number((r.data as { insertCount?: number } | undefined)?.insertCount ?? 0) };
    },
    addField: (f) => o('addCollectionField', { schema: restField(f) }),
    alterField: (fieldName, fieldParams) => o('alterCollectionFieldProperties', { fieldName, fieldParams }),
    async describe() {
      const r = await post('describeCollection', {});
      const fields = ((r.data as Res | undefined)?.['fields'] ?? []) as Res[];
      return fields.map((f) => {
        const p = Object.fromEntries(((f['params'] ?? []) as { key: string; value: string }[]).map((kv) => [kv.key, kv.value]));
        return { name: f['name'], type: f['type'], nullable: f['nullable'], default: f['defaultValue'] === undefined ? null : String(f['defaultValue']), max_length: p['max_length'] ?? null, mmap: p['mmap.enabled'] ?? null };
      });
    },
    async query(filter, out) {
      const r = await post('query', { filter, outputFields: ['id', ...out] });
      return { ...restOutcome(r), rows: norm((r.data ?? []) as Row[], out) };
    },
    async search(v, limit, out) {
      const r = await post('search', { data: [v], limit, outputFields: out });
      return { ...restOutcome(r), hits: ((r.data ?? []) as Row[]).map((x) => norm([x], out)[0]!) };
    },
    close: onClose,
  };
}

const ALL = ['tag', 'level', 'note'];

async function phase1(ops: Ops): Promise<Record<string, unknown>> {
  const t: Record<string, unknown> = {};
  t['create'] = await ops.create();
  t['index'] = await ops.index();
  t['load'] = await ops.load();
  t['insert sealed'] = await ops.insert([1, 2, 3, 4, 5, 6].map((i) => row(i)));
  t['flush'] = await ops.flush();
  t['insert growing'] = await ops.insert([row(7), row(8)]);
  t['add level'] = await ops.addField(level);
  t['add note'] = await ops.addField(note);
  for (const [label, f] of refusedFields) t[`refuse ${label}`] = await ops.addField(f);
  t['describe'] = await ops.describe();
  t['insert with new fields'] = await ops.insert([row(9, { level: 1, note: 'n9' }), row(10, { level: 2, note: null }), row(11)]);
  t['note too long'] = await ops.insert([row(12, { note: 'x'.repeat(12) })]);
  t['alter max_length'] = await ops.alterField('note', { max_length: 32 });
  for (const [label, f, props] of refusedAlters) t[`refuse alter ${label}`] = await ops.alterField(f, props);
  t['note longer now'] = await ops.insert([row(12, { note: 'x'.repeat(12) })]);
  t['query'] = await ops.query('id > 0', ALL);
  t['default filter'] = await ops.query('level == 7', []);
  t['null filter'] = await ops.query('note is null', []);
  t['search'] = await ops.search(vec(2), 3, ['level', 'note']);
  return t;
}

async function phase2(ops: Ops): Promise<Record<string, unknown>> {
  const t: Record<string, unknown> = {};
  t['load'] = await ops.load();
  t['describe'] = await ops.describe();
  t['query after restart'] = await ops.query('id > 0', ALL);
  if (ops.segments) t['segments before compaction'] = await ops.segments();
  t['flush'] = await ops.flush();
  t['compact'] = await ops.compact();
  if (ops.segments) t['segments after compaction'] = await ops.segments();
  t['query after compaction'] = await ops.query('id > 0', ALL);
  t['filter after compaction'] = await ops.query('level == 7 and note is null', []);
  t['release'] = await ops.release();
  t['alter mmap'] = await ops.alterField('note', { 'mmap.enabled': true });
  t['describe mmap'] = ((await ops.describe()) as Row[]).find((f) => f['name'] === 'note');
  t['reload'] = await ops.load();
  t['query reloaded'] = await ops.query('level >= 2', ['level']);
  return t;
}

/** Rows 1..8 were written before the fields existed: level reads the default 7, note null. */
const expectedRows = [
  ...[1, 2, 3, 4, 5, 6, 7, 8].map((i) => ({ id: String(i), tag: `t${i}`, level: '7', note: null })),
  { id: '9', tag: 't9', level: '1', note: 'n9' },
  { id: '10', tag: 't10', level: '2', note: null },
  { id: '11', tag: 't11', level: '7', note: null },
  { id: '12', tag: 't12', level: '7', note: 'x'.repeat(12) },
];

const { embedded, grpc, rest, transcript: run } = phasedTransports<Ops>({ sdk: sdkOps, rest: restOps });
const transcript = (open: Opener<Ops>, prefix: string) => run(open, prefix, phase1, phase2);

test('addCollectionField on sealed and growing segments, alterCollectionFieldProperties, restart and compaction: the same on every transport', async () => {
  const emb = await transcript(embedded, 'elanus-se-emb-');
  const ok = { code: 0, message: '' };
  assert.deepEqual(emb.before['add level'], ok);
  assert.deepEqual(emb.before['add note'], ok);
  assert.deepEqual(emb.before['query'], { ...ok, rows: expectedRows });
  assert.deepEqual(emb.before['default filter'], { ...ok, rows: expectedRows.filter((r) => r.level === '7').map((r) => ({ id: r.id })) });
  assert.deepEqual(emb.before['null filter'], { ...ok, rows: expectedRows.filter((r) => r.note === null).map((r) => ({ id: r.id })) });
  assert.deepEqual(emb.before['note too long'], { code: 1100, message: 'invalid parameter "note (row 0)": string of 12 bytes exceeds max_length 8', n: 0 });
  assert.deepEqual(emb.before['note longer now'], { ...ok, n: 1 });
  const search = emb.before['search'] as { hits: Row[] };
  assert.deepEqual(search.hits[0], { id: '2', level: '7', note: null });
  const fields = emb.before['describe'] as Row[];
  assert.deepEqual(fields.slice(3), [
    { name: 'level', type: 'Int64', nullable: true, default: '7', max_length: null, mmap: null },
    { name: 'note', type: 'VarChar', nullable: true, default: null, max_length: '8', mmap: null },
  ]);
  for (const [label] of refusedFields) assert.equal((emb.before[`refuse ${label}`] as Outcome).code, 1100, label);
  assert.match((emb.before['refuse not nullable'] as Outcome).message, /r1\.nullable.*added field must be nullable/);
  assert.match((emb.before['refuse primary key'] as Outcome).message, /not support to add pk field/);
  assert.match((emb.before['refuse partition key'] as Outcome).message, /not support to add partition key field/);
  assert.match((emb.before['refuse duplicate name'] as Outcome).message, /duplicate field name: tag/);
  assert.match((emb.before['refuse varchar without max_length'] as Outcome).message, /r5\.max_length/);
  assert.deepEqual(emb.before['refuse alter mmap while loaded'], { code: 104, message: `can not alter collection field properties if collection loaded: collection already loaded[collection=${C}]` });
  for (const [label] of refusedAlters.slice(1)) assert.equal((emb.before[`refuse alter ${label}`] as Outcome).code, 1100, label);
  // after the restart and after compaction: the same rows, the raised max_length kept
  assert.deepEqual(emb.after['query after restart'], { ...ok, rows: expectedRows });
  assert.equal(((emb.after['describe'] as Row[])[4] as Row)['max_length'], '32');
  assert.deepEqual(emb.after['compact'], { ...ok, state: 'Completed' });
  // the segment sealed before the fields were added (6 rows, no column for them in its file) and the
  // rows 7..12 replayed from the WAL into a growing segment (the records of 7 and 8 carry no column
  // for the added fields) are sealed by the flush and merged into one
  assert.deepEqual(emb.after['segments before compaction'], ['6:Flushed', '6:Growing']);
  assert.deepEqual(emb.after['segments after compaction'], ['12:Flushed']);
  assert.deepEqual(emb.after['query after compaction'], { ...ok, rows: expectedRows });
  assert.deepEqual(emb.after['filter after compaction'], { ...ok, rows: expectedRows.filter((r) => r.level === '7' && r.note === null).map((r) => ({ id: r.id })) });
  assert.deepEqual(emb.after['alter mmap'], ok);
  assert.equal((emb.after['describe mmap'] as Row)['mmap'], 'true');
  assert.deepEqual(emb.after['query reloaded'], { ...ok, rows: norm(expectedRows.filter((r) => Number(r.level) >= 2), ['level']) });

  const viaGrpc = await transcript(grpc, 'elanus-se-grpc-');
  // killed, not closed: the same rows come back
  assert.deepEqual(viaGrpc, emb, 'gRPC differs from embedded');
  const viaRest = await transcript(rest, 'elanus-se-rest-');
  const { ['segments before compaction']: _b, ['segments after compaction']: _a, ...embAfter } = emb.after;
  assert.deepEqual(viaRest, { ...emb, after: embAfter }, 'REST differs from embedded');
});
