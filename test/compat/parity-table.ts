/**
 * The parity table: requests (valid, invalid, and asking for features Elanus does not have) each run
 * through the embedded `MilvusClient`, the official SDK over gRPC and — where REST has the call — the
 * SDK's `HttpClient` over RESTful v2. Every row must give the same code, the same message and the
 * same result (projected by `kind`) on every transport. Rows run in order on all transports before
 * the next, so mutations keep the three data directories alike.
 */
import { DataType } from '../../src/core/data-type.js';

export type Kind = 'status' | 'hits' | 'rows' | 'count' | 'names' | 'has' | 'fields' | 'mutation' | 'indexes' | 'partitions' | 'load';

export interface Row {
  name: string;
  /** SDK method and request (embedded + gRPC). */
  sdk: [string, Record<string, unknown>];
  /** HttpClient method and body; absent when REST has no such call or shape. */
  rest?: [string, Record<string, unknown>];
  kind: Kind;
  /**
   * Rows where the official SDK cannot carry the request as given, so gRPC cannot be compared:
   * `sdk-crashes` — the SDK itself throws a TypeError (it formats a search before checking that the
   * collection exists); `sdk-coerces` — the SDK turns the bad value into a valid one before sending
   * (an unknown consistency level becomes Strong, a string becomes NaN → 0 in an Int32 column).
   * The embedded client must then answer as Milvus's server does (REST, where REST has the call).
   */
  sdkLimit?: 'sdk-crashes' | 'sdk-coerces';
  /** For an `sdk-coerces` row that wrote: what takes the coerced write back on the served processes. */
  undo?: [string, Record<string, unknown>];
}

export const DIM = 4;
export const C = 'par';
export const S = 'par_str';
export const COLD = 'par_cold';
export const ALIAS = 'par_alias';
export const N = 30;

export function vec(i: number): number[] {
  return [Math.cos(i), Math.sin(i), i / N, 1 - i / (2 * N)];
}

/** The rows every transport starts from. */
export function seedRows(): Record<string, unknown>[] {
  return Array.from({ length: N }, (_, i) => ({ id: i, v: vec(i), cat: i % 3, name: `n${i}`, meta: { k: i % 2 }, ...(i % 5 === 0 ? { dyn: i * 2 } : {}) }));
}

export const mainFields = [
  { name: 'id', data_type: DataType.Int64, is_primary_key: true },
  { name: 'v', data_type: DataType.FloatVector, dim: DIM },
  { name: 'cat', data_type: DataType.Int32 },
  { name: 'name', data_type: DataType.VarChar, max_length: 32 },
  { name: 'meta', data_type: DataType.JSON },
];

const q0 = vec(3);
const q1 = vec(17);

/** snake_case request keys → the camelCase REST v2 body keys. */
function camel(req: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(req)) out[k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())] = v;
  return out;
}

const rows: Row[] = [];
function add(name: string, kind: Kind, sdk: [string, Record<string, unknown>], rest?: [string, Record<string, unknown>] | 'same', sdkLimit?: Row['sdkLimit'], undo?: Row['undo']): void {
  rows.push({ name, kind, sdk, ...(rest === 'same' ? { rest: [sdk[0], camel(sdk[1])] } : rest ? { rest } : {}), ...(sdkLimit ? { sdkLimit } : {}), ...(undo ? { undo } : {}) });
}

// ---------------------------------------------------------------- search: valid
const searchCases: [string, Record<string, unknown>, Record<string, unknown>?][] = [
  ['limit 3', { limit: 3 }],
  ['limit 1', { limit: 1 }],
  ['limit 10 output id', { limit: 10, output_fields: ['id'] }],
  ['output name,cat', { limit: 5, output_fields: ['name', 'cat'] }],
  ['output dynamic key', { limit: 5, output_fields: ['dyn'] }],
  ['output json', { limit: 4, output_fields: ['meta'] }],
  ['offset 2', { limit: 3, offset: 2 }],
  ['filter cat == 1', { limit: 5, filter: 'cat == 1' }],
  ['filter id in list', { limit: 5, filter: 'id in [1, 2, 3, 25]' }],
  ['filter range', { limit: 5, filter: 'id > 5 and id < 12' }],
  ['filter like', { limit: 5, filter: 'name like "n1%"' }],
  ['filter json path', { limit: 5, filter: 'meta["k"] == 1' }],
  ['filter dynamic', { limit: 5, filter: 'dyn >= 10' }],
  ['filter matches nothing', { limit: 5, filter: 'id < 0' }],
  ['filter not', { limit: 5, filter: 'not (cat == 0)' }],
  ['template values', { limit: 5, filter: 'cat == {c}', exprValues: { c: 2 } }, { filter: 'cat == {c}', exprParams: { c: 2 } }],
  ['anns_field named', { limit: 3, anns_field: 'v' }],
  ['metric named', { limit: 3, metric_type: 'L2' }, { searchParams: { metricType: 'L2' } }],
  ['partition p1', { limit: 5, partition_names: ['p1'] }],
  ['round_decimal 2 in params', { limit: 3, params: { round_decimal: 2 } }, { searchParams: { params: { round_decimal: 2 } } }],
  ['top-level round_decimal (the SDK does not send it)', { limit: 3, round_decimal: 2 }, {}],
  ['group by cat', { limit: 3, group_by_field: 'cat' }, { groupingField: 'cat' }],
  ['group by cat size 2', { limit: 3, group_by_field: 'cat', group_size: 2, strict_group_size: true }, { groupingField: 'cat', groupSize: 2, strictGroupSize: true }],
  ['range radius', { limit: 5, params: { radius: 2 } }, { searchParams: { params: { radius: 2 } } }],
  ['nq 2', { limit: 2, data: [q0, q1] }],
  ['by alias', { limit: 2, collection_name: ALIAS }],
];
for (const [name, extra, restExtra] of searchCases) {
  const sdkReq = { collection_name: C, data: [q0], output_fields: ['id'], ...extra };
  // The SDK cuts rounded float32 scores at the digit (0.13 arrives as 0.1299999 and shows as 0.12); REST shows 0.13.
  if (name.startsWith('round_decimal')) {
    add(`search: ${name}`, 'hits', ['search', sdkReq]);
    continue;
  }
  const { exprValues: _e, round_decimal: _r, group_by_field: _g, group_size: _gs, strict_group_size: _sg, params: _p, metric_type: _m, ...plain } = sdkReq as Record<string, unknown>;
  add(`search: ${name}`, 'hits', ['search', sdkReq], ['search', { ...camel(plain), ...(restExtra ?? {}) }]);
}
add('search: by primary keys', 'hits', ['search', { collection_name: C, ids: [4, 21], limit: 3, output_fields: ['id'] }], 'same');
add('search: by varchar primary keys', 'hits', ['search', { collection_name: S, ids: ['s2'], limit: 3, output_fields: ['sid'] }], 'same');
add('search invalid: by a missing primary key', 'hits', ['search', { collection_name: C, ids: [4, 4000], limit: 3 }], 'same');
add('search: varchar pk', 'hits', ['search', { collection_name: S, data: [q0], limit: 4, output_fields: ['sid'] }], 'same');
add('search: varchar pk filter', 'hits', ['search', { collection_name: S, data: [q0], limit: 4, filter: 'sid in ["s1", "s2"]', output_fields: ['sid'] }], 'same');

