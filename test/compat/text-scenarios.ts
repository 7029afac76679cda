/**
 * Compatibility scenarios for sparse vectors and full-text search (issue 12), run like the ones in
 * scenarios.ts through the embedded client and the official SDK over gRPC; the REST side is in
 * text-rest.test.ts.
 */
import { DataType } from '../../src/core/data-type.js';
import { call, hits, indexes, rows, status, type Res, type Scenario } from './scenarios.js';

/** A sparse row in each SDK encoding in turn: dict, COO, CSR, dense array. */
function sparseOf(i: number): unknown {
  const ix = [i % 17, 20 + (i % 5), 40 + ((i * 7) % 11)].sort((a, b) => a - b);
  const vals = ix.map((x, j) => ((i + x + j) % 9) / 8 + 0.125);
  switch (i % 4) {
    case 0:
      return Object.fromEntries(ix.map((x, j) => [x, vals[j]]));
    case 1:
      return ix.map((x, j) => ({ index: x, value: vals[j] }));
    case 2:
      return { indices: ix, values: vals };
    default: {
      const dense: number[] = [];
      ix.forEach((x, j) => (dense[x] = vals[j]!));
      for (let k = 0; k < dense.length; k++) dense[k] ??= Number.NaN; // the SDK skips NaN positions
      return dense;
    }
  }
}

const sparseRows = (from: number, to: number): Res[] =>
  Array.from({ length: to - from }, (_, j) => {
    const i = from + j;
    return { id: i, sv: sparseOf(i), vec: [Math.sin(i), Math.cos(i), (i % 7) / 7, 1], cat: i % 4 };
  });

