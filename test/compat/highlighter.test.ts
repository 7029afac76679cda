/**
 * The lexical highlighter (Milvus 2.6.8, milvus.io/docs/text-highlighter.md) through all three
 * transports: the embedded `MilvusClient`, the official SDK over gRPC to a real `elanus serve` (the
 * SDK sends `highlighter {type, params}` and reads `highlight_results`), and the SDK's `HttpClient`
 * over REST. The collection and the documents are the ones of Milvus's own examples, and so are the
 * expected fragments: search-text highlighting, TextMatch query terms, fragment_offset/size, two
 * queries at once, custom tags — plus tag rotation, several fragments, num_of_fragments 0, growing
 * rows, and the refusals (a query on a missing field, bad fragment_size, an unknown query type; a
 * hybrid search's highlighter is refused over REST, while the SDK's HybridSearchRequest has no field
 * for it, so over gRPC and in the embedded client it is dropped, as it is on its way to Milvus).
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

const DOCS = [
  'my first test doc',
  'my second test doc',
  'my first test doc. Milvus is an open-source vector database built for GenAI applications.',
  'my second test doc. Milvus is an open-source vector database that suits AI applications of every size from running a demo chatbot to building web-scale search.',
];
/** Written after the flush: highlighting reads growing rows too. */
const LATE = 'Vector search test: a test of search, then more search.';

type Hl = Record<string, unknown>;
interface Case {
  label: string;
  data: string | string[];
  limit: number;
  hl: Hl;
  filter?: string;
  /** Expected fragments by document text, per query. */
  want: Record<string, string[]>[];
}
const braces = { pre_tags: ['{'], post_tags: ['}'] };
const cases: Case[] = [
  {
    label: 'search text (docs example 1)',
    data: 'test',
    limit: 10,
    hl: { ...braces, highlight_search_text: true },
    want: [
      {
        [DOCS[0]!]: ['{test} doc'],
        [DOCS[1]!]: ['{test} doc'],
        [DOCS[2]!]: ['{test} doc. Milvus is an open-source vector database built for GenAI applications.'],
        [DOCS[3]!]: ['{test} doc. Milvus is an open-source vector database that suits AI applications of every size from run'],
        [LATE]: ['{test}: a {test} of search, then more search.'],
      },
    ],
  },
  {
    label: 'text match query terms (docs example 2)',
    data: 'test',
    limit: 10,
    hl: { ...braces, highlight_search_text: true, highlight_query: [{ type: 'TextMatch', field: 'text', text: 'my doc' }] },
    filter: 'TEXT_MATCH(text, "my doc")',
    want: [
      {
        [DOCS[0]!]: ['{my} first {test} {doc}'],
        [DOCS[1]!]: ['{my} second {test} {doc}'],
        [DOCS[2]!]: ['{my} first {test} {doc}. Milvus is an open-source vector database built for GenAI applications.'],
        [DOCS[3]!]: ['{my} second {test} {doc}. Milvus is an open-source vector database that suits AI applications of every siz'],
      },
    ],
  },
  {
    label: 'fragment_offset and fragment_size (docs example 3)',
    data: 'Milvus',
    limit: 10,
    hl: { ...braces, highlight_search_text: true, fragment_offset: 20, fragment_size: 60 },
    want: [{ [DOCS[2]!]: ['my first test doc. {Milvus} is an open-source vector database '], [DOCS[3]!]: ['my second test doc. {Milvus} is an open-source vector database'] }],
  },
  {
    label: 'two queries (docs example 4)',
    data: ['doc', 'Milvus'],
    limit: 2,
    hl: { ...braces, highlight_search_text: true },
    want: [
      { [DOCS[0]!]: ['{doc}'], [DOCS[1]!]: ['{doc}'] },
      { [DOCS[2]!]: ['{Milvus} is an open-source vector database built for GenAI applications.'], [DOCS[3]!]: ['{Milvus} is an open-source vector database that suits AI applications of every size from running a dem'] },
    ],
  },
  {
    label: 'html tags (docs example 5), default fragment settings',
    data: 'chatbot',
    limit: 10,
    hl: { pre_tags: ['<mark>'], post_tags: ['</mark>'], highlight_search_text: true },
    want: [{ [DOCS[3]!]: ['<mark>chatbot</mark> to building web-scale search.'] }],
  },
  {
    label: 'default tags, tag rotation within a fragment',
    data: 'search',
    limit: 10,
    hl: { highlight_search_text: true, pre_tags: ['<a>', '<b>'], post_tags: ['</a>', '</b>'] },
    want: [{ [DOCS[3]!]: ['<a>search</a>.'], [LATE]: ['<a>search</a> test: a test of <b>search</b>, then more <a>search</a>.'] }],
  },
  {
    label: 'several fragments, then num_of_fragments caps them',
    data: 'search',
    limit: 10,
    hl: { highlight_search_text: true, fragment_size: 12, num_of_fragments: 2 },
    want: [{ [DOCS[3]!]: ['<em>search</em>.'], [LATE]: ['<em>search</em> test:', '<em>search</em>, then'] }],
  },
  {
    label: 'num_of_fragments 0: the whole text',
    data: 'vector',
    limit: 10,
    hl: { ...braces, highlight_search_text: true, num_of_fragments: 0 },
    want: [{ [DOCS[2]!]: [DOCS[2]!.replace('vector', '{vector}')], [DOCS[3]!]: [DOCS[3]!.replace('vector', '{vector}')], [LATE]: ['{Vector} search test: a test of search, then more search.'] }],
  },
];
const bad: [string, Hl][] = [
  ['query on a missing field', { highlight_search_text: true, highlight_query: [{ type: 'TextMatch', field: 'nope', text: 'x' }] }],
  ['fragment_size 0', { highlight_search_text: true, fragment_size: 0 }],
  ['unknown query type', { highlight_query: [{ type: 'Fuzzy', field: 'text', text: 'x' }] }],
];