// ---------------------------------------------------------------- search: invalid
const badSearch: [string, Record<string, unknown>][] = [
  ['missing collection', { collection_name: 'nope' }],
  ['limit 0', { limit: 0 }],
  ['limit too large', { limit: 20000 }],
  ['negative offset', { offset: -1 }],
  ['unknown anns_field', { anns_field: 'nope' }],
  ['anns_field not vector', { anns_field: 'cat' }],
  ['metric mismatch', { metric_type: 'IP' }],
  ['wrong dim', { data: [[1, 2]] }],
  ['bad filter syntax', { filter: 'id >' }],
  ['filter unknown field', { filter: 'nope == 1' }],
  ['filter type mismatch', { filter: 'name > 3' }],
  ['unknown output field', { output_fields: ['nope'] }],
  ['missing partition', { partition_names: ['nope'] }],
  ['not loaded', { collection_name: COLD }],
  ['group by json', { group_by_field: 'meta' }],
  ['group by missing', { group_by_field: 'nope' }],
  ['round_decimal 9', { params: { round_decimal: 9 } }],
  ['nq 16385', { data: Array.from({ length: 16385 }, () => q0) }],
];
for (const [name, extra] of badSearch) {
  const sdkReq = { collection_name: C, data: [q0], limit: 3, ...extra };
  // REST where its body carries the same thing; not where the SDK refuses before sending (anns_field).
  const restOk = !('params' in extra) && !('group_by_field' in extra) && !('metric_type' in extra) && !('anns_field' in extra);
  add(`search invalid: ${name}`, 'hits', ['search', sdkReq], restOk ? ['search', camel(sdkReq)] : undefined, name === 'missing collection' ? 'sdk-crashes' : undefined);
}

// ---------------------------------------------------------------- search: features Elanus lacks / legacy shapes
add('search: decay rerank on an L2 index (distance normalised)', 'hits', ['search', { collection_name: C, data: [q0], limit: 3, rerank: { name: 'decay', type: 'Rerank', input_field_names: ['cat'], output_field_names: [], params: { reranker: 'decay', function: 'gauss', origin: 0, scale: 10 } } }]);
add('search lacks: MHJACCARD metric', 'hits', ['search', { collection_name: C, data: [q0], limit: 3, metric_type: 'MHJACCARD' }], ['search', { collectionName: C, data: [q0], limit: 3, searchParams: { metricType: 'MHJACCARD' } }]);
add('search lacks: semantic highlighter', 'hits', ['search', { collection_name: C, data: [q0], limit: 3, highlighter: { type: 1, queries: ['x'], input_fields: ['name'] } }], ['search', { collectionName: C, data: [q0], limit: 3, highlighter: { type: 1, params: { queries: ['x'], input_fields: ['name'] } } }]);
add('search invalid: highlighter empty pre_tags', 'hits', ['search', { collection_name: C, data: [q0], limit: 3, highlighter: { type: 0, pre_tags: [], highlight_search_text: true } }], ['search', { collectionName: C, data: [q0], limit: 3, highlighter: { type: 0, params: { pre_tags: [], highlight_search_text: true } } }]);
add('search: lexical highlighter on a dense search (nothing to highlight)', 'hits', ['search', { collection_name: C, data: [q0], limit: 3, output_fields: ['id'], highlighter: { type: 0, pre_tags: ['<b>'], post_tags: ['</b>'], highlight_search_text: true } }]);
add('search lacks: order_by_fields', 'hits', ['search', { collection_name: C, data: [q0], limit: 3, order_by_fields: [{ field: 'cat', order: 'asc' }] }]);
add('search invalid: bogus consistency_level', 'hits', ['search', { collection_name: C, data: [q0], limit: 3, consistency_level: 'Sometimes' }], undefined, 'sdk-coerces');
add('search: consistency_level Strong', 'hits', ['search', { collection_name: C, data: [q0], limit: 3, output_fields: ['id'], consistency_level: 'Strong' }]);
add('search legacy: search_params.round_decimal', 'hits', ['search', { collection_name: C, vectors: [q0], search_params: { anns_field: 'v', topk: 3, metric_type: 'L2', params: JSON.stringify({}), round_decimal: 1 }, output_fields: ['id'] }]);
add('search legacy: vectors + search_params topk', 'hits', ['search', { collection_name: C, vectors: [q0], search_params: { anns_field: 'v', topk: '4', metric_type: 'L2', params: '{}' }, output_fields: ['id'] }]);
add('search legacy: vector (single)', 'hits', ['search', { collection_name: C, vector: q0, limit: 2, output_fields: ['id'] }]);
add('search legacy: expr instead of filter', 'hits', ['search', { collection_name: C, data: [q0], limit: 5, expr: 'cat == 2', output_fields: ['id'] }]);
add('search legacy: topk', 'hits', ['search', { collection_name: C, data: [q0], topk: 2, output_fields: ['id'] }]);

// ---------------------------------------------------------------- hybrid search
const sub = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({ data: [q0], anns_field: 'v', limit: 5, ...extra });
add('hybrid: rrf', 'hits', ['hybridSearch', { collection_name: C, data: [sub(), sub({ data: [q1] })], rerank: { strategy: 'rrf', params: { k: 60 } }, limit: 3, output_fields: ['id'] }]);
add('hybrid: weighted', 'hits', ['hybridSearch', { collection_name: C, data: [sub(), sub({ data: [q1] })], rerank: { strategy: 'weighted', params: { weights: [0.3, 0.7] } }, limit: 3, output_fields: ['id'] }]);
add('hybrid invalid: weights count', 'hits', ['hybridSearch', { collection_name: C, data: [sub(), sub()], rerank: { strategy: 'weighted', params: { weights: [1] } }, limit: 3 }]);
add('hybrid invalid: missing collection', 'hits', ['hybridSearch', { collection_name: 'nope', data: [sub()], rerank: { strategy: 'rrf', params: {} }, limit: 3 }], undefined, 'sdk-crashes');
add('hybrid invalid: sub nq 16385', 'hits', ['hybridSearch', { collection_name: C, data: [sub({ data: Array.from({ length: 16385 }, () => q0) })], rerank: { strategy: 'rrf', params: {} }, limit: 3 }]);
add('hybrid invalid: 1025 search requests', 'hits', ['hybridSearch', { collection_name: C, data: Array.from({ length: 1025 }, () => sub()), rerank: { strategy: 'rrf', params: {} }, limit: 3 }]);
add('hybrid invalid: sub expr', 'hits', ['hybridSearch', { collection_name: C, data: [sub({ expr: 'id >' })], rerank: { strategy: 'rrf', params: {} }, limit: 3 }]);
add('hybrid: sub expr', 'hits', ['hybridSearch', { collection_name: C, data: [sub({ expr: 'cat == 1' }), sub({ data: [q1] })], rerank: { strategy: 'rrf', params: {} }, limit: 4, output_fields: ['id'] }]);
// The SDK reads a sub-request's filter only as `expr`; a `filter` key there is not sent (the top-level one is, for every sub-request).
add('hybrid: sub filter key (not sent by the SDK)', 'hits', ['hybridSearch', { collection_name: C, data: [sub({ filter: 'id >' })], rerank: { strategy: 'rrf', params: {} }, limit: 3, output_fields: ['id'] }]);
add('hybrid: top-level filter', 'hits', ['hybridSearch', { collection_name: C, data: [sub(), sub({ data: [q1] })], filter: 'cat == 2', rerank: { strategy: 'rrf', params: {} }, limit: 4, output_fields: ['id'] }]);

