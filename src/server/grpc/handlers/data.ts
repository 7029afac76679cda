/** Insert, upsert, delete, query, search, hybrid search, flush. */
import { DataType } from '../../../core/data-type.js';
import { invalidParam, MilvusError } from '../../../core/errors.js';
import { DYNAMIC_FIELD } from '../../../core/schema.js';
import type { MutationResult } from '../../../engine/writes.js';
import { fieldDataToRows, rowsToFieldData, type ColumnSpec, type Row, type WireFieldData } from '../codecs/field-data.js';
import { columnSpec, kvToRecord } from '../codecs/schema.js';
import type { FieldSchema } from '../../../core/schema.js';
import { decodeSearchRequest, encodeSearchResults, unsupportedFeatures } from '../codecs/search.js';
import { decodeTemplateValues } from '../codecs/template-values.js';
import { collectionFields } from './schema-lookup.js';
import { collectionReq, dbOf, hybridTs, type HandlerTable, type HandlerEnv, type Rpcs, type ReplyBody } from './types.js';
import type { CallContext } from '../context.js';

const COUNT = 'count(*)';

function encodeMutation(r: MutationResult, kind: 'insert' | 'upsert' | 'delete', pkType: number | undefined): Record<string, unknown> {
  const numeric = pkType !== undefined ? pkType === DataType.Int64 : r.ids.length > 0 && typeof r.ids[0] === 'bigint';
  const ids = r.ids.map(String);
  return {
    // A delete reply names no keys (Milvus's deleteRunner leaves IDs.IdField unset).
    IDs: kind === 'delete' ? {} : numeric ? { int_id: { data: ids } } : { str_id: { data: ids } },
    succ_index: kind === 'delete' ? [] : ids.map((_, i) => i),
    err_index: [],
    acknowledged: false,
    insert_cnt: kind === 'insert' ? r.count : 0,
    upsert_cnt: kind === 'upsert' ? r.count : 0,
    delete_cnt: kind === 'delete' ? r.count : 0,
    timestamp: hybridTs(Date.now()),
  };
}

async function mutate(req: Rpcs['Insert' | 'Upsert']['req'], ctx: CallContext, env: HandlerEnv, kind: 'insert' | 'upsert'): Promise<ReplyBody<'Insert'>> {
  const base = collectionReq(req, ctx);
  const rows = fieldDataToRows(req.fields_data as unknown as WireFieldData[], Number(req.num_rows));
  const partition = req.partition_name;
  // UpsertRequest.partial_update (Milvus 2.6 merge mode); Insert has no such field.
  const flag = kind === 'upsert' ? (req as Rpcs['Upsert']['req']).partial_update : undefined;
  const partial = flag !== undefined ? { partial_update: flag } : {};
  const r = await env.engine.writes[kind]({ ...base, ...(partition ? { partition_name: partition } : {}), ...partial, data: rows });
  const pk = collectionFields(env.engine, base).find((f) => f.isPrimaryKey);
  return encodeMutation(r, kind, pk?.dataType);
}

/** Query rows → QueryResults columns. Dynamic keys come back nested in `$meta`, as Milvus sends them. */
export function encodeQueryRows(rows: Row[], fields: readonly FieldSchema[], columns: string[] = []): { fields_data: Record<string, unknown>[]; output_fields: string[] } {
  const byName = new Map(fields.map((f) => [f.name, f]));
  // An empty result still has its columns (zero rows each), as Milvus sends them.
  const names: string[] = rows.length === 0 ? [...columns] : [];
  const seen = new Set<string>();
  for (const r of rows) {
    for (const k of Object.keys(r)) {
      if (seen.has(k)) continue;
      seen.add(k);
      names.push(k);
    }
  }
  const specs: ColumnSpec[] = [];
  const dynamicKeys: string[] = [];
  let needMeta = false;
  for (const name of names) {
    const f = byName.get(name);
    if (f && !f.isDynamic) specs.push(columnSpec(f));
    else if (name === COUNT) specs.push({ name: COUNT, fieldID: 0, dataType: DataType.Int64 });
    else if (name === DYNAMIC_FIELD) needMeta = true;
    else {
      dynamicKeys.push(name);
      needMeta = true;
    }
  }
  if (needMeta) specs.push({ name: DYNAMIC_FIELD, fieldID: byName.get(DYNAMIC_FIELD)?.fieldID ?? 0, dataType: DataType.JSON, isDynamic: true });
  return {
    fields_data: rowsToFieldData(rows, specs, dynamicKeys),
    output_fields: [...specs.filter((s) => !s.isDynamic).map((s) => s.name), ...dynamicKeys],
  };
}

