/**
 * Decay rerankers (Milvus 2.6 function_score with reranker "decay") through all three transports:
 * the embedded `MilvusClient`, the official SDK over gRPC and the SDK's `HttpClient` over REST.
 *
 * Each decayed search or hybrid search must equal what Milvus's documented pipeline gives
 * (https://milvus.io/docs/decay-ranker-overview.md, Milvus internal/util/function/rerank/decay_function.go),
 * computed here independently from the same transport's plain searches: the score normalised
 * (COSINE kept, L2 → 1 − 2·atan(d)/π), in a hybrid search the maximum over the requests, times the
 * gauss / exp / linear decay of the field value; ties by primary key; then the offset/limit page.
 * Fields: an Int64 and a TIMESTAMPTZ (UTC microseconds; origin as ISO 8601 or microseconds). The bad
 * inputs are refused with the same code and message everywhere.
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

const N = 48;
const HOUR_US = 3600e6;
const BASE_MS = Date.UTC(2025, 0, 1);
const vec = (i: number): number[] => [Math.cos(i), Math.sin(i), 1 + i / N, 0.5];
const wvec = (i: number): number[] => [(i % 7) + i / 100, (i * 3) % 5];
/** Even rows in UTC, odd rows written with a +08:00 offset (the same instant). */
function iso(ms: number, i: number): string {
  return i % 2 === 0 ? new Date(ms).toISOString() : new Date(ms + 8 * 3600e3).toISOString().replace('Z', '+08:00');
}
const rows = Array.from({ length: N }, (_, i) => ({ id: i, v: vec(i), w: wvec(i), price: (i * 7) % 23, ts: iso(BASE_MS + ((i * 5) % 17) * 3600e3, i), name: `n${i}` }));
const qv = [1, 0.2, 1.3, 0.5];
const qw = [3, 2];
const METRIC: Record<string, string> = { v: 'COSINE', w: 'L2' };

type Params = Record<string, unknown>;
interface Fn {
  field: 'price' | 'ts' | 'name' | 'opt';
  params: Params;
}
const gaussPrice: Fn = { field: 'price', params: { reranker: 'decay', function: 'gauss', origin: 10, scale: 5, offset: 1, decay: 0.5 } };
const expPrice: Fn = { field: 'price', params: { reranker: 'decay', function: 'exp', origin: 5, scale: 8, decay: 0.3 } };
const linearTs: Fn = { field: 'ts', params: { reranker: 'decay', function: 'linear', origin: '2025-01-01T14:00:00+08:00', scale: 6 * HOUR_US, offset: HOUR_US, decay: 0.2 } };
const gaussTsMicros: Fn = { field: 'ts', params: { reranker: 'decay', function: 'gauss', origin: String((BASE_MS + 12 * 3600e3) * 1000), scale: 4 * HOUR_US } };

interface Sub {
  anns: 'v' | 'w';
  limit: number;
}
interface Case {
  label: string;
  subs: Sub[]; // one: a search; more: a hybrid search
  limit: number;
  offset: number;
  fn: Fn;
}
const cases: Case[] = [
  { label: 'search gauss Int64', subs: [{ anns: 'v', limit: 12 }], limit: 12, offset: 0, fn: gaussPrice },
  { label: 'search gauss offset', subs: [{ anns: 'v', limit: 8 }], limit: 5, offset: 3, fn: gaussPrice },
  { label: 'search exp on L2', subs: [{ anns: 'w', limit: 10 }], limit: 10, offset: 0, fn: expPrice },
  { label: 'search linear TIMESTAMPTZ', subs: [{ anns: 'v', limit: 15 }], limit: 15, offset: 0, fn: linearTs },
  { label: 'hybrid gauss Int64', subs: [{ anns: 'v', limit: 10 }, { anns: 'w', limit: 10 }], limit: 8, offset: 0, fn: gaussPrice },
  { label: 'hybrid gauss TIMESTAMPTZ micros', subs: [{ anns: 'v', limit: 9 }, { anns: 'w', limit: 12 }], limit: 6, offset: 2, fn: gaussTsMicros },
];
const bad: [string, Fn, boolean?][] = [
  ['non-numeric field', { field: 'name', params: gaussPrice.params }],
  ['nullable field', { field: 'opt', params: gaussPrice.params }],
  ['unknown function', { field: 'price', params: { ...gaussPrice.params, function: 'cubic' } }],
  ['scale 0', { field: 'price', params: { ...gaussPrice.params, scale: 0 } }],
  ['decay 1', { field: 'price', params: { ...gaussPrice.params, decay: 1 } }],
  ['model reranker', { field: 'price', params: { reranker: 'model', provider: 'tei' } }],
  ['origin without zone', { field: 'ts', params: { ...linearTs.params, origin: '2025-01-01T14:00:00' } }],
  ['hybrid: unknown function', { field: 'price', params: { ...gaussPrice.params, function: 'cubic' } }, true],
];