// ---------------------------------------------------------------- query / get / count
const queryCases: [string, Record<string, unknown>][] = [
  ['filter cat == 0', { filter: 'cat == 0', output_fields: ['id', 'cat'] }],
  ['filter + limit', { filter: 'id >= 0', limit: 4, output_fields: ['id'] }],
  ['limit + offset', { filter: 'id >= 0', limit: 3, offset: 5, output_fields: ['id'] }],
  ['no filter with limit', { limit: 2, output_fields: ['id', 'name'] }],
  ['in list', { filter: 'id in [3, 1, 2]', output_fields: ['id', 'name'] }],
  ['varchar like', { filter: 'name like "n2%"', output_fields: ['id', 'name'] }],
  ['json path', { filter: 'meta["k"] == 0 and id < 6', output_fields: ['id', 'meta'] }],
  ['dynamic key', { filter: 'dyn > 0', output_fields: ['id', 'dyn'] }],
  ['output *', { filter: 'id == 5', output_fields: ['*'] }],
  ['output vector', { filter: 'id == 6', output_fields: ['id', 'v'] }],
  ['partition p1', { filter: 'id >= 0', partition_names: ['p1'], output_fields: ['id'] }],
  ['template', { filter: 'id in {ids}', exprValues: { ids: [7, 8] }, output_fields: ['id'] }],
  ['by alias', { collection_name: ALIAS, filter: 'id < 2', output_fields: ['id'] }],
  ['empty result', { filter: 'id > 1000', output_fields: ['id'] }],
  ['arithmetic', { filter: 'id % 7 == 0', output_fields: ['id'] }],
  ['string pk', { collection_name: S, filter: 'sid in ["s3", "s4"]', output_fields: ['sid'] }],
];
for (const [name, extra] of queryCases) {
  const req = { collection_name: C, ...extra };
  const { exprValues, ...plain } = req as Record<string, unknown>;
  add(`query: ${name}`, 'rows', ['query', req], ['query', { ...camel(plain), ...(exprValues ? { exprParams: exprValues } : {}), ...(plain['limit'] === undefined ? { limit: 100 } : {}) }]);
}
const badQuery: [string, Record<string, unknown>][] = [
  ['missing collection', { collection_name: 'nope', filter: 'id > 0' }],
  ['bad filter', { filter: 'id >>> 3' }],
  ['unknown field', { filter: 'nope > 3' }],
  ['unknown output', { filter: 'id > 3', output_fields: ['nope'] }],
  ['limit too large', { filter: 'id > 3', limit: 20000 }],
  ['not loaded', { collection_name: COLD, filter: 'id > 0' }],
  ['count with others', { filter: 'id > 0', output_fields: ['count(*)', 'id'] }],
  ['missing partition', { filter: 'id > 0', partition_names: ['nope'] }],
];
for (const [name, extra] of badQuery) add(`query invalid: ${name}`, 'rows', ['query', { collection_name: C, ...extra }], ['query', { ...camel({ collection_name: C, ...extra }), ...(extra['limit'] === undefined ? { limit: 100 } : {}) }]);
add('query: order_by_fields', 'rows', ['query', { collection_name: C, filter: 'id > 0', limit: 7, output_fields: ['id', 'cat'], order_by_fields: [{ field: 'cat', order: 'desc' }, { field: 'name', order: 'asc' }] }], ['query', { collectionName: C, filter: 'id > 0', limit: 7, outputFields: ['id', 'cat'], orderByFields: ['cat:desc', 'name:asc'] }]);
add('query invalid: order_by_fields unknown field', 'rows', ['query', { collection_name: C, filter: 'id > 0', order_by_fields: 'nope:asc' }], ['query', { collectionName: C, filter: 'id > 0', limit: 100, orderByFields: ['nope:asc'] }]);
add('query invalid: order_by_fields on a JSON field', 'rows', ['query', { collection_name: C, filter: 'id > 0', order_by_fields: 'meta:asc' }], ['query', { collectionName: C, filter: 'id > 0', limit: 100, orderByFields: ['meta:asc'] }]);
add('query invalid: order_by_fields direction', 'rows', ['query', { collection_name: C, filter: 'id > 0', order_by_fields: 'cat:sideways' }], ['query', { collectionName: C, filter: 'id > 0', limit: 100, orderByFields: ['cat:sideways'] }]);
add('query legacy: expr', 'rows', ['query', { collection_name: C, expr: 'id in [4, 9]', output_fields: ['id'] }]);
add('query invalid: bogus consistency_level', 'rows', ['query', { collection_name: C, filter: 'id > 0', consistency_level: 'Sometimes' }], undefined, 'sdk-coerces');

for (const [name, ids] of [['ints', [1, 2, 3]], ['one', [9]], ['missing ids', [900]], ['strings as ints', ['4', '5']]] as const) {
  add(`get: ${name}`, 'rows', ['get', { collection_name: C, ids: [...ids], output_fields: ['id', 'name'] }], ['get', { collectionName: C, id: [...ids], outputFields: ['id', 'name'] }]);
}
add('get: varchar ids', 'rows', ['get', { collection_name: S, ids: ['s1', 's7'], output_fields: ['sid'] }], ['get', { collectionName: S, id: ['s1', 's7'], outputFields: ['sid'] }]);
add('get invalid: missing collection', 'rows', ['get', { collection_name: 'nope', ids: [1] }], ['get', { collectionName: 'nope', id: [1] }]);

for (const [name, filter] of [['all', ''], ['cat 1', 'cat == 1'], ['none', 'id < 0'], ['dynamic', 'dyn >= 0']] as const) {
  add(`count: ${name}`, 'count', ['query', { collection_name: C, filter, output_fields: ['count(*)'] }], ['query', { collectionName: C, filter, outputFields: ['count(*)'] }]);
}