interface Outcome {
  /** Per case, per query: text → fragments. */
  got: Record<string, string[]>[][];
  plainKeys: string[];
  errors: Record<string, string>;
}

const fields = [
  { name: 'id', data_type: DataType.Int64, is_primary_key: true },
  { name: 'text', data_type: DataType.VarChar, max_length: 2000, enable_analyzer: true, enable_match: true },
  { name: 'sparse', data_type: DataType.SparseFloatVector },
  { name: 'dense', data_type: DataType.FloatVector, dim: 2 },
];
const rows = [...DOCS, LATE].map((text, id) => ({ id, text, dense: [Math.cos(id), Math.sin(id)] }));

const byText = (hits: Res[]): Record<string, string[]> => {
  const out: Record<string, string[]> = {};
  for (const h of hits) {
    const hl = h['highlight'] as Record<string, { fragments: string[] }> | undefined;
    assert.ok(hl?.['text'], `hit ${String(h['id'])} has no highlight: ${JSON.stringify(h)}`);
    if (hl['text'].fragments.length > 0) out[String(h['text'])] = hl['text'].fragments;
  }
  return out;
};

async function sdkRun(c: AnyClient, name: string): Promise<Outcome> {
  const st = await call(c, 'createCollection', { collection_name: name, fields, functions: [{ name: 'bm25', type: 1, input_field_names: ['text'], output_field_names: ['sparse'], params: {} }] });
  assert.equal(st['code'] ?? st['error_code'], 0, JSON.stringify(st));
  await call(c, 'createIndex', { collection_name: name, field_name: 'sparse', index_type: 'SPARSE_INVERTED_INDEX', metric_type: 'BM25' });
  await call(c, 'createIndex', { collection_name: name, field_name: 'dense', index_type: 'FLAT', metric_type: 'L2' });
  await call(c, 'insert', { collection_name: name, data: rows.slice(0, DOCS.length) });
  await call(c, 'flush', { collection_names: [name] });
  await call(c, 'insert', { collection_name: name, data: rows.slice(DOCS.length) });
  await call(c, 'loadCollection', { collection_name: name });
  const search = (k: { data: string | string[]; limit: number; filter?: string }, hl: Hl, output = ['text']) =>
    call(c, 'search', { collection_name: name, anns_field: 'sparse', data: k.data, limit: k.limit, output_fields: output, consistency_level: 'Strong', ...(k.filter ? { filter: k.filter } : {}), highlighter: { type: 0, ...hl } });
  const got: Record<string, string[]>[][] = [];
  for (const k of cases) {
    const r = await search(k, k.hl);
    assert.ok(Array.isArray(r['results']), `${k.label}: ${JSON.stringify(r['status'] ?? r)}`);
    const perQuery = Array.isArray(k.data) ? (r['results'] as Res[][]) : [r['results'] as Res[]];
    got.push(perQuery.map(byText));
  }
  // the text field need not be an output field: highlight still comes back, the field does not
  const plain = await search({ data: 'test', limit: 3 }, { highlight_search_text: true }, ['id']);
  const plainKeys = [...new Set((plain['results'] as Res[]).flatMap((h) => Object.keys(h)))].sort();
  const errors: Record<string, string> = {};
  for (const [label, hl] of bad) {
    const r = await search({ data: 'test', limit: 3 }, hl);
    const s = (r['status'] ?? r) as Res;
    errors[label] = `${String(s['code'])} ${String(s['reason'] ?? '')}`;
  }
  const hy = await call(c, 'hybridSearch', {
    collection_name: name,
    data: [
      { data: 'test', anns_field: 'sparse' },
      { data: [[1, 0]], anns_field: 'dense' },
    ],
    rerank: { strategy: 'rrf', params: { k: 60 } },
    limit: 3,
    highlighter: { type: 0, highlight_search_text: true },
  });
  // HybridSearchRequest has no highlighter field: the SDK's wire drops it, and the embedded client as well
  const hs = (hy['status'] ?? hy) as Res;
  assert.equal(hs['code'], 0, JSON.stringify(hs));
  assert.ok((hy['results'] as Res[]).length > 0 && (hy['results'] as Res[]).every((h) => h['highlight'] === undefined), 'hybrid search: no highlight');
  return { got, plainKeys, errors };
}

