/**
 * The whole full-text flow (Milvus 2.6 full-text-search.md, multi-vector-search.md, decay-ranker-overview.md)
 * through all three transports: the embedded `MilvusClient`, the official SDK over gRPC to a real
 * `elanus serve`, and the SDK's `HttpClient` over REST to the same process.
 *
 *   schema with a BM25 function (VarChar + english analyzer → SparseFloatVector) and a dense field
 *   → insert text (a sealed segment, then growing rows) → search by raw text → hybrid dense + BM25
 *   with RRF → the same hybrid search and the text search reranked with a gauss decay on a field.
 *
 * Each transport's answers must be identical (ids, and scores to float precision), the text search
 * must score with Milvus's BM25 formula (computed here from the analyzer's tokens), the RRF fusion
 * must be Σ 1/(k + rank) over that transport's own plain searches, and the decay rerank the maximum
 * normalised score (COSINE and BM25 kept as they are) times the decay of `price`.
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

const WORDS = ['vector', 'database', 'search', 'keyword', 'retrieval', 'dense', 'sparse', 'ranking', 'documents', 'scale', 'hybrid', 'fusion', 'query', 'index', 'analyzer'];
const N = 40;
const SEALED = 24;
const text = (i: number): string => Array.from({ length: 3 + (i % 6) }, (_, k) => WORDS[(i * 5 + k * k * 3 + (i >> 2)) % WORDS.length]!).join(' ') + (i % 3 === 0 ? ' for retrieval systems' : '');
const dense = (i: number): number[] => [Math.cos(i), Math.sin(i), 1 + (i % 5) / 5, 0.5];
const ROWS = Array.from({ length: N }, (_, i) => ({ id: i, text: text(i), dense: dense(i), price: (i * 7) % 23 }));
const QD = [1, 0.3, 1.2, 0.5];
const QT = 'vector search retrieval';
const QT2 = 'keyword ranking fusion';
const K1 = 1.2;
const B = 0.75;
const RRF_K = 60;
const SUB_LIMIT = 12;
const LIMIT = 8;
const DECAY = { reranker: 'decay', function: 'gauss', origin: 10, scale: 6, offset: 1, decay: 0.5 };

type Hit = { id: string; score: number; price: number };
interface Outcome {
  text: Hit[];
  textPage: Hit[];
  denseSub: Hit[];
  textSub: Hit[];
  rrf: Hit[];
  decayedText: Hit[];
  decayedHybrid: Hit[];
}

// ---------------------------------------------------------------- independent pipeline
function bm25Oracle(tokens: Map<number, string[]>, q: string[], limit: number): { id: string; score: number }[] {
  const docs = [...tokens.keys()];
  const avgdl = docs.reduce((s, id) => s + tokens.get(id)!.length, 0) / docs.length;
  const df = new Map<string, number>();
  for (const id of docs) for (const t of new Set(tokens.get(id))) df.set(t, (df.get(t) ?? 0) + 1);
  const out: { id: string; score: number }[] = [];
  for (const id of docs) {
    const toks = tokens.get(id)!;
    let s = 0;
    let hit = false;
    for (const t of q) {
      const f = toks.filter((x) => x === t).length;
      if (f === 0) continue;
      hit = true;
      const d = df.get(t)!;
      s += (Math.log(1 + (docs.length - d + 0.5) / (d + 0.5)) * f * (K1 + 1)) / (f + K1 * (1 - B + (B * toks.length) / avgdl));
    }
    if (hit) out.push({ id: String(id), score: s });
  }
  return out.sort((a, b) => b.score - a.score || Number(a.id) - Number(b.id)).slice(0, limit);
}

function rrf(lists: Hit[][], limit: number): { id: string; score: number }[] {
  const s = new Map<string, number>();
  for (const l of lists) l.forEach((h, r) => s.set(h.id, (s.get(h.id) ?? 0) + 1 / (RRF_K + r + 1)));
  return [...s].map(([id, score]) => ({ id, score })).sort((a, b) => b.score - a.score || Number(a.id) - Number(b.id)).slice(0, limit);
}

function gauss(price: number): number {
  const d = Math.max(0, Math.abs(price - DECAY.origin) - DECAY.offset);
  return Math.exp((d * d * Math.log(DECAY.decay)) / (DECAY.scale * DECAY.scale));
}

function decayed(lists: Hit[][], limit: number): { id: string; score: number }[] {
  const best = new Map<string, Hit>();
  for (const l of lists) for (const h of l) if (!best.has(h.id) || h.score > best.get(h.id)!.score) best.set(h.id, h);
  return [...best.values()].map((h) => ({ id: h.id, score: h.score * gauss(h.price) })).sort((a, b) => b.score - a.score || Number(a.id) - Number(b.id)).slice(0, limit);
}

/** Scores equal rank by rank; ids equal up to exact ties (a returned id must carry the expected score). */
function same(label: string, got: Hit[], want: { id: string; score: number }[]): void {
  assert.equal(got.length, want.length, `${label}: hit count`);
  const close = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-5 * Math.max(1, Math.abs(b));
  got.forEach((h, j) => {
    assert.ok(close(h.score, want[j]!.score), `${label} rank ${j}: score ${h.score} vs ${want[j]!.score}`);
    if (h.id !== want[j]!.id) assert.ok(want.some((w) => w.id === h.id && close(w.score, want[j]!.score)), `${label} rank ${j}: id ${h.id} vs ${want[j]!.id}`);
  });
}

