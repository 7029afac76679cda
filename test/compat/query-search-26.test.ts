/**
 * Milvus 2.6 query and search request features through all three transports (the embedded
 * `MilvusClient`, the official SDK over gRPC against a served process, the SDK's `HttpClient` over
 * REST on the same process):
 * - `order_by_fields` in query (SDK 3.x `order_by_fields` / `order_by`, REST `orderByFields`): rows
 *   sorted by scalar fields asc/desc (nulls last ascending, first descending, or as asked), then cut by
 *   limit/offset — checked against a sort computed here from the inserted rows;
 * - primary-key search (`ids` instead of vectors, Milvus 2.6.9): the same hits as a search with the
 *   stored vectors of those ids; missing keys, hybrid sub-requests with ids refused;
 * - filter template values as `exprValues` (SDK), `filter_params` (pymilvus's name; embedded) and
 *   `exprParams` (REST).
 * Refusals carry the same code and message on every transport.
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
import { call, type AnyClient, type Res } from './scenarios.js';

const N = 30;
const C = 'q26';
const vec = (i: number): number[] => [Math.cos(i), Math.sin(i), i / N, 1 - i / (2 * N)];
interface Src {
  id: number;
  price: number | null;
  score: number;
  name: string;
  flag: boolean;
}
const src: Src[] = Array.from({ length: N }, (_, i) => ({ id: i, price: i % 7 === 3 ? null : (i * 5) % 11, score: ((i * 3) % 4) + 0.5, name: `n${String((i * 7) % N).padStart(2, '0')}`, flag: i % 2 === 0 }));

type Key = { f: keyof Src; asc: boolean; nullsFirst?: boolean };
/** An independent ORDER BY: PostgreSQL null placement by default, primary key as the last key. */
function ordered(rows: Src[], keys: Key[]): number[] {
  return [...rows]
    .sort((a, b) => {
      for (const k of keys) {
        const x = a[k.f];
        const y = b[k.f];
        if (x === y) continue;
        const nf = k.nullsFirst ?? !k.asc;
        if (x === null) return nf ? -1 : 1;
        if (y === null) return nf ? 1 : -1;
        const c = x < y ? -1 : 1;
        return k.asc ? c : -c;
      }
      return a.id - b.id;
    })
    .map((r) => r.id);
}

/** Query cases: SDK request extras, REST extras, and the expected ids. */
const orderCases: [string, Record<string, unknown>, Record<string, unknown>, number[]][] = [
  ['price desc, name asc (nulls first)', { order_by_fields: 'price:desc,name:asc', limit: 12 }, { orderByFields: ['price:desc', 'name:asc'], limit: 12 }, ordered(src, [{ f: 'price', asc: false }, { f: 'name', asc: true }]).slice(0, 12)],
  ['objects, offset', { order_by_fields: [{ field: 'score', order: 'asc' }, { field: 'id', order: 'desc' }], limit: 5, offset: 3 }, { orderByFields: ['score:asc', 'id:desc'], limit: 5, offset: 3 }, ordered(src, [{ f: 'score', asc: true }, { f: 'id', asc: false }]).slice(3, 8)],
  ['filter, default asc', { filter: 'flag == true', order_by: ['name'] }, { filter: 'flag == true', orderByFields: ['name'], limit: 100 }, ordered(src.filter((r) => r.flag), [{ f: 'name', asc: true }])],
  ['price asc nulls_first', { order_by_fields: 'price:asc:nulls_first', limit: 8 }, { orderByFields: ['price:asc:nulls_first'], limit: 8 }, ordered(src, [{ f: 'price', asc: true, nullsFirst: true }]).slice(0, 8)],
  ['bool desc then price asc', { filter: 'id < 12', order_by_fields: 'flag:desc,price:asc' }, { filter: 'id < 12', orderByFields: ['flag:desc', 'price:asc'], limit: 100 }, ordered(src.filter((r) => r.id < 12), [{ f: 'flag', asc: false }, { f: 'price', asc: true }])],
];
const badOrder: [string, string][] = [
  ['unknown field', 'nope:asc'],
  ['bad direction', 'price:up'],
  ['vector field', 'v:desc'],
  ['bad nulls option', 'price:asc:nulls_middle'],
];

