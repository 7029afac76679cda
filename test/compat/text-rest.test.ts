/**
 * Sparse vectors and full-text search through the RESTful v2 API (the official SDK's HttpClient),
 * step by step next to the embedded MilvusClient doing the same; results must agree.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HttpClient } from '@zilliz/milvus2-sdk-node';
import { Engine } from '../../src/engine/engine.js';
import { MilvusClient, DataType } from '../../src/index.js';
import { startRestServer, type RestServer } from '../../src/server/rest/index.js';

let dir: string;
let engine: Engine;
let server: RestServer;
let http: HttpClient;
let emb: MilvusClient;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'elanus-text-rest-'));
  engine = await Engine.open({ dataDir: dir });
  server = await startRestServer(engine, { host: '127.0.0.1', port: 0 });
  http = new HttpClient({ endpoint: `http://127.0.0.1:${server.port}` });
  emb = new MilvusClient({ address: ':memory:' });
});

after(async () => {
  await server?.close();
  await engine?.close();
  await emb?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

type Res = { code: number; message?: string; data?: unknown };
type Hits = Record<string, unknown>[];
const ok = (r: Res, what: string): void => assert.equal(r.code, 0, `${what}: ${r.message ?? ''}`);
const okE = (st: { code: number; reason: string }, what: string): void => assert.equal(st.code, 0, `${what}: ${st.reason}`);
const ids = (h: Hits): unknown[] => h.map((x) => String(x['id']));

/** JSON-expressible encodings: dict, COO, CSR and [index, value] pairs. */
function sparseOf(i: number): unknown {
  const ix = [i % 13, 20 + (i % 6), 30 + ((i * 5) % 9)].sort((a, b) => a - b);
  const vals = ix.map((x, j) => ((i + x + j) % 7) / 4 + 0.25);
  switch (i % 4) {
    case 0:
      return Object.fromEntries(ix.map((x, j) => [String(x), vals[j]]));
    case 1:
      return ix.map((x, j) => ({ index: x, value: vals[j] }));
    case 2:
      return { indices: ix, values: vals };
    default:
      return ix.map((x, j) => [x, vals[j]]);
  }
}

const rows = Array.from({ length: 120 }, (_, i) => ({ id: i, cat: i % 3, sv: sparseOf(i), v: [Math.sin(i), Math.cos(i)] }));