// ---------------------------------------------------------------- transports
const OUT = ['price'];
const fnObj = { name: 'd', type: 'Rerank', input_field_names: ['price'], output_field_names: [], params: DECAY };
const sdkHits = (r: Res): Hit[] => {
  assert.ok(Array.isArray(r['results']), `no results: ${JSON.stringify(r['status'] ?? r)}`);
  return (r['results'] as Res[]).map((h) => ({ id: String(h['id']), score: Number(h['score']), price: Number(h['price']) }));
};

async function sdkRun(c: AnyClient): Promise<Outcome> {
  const fields = [
    { name: 'id', data_type: DataType.Int64, is_primary_key: true },
    { name: 'text', data_type: DataType.VarChar, max_length: 512, enable_analyzer: true, analyzer_params: { type: 'english' } },
    { name: 'sparse', data_type: DataType.SparseFloatVector },
    { name: 'dense', data_type: DataType.FloatVector, dim: 4 },
    { name: 'price', data_type: DataType.Int64 },
  ];
  const functions = [{ name: 'bm25', type: 1, input_field_names: ['text'], output_field_names: ['sparse'], params: {} }];
  const st = await call(c, 'createCollection', { collection_name: 'flow', fields, functions });
  assert.equal(st['code'] ?? st['error_code'], 0, JSON.stringify(st));
  await call(c, 'createIndex', { collection_name: 'flow', field_name: 'sparse', index_type: 'SPARSE_INVERTED_INDEX', metric_type: 'BM25', params: { inverted_index_algo: 'DAAT_MAXSCORE', bm25_k1: K1, bm25_b: B } });
  await call(c, 'createIndex', { collection_name: 'flow', field_name: 'dense', index_type: 'FLAT', metric_type: 'COSINE' });
  assert.equal(Number((await call(c, 'insert', { collection_name: 'flow', data: ROWS.slice(0, SEALED) }))['insert_cnt']), SEALED);
  await call(c, 'flush', { collection_names: ['flow'] });
  assert.equal(Number((await call(c, 'insert', { collection_name: 'flow', data: ROWS.slice(SEALED) }))['insert_cnt']), N - SEALED);
  await call(c, 'loadCollection', { collection_name: 'flow' });
  const search = (anns: string, data: unknown, limit: number, offset = 0, rerank?: unknown) =>
    call(c, 'search', { collection_name: 'flow', anns_field: anns, data, limit, offset, output_fields: OUT, consistency_level: 'Strong', ...(rerank ? { rerank } : {}) });
  const hybrid = (rerank: unknown) =>
    call(c, 'hybridSearch', {
      collection_name: 'flow',
      data: [
        { data: [QD], anns_field: 'dense', limit: SUB_LIMIT },
        { data: QT2, anns_field: 'sparse', limit: SUB_LIMIT },
      ],
      rerank,
      limit: LIMIT,
      output_fields: OUT,
      consistency_level: 'Strong',
    });
  return {
    text: sdkHits(await search('sparse', QT, LIMIT)),
    textPage: sdkHits(await search('sparse', QT, 4, 3)),
    denseSub: sdkHits(await search('dense', [QD], SUB_LIMIT)),
    textSub: sdkHits(await search('sparse', QT2, SUB_LIMIT)),
    rrf: sdkHits(await hybrid({ strategy: 'rrf', params: { k: RRF_K } })),
    decayedText: sdkHits(await search('sparse', QT, LIMIT, 0, { functions: [fnObj], params: {} })),
    decayedHybrid: sdkHits(await hybrid(fnObj)),
  };
}