// ---------------------------------------------------------------- the documented pipeline, independently
type Hit = { id: string; score: number; price: number; ts: string };
const tsMicros = (s: string): number => Date.parse(s) * 1000;
function factor(fn: Fn, h: Hit): number {
  const p = fn.params;
  const x = fn.field === 'ts' ? tsMicros(h.ts) : h.price;
  const origin = fn.field === 'ts' && typeof p['origin'] === 'string' && p['origin'].includes('T') ? tsMicros(p['origin']) : Number(p['origin']);
  const scale = Number(p['scale']);
  const decay = Number(p['decay'] ?? 0.5);
  const d = Math.max(0, Math.abs(x - origin) - Number(p['offset'] ?? 0));
  if (p['function'] === 'gauss') {
    const sigma2 = -(scale * scale) / (2 * Math.log(decay));
    return Math.exp(-(d * d) / (2 * sigma2));
  }
  if (p['function'] === 'exp') return Math.pow(decay, d / scale);
  return Math.max(decay, 1 - ((1 - decay) * d) / scale);
}
const normalised = (score: number, metric: string): number => (metric === 'L2' ? 1 - (2 * Math.atan(score)) / Math.PI : score);

function expected(c: Case, plains: Hit[][]): Hit[] {
  const best = new Map<string, Hit>();
  plains.forEach((hits, i) => {
    for (const h of hits) {
      const s = normalised(h.score, METRIC[c.subs[i]!.anns]!);
      if (!best.has(h.id) || s > best.get(h.id)!.score) best.set(h.id, { ...h, score: s });
    }
  });
  const all = [...best.values()].map((h) => ({ ...h, score: h.score * factor(c.fn, h) }));
  all.sort((a, b) => b.score - a.score || Number(a.id) - Number(b.id));
  return all.slice(c.offset, c.offset + c.limit);
}

// ---------------------------------------------------------------- transports
type Outcome = { plain: Hit[][][]; decayed: Hit[][]; errors: Record<string, string> };
const q = (anns: string): number[] => (anns === 'v' ? qv : qw);
const fnObj = (fn: Fn) => ({ name: 'd', type: 'Rerank', input_field_names: [fn.field], output_field_names: [], params: fn.params });
const OUT = ['price', 'ts'];

const sdkHits = (r: Res): Hit[] => {
  assert.ok(Array.isArray(r['results']), `no results: ${JSON.stringify(r['status'] ?? r)}`);
  return (r['results'] as Res[]).map((h) => ({ id: String(h['id']), score: Number(h['score']), price: Number(h['price']), ts: String(h['ts']) }));
};
const sdkErr = (r: Res): string => {
  const s = (r['status'] ?? r) as Res;
  return 'thrown' in r ? `thrown ${String(r['thrown'])}` : `${String(s['code'])} ${String(s['reason'] ?? '')}`;
};

async function sdkRun(c: AnyClient): Promise<Outcome> {
  const fields = [
    { name: 'id', data_type: DataType.Int64, is_primary_key: true },
    { name: 'v', data_type: DataType.FloatVector, dim: 4 },
    { name: 'w', data_type: DataType.FloatVector, dim: 2 },
    { name: 'price', data_type: DataType.Int64 },
    { name: 'ts', data_type: DataType.Timestamptz },
    { name: 'name', data_type: DataType.VarChar, max_length: 8 },
    { name: 'opt', data_type: DataType.Int64, nullable: true },
  ];
  await call(c, 'createCollection', { collection_name: 'dr', fields });
  await call(c, 'createIndex', { collection_name: 'dr', field_name: 'v', index_type: 'FLAT', metric_type: 'COSINE' });
  await call(c, 'createIndex', { collection_name: 'dr', field_name: 'w', index_type: 'FLAT', metric_type: 'L2' });
  const ins = await call(c, 'insert', { collection_name: 'dr', data: rows });
  assert.equal(Number(ins['insert_cnt']), N, JSON.stringify(ins['status']));
  await call(c, 'loadCollection', { collection_name: 'dr' });
  const search = (s: Sub, limit: number, offset: number, rerank?: unknown) =>
    call(c, 'search', { collection_name: 'dr', data: [q(s.anns)], anns_field: s.anns, limit, offset, output_fields: OUT, consistency_level: 'Strong', ...(rerank ? { rerank } : {}) });
  const hybrid = (k: Case, fn: Fn) =>
    call(c, 'hybridSearch', { collection_name: 'dr', data: k.subs.map((s) => ({ data: [q(s.anns)], anns_field: s.anns, limit: s.limit })), rerank: fnObj(fn), limit: k.limit, offset: k.offset, output_fields: OUT, consistency_level: 'Strong' });
  const plain: Hit[][][] = [];
  const decayed: Hit[][] = [];
  for (const k of cases) {
    plain.push(await Promise.all(k.subs.map(async (s) => sdkHits(await search(s, k.subs.length === 1 ? k.limit + k.offset : s.limit, 0)))));
    // A search takes the FunctionScore form, a hybrid search the single function object (both as the SDK builds them).
    decayed.push(sdkHits(k.subs.length === 1 ? await search(k.subs[0]!, k.limit, k.offset, { functions: [fnObj(k.fn)], params: {} }) : await hybrid(k, k.fn)));
  }
  const errors: Record<string, string> = {};
  for (const [label, fn, hyb] of bad) errors[label] = sdkErr(hyb ? await hybrid(cases[4]!, fn) : await search({ anns: 'v', limit: 5 }, 5, 0, { functions: [fnObj(fn)], params: {} }));
  return { plain, decayed, errors };
}