test('sparse vectors over REST: schema, insert in every JSON encoding, index, search (filtered, range, drop ratio), query, hybrid, refusals — same as embedded', async () => {
  ok(
    (await http.createCollection({
      collectionName: 'sp',
      schema: {
        autoID: false,
        enabledDynamicField: false,
        fields: [
          { fieldName: 'id', dataType: 'Int64', isPrimary: true },
          { fieldName: 'cat', dataType: 'Int64' },
          { fieldName: 'sv', dataType: 'SparseFloatVector' },
          { fieldName: 'v', dataType: 'FloatVector', elementTypeParams: { dim: 2 } },
        ],
      },
    } as Parameters<HttpClient['createCollection']>[0])) as Res,
    'create',
  );
  okE(
    await emb.createCollection({
      collection_name: 'sp',
      fields: [
        { name: 'id', data_type: DataType.Int64, is_primary_key: true },
        { name: 'cat', data_type: DataType.Int64 },
        { name: 'sv', data_type: DataType.SparseFloatVector },
        { name: 'v', data_type: DataType.FloatVector, dim: 2 },
      ],
    }),
    'create (embedded)',
  );
  ok((await http.insert({ collectionName: 'sp', data: rows })) as Res, 'insert');
  okE((await emb.insert({ collection_name: 'sp', data: rows })).status, 'insert (embedded)');

  const badMetric = (await http.createIndex({ collectionName: 'sp', indexParams: [{ fieldName: 'sv', indexName: 'sv', metricType: 'L2', params: { index_type: 'SPARSE_INVERTED_INDEX' } }] })) as Res;
  const eBad = await emb.createIndex({ collection_name: 'sp', field_name: 'sv', index_type: 'SPARSE_INVERTED_INDEX', metric_type: 'L2' });
  assert.equal(badMetric.code, 1100);
  assert.equal(eBad.code, 1100);
  assert.equal(badMetric.message, eBad.reason);

  ok(
    (await http.createIndex({
      collectionName: 'sp',
      indexParams: [
        { fieldName: 'sv', indexName: 'sv', metricType: 'IP', params: { index_type: 'SPARSE_INVERTED_INDEX', inverted_index_algo: 'DAAT_WAND' } },
        { fieldName: 'v', indexName: 'v', metricType: 'L2', params: { index_type: 'FLAT' } },
      ],
    } as unknown as Parameters<HttpClient['createIndex']>[0])) as Res,
    'index',
  );
  okE(await emb.createIndex({ collection_name: 'sp', field_name: 'sv', index_name: 'sv', index_type: 'SPARSE_INVERTED_INDEX', metric_type: 'IP', params: { inverted_index_algo: 'DAAT_WAND' } }), 'index sv (embedded)');
  okE(await emb.createIndex({ collection_name: 'sp', field_name: 'v', index_name: 'v', index_type: 'FLAT', metric_type: 'L2' }), 'index v (embedded)');
  ok((await http.loadCollection({ collectionName: 'sp' })) as Res, 'load');
  okE(await emb.loadCollection({ collection_name: 'sp' }), 'load (embedded)');

  const q = { '3': 1, '22': 0.5, '33': 0.25 };
  const cases: [string, Record<string, unknown>][] = [
    ['plain', {}],
    ['filtered', { filter: 'cat == 1' }],
    ['drop ratio', { searchParams: { params: { drop_ratio_search: 0.34 } }, eParams: { drop_ratio_search: 0.34 } }],
    ['range', { searchParams: { params: { radius: 0.5, range_filter: 1.5 } }, eParams: { radius: 0.5, range_filter: 1.5 } }],
  ];
  for (const [label, o] of cases) {
    const r = (await http.search({ collectionName: 'sp', annsField: 'sv', data: [q], limit: 6, outputFields: ['id', 'cat'], ...(o.filter ? { filter: o.filter } : {}), ...(o.searchParams ? { searchParams: o.searchParams } : {}) } as unknown as Parameters<HttpClient['search']>[0])) as Res & { data: Hits };
    ok(r, `search ${label}`);
    const e = await emb.search({ collection_name: 'sp', anns_field: 'sv', data: q, limit: 6, output_fields: ['id', 'cat'], filter: o.filter as string | undefined, params: o.eParams as Record<string, unknown> | undefined });
    okE(e.status, `search ${label} (embedded)`);
    assert.ok(r.data.length > 0, `search ${label} finds rows`);
    assert.deepEqual(ids(r.data), ids(e.results as Hits), `search ${label}`);
    r.data.forEach((h, i) => assert.ok(Math.abs((h['distance'] as number) - ((e.results as Hits)[i]!['score'] as number)) < 1e-5));
  }
  const badDrop = (await http.search({ collectionName: 'sp', annsField: 'sv', data: [q], limit: 3, searchParams: { params: { drop_ratio_search: 3 } } } as unknown as Parameters<HttpClient['search']>[0])) as Res;
  const eBadDrop = await emb.search({ collection_name: 'sp', anns_field: 'sv', data: q, limit: 3, params: { drop_ratio_search: 3 } });
  assert.equal(badDrop.code, 1100);
  assert.equal(badDrop.message, eBadDrop.status.reason);

  const qr = (await http.query({ collectionName: 'sp', filter: 'id in [0, 1, 2, 3]', outputFields: ['id', 'sv'] })) as Res & { data: Hits };
  ok(qr, 'query');
  const eq = await emb.query({ collection_name: 'sp', filter: 'id in [0, 1, 2, 3]', output_fields: ['id', 'sv'] });
  assert.deepEqual(qr.data.map((r) => [String(r['id']), r['sv']]), eq.data.map((r) => [String(r['id']), r['sv']]));
  assert.equal(Object.keys(qr.data[3]!['sv'] as object).length, 3, 'the [index, value] pairs row reads back as a dict');

  const hy = (await http.hybridSearch({
    collectionName: 'sp',
    search: [
      { data: [[0.5, 0.5]], annsField: 'v', limit: 10 },
      { data: [q], annsField: 'sv', limit: 10 },
    ],
    rerank: { strategy: 'rrf', params: { k: 60 } },
    limit: 5,
    outputFields: ['id'],
  } as unknown as Parameters<HttpClient['hybridSearch']>[0])) as Res & { data: Hits };
  ok(hy, 'hybrid');
  const eHy = await emb.hybridSearch({
    collection_name: 'sp',
    data: [
      { data: [0.5, 0.5], anns_field: 'v', limit: 10 },
      { data: q, anns_field: 'sv', limit: 10 },
    ],
    rerank: { strategy: 'rrf', params: { k: 60 } },
    limit: 5,
    output_fields: ['id'],
  });
  assert.deepEqual(ids(hy.data), ids(eHy.results as Hits));
});