async function restRun(h: HttpClient): Promise<Outcome> {
  const post = async (m: string, b: Record<string, unknown>): Promise<Res> => {
    const r = (await (h as unknown as Record<string, (b: unknown) => Promise<Res>>)[m]!.call(h, b)) ?? {};
    assert.equal(r['code'], 0, `${m}: ${JSON.stringify(r)}`);
    return r;
  };
  const hits = (r: Res): Hit[] => (r['data'] as Res[]).map((x) => ({ id: String(x['id']), score: Number(x['distance']), price: Number(x['price']) }));
  await post('createCollection', {
    collectionName: 'flow',
    schema: {
      fields: [
        { fieldName: 'id', dataType: 'Int64', isPrimary: true },
        { fieldName: 'text', dataType: 'VarChar', elementTypeParams: { max_length: 512, enable_analyzer: true, analyzer_params: { type: 'english' } } },
        { fieldName: 'sparse', dataType: 'SparseFloatVector' },
        { fieldName: 'dense', dataType: 'FloatVector', elementTypeParams: { dim: 4 } },
        { fieldName: 'price', dataType: 'Int64' },
      ],
      functions: [{ name: 'bm25', type: 'BM25', inputFieldNames: ['text'], outputFieldNames: ['sparse'], params: {} }],
    },
  });
  await post('createIndex', {
    collectionName: 'flow',
    indexParams: [
      { fieldName: 'sparse', indexName: 'sparse', metricType: 'BM25', params: { index_type: 'SPARSE_INVERTED_INDEX', inverted_index_algo: 'DAAT_MAXSCORE', bm25_k1: K1, bm25_b: B } },
      { fieldName: 'dense', indexName: 'dense', metricType: 'COSINE', params: { index_type: 'FLAT' } },
    ],
  });
  await post('insert', { collectionName: 'flow', data: ROWS.slice(0, SEALED) });
  await post('flushCollection', { collectionName: 'flow' });
  await post('insert', { collectionName: 'flow', data: ROWS.slice(SEALED) });
  await post('loadCollection', { collectionName: 'flow' });
  const functionScore = { functionScore: { functions: [{ name: 'd', type: 'Rerank', inputFieldNames: ['price'], params: DECAY }], params: {} } };
  const search = async (anns: string, data: unknown, limit: number, offset = 0, fs?: unknown) =>
    hits(await post('search', { collectionName: 'flow', data, annsField: anns, limit, ...(offset ? { offset } : {}), outputFields: OUT, ...(fs ?? {}) }));
  const hybrid = async (extra: Record<string, unknown>) =>
    hits(
      await post('hybridSearch', {
        collectionName: 'flow',
        search: [
          { data: [QD], annsField: 'dense', limit: SUB_LIMIT },
          { data: [QT2], annsField: 'sparse', limit: SUB_LIMIT },
        ],
        limit: LIMIT,
        outputFields: OUT,
        ...extra,
      }),
    );
  return {
    text: await search('sparse', [QT], LIMIT),
    textPage: await search('sparse', [QT], 4, 3),
    denseSub: await search('dense', [QD], SUB_LIMIT),
    textSub: await search('sparse', [QT2], SUB_LIMIT),
    rrf: await hybrid({ rerank: { strategy: 'rrf', params: { k: RRF_K } } }),
    decayedText: await search('sparse', [QT], LIMIT, 0, functionScore),
    decayedHybrid: await hybrid(functionScore),
  };
}