async function restRun(h: HttpClient, name: string): Promise<Outcome> {
  const post = async (m: string, b: Record<string, unknown>): Promise<Res> => ((await (h as unknown as Record<string, (b: unknown) => Promise<Res>>)[m]!.call(h, b)) ?? {}) as Res;
  const ok = async (m: string, b: Record<string, unknown>): Promise<Res> => {
    const r = await post(m, b);
    assert.equal(r['code'], 0, `${m}: ${JSON.stringify(r)}`);
    return r;
  };
  await ok('createCollection', {
    collectionName: name,
    schema: {
      fields: [
        { fieldName: 'id', dataType: 'Int64', isPrimary: true },
        { fieldName: 'text', dataType: 'VarChar', elementTypeParams: { max_length: 2000, enable_analyzer: true, enable_match: true } },
        { fieldName: 'sparse', dataType: 'SparseFloatVector' },
        { fieldName: 'dense', dataType: 'FloatVector', elementTypeParams: { dim: 2 } },
      ],
      functions: [{ name: 'bm25', type: 'BM25', inputFieldNames: ['text'], outputFieldNames: ['sparse'], params: {} }],
    },
  });
  await ok('createIndex', {
    collectionName: name,
    indexParams: [
      { fieldName: 'sparse', indexName: 'sparse', metricType: 'BM25', params: { index_type: 'SPARSE_INVERTED_INDEX' } },
      { fieldName: 'dense', indexName: 'dense', metricType: 'L2', params: { index_type: 'FLAT' } },
    ],
  });
  await ok('insert', { collectionName: name, data: rows.slice(0, DOCS.length) });
  await ok('flushCollection', { collectionName: name });
  await ok('insert', { collectionName: name, data: rows.slice(DOCS.length) });
  await ok('loadCollection', { collectionName: name });
  // RESTful v2 carries the highlighter as {type, params}; params as an object here
  const search = (k: { data: string | string[]; limit: number; filter?: string }, hl: Hl, output = ['text']) =>
    post('search', { collectionName: name, annsField: 'sparse', data: Array.isArray(k.data) ? k.data : [k.data], limit: k.limit, outputFields: output, ...(k.filter ? { filter: k.filter } : {}), highlighter: { type: 0, params: hl } });
  const got: Record<string, string[]>[][] = [];
  for (const k of cases) {
    const r = await search(k, k.hl);
    assert.equal(r['code'], 0, `${k.label}: ${JSON.stringify(r)}`);
    // (the HttpClient splits the flat hits by topks into one list per query when nq > 1)
    const data = r['data'] as Res[] | Res[][];
    got.push(Array.isArray(data[0]) ? (data as Res[][]).map(byText) : [byText(data as Res[])]);
  }
  const plain = await search({ data: 'test', limit: 3 }, { highlight_search_text: true }, ['id']);
  const plainKeys = [...new Set((plain['data'] as Res[]).flatMap((x) => Object.keys(x)))].map((k) => (k === 'distance' ? 'score' : k)).sort();
  const errors: Record<string, string> = {};
  for (const [label, hl] of bad) {
    const r = await search({ data: 'test', limit: 3 }, hl);
    errors[label] = `${String(r['code'])} ${String(r['message'] ?? '')}`;
  }
  const hy = await post('hybridSearch', {
    collectionName: name,
    search: [
      { data: ['test'], annsField: 'sparse', limit: 3 },
      { data: [[1, 0]], annsField: 'dense', limit: 3 },
    ],
    rerank: { strategy: 'rrf', params: { k: 60 } },
    limit: 3,
    highlighter: { type: 0, params: { highlight_search_text: true } },
  });
  errors['hybrid search'] = `${String(hy['code'])} ${String(hy['message'] ?? '')}`;
  return { got, plainKeys, errors };
}