interface Outcome {
  ordered: Record<string, number[]>;
  orderErrors: Record<string, string>;
  byIds: string[][];
  byVectors: string[][];
  byIdsFiltered: string[];
  idErrors: Record<string, string>;
  templates: Record<string, number[]>;
}

const status = (r: Res): string => {
  if ('thrown' in r) return `thrown ${String(r['thrown'])}`;
  const s = (r['status'] ?? r) as Res;
  return `${String(s['code'] ?? s['error_code'])} ${String(s['reason'] ?? s['message'] ?? '')}`;
};
const ids = (rows: unknown): number[] => ((rows ?? []) as Res[]).map((r) => Number(r['id']));
const hitIds = (r: Res): string[][] => {
  const res = (r['results'] ?? []) as unknown[];
  const lists = Array.isArray(res[0]) ? (res as Res[][]) : [res as Res[]];
  return lists.map((l) => l.map((h) => `${String(h['id'])}@${Number(h['score']).toFixed(4)}`));
};

async function ok(c: AnyClient, m: string, req: unknown): Promise<Res> {
  const r = await call(c, m, req);
  const s = (r['status'] ?? r) as Res;
  assert.ok(s['code'] === 0 || s['error_code'] === 'Success', `${m}: ${JSON.stringify(r).slice(0, 300)}`);
  return r;
}

async function setup(c: AnyClient): Promise<void> {
  const fields = [
    { name: 'id', data_type: DataType.Int64, is_primary_key: true },
    { name: 'v', data_type: DataType.FloatVector, dim: 4 },
    { name: 'price', data_type: DataType.Int64, nullable: true },
    { name: 'score', data_type: DataType.Double },
    { name: 'name', data_type: DataType.VarChar, max_length: 8 },
    { name: 'flag', data_type: DataType.Bool },
  ];
  await ok(c, 'createCollection', { collection_name: C, fields });
  await ok(c, 'createIndex', { collection_name: C, field_name: 'v', index_type: 'FLAT', metric_type: 'L2' });
  // Two batches with a flush between: ordering and id lookups span a sealed and a growing segment.
  await ok(c, 'insert', { collection_name: C, data: src.slice(0, 18).map((r) => ({ ...r, v: vec(r.id) })) });
  await ok(c, 'flush', { collection_names: [C] });
  await ok(c, 'insert', { collection_name: C, data: src.slice(18).map((r) => ({ ...r, v: vec(r.id) })) });
  await ok(c, 'loadCollection', { collection_name: C });
}