let served: ServedProcess | undefined;
let dataDir: string;
let embeddedDir: string;
before(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'elanus-fts-serve-'));
  embeddedDir = mkdtempSync(join(tmpdir(), 'elanus-fts-emb-'));
});
after(async () => {
  if (served) await served.stop();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(embeddedDir, { recursive: true, force: true });
});

test('full-text flow — BM25 function, text search, hybrid dense + BM25 with RRF, decay rerank — gives identical results over embedded, SDK gRPC and REST, as the documented formulas', async () => {
  const embClient = new MilvusClient(embeddedDir);
  const emb = await sdkRun(embClient as unknown as AnyClient);
  served = await startServe([], { dataDir });
  const sdk = new SdkClient({ address: served.address });
  const grpc = await sdkRun(sdk as unknown as AnyClient);
  // the REST run uses its own database so that the collection name can repeat
  const http = new HttpClient({ endpoint: `http://${served.restAddress!}` });
  await (http as unknown as { createDatabase(b: unknown): Promise<unknown> }).createDatabase({ dbName: 'rest' });
  const rest = await restRun(new HttpClient({ endpoint: `http://${served.restAddress!}`, database: 'rest' }));

  // the BM25 oracle: tokens from the collection's analyzer
  const an = await embClient.runAnalyzer({ text: [...ROWS.map((r) => r.text), QT], analyzer_params: { type: 'english' } });
  assert.equal(an.status.code, 0, an.status.reason);
  const toks = an.results.map((x) => x.tokens.map((t) => t.token));
  const tokens = new Map(ROWS.map((r, i) => [r.id, toks[i]!]));
  const wantText = bm25Oracle(tokens, toks[N]!, LIMIT);

  for (const [name, o] of [['embedded', emb], ['grpc', grpc], ['rest', rest]] as const) {
    assert.equal(o.text.length, LIMIT, `${name}: text hits`);
    same(`${name} text search`, o.text, wantText);
    same(`${name} text search page`, o.textPage, o.text.slice(3, 7));
    same(`${name} hybrid rrf`, o.rrf, rrf([o.denseSub, o.textSub], LIMIT));
    same(`${name} text search + decay`, o.decayedText, decayed([o.text], LIMIT));
    same(`${name} hybrid + decay`, o.decayedHybrid, decayed([o.denseSub, o.textSub], LIMIT));
    // the decay changes the order (the case would prove nothing otherwise)
    assert.notDeepEqual(o.decayedText.map((h) => h.id), o.text.map((h) => h.id), `${name}: decay left the order unchanged`);
  }
  for (const [name, o] of [['grpc', grpc], ['rest', rest]] as const) {
    for (const k of Object.keys(emb) as (keyof Outcome)[]) {
      assert.deepEqual(o[k].map((h) => h.id), emb[k].map((h) => h.id), `${name} ${k}: ids`);
      o[k].forEach((h, j) => assert.ok(Math.abs(h.score - emb[k][j]!.score) < 1e-5, `${name} ${k} rank ${j}: ${h.score} vs ${emb[k][j]!.score}`));
    }
  }
  await sdk.closeConnection();
  await embClient.close();
});
