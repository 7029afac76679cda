/**
 * Decay rerankers (Milvus 2.6 function_score with reranker "decay") through all three transports:
 * the embedded `MilvusClient`, the official SDK over gRPC and the SDK's `HttpClient` over REST. A
 * gauss decay on a numeric field must reorder a search's hits exactly as Milvus's documented formula
 * (https://milvus.io/docs/gaussian-decay.md), computed here independently from the plain search's
 * hits and field values; the bad inputs are refused with the same code and message everywhere.
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

const N = 40;
const vec = (i: number): number[] => [Math.cos(i), Math.sin(i), 1 + i / N, 0.5];
const rows = Array.from({ length: N }, (_, i) => ({ id: i, v: vec(i), price: (i * 7) % 23 }));
const q = [1, 0.2, 1.3, 0.5];
const params = { reranker: 'decay', function: 'gauss', origin: 10, scale: 5, offset: 1, decay: 0.5 };
const fn = (p: Record<string, unknown> = params, field = 'price') => ({ name: 'd', type: 'Rerank', input_field_names: [field], output_field_names: [], params: p });

/** Milvus's documented gauss decay: exp(−max(0, |x − origin| − offset)² / (2σ²)), σ² = −scale² / (2 ln decay). */
function gauss(x: number): number {
  const d = Math.max(0, Math.abs(x - params.origin) - params.offset);
  const sigma2 = -(params.scale * params.scale) / (2 * Math.log(params.decay));
  return Math.exp(-(d * d) / (2 * sigma2));
}

type Hit = { id: string; score: number; price: number };
type Outcome = { plain: Hit[]; decayed: Hit[]; errors: Record<string, string> };

function expected(plain: Hit[]): Hit[] {
  return plain.map((h) => ({ ...h, score: h.score * gauss(h.price) })).sort((a, b) => b.score - a.score);
}

const sdkHits = (r: Res): Hit[] => ((r['results'] ?? []) as Res[]).map((h) => ({ id: String(h['id']), score: Number(h['score']), price: Number(h['price']) }));
const err = (r: Res): string => {
  const s = (r['status'] ?? r) as Res;
  return 'thrown' in r ? `thrown ${String(r['thrown'])}` : `${String(s['code'])} ${String(s['reason'] ?? '')}`;
};

const bad: [string, Record<string, unknown>, string?][] = [
  ['non-numeric field', params, 'name'],
  ['unknown function', { ...params, function: 'cubic' }],
  ['scale 0', { ...params, scale: 0 }],
  ['decay 1', { ...params, decay: 1 }],
  ['model reranker', { reranker: 'model', provider: 'tei' }],
];

async function sdkRun(c: AnyClient): Promise<Outcome> {
  const fields = [
    { name: 'id', data_type: DataType.Int64, is_primary_key: true },
    { name: 'v', data_type: DataType.FloatVector, dim: 4 },
    { name: 'price', data_type: DataType.Int64 },
    { name: 'name', data_type: DataType.VarChar, max_length: 8 },
  ];
  await call(c, 'createCollection', { collection_name: 'dr', fields });
  await call(c, 'createIndex', { collection_name: 'dr', field_name: 'v', index_type: 'FLAT', metric_type: 'COSINE' });
  await call(c, 'insert', { collection_name: 'dr', data: rows.map((r) => ({ ...r, name: `n${r.id}` })) });
  await call(c, 'loadCollection', { collection_name: 'dr' });
  const base = { collection_name: 'dr', data: [q], limit: 12, output_fields: ['price'], consistency_level: 'Strong' };
  const plain = sdkHits(await call(c, 'search', base));
  const decayed = sdkHits(await call(c, 'search', { ...base, rerank: { functions: [fn()], params: {} } }));
  const errors: Record<string, string> = {};
  for (const [label, p, field] of bad) errors[label] = err(await call(c, 'search', { ...base, rerank: { functions: [fn(p, field)], params: {} } }));
  return { plain, decayed, errors };
}

async function restRun(h: HttpClient): Promise<Outcome> {
  const post = (m: string, b: Record<string, unknown>): Promise<Res> => (h as unknown as Record<string, (b: unknown) => Promise<Res>>)[m]!.call(h, b);
  const base = { collectionName: 'dr', data: [q], limit: 12, outputFields: ['price'] };
  const hits = (r: Res): Hit[] => ((r['data'] ?? []) as Res[]).map((x) => ({ id: String(x['id']), score: Number(x['distance']), price: Number(x['price']) }));
  const restFn = (p: Record<string, unknown>, field = 'price') => ({ functionScore: { functions: [{ name: 'd', type: 'Rerank', inputFieldNames: [field], params: p }], params: {} } });
  const plain = hits(await post('search', base));
  const decayed = hits(await post('search', { ...base, ...restFn(params) }));
  const errors: Record<string, string> = {};
  for (const [label, p, field] of bad) {
    const r = await post('search', { ...base, ...restFn(p, field) });
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

function check(o: Outcome, label: string): void {
  assert.equal(o.plain.length, 12, `${label}: plain hits`);
  const want = expected(o.plain);
  assert.deepEqual(o.decayed.map((h) => h.id), want.map((h) => h.id), `${label}: order`);
  o.decayed.forEach((h, i) => assert.ok(Math.abs(h.score - want[i]!.score) < 1e-5, `${label}: score of ${h.id} ${h.score} vs ${want[i]!.score}`));
  // The decay changes the order (the test would prove nothing otherwise).
  assert.notDeepEqual(o.decayed.map((h) => h.id), o.plain.map((h) => h.id), `${label}: order unchanged`);
}

test('decay reranker (gauss) over embedded, SDK gRPC and REST: order and scores follow the documented formula; refusals alike', async () => {
  const emb = await sdkRun(new MilvusClient(embeddedDir) as unknown as AnyClient);
  served = await startServe([], { dataDir });
  const sdk = new SdkClient({ address: served.address });
  const grpc = await sdkRun(sdk as unknown as AnyClient);
  const rest = await restRun(new HttpClient({ endpoint: `http://${served.restAddress!}` }));
  check(emb, 'embedded');
  check(grpc, 'grpc');
  check(rest, 'rest');
  for (const e of Object.values(emb.errors)) assert.match(e, /^1100 /);
  assert.deepEqual(grpc.errors, emb.errors);
  assert.deepEqual(rest.errors, emb.errors);
  assert.deepEqual(grpc.decayed.map((h) => h.id), emb.decayed.map((h) => h.id));
  await sdk.closeConnection();
});