test('full-text search over REST: BM25 function in the schema, insert text, search text, hybrid dense + BM25, refusals — same as embedded', async () => {
  const texts = ['Milvus is a vector database built for scale', 'BM25 ranks documents by term frequency', 'Full text search finds documents with the query terms', 'Hybrid search mixes dense vectors and keyword retrieval', 'The quick brown fox'];
  const rows = texts.map((text, id) => ({ id, text, dense: [Math.sin(id), Math.cos(id)] }));
  const restFields = [
    { fieldName: 'id', dataType: 'Int64', isPrimary: true },
    { fieldName: 'text', dataType: 'VarChar', elementTypeParams: { max_length: 256, enable_analyzer: true, analyzer_params: { type: 'english' } } },
    { fieldName: 'sparse', dataType: 'SparseFloatVector' },
    { fieldName: 'dense', dataType: 'FloatVector', elementTypeParams: { dim: 2 } },
  ];
  const create = (name: string, fn: Record<string, unknown>) =>
    http.createCollection({ collectionName: name, schema: { autoID: false, enabledDynamicField: false, fields: restFields, functions: [fn] } } as unknown as Parameters<HttpClient['createCollection']>[0]) as Promise<Res>;
  const embFields = [
    { name: 'id', data_type: DataType.Int64, is_primary_key: true },
    { name: 'text', data_type: DataType.VarChar, max_length: 256, enable_analyzer: true, analyzer_params: { type: 'english' } },
    { name: 'sparse', data_type: DataType.SparseFloatVector },
    { name: 'dense', data_type: DataType.FloatVector, dim: 2 },
  ];
  const refused = await create('fts_emb', { name: 'emb', type: 'TextEmbedding', inputFieldNames: ['text'], outputFieldNames: ['dense'], params: { provider: 'openai' } });
  // A failed createCollection throws its status, as the SDK's does.
  const eRefused = await emb
    .createCollection({ collection_name: 'fts_emb', fields: embFields, functions: [{ name: 'emb', type: 2, input_field_names: ['text'], output_field_names: ['dense'], params: { provider: 'openai' } }] } as never)
    .then(
      () => assert.fail('embedded createCollection accepted a TextEmbedding function'),
      (err: { code: number; reason: string }) => err,
    );
  assert.equal(eRefused.code, 1100);
  assert.equal(refused.code, 1100);
  assert.equal(refused.message, eRefused.reason);
  assert.match(refused.message ?? '', /TextEmbedding is not supported/);

  ok(await create('fts', { name: 'bm25', type: 'BM25', inputFieldNames: ['text'], outputFieldNames: ['sparse'], params: {} }), 'create');
  okE(await emb.createCollection({ collection_name: 'fts', fields: embFields, functions: [{ name: 'bm25', type: 'BM25', input_field_names: ['text'], output_field_names: ['sparse'], params: {} }] } as never), 'create (embedded)');
  const desc = (await http.describeCollection({ collectionName: 'fts' })) as Res & { data: { functions: Record<string, unknown>[]; fields: Record<string, unknown>[] } };
  ok(desc, 'describe');
  assert.deepEqual(desc.data.functions.map((f) => [f['name'], f['type'], f['inputFieldNames'], f['outputFieldNames']]), [['bm25', 'BM25', ['text'], ['sparse']]]);
  assert.deepEqual(desc.data.fields.filter((f) => f['isFunctionOutput'] === true).map((f) => f['name']), ['sparse']);

  ok((await http.insert({ collectionName: 'fts', data: rows })) as Res, 'insert');
  okE((await emb.insert({ collection_name: 'fts', data: rows })).status, 'insert (embedded)');
  const supplied = (await http.insert({ collectionName: 'fts', data: [{ id: 9, text: 'x', sparse: { '1': 1 }, dense: [0, 1] }] })) as Res;
  const eSupplied = await emb.insert({ collection_name: 'fts', data: [{ id: 9, text: 'x', sparse: { 1: 1 }, dense: [0, 1] }] });
  assert.equal(supplied.code, 1100);
  assert.equal(supplied.message, eSupplied.status.reason);
  assert.match(supplied.message ?? '', /output of a BM25 function/);

  ok((await http.createIndex({ collectionName: 'fts', indexParams: [{ fieldName: 'sparse', indexName: 'sparse', metricType: 'BM25', params: { index_type: 'SPARSE_INVERTED_INDEX' } }, { fieldName: 'dense', indexName: 'dense', metricType: 'L2', params: { index_type: 'FLAT' } }] } as unknown as Parameters<HttpClient['createIndex']>[0])) as Res, 'index');
  okE(await emb.createIndex({ collection_name: 'fts', field_name: 'sparse', index_name: 'sparse', index_type: 'SPARSE_INVERTED_INDEX', metric_type: 'BM25' }), 'index sparse (embedded)');
  okE(await emb.createIndex({ collection_name: 'fts', field_name: 'dense', index_name: 'dense', index_type: 'FLAT', metric_type: 'L2' }), 'index dense (embedded)');
  ok((await http.loadCollection({ collectionName: 'fts' })) as Res, 'load');
  okE(await emb.loadCollection({ collection_name: 'fts' }), 'load (embedded)');

  const s = (await http.search({ collectionName: 'fts', annsField: 'sparse', data: ['search documents'], limit: 3, outputFields: ['id', 'text'] } as unknown as Parameters<HttpClient['search']>[0])) as Res & { data: Hits };
  ok(s, 'search text');
  const e = await emb.search({ collection_name: 'fts', anns_field: 'sparse', data: 'search documents', limit: 3, output_fields: ['id', 'text'] });
  assert.ok(s.data.length > 0);
  assert.deepEqual(ids(s.data), ids(e.results as Hits));
  s.data.forEach((h, i) => assert.ok(Math.abs((h['distance'] as number) - ((e.results as Hits)[i]!['score'] as number)) < 1e-5));

  const hy = (await http.hybridSearch({ collectionName: 'fts', search: [{ data: [[0.5, 0.5]], annsField: 'dense', limit: 5 }, { data: ['keyword retrieval'], annsField: 'sparse', limit: 5 }], rerank: { strategy: 'rrf', params: { k: 60 } }, limit: 3, outputFields: ['id'] } as unknown as Parameters<HttpClient['hybridSearch']>[0])) as Res & { data: Hits };
  ok(hy, 'hybrid');
  const eHy = await emb.hybridSearch({ collection_name: 'fts', data: [{ data: [0.5, 0.5], anns_field: 'dense', limit: 5 }, { data: 'keyword retrieval', anns_field: 'sparse', limit: 5 }], rerank: { strategy: 'rrf', params: { k: 60 } }, limit: 3, output_fields: ['id'] });
  assert.deepEqual(ids(hy.data), ids(eHy.results as Hits));
});
