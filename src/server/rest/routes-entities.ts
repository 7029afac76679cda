/** `entities/*`: insert, upsert, delete, get, query, search, hybrid_search. */
import { invalidParam } from '../../core/errors.js';
import type { FieldSchema } from '../../core/schema.js';
import type { Hit, SearchReq } from '../../engine/requests.js';
import type { Row } from '../../engine/row-codec.js';
import { missing, optNum, optObj, optStr, optStrList, type Body } from './body.js';
import { collectionOf, fieldsOf, idList, restRow } from './convert.js';
import { RestReply, type RestContext, type RestRoute } from './route.js';

/** Milvus's REST defaults: 100 hits / rows, every field (`*`) for query and get. */
const DEFAULT_LIMIT = 100;
const DEFAULT_OUTPUT = ['*'];

function rows(body: Body): Row[] {
  const data = body.data;
  if (data === undefined || data === null) throw missing('data');
  const list = Array.isArray(data) ? data : [data];
  if (list.some((r) => typeof r !== 'object' || r === null || Array.isArray(r))) throw invalidParam('data', 'must be an array of row objects');
  return list as Row[];
}

async function write(ctx: RestContext, kind: 'insert' | 'upsert'): Promise<Record<string, unknown>> {
  const partition = optStr(ctx.body, 'partitionName');
  // RESTful v2 upsert: `partialUpdate` (Milvus 2.6 merge mode).
  const partial = kind === 'upsert' && ctx.body['partialUpdate'] !== undefined ? { partial_update: ctx.body['partialUpdate'] as boolean } : {};
  const req = { ...collectionOf(ctx), data: rows(ctx.body), ...(partition ? { partition_name: partition } : {}), ...partial };
  const r = kind === 'insert' ? await ctx.engine.writes.insert(req) : await ctx.engine.writes.upsert(req);
  return kind === 'insert' ? { insertCount: r.count, insertIds: r.ids } : { upsertCount: r.count, upsertIds: r.ids };
}

async function remove(ctx: RestContext): Promise<Record<string, unknown>> {
  const { body } = ctx;
  const partition = optStr(body, 'partitionName');
  const filter = optStr(body, 'filter');
  const base = { ...collectionOf(ctx), ...(partition ? { partition_name: partition } : {}) };
  if (filter === undefined && (body.id === undefined || body.id === null)) throw missing('filter');
  const r = filter !== undefined ? await ctx.engine.writes.delete({ ...base, filter, ...exprValues(body) }) : await ctx.engine.writes.delete({ ...base, ids: idList(body.id, 'id') });
  return { deleteCount: r.count };
}

function exprValues(body: Body): { exprValues?: Record<string, unknown> } {
  const v = optObj(body, 'exprParams') ?? optObj(body, 'exprValues');
  return v ? { exprValues: v } : {};
}

function render(ctx: RestContext, list: Record<string, unknown>[]): Record<string, unknown>[] {
  const fields = fieldsOf(ctx.engine, collectionOf(ctx));
  return list.map((r) => restRow(r, fields));
}

async function get(ctx: RestContext): Promise<Record<string, unknown>[]> {
  const partitions = optStrList(ctx.body, 'partitionNames');
  const out = optStrList(ctx.body, 'outputFields') ?? DEFAULT_OUTPUT;
  const list = await ctx.engine.search.get({ ...collectionOf(ctx), ids: idList(ctx.body.id, 'id'), output_fields: out, ...(partitions ? { partition_names: partitions } : {}) });
  return render(ctx, list);
}

async function query(ctx: RestContext): Promise<Record<string, unknown>[]> {
  const { body } = ctx;
  const partitions = optStrList(body, 'partitionNames');
  const out = optStrList(body, 'outputFields') ?? DEFAULT_OUTPUT;
  const isCount = out.some((f) => f.trim().toLowerCase() === 'count(*)');
  const limit = optNum(body, 'limit') ?? DEFAULT_LIMIT;
  const offset = optNum(body, 'offset');
  const list = await ctx.engine.search.query({
    ...collectionOf(ctx),
    filter: optStr(body, 'filter') ?? '',
    ...exprValues(body),
    output_fields: out,
    ...(partitions ? { partition_names: partitions } : {}),
    ...(isCount ? {} : { limit, ...(offset !== undefined && offset > 0 ? { offset } : {}) }),
    ...(body.orderByFields !== undefined ? { order_by_fields: body.orderByFields } : {}),
  });
  return render(ctx, list);
}

