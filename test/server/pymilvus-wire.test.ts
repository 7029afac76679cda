/**
 * The messages pymilvus 2.5 sends, built by hand from its source (pymilvus is not installable here):
 * `Prepare.query_request` (query, get and the query iterator), `Prepare.delete_request`, and
 * `Prepare.search_requests_with_expr` as `SearchIteratorV2` drives it (client/search_iterator.py:
 * page 1 without a token; then the FIRST page's `search_iter_id` with each page's bound as
 * `search_iter_last_bound`, every value rendered by `utils.dumps`, i.e. Python's `str()`).
 * Asserted on what pymilvus reads back: `fields_data` present on an empty page (its grpc_handler
 * raises "No fields returned" otherwise), `delete_cnt` without keys, and pages that end.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { DataType } from '@zilliz/milvus2-sdk-node';
import { encodeMessage } from '../../src/api/proto.js';
import { bruteForce, randomVectors } from '../support/data.js';
import { startInProcess, type InProcess } from './in-process.js';
import { rawClient, type RawClient, type Reply } from './raw-client.js';

let srv: InProcess;
let raw: RawClient;
const DIM = 8;
const N = 350;
const vectors = randomVectors(N, DIM, 31);
// A run of identical vectors: exact score ties that straddle the 100-row page boundaries.
for (let i = 180; i < 230; i++) vectors[i] = vectors[179]!.slice();
const INT64_MAX = '9223372036854775807';

type KV = { key: string; value: string };
type Field = { field_name: string; type: number; scalars?: Record<string, { data: unknown[] }>; vectors?: Record<string, unknown> };

/** Python's repr/str of a float (what `utils.dumps` sends): shortest digits, exponent below 1e-4 or from 1e16. */
function pyStr(x: number): string {
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : x < 0 ? '-inf' : 'nan';
  const [mant, expText] = x.toExponential().split('e') as [string, string];
  const neg = mant.startsWith('-');
  const digits = mant.replace('-', '').replace('.', '');
  const e = Number(expText);
  let out: string;
  if (e >= -4 && e < 16) {
    if (e >= 0) {
      const int = digits.slice(0, e + 1).padEnd(e + 1, '0');
      const frac = digits.slice(e + 1);
      out = `${int}.${frac === '' ? '0' : frac}`;
    } else out = `0.${'0'.repeat(-e - 1)}${digits}`;
  } else out = `${digits[0]}${digits.length > 1 ? `.${digits.slice(1)}` : ''}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  return neg ? `-${out}` : out;
}

function placeholder(v: number[]): Uint8Array {
  return encodeMessage('milvus.proto.common.PlaceholderGroup', { placeholders: [{ tag: '$0', type: DataType.FloatVector, values: [Buffer.from(new Float32Array(v).buffer)] }] });
}

/** `Prepare.query_request` (pymilvus 2.5): query_params limit / iterator / ignore_growing / reduce_stop_for_best. */
function queryRequest(collection: string, expr: string, outputFields: string[], kw: { limit?: number; iterator?: boolean; guaranteeTs?: string; collectionId?: string } = {}): Record<string, unknown> {
  const qp: KV[] = [];
  if (kw.collectionId !== undefined) qp.push({ key: 'collection_id', value: kw.collectionId });
  if (kw.limit !== undefined) qp.push({ key: 'limit', value: String(kw.limit) });
  if (kw.iterator) qp.push({ key: 'iterator', value: 'True' });
  qp.push({ key: 'ignore_growing', value: 'False' });
  qp.push({ key: 'reduce_stop_for_best', value: kw.iterator ? 'True' : 'False' });
  return {
    db_name: '',
    collection_name: collection,
    expr,
    output_fields: outputFields,
    partition_names: [],
    guarantee_timestamp: kw.guaranteeTs ?? '0',
    use_default_consistency: true,
    consistency_level: 0,
    not_return_all_meta: false,
    query_params: qp,
    expr_template_values: {},
  };
}

/** pymilvus's grpc_handler.query: a reply without columns is an error, else rows from the columns. */
function pymilvusRows(reply: Reply): Record<string, unknown>[] {
  assert.equal(reply.status?.code, 0, reply.status?.reason);
  const cols = (reply['fields_data'] ?? []) as Field[];
  if (cols.length === 0) assert.fail('No fields returned (what pymilvus raises on a reply without columns)');
  const n = Math.max(...cols.map((c) => columnLength(c)));
  return Array.from({ length: n }, (_, i) => Object.fromEntries(cols.map((c) => [c.field_name, columnValue(c, i)])));
}

function columnLength(c: Field): number {
  if (c.scalars) return Object.values(c.scalars).find((x) => x && typeof x === 'object' && 'data' in x)?.data.length ?? 0;
  const v = c.vectors as { dim: string; float_vector?: { data: number[] } };
  return (v.float_vector?.data.length ?? 0) / Number(v.dim);
}

function columnValue(c: Field, i: number): unknown {
  if (c.scalars) return Object.values(c.scalars).find((x) => x && typeof x === 'object' && 'data' in x)?.data[i];
  const v = c.vectors as { dim: string; float_vector: { data: number[] } };
  return v.float_vector.data.slice(i * Number(v.dim), (i + 1) * Number(v.dim));
}

let collectionId = '';

before(async () => {
  srv = await startInProcess();
  raw = rawClient(srv.address);
  const schema = encodeMessage('milvus.proto.schema.CollectionSchema', {
    name: 'py',
    enable_dynamic_field: true,
    fields: [
      { name: 'pk', data_type: DataType.Int64, is_primary_key: true },
      { name: 'v', data_type: DataType.FloatVector, type_params: [{ key: 'dim', value: String(DIM) }] },
      { name: 'label', data_type: DataType.VarChar, type_params: [{ key: 'max_length', value: '16' }] },
    ],
  });
  assert.equal((await raw.call('CreateCollection', { collection_name: 'py', schema, shards_num: 1, consistency_level: 2 })).code, 0);
  const ins = await raw.call('Insert', {
    collection_name: 'py',
    num_rows: N,
    fields_data: [
      { type: DataType.Int64, field_name: 'pk', scalars: { long_data: { data: vectors.map((_, i) => String(i)) } } },
      { type: DataType.FloatVector, field_name: 'v', vectors: { dim: DIM, float_vector: { data: vectors.flat() } } },
      { type: DataType.VarChar, field_name: 'label', scalars: { string_data: { data: vectors.map((_, i) => `l${i}`) } } },
      { type: DataType.JSON, field_name: '$meta', is_dynamic: true, scalars: { json_data: { data: vectors.map((_, i) => Buffer.from(JSON.stringify({ color: i % 2 ? 'red' : 'blue' }))) } } },
    ],
  });
  assert.equal(ins.status?.code, 0, ins.status?.reason);
  const idx = await raw.call('CreateIndex', { collection_name: 'py', field_name: 'v', index_name: '', extra_params: [{ key: 'index_type', value: 'FLAT' }, { key: 'metric_type', value: 'L2' }, { key: 'params', value: '{"nlist": 128}' }] });
  assert.equal(idx.code, 0, String(idx.reason));
  assert.equal((await raw.call('LoadCollection', { collection_name: 'py', replica_number: 1 })).code, 0);
  collectionId = String((await raw.call('DescribeCollection', { collection_name: 'py' }))['collectionID']);
});

after(async () => {
  raw?.close();
  await srv?.stop();
});

test('pymilvus query and get that match nothing: every requested output field comes back as an empty column', async () => {
  const q = await raw.call('Query', queryRequest('py', 'pk > 100000', ['pk', 'label', 'v', 'color']));
  assert.deepEqual(pymilvusRows(q), []);
  const cols = (q['fields_data'] as Field[]).map((c) => [c.field_name, c.type, columnLength(c)]);
  assert.deepEqual(cols, [
    ['pk', DataType.Int64, 0],
    ['label', DataType.VarChar, 0],
    ['v', DataType.FloatVector, 0],
    ['$meta', DataType.JSON, 0],
  ]);
  // MilvusClient.get: a query on `pk in [...]` with the output fields.
  const g = await raw.call('Query', queryRequest('py', 'pk in [100001, 100002]', ['label']));
  assert.deepEqual(pymilvusRows(g), []);
  assert.deepEqual((g['fields_data'] as Field[]).map((c) => c.field_name), ['pk', 'label']);
  // Nothing to return is not the same as a bad request.
  const bad = await raw.call('Query', queryRequest('py', 'pk > 1', ['nosuch_field_and_no_dynamic']));
  assert.equal(bad.status?.code, 0, 'a dynamic key is a valid output field');
});

test('pymilvus query_iterator (2.5): pages on the primary key, and its last, empty page ends the iteration', async () => {
  const batch = 100;
  const first = await raw.call('Query', queryRequest('py', `pk < ${INT64_MAX}`, ['pk'], { limit: 1, iterator: true, collectionId }));
  const ts = String(first['session_ts']);
  assert.notEqual(ts, '0', 'the iterator gets a session timestamp to pin its pages to');
  const seen: string[] = [];
  const pages: number[] = [];
  let expr = `pk < ${INT64_MAX}`;
  for (let i = 0; i < 10; i++) {
    const page = pymilvusRows(await raw.call('Query', queryRequest('py', expr, ['pk', 'label'], { limit: batch, iterator: true, guaranteeTs: ts, collectionId })));
    pages.push(page.length);
    if (page.length === 0) break;
    seen.push(...page.map((r) => String(r['pk'])));
    expr = `pk > ${String(page[page.length - 1]!['pk'])}`;
  }
  assert.deepEqual(pages, [100, 100, 100, 50, 0]);
  assert.equal(new Set(seen).size, N);
});

test('pymilvus search_iterator (v2, 2.5): the first token with each page bound; 350 rows in pages of 100, every row once, then an empty page', async () => {
  const q = vectors[179]!;
  const truth = bruteForce(vectors, q, 'L2', N);
  const base = { topk: '100', round_decimal: '-1', ignore_growing: 'False', iterator: 'True', collection_id: collectionId, search_iter_v2: 'True', search_iter_batch_size: '100' };
  const request = (extra: Record<string, string>, guaranteeTs: string): Record<string, unknown> => ({
    collection_name: 'py',
    partition_names: [],
    output_fields: ['pk', 'label'],
    guarantee_timestamp: guaranteeTs,
    use_default_consistency: true,
    consistency_level: 0,
    dsl_type: 1,
    search_params: Object.entries({ ...base, ...extra, params: '{}' }).map(([key, value]) => ({ key, value })),
    expr_template_values: {},
    nq: '1',
    placeholder_group: placeholder(q),
  });
  const info = (r: Reply): { token: string; last_bound: number } => ((r['results'] as Record<string, unknown>)['search_iterator_v2_results'] as { token: string; last_bound: number });
  const ids = (r: Reply): string[] => (((r['results'] as Record<string, unknown>)['ids'] as { int_id?: { data: string[] } }).int_id?.data ?? []);
  const scores = (r: Reply): number[] => (r['results'] as { scores: number[] }).scores;

  let params: Record<string, string> = {};
  let ts = '0';
  let token = '';
  const pages: number[] = [];
  const seen: string[] = [];
  const allScores: number[] = [];
  for (let i = 0; i < 12; i++) {
    const r = await raw.call('Search', request(params, ts));
    assert.equal(r.status?.code, 0, r.status?.reason);
    const it = info(r);
    assert.ok(it.token, 'every page carries the token');
    if (token === '') token = it.token;
    assert.equal(it.token, token, 'the token stays the same for the whole iterator');
    // pymilvus: keep the first token, send this page's bound, pin the session timestamp.
    params = { search_iter_last_bound: pyStr(it.last_bound), search_iter_id: token };
    if (ts === '0') ts = String(r['session_ts']);
    const page = ids(r);
    pages.push(page.length);
    if (page.length === 0) break;
    seen.push(...page);
    allScores.push(...scores(r));
  }
  assert.deepEqual(pages, [100, 100, 100, 50, 0]);
  assert.equal(new Set(seen).size, N, 'every row once');
  for (let i = 1; i < allScores.length; i++) assert.ok(allScores[i]! >= allScores[i - 1]!, `score order at ${i}`);
  const want = new Map(truth.map(([i, s]) => [String(i), s]));
  seen.forEach((id, i) => assert.ok(Math.abs(allScores[i]! - want.get(id)!) <= 1e-4 * Math.max(1, allScores[i]!), `score of ${id}`));
  assert.notEqual(ts, '0');
});

test('search iterator v2: a bound the server does not remember continues strictly past it; a token that is not one is refused', async () => {
  const q = vectors[3]!;
  const page = (kv: Record<string, string>) =>
    raw.call('Search', {
      collection_name: 'py',
      output_fields: ['pk'],
      dsl_type: 1,
      nq: '1',
      placeholder_group: placeholder(q),
      search_params: Object.entries({ topk: '10', iterator: 'True', search_iter_v2: 'True', search_iter_batch_size: '10', params: '{}', ...kv }).map(([key, value]) => ({ key, value })),
    });
  const first = await page({});
  const scores1 = (first['results'] as { scores: number[] }).scores;
  const bound = ((first['results'] as Record<string, unknown>)['search_iterator_v2_results'] as { last_bound: number }).last_bound;
  assert.equal(bound, scores1[scores1.length - 1]);
  // As after a restart: a token with no remembered cursor, and the bound from the page before.
  const fresh = await page({ search_iter_id: randomUUID(), search_iter_last_bound: pyStr(bound) });
  assert.equal(fresh.status?.code, 0, fresh.status?.reason);
  const scores2 = (fresh['results'] as { scores: number[] }).scores;
  assert.equal(scores2.length, 10);
  assert.ok(scores2[0]! > bound, `strictly past the bound: ${scores2[0]} > ${bound}`);
  const bad = await page({ search_iter_id: 'not-a-token', search_iter_last_bound: '1.5' });
  assert.equal(bad.status?.code, 1100);
  assert.match(bad.status?.reason ?? '', /search_iter_id/);
  const badBound = await page({ search_iter_id: randomUUID(), search_iter_last_bound: 'far' });
  assert.equal(badBound.status?.code, 1100);
  assert.match(badBound.status?.reason ?? '', /search_iter_last_bound/);
});

test('pymilvus delete (Prepare.delete_request): the reply carries delete_cnt and no key list', async () => {
  const del = await raw.call('Delete', { collection_name: 'py', partition_name: '', expr: 'pk in [1, 2, 3]', consistency_level: 0, expr_template_values: {} });
  assert.equal(del.status?.code, 0, del.status?.reason);
  assert.equal(del['delete_cnt'], '3');
  const idsMsg = del['IDs'] as Record<string, unknown>;
  assert.equal(idsMsg['int_id'], undefined);
  assert.equal(idsMsg['str_id'], undefined);
  // pymilvus MilvusClient.delete: no primary_keys in the reply → {'delete_count': n}.
  const byFilter = await raw.call('Delete', { collection_name: 'py', partition_name: '', expr: 'label in ["l10", "l11"]', consistency_level: 0, expr_template_values: {} });
  assert.equal(byFilter['delete_cnt'], '2');
  assert.deepEqual(byFilter['IDs'], {});
  // A delete by keys counts the keys it was given, as Milvus's simpleDelete does (here: already deleted).
  const again = await raw.call('Delete', { collection_name: 'py', partition_name: '', expr: 'pk in [1, 2]', consistency_level: 0, expr_template_values: {} });
  assert.equal(again['delete_cnt'], '2');
  const left = pymilvusRows(await raw.call('Query', queryRequest('py', 'pk in [1, 2, 3, 10, 11, 12]', ['pk'])));
  assert.deepEqual(left.map((r) => String(r['pk'])), ['12']);
});

test('pyStr renders floats as Python does', () => {
  assert.deepEqual([0.5, 3, 1e-5, 12.25, 1e16, 0.30000001192092896, -2.5e-7].map(pyStr), ['0.5', '3.0', '1e-05', '12.25', '1e+16', '0.30000001192092896', '-2.5e-07']);
});