async function restRun(h: HttpClient): Promise<Outcome> {
  const post = (m: string, b: Record<string, unknown>): Promise<Res> => (h as unknown as Record<string, (b: unknown) => Promise<Res>>)[m]!.call(h, b);
  const hits = (r: Res): Hit[] => {
    assert.ok(Array.isArray(r['data']), `no data: ${JSON.stringify(r)}`);
    return (r['data'] as Res[]).map((x) => ({ id: String(x['id']), score: Number(x['distance']), price: Number(x['price']), ts: String(x['ts']) }));
  };
  const functionScore = (fn: Fn) => ({ functionScore: { functions: [{ name: 'd', type: 'Rerank', inputFieldNames: [fn.field], params: fn.params }], params: {} } });
  const search = (s: Sub, limit: number, offset: number, fn?: Fn) => post('search', { collectionName: 'dr', data: [q(s.anns)], annsField: s.anns, limit, ...(offset ? { offset } : {}), outputFields: OUT, ...(fn ? functionScore(fn) : {}) });
  const hybrid = (k: Case, fn: Fn) =>
    post('hybridSearch', { collectionName: 'dr', search: k.subs.map((s) => ({ data: [q(s.anns)], annsField: s.anns, limit: s.limit })), limit: k.limit, ...(k.offset ? { offset: k.offset } : {}), outputFields: OUT, ...functionScore(fn) });
  const plain: Hit[][][] = [];
  const decayed: Hit[][] = [];
  for (const k of cases) {
    plain.push(await Promise.all(k.subs.map(async (s) => hits(await search(s, k.subs.length === 1 ? k.limit + k.offset : s.limit, 0)))));
    decayed.push(hits(k.subs.length === 1 ? await search(k.subs[0]!, k.limit, k.offset, k.fn) : await hybrid(k, k.fn)));
  }
  const errors: Record<string, string> = {};
  for (const [label, fn, hyb] of bad) {
    const r = hyb ? await hybrid(cases[4]!, fn) : await search({ anns: 'v', limit: 5 }, 5, 0, fn);
    errors[label] = `${String(r['code'])} ${String(r['message'] ?? '')}`;
  }
  return { plain, decayed, errors };
}

let served: ServedProcess | undefined;
let dataDir: string;
let embeddedDir: string;
before(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'elanus-dr-serve-'));
  embeddedDir = mkdtempSync(join(tmpdir(), 'elanus-dr-emb-'));
});
after(async () => {
  if (served) await served.stop();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(embeddedDir, { recursive: true, force: true });
});

function check(o: Outcome, transport: string): void {
  cases.forEach((k, i) => {
    const label = `${transport} ${k.label}`;
    const want = expected(k, o.plain[i]!);
    const got = o.decayed[i]!;
    assert.equal(got.length, k.limit, `${label}: hits`);
    assert.deepEqual(got.map((h) => h.id), want.map((h) => h.id), `${label}: order`);
    got.forEach((h, j) => assert.ok(Math.abs(h.score - want[j]!.score) < 1e-5, `${label}: score of ${h.id} ${h.score} vs ${want[j]!.score}`));
    // The decay changes the order (the case would prove nothing otherwise).
    const undecayed = [...o.plain[i]!.flat()].map((h) => ({ ...h, score: normalised(h.score, 'x') }));
    assert.notDeepEqual(got.map((h) => h.id), undecayed.slice(k.offset, k.offset + k.limit).map((h) => h.id), `${label}: order unchanged`);
  });
}

test('decay rerankers (gauss, exp, linear; Int64 and TIMESTAMPTZ; search and hybrid search) over embedded, SDK gRPC and REST follow the documented pipeline; refusals alike', async () => {
  const emb = await sdkRun(new MilvusClient(embeddedDir) as unknown as AnyClient);
  served = await startServe([], { dataDir });
  const sdk = new SdkClient({ address: served.address });
  const grpc = await sdkRun(sdk as unknown as AnyClient);
  const rest = await restRun(new HttpClient({ endpoint: `http://${served.restAddress!}` }));
  check(emb, 'embedded');
  check(grpc, 'grpc');
  check(rest, 'rest');
  for (const e of Object.values(emb.errors)) assert.match(e, /^1100 /);
  assert.match(emb.errors['nullable field']!, /nullable/);
  assert.match(emb.errors['origin without zone']!, /time zone/);
  assert.deepEqual(grpc.errors, emb.errors);
  assert.deepEqual(rest.errors, emb.errors);
  assert.deepEqual(grpc.decayed.map((q) => q.map((h) => h.id)), emb.decayed.map((q) => q.map((h) => h.id)));
  assert.deepEqual(rest.decayed.map((q) => q.map((h) => h.id)), emb.decayed.map((q) => q.map((h) => h.id)));
  await sdk.closeConnection();
});