function intParam(v: string | undefined, what: string): number | undefined {
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n)) throw invalidParam(what, `must be an integer, got ${JSON.stringify(v)}`);
  return n;
}

interface HybridRank {
  rerank: { strategy: string; params: Record<string, unknown> };
  limit?: number;
  offset?: number;
  round_decimal?: number;
}

function decodeHybridRank(list: { key: string; value: string }[]): HybridRank {
  const p = kvToRecord(list);
  let params: Record<string, unknown> = {};
  if (p['params']) {
    try {
      params = JSON.parse(p['params']) as Record<string, unknown>;
    } catch {
      throw invalidParam('rank_params.params', 'must be a JSON object');
    }
  }
  const out: HybridRank = { rerank: { strategy: p['strategy'] ?? 'rrf', params } };
  const limit = intParam(p['limit'], 'limit');
  if (limit !== undefined) out.limit = limit;
  const offset = intParam(p['offset'], 'offset');
  if (offset) out.offset = offset;
  const round = intParam(p['round_decimal'], 'round_decimal');
  if (round !== undefined && round !== -1) out.round_decimal = round;
  return out;
}

export const dataHandlers: HandlerTable = {
  Insert: (req, ctx, env) => mutate(req, ctx, env, 'insert'),
  Upsert: (req, ctx, env) => mutate(req, ctx, env, 'upsert'),

  async Delete(req, ctx, env) {
    const base = collectionReq(req, ctx);
    const partition = req.partition_name;
    const exprValues = decodeTemplateValues(req.expr_template_values);
    const r = await env.engine.writes.delete({ ...base, filter: req.expr, ...(partition ? { partition_name: partition } : {}), ...(exprValues ? { exprValues } : {}) });
    return encodeMutation(r, 'delete', collectionFields(env.engine, base).find((f) => f.isPrimaryKey)?.dataType);
  },

  async Query(req, ctx, env) {
    const base = collectionReq(req, ctx);
    const output = req.output_fields.filter((f) => f !== '');
    const qp = kvToRecord(req.query_params);
    // `iterator` (pymilvus's query iterator) needs rows in primary-key order, which every query returns.
    const partitions = req.partition_names;
    const exprValues = decodeTemplateValues(req.expr_template_values);
    const limit = intParam(qp['limit'], 'limit');
    const offset = intParam(qp['offset'], 'offset');
    const { rows, columns } = await env.engine.search.queryWithColumns({
      ...base,
      filter: req.expr,
      output_fields: output,
      ...(partitions.length ? { partition_names: partitions } : {}),
      ...(exprValues ? { exprValues } : {}),
      ...(limit !== undefined ? { limit } : {}),
      ...(offset ? { offset } : {}),
      ...(qp['order_by_fields'] !== undefined ? { order_by_fields: qp['order_by_fields'] } : {}),
      unsupported: { group_by_fields: qp['group_by_fields'] },
      ...(req.consistency_level !== undefined ? { consistency_level: req.consistency_level } : {}),
    });
    const fields = collectionFields(env.engine, base);
    // pymilvus's query iterator pins its pages to the reply's session_ts (and warns when it is 0).
    const iterator = qp['iterator'] === 'True' || qp['iterator'] === 'true';
    return {
      ...encodeQueryRows(rows, fields, columns),
      collection_name: base.collection_name,
      primary_field_name: fields.find((f) => f.isPrimaryKey)?.name ?? '',
      ...(iterator ? { session_ts: hybridTs(Date.now()) } : {}),
    };
  },

  async Search(req, ctx, env) {
    const base = collectionReq(req, ctx);
    const fields = collectionFields(env.engine, base);
    const searchReq = decodeSearchRequest(req, fields);
    const r = await env.engine.search.search({ ...base, ...searchReq });
    const results = encodeSearchResults(r.hits, fields, { limit: Number(searchReq.limit), columns: r.columns });
    if (r.iterator) results['search_iterator_v2_results'] = { token: r.iterator.token, last_bound: r.iterator.lastBound };
    // Iterator pages carry a session timestamp, as Milvus's first page does (pymilvus warns and
    // falls back to a client-side one when it is 0); Elanus reads the latest data either way.
    return { results, collection_name: base.collection_name, session_ts: r.iterator ? hybridTs(Date.now()) : 0 };
  },

  async HybridSearch(req, ctx, env) {
    const base = collectionReq(req, ctx);
    const fields = collectionFields(env.engine, base);
    const subs = req.requests.map((s) => {
      const d = decodeSearchRequest(s, fields);
      delete d.output_fields;
      delete d.partition_names;
      // By-ids sub-requests carry no `data`; the engine refuses ids in a hybrid search by name.
      return { ...d, data: d.data };
    });
    const rank = decodeHybridRank(req.rank_params);
    const output = req.output_fields.filter((f) => f !== '');
    const partitions = req.partition_names;
    const limit = rank.limit ?? 10;
    const r = await env.engine.search.hybridSearch({
      ...base,
      data: subs,
      rerank: rank.rerank,
      unsupported: unsupportedFeatures(req),
      ...(req.consistency_level !== undefined ? { consistency_level: req.consistency_level } : {}),
      limit,
      ...(rank.offset ? { offset: rank.offset } : {}),
      ...(rank.round_decimal !== undefined ? { round_decimal: rank.round_decimal } : {}),
      ...(output.length ? { output_fields: output } : {}),
      ...(partitions.length ? { partition_names: partitions } : {}),
    });
    return { results: encodeSearchResults(r.hits, fields, { limit }), collection_name: base.collection_name, session_ts: 0 };
  },

  async Flush(req, ctx, env) {
    const db = dbOf(req, ctx);
    const names = req.collection_names;
    let m: Map<string, number[]>;
    try {
      m = await env.engine.writes.flush({ collection_names: names, db_name: db });
    } catch (err) {
      // The segments that could not be written go back with the error: the SDK's flushSync polls
      // GetFlushState on them, which reports the same error.
      const failed = env.engine.writes.failedFlushSegments({ collection_names: names, db_name: db });
      const segs: Record<string, { data: string[] }> = {};
      for (const [name, ids] of failed) segs[name] = { data: ids.map(String) };
      return { status: MilvusError.from(err).toStatus(), db_name: db, coll_segIDs: segs, flush_coll_segIDs: segs, coll_seal_times: {}, coll_flush_ts: {} };
    }
    const segs: Record<string, { data: string[] }> = {};
    const times: Record<string, number> = {};
    for (const [name, ids] of m) {
      segs[name] = { data: ids.map(String) };
      times[name] = Math.floor(Date.now() / 1000);
    }
    return { db_name: db, coll_segIDs: segs, flush_coll_segIDs: segs, coll_seal_times: times, coll_flush_ts: {} };
  },

  async GetFlushState(req, _ctx, env) {
    try {
      return { flushed: env.engine.writes.getFlushState({ segmentIDs: req.segmentIDs }) };
    } catch (err) {
      // A failed segment write: the error, and flushed = true meaning "nothing more happens until the
      // fault clears" (clients check the status first; the Node SDK's flushSync would poll forever on false).
      return { status: MilvusError.from(err).toStatus(), flushed: true };
    }
  },
};