// ---------------------------------------------------------------- writes
const w = (i: number): Record<string, unknown> => ({ id: 100 + i, v: vec(100 + i), cat: i % 3, name: `w${i}`, meta: { k: i } });
add('insert: 3 rows', 'mutation', ['insert', { collection_name: C, data: [w(0), w(1), w(2)] }], 'same');
add('insert: into partition p1', 'mutation', ['insert', { collection_name: C, partition_name: 'p1', data: [w(3)] }], 'same');
add('insert: dynamic keys', 'mutation', ['insert', { collection_name: C, data: [{ ...w(4), extra: 'x' }] }], 'same');
add('insert legacy: fields_data', 'mutation', ['insert', { collection_name: C, fields_data: [w(5)] }]);
add('insert invalid: missing collection', 'mutation', ['insert', { collection_name: 'nope', data: [w(6)] }], 'same');
add('insert invalid: wrong dim', 'mutation', ['insert', { collection_name: C, data: [{ ...w(7), v: [1, 2] }] }], 'same');
add('insert invalid: missing field', 'mutation', ['insert', { collection_name: C, data: [{ id: 107, v: vec(1) }] }], 'same');
add('insert invalid: varchar too long', 'mutation', ['insert', { collection_name: C, data: [{ ...w(8), name: 'x'.repeat(40) }] }], 'same');
add('insert invalid: wrong type', 'mutation', ['insert', { collection_name: C, data: [{ ...w(9), cat: 'three' }] }], 'same', 'sdk-coerces', ['delete', { collection_name: C, filter: 'id == 109' }]);
add('insert invalid: missing partition', 'mutation', ['insert', { collection_name: C, partition_name: 'nope', data: [w(10)] }], 'same');
add('count: after inserts', 'count', ['query', { collection_name: C, filter: '', output_fields: ['count(*)'] }], ['query', { collectionName: C, filter: '', outputFields: ['count(*)'] }]);
add('upsert: existing row', 'mutation', ['upsert', { collection_name: C, data: [{ ...w(0), name: 'up' }] }], 'same');
add('upsert: new row', 'mutation', ['upsert', { collection_name: C, data: [w(11)] }], 'same');
add('upsert invalid: wrong dim', 'mutation', ['upsert', { collection_name: C, data: [{ ...w(12), v: [1] }] }], 'same');
add('query: after upsert', 'rows', ['query', { collection_name: C, filter: 'id >= 100', output_fields: ['id', 'name'] }], ['query', { collectionName: C, filter: 'id >= 100', outputFields: ['id', 'name'], limit: 100 }]);
// partial upsert (Milvus 2.6 merge mode; issue 11): REST calls the flag partialUpdate
add('upsert partial: one field of an existing row', 'mutation', ['upsert', { collection_name: C, partial_update: true, data: [{ id: 100, name: 'merged' }] }], ['upsert', { collectionName: C, partialUpdate: true, data: [{ id: 100, name: 'merged' }] }]);
add('upsert partial: a new row with every field', 'mutation', ['upsert', { collection_name: C, partial_update: true, data: [w(13)] }], ['upsert', { collectionName: C, partialUpdate: true, data: [w(13)] }]);
add('upsert partial invalid: a new row without its vector', 'mutation', ['upsert', { collection_name: C, partial_update: true, data: [{ id: 100, cat: 2, name: 'x', meta: {} }, { id: 140, cat: 1, name: 'new', meta: {} }] }], ['upsert', { collectionName: C, partialUpdate: true, data: [{ id: 100, cat: 2, name: 'x', meta: {} }, { id: 140, cat: 1, name: 'new', meta: {} }] }]);
add('upsert partial invalid: a bad value', 'mutation', ['upsert', { collection_name: C, partial_update: true, data: [{ id: 100, name: 'x'.repeat(40) }] }], ['upsert', { collectionName: C, partialUpdate: true, data: [{ id: 100, name: 'x'.repeat(40) }] }]);
add('query: after partial upsert', 'rows', ['query', { collection_name: C, filter: 'id in [100, 113, 140]', output_fields: ['id', 'name', 'cat', 'meta'] }], ['query', { collectionName: C, filter: 'id in [100, 113, 140]', outputFields: ['id', 'name', 'cat', 'meta'], limit: 100 }]);
add('delete: by filter', 'mutation', ['delete', { collection_name: C, filter: 'id in [101, 102]' }], 'same');
add('delete: by ids', 'mutation', ['delete', { collection_name: C, ids: [103] }], ['delete', { collectionName: C, filter: 'id in [103]' }]);
add('delete: by range filter', 'mutation', ['delete', { collection_name: C, filter: 'id >= 110' }], 'same');
add('delete invalid: missing collection', 'mutation', ['delete', { collection_name: 'nope', filter: 'id > 0' }], 'same');
add('delete invalid: bad filter', 'mutation', ['delete', { collection_name: C, filter: 'id >' }], 'same');
add('count: after deletes', 'count', ['query', { collection_name: C, filter: '', output_fields: ['count(*)'] }], ['query', { collectionName: C, filter: '', outputFields: ['count(*)'] }]);