async function sdkRun(c: AnyClient, embedded: boolean): Promise<Outcome> {
  await setup(c);
  const o: Outcome = { ordered: {}, orderErrors: {}, byIds: [], byVectors: [], byIdsFiltered: [], idErrors: {}, templates: {} };
  for (const [label, extra] of orderCases) {
    const r = await call(c, 'query', { collection_name: C, output_fields: ['id', 'price'], filter: 'id >= 0', ...extra });
    o.ordered[label] = status(r).startsWith('0') || status(r).startsWith('Success') ? ids(r['data']) : [-1];
  }
  for (const [label, spec] of badOrder) o.orderErrors[label] = status(await call(c, 'query', { collection_name: C, filter: 'id >= 0', order_by_fields: spec }));
  const base = { collection_name: C, limit: 4, output_fields: ['id'] };
  o.byIds = hitIds(await ok(c, 'search', { ...base, ids: [3, 17] }));
  o.byVectors = hitIds(await ok(c, 'search', { ...base, data: [vec(3), vec(17)] }));
  o.byIdsFiltered = hitIds(await ok(c, 'search', { ...base, ids: [20], filter: 'price >= 2' }))[0]!;
  o.idErrors['missing id'] = status(await call(c, 'search', { ...base, ids: [3, 999] }));
  o.idErrors['hybrid sub-request'] = status(await call(c, 'hybridSearch', { collection_name: C, data: [{ anns_field: 'v', ids: [3], limit: 3 }], rerank: { strategy: 'rrf', params: {} }, limit: 3 }));
  const tq = { collection_name: C, filter: 'price > {p} and id < {n}', output_fields: ['id'] };
  o.templates['query exprValues'] = ids((await ok(c, 'query', { ...tq, exprValues: { p: 6, n: 20 } }))['data']);
  o.templates['search exprValues'] = hitIds(await ok(c, 'search', { ...base, data: [vec(5)], filter: 'price > {p}', exprValues: { p: 6 } }))[0]!.map((h) => Number(h.split('@')[0]));
  if (embedded) {
    // pymilvus's keyword; the SDK knows only exprValues, so over gRPC it stays a client-side name.
    o.templates['query filter_params'] = ids((await ok(c, 'query', { ...tq, filter_params: { p: 6, n: 20 } }))['data']);
    o.templates['search filter_params'] = hitIds(await ok(c, 'search', { ...base, data: [vec(5)], filter: 'price > {p}', filter_params: { p: 6 } }))[0]!.map((h) => Number(h.split('@')[0]));
    o.templates['both names'] = [status(await call(c, 'query', { ...tq, exprValues: { p: 6, n: 20 }, filter_params: { p: 6, n: 20 } })).startsWith('1100') ? 1100 : 0];
  }
  return o;
}

async function restRun(h: HttpClient): Promise<Outcome> {
  const post = (m: string, b: Record<string, unknown>): Promise<Res> => (h as unknown as Record<string, (b: unknown) => Promise<Res>>)[m]!.call(h, b);
  const restStatus = (r: Res): string => `${String(r['code'])} ${String(r['message'] ?? '')}`;
  const restHits = (r: Res): string[][] => {
    const d = (r['data'] ?? []) as unknown[];
    const lists = Array.isArray(d[0]) ? (d as Res[][]) : [d as Res[]];
    return lists.map((l) => l.map((x) => `${String(x['id'])}@${Number(x['distance']).toFixed(4)}`));
  };
  const o: Outcome = { ordered: {}, orderErrors: {}, byIds: [], byVectors: [], byIdsFiltered: [], idErrors: {}, templates: {} };
  for (const [label, , extra] of orderCases) {
    const r = await post('query', { collectionName: C, outputFields: ['id', 'price'], filter: 'id >= 0', ...extra });
    o.ordered[label] = r['code'] === 0 ? ids(r['data']) : [-1];
  }
  for (const [label, spec] of badOrder) o.orderErrors[label] = restStatus(await post('query', { collectionName: C, filter: 'id >= 0', orderByFields: [spec], limit: 10 }));
  const base = { collectionName: C, limit: 4, outputFields: ['id'] };
  o.byIds = restHits(await post('search', { ...base, ids: [3, 17] }));
  o.byVectors = restHits(await post('search', { ...base, data: [vec(3), vec(17)] }));
  o.byIdsFiltered = restHits(await post('search', { ...base, ids: [20], filter: 'price >= 2' }))[0]!;
  o.idErrors['missing id'] = restStatus(await post('search', { ...base, ids: [3, 999] }));
  o.idErrors['hybrid sub-request'] = restStatus(await post('hybridSearch', { collectionName: C, search: [{ annsField: 'v', ids: [3], limit: 3 }], rerank: { strategy: 'rrf', params: {} }, limit: 3 }));
  o.idErrors['ids and data (REST only: the SDK drops data when ids are given)'] = restStatus(await post('search', { ...base, ids: [3], data: [vec(3)] }));
  o.templates['query exprValues'] = ids((await post('query', { collectionName: C, filter: 'price > {p} and id < {n}', outputFields: ['id'], exprParams: { p: 6, n: 20 }, limit: 100 }))['data']);
  o.templates['search exprValues'] = restHits(await post('search', { ...base, data: [vec(5)], filter: 'price > {p}', exprParams: { p: 6 } }))[0]!.map((x) => Number(x.split('@')[0]));
  return o;
}