let served: ServedProcess | undefined;
let dataDir: string;
let embeddedDir: string;
before(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'elanus-hl-serve-'));
  embeddedDir = mkdtempSync(join(tmpdir(), 'elanus-hl-emb-'));
});
after(async () => {
  if (served) await served.stop();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(embeddedDir, { recursive: true, force: true });
});

test('lexical highlighter: the fragments of Milvus documented examples and more, the same over embedded, SDK gRPC and REST; refusals alike', async () => {
  const embClient = new MilvusClient(embeddedDir);
  const emb = await sdkRun(embClient as unknown as AnyClient, 'hl');
  served = await startServe([], { dataDir });
  const sdk = new SdkClient({ address: served.address });
  const grpc = await sdkRun(sdk as unknown as AnyClient, 'hl_grpc');
  const rest = await restRun(new HttpClient({ endpoint: `http://${served.restAddress!}` }), 'hl_rest');
  for (const [name, o] of [['embedded', emb], ['grpc', grpc], ['rest', rest]] as const) {
    cases.forEach((k, i) => assert.deepEqual(o.got[i], k.want, `${name} ${k.label}`));
    assert.deepEqual(o.plainKeys, ['highlight', 'id', 'score'], `${name}: highlight without the text as an output field`);
    for (const [label, e] of Object.entries(o.errors)) assert.match(e, /^1100 /, `${name} ${label}: ${e}`);
    assert.match(o.errors['query on a missing field']!, /highlight field not found in schema: nope/);
  }
  // RESTful v2 carries a hybrid search's highlighter in its body: refused there, as the engine refuses it
  assert.match(rest.errors['hybrid search']!, /^1100 .*hybrid search/);
  delete rest.errors['hybrid search'];
  assert.deepEqual(grpc.errors, emb.errors);
  assert.deepEqual(rest.errors, emb.errors);
  await sdk.closeConnection();
  await embClient.close();
});