// ---------------------------------------------------------------- collections (DDL)
const ddl = (name: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({ collection_name: name, fields: mainFields, ...extra });
add('create: full schema', 'status', ['createCollection', ddl('t_a')]);
add('create invalid: duplicate', 'status', ['createCollection', ddl('t_a')]);
add('create invalid: name with space', 'status', ['createCollection', ddl('bad name')]);
add('create invalid: name starts with digit', 'status', ['createCollection', ddl('1abc')]);
add('create invalid: no primary key', 'status', ['createCollection', { collection_name: 't_nopk', fields: [{ name: 'v', data_type: DataType.FloatVector, dim: 4 }] }]);
add('create invalid: two primary keys', 'status', ['createCollection', { collection_name: 't_2pk', fields: [{ name: 'a', data_type: DataType.Int64, is_primary_key: true }, { name: 'b', data_type: DataType.Int64, is_primary_key: true }, { name: 'v', data_type: DataType.FloatVector, dim: 4 }] }]);
add('create invalid: no vector field', 'status', ['createCollection', { collection_name: 't_novec', fields: [{ name: 'a', data_type: DataType.Int64, is_primary_key: true }] }]);
add('create invalid: dim 0', 'status', ['createCollection', { collection_name: 't_dim0', fields: [{ name: 'a', data_type: DataType.Int64, is_primary_key: true }, { name: 'v', data_type: DataType.FloatVector, dim: 0 }] }]);
add('create invalid: varchar without max_length', 'status', ['createCollection', { collection_name: 't_vc', fields: [{ name: 'a', data_type: DataType.VarChar, is_primary_key: true }, { name: 'v', data_type: DataType.FloatVector, dim: 4 }] }]);
add('create invalid: duplicate field', 'status', ['createCollection', { collection_name: 't_dup', fields: [{ name: 'a', data_type: DataType.Int64, is_primary_key: true }, { name: 'a', data_type: DataType.FloatVector, dim: 4 }] }]);
add('create invalid: bogus consistency_level', 'status', ['createCollection', ddl('t_cl', { consistency_level: 'Sometimes' })], undefined, 'sdk-coerces', ['dropCollection', { collection_name: 't_cl' }]);
add('create: consistency Strong', 'status', ['createCollection', ddl('t_strong', { consistency_level: 'Strong' })]);
add('create: partition key', 'status', ['createCollection', { collection_name: 't_pk', fields: [{ name: 'id', data_type: DataType.Int64, is_primary_key: true }, { name: 'k', data_type: DataType.Int64, is_partition_key: true }, { name: 'v', data_type: DataType.FloatVector, dim: 4 }], num_partitions: 4 }]);
add('create invalid: num_partitions without key', 'status', ['createCollection', ddl('t_np', { num_partitions: 4 })]);
add('create lacks: BM25 function', 'status', ['createCollection', {
  collection_name: 't_bm25',
  fields: [
    { name: 'id', data_type: DataType.Int64, is_primary_key: true },
    { name: 'text', data_type: DataType.VarChar, max_length: 256, enable_analyzer: true },
    { name: 'sparse', data_type: DataType.SparseFloatVector },
  ],
  functions: [{ name: 'bm25', type: 1, input_field_names: ['text'], output_field_names: ['sparse'], params: {} }],
}]);
// MinHash (function, MINHASH_LSH index, MHJACCARD metric) is refused naming the feature everywhere.
const mhFields = [
  { name: 'id', data_type: DataType.Int64, is_primary_key: true },
  { name: 'text', data_type: DataType.VarChar, max_length: 256 },
  { name: 'sig', data_type: DataType.BinaryVector, dim: 512 },
];
const mhFn = { name: 'mh', type: 4, input_field_names: ['text'], output_field_names: ['sig'], params: {} };
add('create lacks: MinHash function', 'status', ['createCollection', { collection_name: 't_mh', fields: mhFields, functions: [mhFn] }], ['createCollection', {
  collectionName: 't_mh',
  schema: {
    autoID: false,
    enabledDynamicField: false,
    fields: [
      { fieldName: 'id', dataType: 'Int64', isPrimary: true },
      { fieldName: 'text', dataType: 'VarChar', elementTypeParams: { max_length: 256 } },
      { fieldName: 'sig', dataType: 'BinaryVector', elementTypeParams: { dim: 512 } },
    ],
    functions: [{ name: 'mh', type: 'MinHash', inputFieldNames: ['text'], outputFieldNames: ['sig'], params: {} }],
  },
}]);
// Struct array fields (Array of Struct with vector sub-fields, MAX_SIM embedding lists) are refused
// naming the field: the SDK sends them as the schema's struct_array_fields, the embedded client sees an
// Array field of element type Struct (201), REST an Array field with elementDataType Struct.
const structSubFields = [
  { name: 'frame', data_type: DataType.FloatVector, dim: DIM },
  { name: 'caption', data_type: DataType.VarChar, max_length: 32 },
];
const structField = { name: 'clips', data_type: DataType.Array, element_type: 201, max_capacity: 4, fields: structSubFields };
const restStructField = {
  fieldName: 'clips',
  dataType: 'Array',
  elementDataType: 'Struct',
  elementTypeParams: { max_capacity: 4 },
  fields: [
    { fieldName: 'frame', dataType: 'FloatVector', elementTypeParams: { dim: DIM } },
    { fieldName: 'caption', dataType: 'VarChar', elementTypeParams: { max_length: 32 } },
  ],
};
add('create lacks: struct array field', 'status', ['createCollection', { collection_name: 't_struct', fields: [mainFields[0], mainFields[1], structField] }], ['createCollection', {
  collectionName: 't_struct',
  schema: { autoID: false, enabledDynamicField: false, fields: [{ fieldName: 'id', dataType: 'Int64', isPrimary: true }, { fieldName: 'v', dataType: 'FloatVector', elementTypeParams: { dim: DIM } }, restStructField] },
}]);
add('has: struct collection was not created', 'has', ['hasCollection', { collection_name: 't_struct' }], 'same');
// Nullable vectors (Milvus 2.6) are accepted on every transport and described as nullable.
add('create: nullable float and sparse vectors', 'status', ['createCollection', { collection_name: 't_nullvec', fields: [mainFields[0], { name: 'v', data_type: DataType.FloatVector, dim: DIM, nullable: true }, { name: 'sp', data_type: DataType.SparseFloatVector, nullable: true }] }], ['createCollection', {
  collectionName: 't_nullvec',
  schema: { autoID: false, enabledDynamicField: false, fields: [{ fieldName: 'id', dataType: 'Int64', isPrimary: true }, { fieldName: 'v', dataType: 'FloatVector', nullable: true, elementTypeParams: { dim: DIM } }, { fieldName: 'sp', dataType: 'SparseFloatVector', nullable: true }] },
}]);
add('describe: nullable vectors', 'fields', ['describeCollection', { collection_name: 't_nullvec' }], 'same');
add('create: dynamic field', 'status', ['createCollection', ddl('t_dyn', { enable_dynamic_field: true })]);
add('create: legacy schema array', 'status', ['createCollection', { collection_name: 't_legacy', schema: mainFields }]);
add('describe: t_a', 'fields', ['describeCollection', { collection_name: 't_a' }], 'same');
add('describe: main', 'fields', ['describeCollection', { collection_name: C }], 'same');
add('describe: by alias', 'fields', ['describeCollection', { collection_name: ALIAS }], 'same');
add('describe invalid: missing', 'fields', ['describeCollection', { collection_name: 'nope' }], 'same');
add('has: yes', 'has', ['hasCollection', { collection_name: 't_a' }], 'same');
add('has: no', 'has', ['hasCollection', { collection_name: 'nope' }], 'same');
add('has: alias', 'has', ['hasCollection', { collection_name: ALIAS }], 'same');
add('list collections', 'names', ['listCollections', {}], ['listCollections', {}]);
add('stats: main', 'count', ['getCollectionStatistics', { collection_name: C }]);
add('stats invalid: missing', 'count', ['getCollectionStatistics', { collection_name: 'nope' }], 'same');
add('rename: t_a → t_b', 'status', ['renameCollection', { collection_name: 't_a', new_collection_name: 't_b' }], ['renameCollection', { collectionName: 't_a', newCollectionName: 't_b' }]);
add('rename invalid: missing', 'status', ['renameCollection', { collection_name: 'nope', new_collection_name: 't_c' }], ['renameCollection', { collectionName: 'nope', newCollectionName: 't_c' }]);
add('rename invalid: onto existing', 'status', ['renameCollection', { collection_name: 't_b', new_collection_name: 't_strong' }], ['renameCollection', { collectionName: 't_b', newCollectionName: 't_strong' }]);
add('rename invalid: bad new name', 'status', ['renameCollection', { collection_name: 't_b', new_collection_name: 'bad name' }], ['renameCollection', { collectionName: 't_b', newCollectionName: 'bad name' }]);
add('alter properties', 'status', ['alterCollectionProperties', { collection_name: 't_b', properties: { 'collection.ttl.seconds': 60 } }]);
// collection TTL (issue 11): an integer in [-1, 3155760000], as Milvus's proxy checks it
const alterProps = (name: string, properties: Record<string, unknown>): void =>
  add(name, 'status', ['alterCollectionProperties', { collection_name: 't_b', properties }], ['alterCollectionProperties', { collectionName: 't_b', properties }]);
alterProps('alter properties: TTL 2 s', { 'collection.ttl.seconds': 2 });
alterProps('alter properties invalid: TTL not a number', { 'collection.ttl.seconds': 'abc' });
alterProps('alter properties invalid: TTL below -1', { 'collection.ttl.seconds': -5 });
alterProps('alter properties invalid: TTL a fraction', { 'collection.ttl.seconds': '1.5' });
alterProps('alter properties invalid: TTL above 100 years', { 'collection.ttl.seconds': 3155760001 });
alterProps('alter properties lacks: entity-level ttl_field', { ttl_field: 'ts' });
add('drop properties: TTL', 'status', ['dropCollectionProperties', { collection_name: 't_b', properties: ['collection.ttl.seconds'] }], ['dropCollectionProperties', { collectionName: 't_b', propertyKeys: ['collection.ttl.seconds'] }]);
add('create invalid: TTL not a number', 'status', ['createCollection', ddl('t_ttl', { properties: { 'collection.ttl.seconds': 'abc' } })]);
add('create invalid: TTL below -1', 'status', ['createCollection', ddl('t_ttl', { properties: { 'collection.ttl.seconds': -5 } })], ['createCollection', {
  collectionName: 't_ttl',
  schema: { autoID: false, enabledDynamicField: false, fields: [{ fieldName: 'id', dataType: 'Int64', isPrimary: true }, { fieldName: 'v', dataType: 'FloatVector', elementTypeParams: { dim: DIM } }] },
  params: { ttlSeconds: -5 },
}]);
add('has: no collection after a refused TTL', 'has', ['hasCollection', { collection_name: 't_ttl' }], 'same');
add('drop: t_b', 'status', ['dropCollection', { collection_name: 't_b' }], 'same');
add('drop invalid: missing', 'status', ['dropCollection', { collection_name: 't_b' }], 'same');
add('drop invalid: alias', 'status', ['dropCollection', { collection_name: ALIAS }], 'same');
add('list collections after drop', 'names', ['listCollections', {}], ['listCollections', {}]);

// ---------------------------------------------------------------- partitions
add('partition: create p2', 'status', ['createPartition', { collection_name: C, partition_name: 'p2' }], 'same');
add('partition invalid: duplicate', 'status', ['createPartition', { collection_name: C, partition_name: 'p2' }], 'same');
add('partition invalid: bad name', 'status', ['createPartition', { collection_name: C, partition_name: 'bad name' }], 'same');
add('partition invalid: in partition-key collection', 'status', ['createPartition', { collection_name: 't_pk', partition_name: 'px' }], 'same');
add('partition invalid: missing collection', 'status', ['createPartition', { collection_name: 'nope', partition_name: 'px' }], 'same');
add('partition: has p2', 'has', ['hasPartition', { collection_name: C, partition_name: 'p2' }], 'same');
add('partition: has nope', 'has', ['hasPartition', { collection_name: C, partition_name: 'nope' }], 'same');
add('partition: show', 'partitions', ['showPartitions', { collection_name: C }], ['listPartitions', { collectionName: C }]);
add('partition: show partition-key', 'partitions', ['showPartitions', { collection_name: 't_pk' }], ['listPartitions', { collectionName: 't_pk' }]);
add('partition: stats p1', 'count', ['getPartitionStatistics', { collection_name: C, partition_name: 'p1' }], 'same');
add('partition invalid: stats missing', 'count', ['getPartitionStatistics', { collection_name: C, partition_name: 'nope' }], 'same');
add('partition: load p2', 'status', ['loadPartitions', { collection_name: C, partition_names: ['p2'] }], 'same');
add('partition invalid: load missing', 'status', ['loadPartitions', { collection_name: C, partition_names: ['nope'] }], 'same');
add('partition invalid: drop loaded', 'status', ['dropPartition', { collection_name: C, partition_name: 'p2' }], 'same');
add('partition invalid: drop _default', 'status', ['dropPartition', { collection_name: C, partition_name: '_default' }], 'same');
add('partition invalid: drop missing', 'status', ['dropPartition', { collection_name: C, partition_name: 'nope' }], 'same');
add('partition: create p3', 'status', ['createPartition', { collection_name: 't_strong', partition_name: 'p3' }], 'same');
add('partition: drop p3', 'status', ['dropPartition', { collection_name: 't_strong', partition_name: 'p3' }], 'same');

// ---------------------------------------------------------------- aliases
const alias = (method: string, req: Record<string, unknown>): [string, Record<string, unknown>] => {
  const { alias: a, collection_name, ...rest } = req;
  return [method, { ...camel(rest), aliasName: a, ...(collection_name !== undefined && method !== 'describeAlias' && method !== 'dropAlias' ? { collectionName: collection_name } : {}) }];
};
// The SDK's describeAlias and dropAlias insist on a collection_name (it is not sent).
for (const [name, method, req] of [
  ['alias: create', 'createAlias', { collection_name: 't_strong', alias: 'al2' }],
  ['alias invalid: duplicate', 'createAlias', { collection_name: C, alias: 'al2' }],
  ['alias invalid: is a collection name', 'createAlias', { collection_name: C, alias: 't_strong' }],
  ['alias invalid: missing collection', 'createAlias', { collection_name: 'nope', alias: 'al3' }],
  ['alias invalid: bad name', 'createAlias', { collection_name: C, alias: 'bad alias' }],
  ['alias: describe', 'describeAlias', { collection_name: 't_strong', alias: 'al2' }],
  ['alias invalid: describe missing', 'describeAlias', { collection_name: C, alias: 'nope' }],
  ['alias: alter', 'alterAlias', { collection_name: 't_dyn', alias: 'al2' }],
] as const) add(name, 'status', [method, req], alias(method, req));
add('alias: has via alias', 'has', ['hasCollection', { collection_name: 'al2' }], 'same');
add('alias: drop', 'status', ['dropAlias', { collection_name: 't_dyn', alias: 'al2' }], alias('dropAlias', { alias: 'al2' }));
add('alias invalid: drop missing', 'status', ['dropAlias', { collection_name: 't_dyn', alias: 'al2' }], alias('dropAlias', { alias: 'al2' }));

// ---------------------------------------------------------------- indexes
add('index: describe main', 'indexes', ['describeIndex', { collection_name: C, field_name: 'v' }], 'same');
add('index: list main', 'indexes', ['listIndexes', { collection_name: C }], 'same');
add('index: scalar INVERTED', 'status', ['createIndex', { collection_name: C, field_name: 'cat', index_name: 'cat_idx', index_type: 'INVERTED' }], ['createIndex', { collectionName: C, indexParams: [{ fieldName: 'cat', indexName: 'cat_idx', params: { index_type: 'INVERTED' } }] }]);
add('index: same again is a no-op', 'status', ['createIndex', { collection_name: C, field_name: 'cat', index_name: 'cat_idx', index_type: 'INVERTED' }], ['createIndex', { collectionName: C, indexParams: [{ fieldName: 'cat', indexName: 'cat_idx', params: { index_type: 'INVERTED' } }] }]);
add('index invalid: other type on same field', 'status', ['createIndex', { collection_name: C, field_name: 'cat', index_name: 'cat_idx', index_type: 'STL_SORT' }], ['createIndex', { collectionName: C, indexParams: [{ fieldName: 'cat', indexName: 'cat_idx', params: { index_type: 'STL_SORT' } }] }]);
add('index invalid: RTREE on a VarChar field', 'status', ['createIndex', { collection_name: C, field_name: 'name', index_type: 'RTREE' }], ['createIndex', { collectionName: C, indexParams: [{ fieldName: 'name', params: { index_type: 'RTREE' } }] }]);
add('index invalid: RTREE on a vector field', 'status', ['createIndex', { collection_name: COLD, field_name: 'v', index_type: 'RTREE', metric_type: 'L2' }], ['createIndex', { collectionName: COLD, indexParams: [{ fieldName: 'v', metricType: 'L2', params: { index_type: 'RTREE' } }] }]);
add('filter invalid: spatial function on a VarChar field', 'status', ['query', { collection_name: C, filter: "ST_WITHIN(name, 'POINT (1 1)')", output_fields: ['id'] }], ['query', { collectionName: C, filter: "ST_WITHIN(name, 'POINT (1 1)')", outputFields: ['id'] }]);
add('index invalid: NGRAM without max_gram', 'status', ['createIndex', { collection_name: C, field_name: 'name', index_type: 'NGRAM', params: { min_gram: 2 } }], ['createIndex', { collectionName: C, indexParams: [{ fieldName: 'name', params: { index_type: 'NGRAM', ...{ min_gram: 2 } } }] }]);
add('index invalid: NGRAM min_gram above max_gram', 'status', ['createIndex', { collection_name: C, field_name: 'name', index_type: 'NGRAM', params: { min_gram: 4, max_gram: 2 } }], ['createIndex', { collectionName: C, indexParams: [{ fieldName: 'name', params: { index_type: 'NGRAM', ...{ min_gram: 4, max_gram: 2 } } }] }]);
add('index invalid: NGRAM min_gram not an integer', 'status', ['createIndex', { collection_name: C, field_name: 'name', index_type: 'NGRAM', params: { min_gram: 'two', max_gram: 3 } }], ['createIndex', { collectionName: C, indexParams: [{ fieldName: 'name', params: { index_type: 'NGRAM', ...{ min_gram: 'two', max_gram: 3 } } }] }]);
add('index invalid: NGRAM on an Int32 field', 'status', ['createIndex', { collection_name: C, field_name: 'cat', index_type: 'NGRAM', params: { min_gram: 1, max_gram: 2 } }], ['createIndex', { collectionName: C, indexParams: [{ fieldName: 'cat', params: { index_type: 'NGRAM', min_gram: 1, max_gram: 2 } }] }]);
add('index: NGRAM on a VarChar field', 'status', ['createIndex', { collection_name: C, field_name: 'name', index_type: 'NGRAM', params: { min_gram: 1, max_gram: 2 } }], ['createIndex', { collectionName: C, indexParams: [{ fieldName: 'name', params: { index_type: 'NGRAM', ...{ min_gram: 1, max_gram: 2 } } }] }]);
add('query: like answered by NGRAM', 'rows', ['query', { collection_name: C, filter: 'name like "%1%"', output_fields: ['id', 'name'] }], ['query', { collectionName: C, filter: 'name like "%1%"', outputFields: ['id', 'name'] }]);
add('index invalid: unknown field', 'status', ['createIndex', { collection_name: C, field_name: 'nope', index_type: 'INVERTED' }], ['createIndex', { collectionName: C, indexParams: [{ fieldName: 'nope', params: { index_type: 'INVERTED' } }] }]);
add('index invalid: unknown type', 'status', ['createIndex', { collection_name: COLD, field_name: 'v', index_type: 'NOPE', metric_type: 'L2' }], ['createIndex', { collectionName: COLD, indexParams: [{ fieldName: 'v', metricType: 'L2', params: { index_type: 'NOPE' } }] }]);
add('index invalid: bad metric', 'status', ['createIndex', { collection_name: COLD, field_name: 'v', index_type: 'FLAT', metric_type: 'HAMMING' }], ['createIndex', { collectionName: COLD, indexParams: [{ fieldName: 'v', metricType: 'HAMMING', params: { index_type: 'FLAT' } }] }]);
add('index invalid: hnsw M out of range', 'status', ['createIndex', { collection_name: COLD, field_name: 'v', index_type: 'HNSW', metric_type: 'L2', params: { M: 100000, efConstruction: 10 } }], ['createIndex', { collectionName: COLD, indexParams: [{ fieldName: 'v', metricType: 'L2', params: { index_type: 'HNSW', M: 100000, efConstruction: 10 } }] }]);
add('index invalid: missing collection', 'status', ['createIndex', { collection_name: 'nope', field_name: 'v', index_type: 'FLAT', metric_type: 'L2' }], ['createIndex', { collectionName: 'nope', indexParams: [{ fieldName: 'v', metricType: 'L2', params: { index_type: 'FLAT' } }] }]);
add('index lacks: MINHASH_LSH', 'status', ['createIndex', { collection_name: COLD, field_name: 'v', index_type: 'MINHASH_LSH', metric_type: 'MHJACCARD' }], ['createIndex', { collectionName: COLD, indexParams: [{ fieldName: 'v', metricType: 'MHJACCARD', params: { index_type: 'MINHASH_LSH' } }] }]);
add('index lacks: MHJACCARD metric', 'status', ['createIndex', { collection_name: COLD, field_name: 'v', index_type: 'BIN_FLAT', metric_type: 'MHJACCARD' }], ['createIndex', { collectionName: COLD, indexParams: [{ fieldName: 'v', metricType: 'MHJACCARD', params: { index_type: 'BIN_FLAT' } }] }]);
add('index: describe scalar', 'indexes', ['describeIndex', { collection_name: C, index_name: 'cat_idx' }], 'same');
add('index invalid: describe missing', 'indexes', ['describeIndex', { collection_name: C, index_name: 'nope' }], 'same');
add('index invalid: drop while loaded', 'status', ['dropIndex', { collection_name: C, field_name: 'cat', index_name: 'cat_idx' }], 'same');
add('index: legacy extra_params', 'status', ['createIndex', { collection_name: COLD, field_name: 'v', extra_params: { index_type: 'IVF_FLAT', metric_type: 'L2', params: JSON.stringify({ nlist: 8 }) } }]);
add('index: describe legacy', 'indexes', ['describeIndex', { collection_name: COLD, field_name: 'v' }], 'same');
add('index: drop', 'status', ['dropIndex', { collection_name: COLD, field_name: 'v', index_name: 'v' }], ['dropIndex', { collectionName: COLD, indexName: 'v' }]);
// REST lists no indexes as an empty list; the SDK's listIndexes passes DescribeIndex's IndexNotExist on.
add('index: list after drop', 'indexes', ['listIndexes', { collection_name: COLD }]);

// ---------------------------------------------------------------- load / release
add('load invalid: no index', 'status', ['loadCollection', { collection_name: COLD }], 'same');
add('load: state main', 'load', ['getLoadState', { collection_name: C }], ['getCollectionLoadState', { collectionName: C }]);
add('load: state cold', 'load', ['getLoadState', { collection_name: COLD }], ['getCollectionLoadState', { collectionName: COLD }]);
add('load invalid: state missing', 'load', ['getLoadState', { collection_name: 'nope' }], ['getCollectionLoadState', { collectionName: 'nope' }]);
add('load invalid: missing', 'status', ['loadCollection', { collection_name: 'nope' }], 'same');
add('release: t_strong', 'status', ['releaseCollection', { collection_name: 't_strong' }], 'same');
add('release invalid: missing', 'status', ['releaseCollection', { collection_name: 'nope' }], 'same');
add('load: progress main', 'load', ['getLoadingProgress', { collection_name: C }]);

// ---------------------------------------------------------------- databases
add('db: create', 'status', ['createDatabase', { db_name: 'par_db' }], ['createDatabase', { dbName: 'par_db' }]);
add('db invalid: duplicate', 'status', ['createDatabase', { db_name: 'par_db' }], ['createDatabase', { dbName: 'par_db' }]);
add('db invalid: bad name', 'status', ['createDatabase', { db_name: 'bad db' }], ['createDatabase', { dbName: 'bad db' }]);
add('db: collection in it', 'status', ['createCollection', ddl('in_db', { db_name: 'par_db' })]);
add('db: list collections in it', 'names', ['listCollections', { db_name: 'par_db' }], ['listCollections', { dbName: 'par_db' }]);
add('db invalid: drop non-empty', 'status', ['dropDatabase', { db_name: 'par_db' }], ['dropDatabase', { dbName: 'par_db' }]);
add('db: drop its collection', 'status', ['dropCollection', { collection_name: 'in_db', db_name: 'par_db' }], ['dropCollection', { collectionName: 'in_db', dbName: 'par_db' }]);
add('db: drop', 'status', ['dropDatabase', { db_name: 'par_db' }], ['dropDatabase', { dbName: 'par_db' }]);
add('db invalid: drop missing', 'status', ['dropDatabase', { db_name: 'par_db' }], ['dropDatabase', { dbName: 'par_db' }]);
add('db invalid: drop default', 'status', ['dropDatabase', { db_name: 'default' }], ['dropDatabase', { dbName: 'default' }]);
add('db invalid: list in missing db', 'names', ['listCollections', { db_name: 'no_such_db' }], ['listCollections', { dbName: 'no_such_db' }]);

// ---------------------------------------------------------------- users and roles
add('user: create', 'status', ['createUser', { username: 'par_user', password: 'secret123' }], ['createUser', { userName: 'par_user', password: 'secret123' }]);
add('user invalid: duplicate', 'status', ['createUser', { username: 'par_user', password: 'secret123' }], ['createUser', { userName: 'par_user', password: 'secret123' }]);
add('user invalid: short password', 'status', ['createUser', { username: 'par_u2', password: 'abc' }], ['createUser', { userName: 'par_u2', password: 'abc' }]);
add('user invalid: bad name', 'status', ['createUser', { username: '1bad', password: 'secret123' }], ['createUser', { userName: '1bad', password: 'secret123' }]);
add('role: create', 'status', ['createRole', { roleName: 'par_role' }], ['createRole', { roleName: 'par_role' }]);
add('role invalid: duplicate', 'status', ['createRole', { roleName: 'par_role' }], ['createRole', { roleName: 'par_role' }]);
add('role: grant user', 'status', ['addUserToRole', { username: 'par_user', roleName: 'par_role' }], ['grantRoleToUser', { userName: 'par_user', roleName: 'par_role' }]);
add('role invalid: grant missing role', 'status', ['addUserToRole', { username: 'par_user', roleName: 'nope' }], ['grantRoleToUser', { userName: 'par_user', roleName: 'nope' }]);
add('role: grant privilege', 'status', ['grantPrivilege', { roleName: 'par_role', object: 'Collection', objectName: C, privilegeName: 'Search' }]);
add('role invalid: unknown privilege', 'status', ['grantPrivilege', { roleName: 'par_role', object: 'Collection', objectName: C, privilegeName: 'Nope' }]);
add('role invalid: drop with users', 'status', ['dropRole', { roleName: 'par_role' }], ['dropRole', { roleName: 'par_role' }]);
add('role: revoke user', 'status', ['removeUserFromRole', { username: 'par_user', roleName: 'par_role' }], ['revokeRoleFromUser', { userName: 'par_user', roleName: 'par_role' }]);
add('user: delete', 'status', ['deleteUser', { username: 'par_user' }], ['dropUser', { userName: 'par_user' }]);
add('user invalid: delete missing', 'status', ['deleteUser', { username: 'par_user' }], ['dropUser', { userName: 'par_user' }]);
add('user invalid: delete root', 'status', ['deleteUser', { username: 'root' }], ['dropUser', { userName: 'root' }]);

// ---------------------------------------------------------------- jobs
add('compact: main', 'status', ['compact', { collection_name: C }]);
add('compact invalid: missing', 'status', ['compact', { collection_name: 'nope' }]);
add('import invalid: no files', 'status', ['bulkInsert', { collection_name: C, files: [] }]);
add('import invalid: missing collection', 'status', ['bulkInsert', { collection_name: 'nope', files: ['/nonexistent.json'] }]);
add('flush: main', 'status', ['flush', { collection_names: [C] }]);
add('flush invalid: missing', 'status', ['flush', { collection_names: ['nope'] }]);
add('search: after flush', 'hits', ['search', { collection_name: C, data: [q0], limit: 5, output_fields: ['id'] }], ['search', { collectionName: C, data: [q0], limit: 5, outputFields: ['id'] }]);

// ---------------------------------------------------------------- schema evolution (issue 11)
function addField(name: string, collection: string, field: Record<string, unknown>, restSchema: Record<string, unknown>): void {
  add(name, 'status', ['addCollectionField', { collection_name: collection, field }], ['addCollectionField', { collectionName: collection, schema: restSchema }]);
}
function alterField(name: string, collection: string, field: string, properties: Record<string, unknown>): void {
  add(name, 'status', ['alterCollectionFieldProperties', { collection_name: collection, field_name: field, properties }], ['alterCollectionFieldProperties', { collectionName: collection, fieldName: field, fieldParams: properties }]);
}
addField('add field: nullable with a default', COLD, { name: 'added', data_type: DataType.Int32, nullable: true, default_value: 5 }, { fieldName: 'added', dataType: 'Int32', nullable: true, defaultValue: 5 });
// Milvus 2.6: a nullable vector field can be added too (the rows before it read null).
addField('add field: nullable vector', COLD, { name: 'vv', data_type: DataType.FloatVector, dim: DIM, nullable: true }, { fieldName: 'vv', dataType: 'FloatVector', nullable: true, elementTypeParams: { dim: DIM } });
add('add field: describe', 'fields', ['describeCollection', { collection_name: COLD }], 'same');
addField('add field invalid: not nullable', C, { name: 'nn', data_type: DataType.Int64 }, { fieldName: 'nn', dataType: 'Int64' });
addField('add field lacks: struct array field', C, { ...structField, name: 'clips2', nullable: true }, { ...restStructField, fieldName: 'clips2', nullable: true });
addField('add field invalid: primary key', C, { name: 'pk2', data_type: DataType.Int64, nullable: true, is_primary_key: true }, { fieldName: 'pk2', dataType: 'Int64', nullable: true, isPrimary: true });
addField('add field invalid: partition key', C, { name: 'pk3', data_type: DataType.Int64, nullable: true, is_partition_key: true }, { fieldName: 'pk3', dataType: 'Int64', nullable: true, isPartitionKey: true });
addField('add field invalid: duplicate name', C, { name: 'cat', data_type: DataType.Int32, nullable: true }, { fieldName: 'cat', dataType: 'Int32', nullable: true });
addField('add field invalid: VarChar without max_length', C, { name: 'vc', data_type: DataType.VarChar, nullable: true }, { fieldName: 'vc', dataType: 'VarChar', nullable: true });
addField('add field invalid: missing collection', 'nope', { name: 'x', data_type: DataType.Int32, nullable: true }, { fieldName: 'x', dataType: 'Int32', nullable: true });
alterField('alter field: max_length', C, 'name', { max_length: 64 });
alterField('alter field: mmap of a released collection', COLD, 'added', { 'mmap.enabled': true });
add('alter field: describe', 'fields', ['describeCollection', { collection_name: COLD }], 'same');
alterField('alter field invalid: mmap while loaded', C, 'name', { 'mmap.enabled': true });
alterField('alter field invalid: max_length of an Int32', C, 'cat', { max_length: 10 });
alterField('alter field invalid: max_length not a number', C, 'name', { max_length: 'abc' });
alterField('alter field invalid: unknown property', C, 'name', { foo: 1 });
alterField('alter field invalid: missing field', C, 'nope', { max_length: 10 });

export const table: readonly Row[] = rows;