let served: ServedProcess | undefined;
let dataDir: string;
let embeddedDir: string;
before(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'elanus-q26-serve-'));
  embeddedDir = mkdtempSync(join(tmpdir(), 'elanus-q26-emb-'));
});
after(async () => {
  if (served) await served.stop();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(embeddedDir, { recursive: true, force: true });
});

function check(o: Outcome, label: string): void {
  for (const [name, , , want] of orderCases) assert.deepEqual(o.ordered[name], want, `${label}: order_by ${name}`);
  for (const [name] of badOrder) assert.match(o.orderErrors[name]!, /^1100 .*order_by_fields/, `${label}: ${name}`);
  assert.match(o.orderErrors['unknown field']!, /'nope' does not exist/);
  assert.match(o.orderErrors['bad direction']!, /invalid order direction 'up'/);
  // Primary-key search is a search with the stored vectors of those keys.
  assert.equal(o.byIds.length, 2, `${label}: nq`);
  assert.deepEqual(o.byIds, o.byVectors, `${label}: ids vs vectors`);
  assert.equal(o.byIds[0]![0]!.split('@')[0], '3', `${label}: the entity itself is its nearest`);
  // The ids pick the query vectors only: the filter still applies to the hits.
  const okIds = new Set(src.filter((r) => r.price !== null && r.price >= 2).map((r) => String(r.id)));
  assert.ok(o.byIdsFiltered.length === 4 && o.byIdsFiltered.every((h) => okIds.has(h.split('@')[0]!)), `${label}: filtered ids search ${JSON.stringify(o.byIdsFiltered)}`);
  assert.match(o.idErrors['missing id']!, /^1100 .*primary keys not found.*\[999\]/, `${label}: missing id`);
  assert.match(o.idErrors['hybrid sub-request']!, /^1100 .*does not apply to hybrid search/, `${label}: hybrid ids`);
  const want = src.filter((r) => r.price !== null && r.price > 6 && r.id < 20).map((r) => r.id);
  assert.deepEqual(o.templates['query exprValues'], want, `${label}: template query`);
  for (const id of o.templates['search exprValues']!) assert.ok((src[id]!.price ?? -1) > 6, `${label}: template search`);
}

test('query order_by_fields, primary-key search and filter template names over embedded, SDK gRPC and REST', async () => {
  const emb = await sdkRun(new MilvusClient(embeddedDir) as unknown as AnyClient, true);
  served = await startServe([], { dataDir });
  const sdk = new SdkClient({ address: served.address });
  const grpc = await sdkRun(sdk as unknown as AnyClient, false);
  const rest = await restRun(new HttpClient({ endpoint: `http://${served.restAddress!}` }));
  check(emb, 'embedded');
  check(grpc, 'grpc');
  check(rest, 'rest');
  assert.deepEqual(emb.templates['query filter_params'], emb.templates['query exprValues']);
  assert.deepEqual(emb.templates['search filter_params'], emb.templates['search exprValues']);
  assert.deepEqual(emb.templates['both names'], [1100]);
  assert.match(rest.idErrors['ids and data (REST only: the SDK drops data when ids are given)']!, /^1100 .*mutually exclusive/);
  // Same messages everywhere.
  assert.deepEqual(grpc.orderErrors, emb.orderErrors);
  assert.deepEqual(rest.orderErrors, emb.orderErrors);
  assert.deepEqual(grpc.idErrors, emb.idErrors);
  const { ['ids and data (REST only: the SDK drops data when ids are given)']: _both, ...restIdErrors } = rest.idErrors;
  assert.deepEqual(restIdErrors, emb.idErrors);
  assert.deepEqual(grpc.byIds, emb.byIds);
  await sdk.closeConnection();
});