export const textScenarios: Scenario[] = [
  {
    name: 'sparse vectors',
    async run(c, rec) {
      const name = 'sparse_c';
      rec(
        'create',
        status(
          await call(c, 'createCollection', {
            collection_name: name,
            fields: [
              { name: 'id', data_type: DataType.Int64, is_primary_key: true },
              { name: 'sv', data_type: DataType.SparseFloatVector },
              { name: 'vec', data_type: DataType.FloatVector, dim: 4 },
              { name: 'cat', data_type: DataType.Int32 },
            ],
          }),
        ),
      );
      rec('insert', status(((await call(c, 'insert', { collection_name: name, data: sparseRows(0, 160) })) as Res)['status'] as Res));
      rec('bad metric', status(await call(c, 'createIndex', { collection_name: name, field_name: 'sv', index_type: 'SPARSE_INVERTED_INDEX', metric_type: 'L2' })));
      rec('bad algo', status(await call(c, 'createIndex', { collection_name: name, field_name: 'sv', index_type: 'SPARSE_INVERTED_INDEX', metric_type: 'IP', params: { inverted_index_algo: 'FAST' } })));
      rec('index sv', status(await call(c, 'createIndex', { collection_name: name, field_name: 'sv', index_type: 'SPARSE_INVERTED_INDEX', metric_type: 'IP', params: { inverted_index_algo: 'DAAT_MAXSCORE' } })));
      rec('index vec', status(await call(c, 'createIndex', { collection_name: name, field_name: 'vec', index_type: 'FLAT', metric_type: 'L2' })));
      rec('load', status(await call(c, 'loadCollection', { collection_name: name })));
      const q = { 3: 0.5, 21: 1, 44: 0.25 };
      rec('search growing', hits(await call(c, 'search', { collection_name: name, anns_field: 'sv', data: q, limit: 5, output_fields: ['id'] })));
      rec('flush', status(await call(c, 'flush', { collection_names: [name] })));
      rec('insert more', status(((await call(c, 'insert', { collection_name: name, data: sparseRows(160, 200) })) as Res)['status'] as Res));
      rec('search', hits(await call(c, 'search', { collection_name: name, anns_field: 'sv', data: q, limit: 6, output_fields: ['id', 'sv'] })));
      rec('search nq 2', hits(await call(c, 'search', { collection_name: name, anns_field: 'sv', data: [q, [{ index: 5, value: 1 }]], limit: 3, output_fields: ['id'] })));
      rec('filtered', hits(await call(c, 'search', { collection_name: name, anns_field: 'sv', data: q, limit: 5, filter: 'cat == 2', output_fields: ['id', 'cat'] })));
      rec('drop ratio', hits(await call(c, 'search', { collection_name: name, anns_field: 'sv', data: q, limit: 5, params: { drop_ratio_search: 0.4 }, output_fields: ['id'] })));
      rec('range', hits(await call(c, 'search', { collection_name: name, anns_field: 'sv', data: q, limit: 8, params: { radius: 0.5, range_filter: 1.0 }, output_fields: ['id'] })));
      rec('bad drop ratio', hits(await call(c, 'search', { collection_name: name, anns_field: 'sv', data: q, limit: 5, params: { drop_ratio_search: 2 } })));
      rec('delete', status(((await call(c, 'delete', { collection_name: name, filter: 'id in [21, 41, 181]' })) as Res)['status'] as Res));
      rec('search after delete', hits(await call(c, 'search', { collection_name: name, anns_field: 'sv', data: q, limit: 6, output_fields: ['id'] })));
      rec('query sparse out', rows(await call(c, 'query', { collection_name: name, filter: 'id in [0, 1, 2, 3]', output_fields: ['id', 'sv'] })));
      rec(
        'hybrid dense + sparse',
        hits(
          await call(c, 'hybridSearch', {
            collection_name: name,
            data: [
              { data: [0.5, 0.5, 0.5, 1], anns_field: 'vec' },
              { data: q, anns_field: 'sv', params: { drop_ratio_search: 0 } },
            ],
            rerank: { strategy: 'rrf', params: { k: 60 } },
            limit: 5,
            output_fields: ['id'],
          }),
        ),
      );
      const described = indexes(await call(c, 'describeIndex', { collection_name: name, field_name: 'sv' })) as Res[];
      rec('describe index', described.map((d) => ({ field_name: d['field_name'], params: d['params'] }))); // build progress is timing-dependent
      const dup = (await call(c, 'insert', { collection_name: name, data: [{ id: 999, sv: [{ index: 4, value: 1 }, { index: 4, value: 2 }], vec: [0, 0, 0, 1], cat: 0 }] })) as Res;
      rec('duplicate sparse index', status((dup['status'] as Res | undefined) ?? dup));
      await call(c, 'releaseCollection', { collection_name: name });
      await call(c, 'dropCollection', { collection_name: name });
    },
  },
  {
    name: 'run analyzer',
    async run(c, rec) {
      const tokens = (r: Res): unknown => ({
        status: status(r),
        results: ((r['results'] ?? []) as Res[]).map((x) => ((x['tokens'] ?? []) as Res[]).map((t) => [t['token'], ...['start_offset', 'end_offset', 'position', 'hash'].filter((k) => t[k] !== undefined && t[k] !== null && t[k] !== '0' && t[k] !== 0).map((k) => Number(t[k]))])),
      });
      rec('standard', tokens(await call(c, 'runAnalyzer', { text: 'The Milvus vector database is built for scale!', analyzer_params: { type: 'standard' } })));
      rec('english, two texts, detail', tokens(await call(c, 'runAnalyzer', { text: ['Running vectors', 'Café Möller'], analyzer_params: { type: 'english' }, with_detail: true })));
      rec('hash', tokens(await call(c, 'runAnalyzer', { text: 'hello world', analyzer_params: { tokenizer: 'whitespace' }, with_hash: true })));
      rec('custom', tokens(await call(c, 'runAnalyzer', { text: 'Café Möller dampfschifffahrt', analyzer_params: { tokenizer: 'standard', filter: ['lowercase', 'asciifolding', { type: 'decompounder', word_list: ['dampf', 'schiff', 'fahrt'] }] } })));
      rec('chinese', tokens(await call(c, 'runAnalyzer', { text: '你好!世界。', analyzer_params: { type: 'chinese' } })));
      rec('default analyzer', tokens(await call(c, 'runAnalyzer', { text: 'Hello World' })));
      rec('bad filter', tokens(await call(c, 'runAnalyzer', { text: 'x', analyzer_params: { tokenizer: 'standard', filter: ['uppercase'] } })));
      rec('bad tokenizer', tokens(await call(c, 'runAnalyzer', { text: 'x', analyzer_params: { tokenizer: 'icu' } })));
    },
  },
  {
    name: 'full-text search (BM25 function)',
    async run(c, rec) {
      const name = 'fts';
      const texts = [
        'Milvus is a vector database built for scale',
        'BM25 ranks documents by term frequency and inverse document frequency',
        'Full text search finds documents that contain the query terms',
        'Hybrid search combines dense vectors with sparse keyword retrieval',
        'The quick brown fox jumps over the lazy dog',
        'Vector search and keyword search complement each other in retrieval',
      ];
      const fields = [
        { name: 'id', data_type: DataType.Int64, is_primary_key: true },
        { name: 'text', data_type: DataType.VarChar, max_length: 512, enable_analyzer: true, analyzer_params: { type: 'english' } },
        { name: 'sparse', data_type: DataType.SparseFloatVector },
        { name: 'dense', data_type: DataType.FloatVector, dim: 4 },
      ];
      const bm25 = { name: 'text_bm25', type: 1, input_field_names: ['text'], output_field_names: ['sparse'], params: {} };
      rec('embedding function refused', status(await call(c, 'createCollection', { collection_name: 'fts_emb', fields, functions: [{ name: 'emb', type: 2, input_field_names: ['text'], output_field_names: ['dense'], params: { provider: 'openai', model_name: 'text-embedding-3-small' } }] })));
      rec('bm25 on a plain VarChar refused', status(await call(c, 'createCollection', { collection_name: 'fts_bad', fields: fields.map((f) => (f.name === 'text' ? { name: 'text', data_type: DataType.VarChar, max_length: 512 } : f)), functions: [bm25] })));
      rec('create', status(await call(c, 'createCollection', { collection_name: name, fields, functions: [bm25] })));
      const d = (await call(c, 'describeCollection', { collection_name: name })) as Res;
      const schema = (d['schema'] ?? {}) as Res;
      rec('describe', {
        functions: ((schema['functions'] ?? []) as Res[]).map((f) => [f['name'], f['input_field_names'], f['output_field_names']]),
        outputs: ((schema['fields'] ?? []) as Res[]).filter((f) => f['is_function_output'] === true).map((f) => f['name']),
      });
      const rows = texts.map((text, id) => ({ id, text, dense: [Math.sin(id), Math.cos(id), id / 6, 1] }));
      rec('insert', status(((await call(c, 'insert', { collection_name: name, data: rows })) as Res)['status'] as Res));
      // (Supplying the output field is refused by the SDK itself before it sends; the embedded and REST refusal is in text-rest.test.ts.)
      rec('ip metric on bm25 output refused', status(await call(c, 'createIndex', { collection_name: name, field_name: 'sparse', index_type: 'SPARSE_INVERTED_INDEX', metric_type: 'IP' })));
      rec('index sparse', status(await call(c, 'createIndex', { collection_name: name, field_name: 'sparse', index_type: 'SPARSE_INVERTED_INDEX', metric_type: 'BM25', params: { inverted_index_algo: 'DAAT_MAXSCORE', bm25_k1: 1.2, bm25_b: 0.75 } })));
      rec('index dense', status(await call(c, 'createIndex', { collection_name: name, field_name: 'dense', index_type: 'FLAT', metric_type: 'L2' })));
      rec('load', status(await call(c, 'loadCollection', { collection_name: name })));
      rec('search text', hits(await call(c, 'search', { collection_name: name, anns_field: 'sparse', data: 'keyword search documents', limit: 4, output_fields: ['id', 'text'] })));
      rec('search two texts', hits(await call(c, 'search', { collection_name: name, anns_field: 'sparse', data: ['vector database', 'lazy dog'], limit: 2, output_fields: ['id'] })));
      rec('search filtered', hits(await call(c, 'search', { collection_name: name, anns_field: 'sparse', data: 'search', limit: 3, filter: 'id > 2', output_fields: ['id'] })));
      rec('delete', status(((await call(c, 'delete', { collection_name: name, filter: 'id in [3]' })) as Res)['status'] as Res));
      rec('search after delete', hits(await call(c, 'search', { collection_name: name, anns_field: 'sparse', data: 'keyword search documents', limit: 4, output_fields: ['id'] })));
      rec(
        'hybrid dense + bm25 (rrf)',
        hits(
          await call(c, 'hybridSearch', {
            collection_name: name,
            data: [
              { data: [0.5, 0.5, 0.5, 1], anns_field: 'dense' },
              { data: 'vector retrieval', anns_field: 'sparse' },
            ],
            rerank: { strategy: 'rrf', params: { k: 60 } },
            limit: 4,
            output_fields: ['id'],
          }),
        ),
      );
      await call(c, 'releaseCollection', { collection_name: name });
      await call(c, 'dropCollection', { collection_name: name });
    },
  },
];