/** The parts of one search request shared by `search` and each `hybrid_search` sub-request. */
function annsRequest(b: Body, what: string): Omit<SearchReq, 'collection_name'> & { data: unknown } {
  // `ids` (primary-key search, Milvus 2.6.9) stands in for `data`; the engine checks the two exclude each other.
  const ids = Array.isArray(b.ids) && b.ids.length > 0 ? { ids: b.ids as unknown[] } : {};
  if ((b.data === undefined || b.data === null) && !('ids' in ids)) throw missing(`${what}data`);
  const sp = optObj(b, 'searchParams') ?? {};
  const nested = sp.params;
  const params: Record<string, unknown> = typeof nested === 'object' && nested !== null && !Array.isArray(nested) ? { ...(nested as Body) } : {};
  for (const [k, v] of Object.entries(sp)) if (!['metricType', 'metric_type', 'params', 'ignore_growing', 'ignoreGrowing'].includes(k)) params[k] = v;
  for (const [k, v] of Object.entries(optObj(b, 'params') ?? {})) params[k] = v;
  const req: Omit<SearchReq, 'collection_name'> & { data: unknown } = { data: b.data, limit: optNum(b, 'limit') ?? DEFAULT_LIMIT, params };
  const anns = optStr(b, 'annsField');
  if (anns) req.anns_field = anns;
  const filter = optStr(b, 'filter');
  if (filter) req.filter = filter;
  const offset = optNum(b, 'offset');
  if (offset) req.offset = offset;
  const metric = b.metricType ?? sp.metricType ?? sp.metric_type;
  if (typeof metric === 'string' && metric !== '') req.metric_type = metric;
  if (b.ignoreGrowing === true || sp.ignore_growing === true || sp.ignoreGrowing === true) req.ignore_growing = true;
  const group = optStr(b, 'groupingField');
  if (group) req.group_by_field = group;
  const groupSize = optNum(b, 'groupSize');
  if (groupSize !== undefined) req.group_size = groupSize;
  if (b.strictGroupSize === true) req.strict_group_size = true;
  const rd = optNum(b, 'roundDecimal');
  if (rd !== undefined) req.round_decimal = rd;
  const fs = functionScore(b);
  if (fs) req.unsupported = { function_score: fs };
  if (b.highlighter !== undefined && b.highlighter !== null) req.unsupported = { ...req.unsupported, highlighter: b.highlighter };
  return { ...req, ...ids, ...exprValues(b) };
}

/** RESTful v2's `functionScore` (camelCase function keys) as the engine's function_score. */
function functionScore(b: Body): { functions: unknown[] } | undefined {
  const fs = optObj(b, 'functionScore');
  if (!fs || !Array.isArray(fs.functions)) return undefined;
  return { functions: (fs.functions as Body[]).map((f) => ({ ...f, input_field_names: f.inputFieldNames ?? f.input_field_names, params: f.params })) };
}

/** Flat hits `{<pk>, distance, ...fields}` plus `topks` (hits per query; the SDK splits by it when nq > 1). */
function hitsReply(hits: Hit[][], fields: Map<string, FieldSchema>): RestReply {
  const pk = [...fields.values()].find((f) => f.isPrimaryKey)!.name;
  const flat = hits.flatMap((q) => q.map((h) => ({ ...restRow(h.fields, fields), [pk]: h.pk, distance: h.score, ...(h.highlight ? { highlight: h.highlight } : {}) })));
  return new RestReply(flat, { topks: hits.map((q) => q.length) });
}

async function search(ctx: RestContext): Promise<RestReply> {
  const coll = collectionOf(ctx);
  const partitions = optStrList(ctx.body, 'partitionNames');
  const out = optStrList(ctx.body, 'outputFields');
  const r = await ctx.engine.search.search({ ...coll, ...annsRequest(ctx.body, ''), ...(out ? { output_fields: out } : {}), ...(partitions ? { partition_names: partitions } : {}) });
  return hitsReply(r.hits, fieldsOf(ctx.engine, coll));
}

async function hybridSearch(ctx: RestContext): Promise<RestReply> {
  const { body } = ctx;
  const coll = collectionOf(ctx);
  const subs = body.search;
  if (!Array.isArray(subs) || subs.length === 0) throw missing('search');
  const data = subs.map((s, i) => {
    if (typeof s !== 'object' || s === null || Array.isArray(s)) throw invalidParam(`search[${i}]`, 'must be a JSON object');
    return annsRequest(s as Body, `search[${i}].`);
  });
  const rerank = optObj(body, 'rerank') ?? {};
  const partitions = optStrList(body, 'partitionNames');
  const out = optStrList(body, 'outputFields');
  const offset = optNum(body, 'offset');
  const fs = functionScore(body);
  const r = await ctx.engine.search.hybridSearch({
    ...coll,
    data,
    rerank: { strategy: typeof rerank.strategy === 'string' ? rerank.strategy : 'rrf', params: optObj(rerank, 'params') ?? {} },
    limit: optNum(body, 'limit') ?? DEFAULT_LIMIT,
    ...(fs || body.highlighter ? { unsupported: { ...(fs ? { function_score: fs } : {}), ...(body.highlighter ? { highlighter: body.highlighter } : {}) } } : {}),
    ...(offset ? { offset } : {}),
    ...(out ? { output_fields: out } : {}),
    ...(partitions ? { partition_names: partitions } : {}),
  });
  return hitsReply(r.hits, fieldsOf(ctx.engine, coll));
}

export function entityRoutes(): [string, RestRoute][] {
  return [
    ['entities/insert', (ctx) => write(ctx, 'insert')],
    ['entities/upsert', (ctx) => write(ctx, 'upsert')],
    ['entities/delete', remove],
    ['entities/get', get],
    ['entities/query', query],
    ['entities/search', search],
    ['entities/hybrid_search', hybridSearch],
  ];
}
