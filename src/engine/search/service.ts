/**
 * The search service: query, get, count, the export scan, search (plans per segment, executes,
 * reduces — plan.ts → execute.ts → reduce.ts) and hybrid search (fuse.ts, or decay.ts).
 */
import { DataType } from '../../core/data-type.js';
import { invalidParam, MilvusError, ErrorCode } from '../../core/errors.js';
import type { Bitset } from '../../core/bitset.js';
import { DYNAMIC_FIELD, primaryField } from '../../core/schema.js';
import { INSERT_TS, type Segment } from '../../storage/index.js';
import type { Column } from '../../core/column.js';
import { primaryKeyFilter, type CompiledFilter } from '../../expr/index.js';
import { requestFilter, requireLoaded, type CollectionRuntime } from '../collection-runtime.js';
import type { EngineContext } from '../context.js';
import { outputValue, toInt64, scalarValue } from '../row-codec.js';
import { planColumns, planOutput, readRow } from '../output-fields.js';
import { annsField, checkLimit, planSearch, type PlanEnv } from './plan.js';
import { executeSearch } from './execute.js';
import { fuse, type Fusion } from './fuse.js';
import { IteratorSessions, nextCursor } from './iterator.js';
import { decayPage, decayRerank, parseDecay } from './decay.js';
import { applyHighlight, highlightTasks, parseHighlighter } from './highlight.js';
import { resolveQueryData } from './query-vectors.js';
import { consistencyLevel, refuseUnsupportedQuery, refuseUnsupportedSearch } from '../request-checks.js';
import type { Hit, HybridSearchReq, QueryReq, SearchReq } from '../requests.js';
import { templateValues } from '../filter-templates.js';
import { parseOrderBy, sortRows } from '../order-by.js';
import { hasSearchIds, refuseIdsIn, refuseIdsInIterator, spreadNullQueries, vectorsOfIds } from './by-ids.js';

const MAX_QUERY_RESULT = 16384;
/** Search requests in one hybrid search (Milvus's proxy defaultMaxSearchRequest). */
const MAX_HYBRID_REQUESTS = 1024;

export class SearchService {
  /** Open search iterators (token → keys returned at recent bounds); see iterator.ts. */
  private readonly iterators = new IteratorSessions();

  private readonly planEnv: PlanEnv;

  constructor(private readonly ctx: EngineContext) {
    this.planEnv = { ctx, iterators: this.iterators, allLoaded: (rt) => this.loadedSegments(rt, undefined) };
  }

  /** Segments of the named (or all loaded) partitions; every named partition must be loaded. */
  private loadedSegments(rt: CollectionRuntime, partitionNames: readonly string[] | undefined): readonly Segment[] {
    requireLoaded(rt);
    let ids: Set<number>;
    if (partitionNames?.length) {
      ids = new Set();
      for (const n of partitionNames) {
        const p = this.ctx.partition(rt, n);
        if (rt.load.partitions !== null && !rt.load.partitions.has(p.id)) {
          throw new MilvusError(ErrorCode.PartitionNotLoaded, `partition not loaded[partition=${n}]`);
        }
        ids.add(p.id);
      }
    } else ids = rt.load.partitions ?? new Set(rt.meta.partitions.map((p) => p.id));
    return rt.store.segments().filter((s) => ids.has(s.partitionId));
  }

  // ---------------------------------------------------------------- reads

  async query(req: QueryReq): Promise<Record<string, unknown>[]> {
    return (await this.queryWithColumns(req)).rows;
  }

  /**
   * `query` plus the result's columns (field names, `$meta` when dynamic keys were asked for, or
   * `count(*)`), so that a query matching nothing still returns every requested output field as an
   * empty column, as Milvus does (pymilvus raises "No fields returned" on a reply without columns).
   */
  async queryWithColumns(req: QueryReq): Promise<{ rows: Record<string, unknown>[]; columns: string[] }> {
    const rt = this.ctx.runtime(req);
    refuseUnsupportedQuery(req.unsupported);
    consistencyLevel(req.consistency_level);
    const segments = this.loadedSegments(rt, req.partition_names);
    const text = req.filter ?? req.expr ?? '';
    const output = (req.output_fields ?? []).map((s) => String(s).trim());
    const isCount = output.some((f) => f.toLowerCase() === 'count(*)');
    if (isCount && output.length > 1) throw invalidParam('output_fields', 'count(*) cannot be combined with other output fields');
    let filter = requestFilter(rt, text, templateValues(req));
    if (req.ids !== undefined) {
      if (!Array.isArray(req.ids) || req.ids.length === 0) throw invalidParam('ids', 'must be a non-empty array');
      const pkf = primaryField(rt.meta.schema);
      filter = primaryKeyFilter(pkf, req.ids.map((v, i) => (pkf.dataType === DataType.Int64 ? toInt64(v, `ids[${i}]`) : String(scalarValue(pkf, v, `ids[${i}]`)))));
    }
    const { limit, offset } = this.queryWindow(req, filter !== null || isCount);
    const orderBy = parseOrderBy(rt.meta.schema, req.order_by_fields);
    // The collection's TTL (collection.ttl.seconds): rows inserted before now − TTL are not seen.
    const expireBefore = rt.store.expireBefore();
    if (isCount) {
      let n = 0;
      for (const seg of segments) n += this.matches(seg, filter, expireBefore).count();
      return { rows: [{ 'count(*)': n }], columns: ['count(*)'] };
    }
    const plan = planOutput(rt.meta.schema, output, { vectorsInStar: true });
    // Milvus returns query rows in primary-key order (query iterators page on it), or by order_by_fields.
    let hitsList: { seg: Segment; row: number; pk: bigint | string }[] = [];
    for (const seg of segments) for (const row of this.matches(seg, filter, expireBefore).indices()) hitsList.push({ seg, row, pk: seg.pkAt(row) });
    hitsList.sort((a, b) => (a.pk < b.pk ? -1 : a.pk > b.pk ? 1 : 0));
    if (orderBy) {
      if (req.after_pk !== undefined) throw invalidParam('order_by_fields', 'a query iterator pages in primary-key order; order_by_fields cannot be combined with it');
      hitsList = sortRows(hitsList, orderBy);
    }
    let page = hitsList;
    if (req.after_pk !== undefined) {
      const pkf = rt.meta.schema.fields.find((f) => f.isPrimaryKey)!;
      const after = pkf.dataType === DataType.Int64 ? toInt64(req.after_pk, 'after_pk') : String(req.after_pk);
      page = hitsList.filter((h) => h.pk > after);
    }
    return { rows: page.slice(offset, offset + limit).map((h) => readRow(h.seg, h.row, plan, true)), columns: planColumns(plan) };
  }

  /**
   * Every live row of a collection in primary-key order, in batches, with every field (vectors too) and
   * the dynamic keys flattened to the top level. Reads segment files when the collection is released.
   * Values are as `query` returns them (Int64 as decimal strings). Used by `elanus export`.
   */
  async *scanRows(req: { collection_name: string; db_name?: string; partition_names?: string[]; batchSize?: number }): AsyncGenerator<Record<string, unknown>[]> {
    const rt = this.ctx.runtime(req);
    const batchSize = req.batchSize ?? 1000;
    if (!Number.isInteger(batchSize) || batchSize < 1) throw invalidParam('batchSize', `must be a positive integer, got ${String(req.batchSize)}`);
    const partIds = req.partition_names?.length ? new Set(req.partition_names.map((n) => this.ctx.partition(rt, n).id)) : null;
    const schema = rt.meta.schema;
    const pkf = primaryField(schema);
    const fields = schema.fields.filter((f) => !f.isDynamic);
    const hits: { cols: ReadonlyMap<string, Column>; row: number; pk: bigint | string }[] = [];
    const expireBefore = rt.store.expireBefore();
    for (const seg of rt.store.allSegments()) {
      if (partIds && !partIds.has(seg.partitionId)) continue;
      const deleted = seg.deleted;
      const n = seg.rowCount;
      const cols = seg.resident ? new Map(seg.columns()) : await rt.store.readColumns(seg);
      const pks = cols.get(pkf.name)!.data as BigInt64Array | string[];
      // Rows expired by the collection's TTL are not exported (a file's `$ts` column: insert times).
      const ts = seg.resident ? null : (cols.get(INSERT_TS)?.data as Float64Array | undefined);
      const expired = (row: number): boolean => {
        if (expireBefore <= 0) return false;
        const t = ts ? (ts[row] ?? 0) : seg.insertTime(row);
        return t > 0 && t < expireBefore;
      };
      for (let row = 0; row < n; row++) if (!deleted.get(row) && !expired(row)) hits.push({ cols, row, pk: pks[row]! });
    }
    hits.sort((a, b) => (a.pk < b.pk ? -1 : a.pk > b.pk ? 1 : 0));
    for (let at = 0; at < hits.length; at += batchSize) {
      yield hits.slice(at, at + batchSize).map((h) => {
        const out: Record<string, unknown> = {};
        for (const f of fields) out[f.name] = outputValue(h.cols.get(f.name)!, h.row);
        if (schema.enableDynamicField) {
          const meta = (h.cols.get(DYNAMIC_FIELD)?.data as unknown[] | undefined)?.[h.row];
          if (meta && typeof meta === 'object') for (const [k, v] of Object.entries(meta)) if (!(k in out)) out[k] = v;
        }
        return out;
      });
    }
  }

  private matches(seg: Segment, filter: CompiledFilter | null, expireBefore: number): Bitset {
    const live = seg.liveRows(expireBefore);
    return filter ? live.and(filter.evaluate(seg)) : live;
  }

  private queryWindow(req: QueryReq, hasFilter: boolean): { limit: number; offset: number } {
    if (req.limit === undefined || req.limit === null || Number(req.limit) < 0) {
      if (!hasFilter) throw invalidParam('limit', 'a query without a filter needs a limit');
      if (req.offset) throw invalidParam('offset', 'offset needs a limit');
      return { limit: Number.MAX_SAFE_INTEGER, offset: 0 };
    }
    const limit = Number(req.limit);
    const offset = Number(req.offset ?? 0);
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_QUERY_RESULT) throw invalidParam('limit', `must be an integer in [1, ${MAX_QUERY_RESULT}], got ${String(req.limit)}`);
    if (!Number.isInteger(offset) || offset < 0) throw invalidParam('offset', `must be a non-negative integer, got ${String(req.offset)}`);
    if (limit + offset > MAX_QUERY_RESULT) throw invalidParam('limit', `limit + offset must be at most ${MAX_QUERY_RESULT}`);
    return { limit, offset };
  }

  async get(req: QueryReq & { ids: (string | number | bigint)[] }): Promise<Record<string, unknown>[]> {
    if (!Array.isArray(req.ids) || req.ids.length === 0) throw invalidParam('ids', 'get needs a non-empty array of ids');
    return this.query({ ...req, filter: undefined, expr: undefined });
  }

  async count(req: QueryReq): Promise<number> {
    const rows = await this.query({ ...req, output_fields: ['count(*)'], limit: undefined, offset: undefined });
    return rows[0]!['count(*)'] as number;
  }

  /** Vector search. Returns hits per query (best first) and the output columns (for replies without hits). */
  async search(req: SearchReq): Promise<{ hits: Hit[][]; nq: number; metric: string; columns: string[]; iterator?: { token: string; lastBound: number } }> {
    const rt = this.ctx.runtime(req);
    const decay = parseDecay(req.unsupported?.function_score?.functions, rt.meta.schema.fields);
    const highlighter = parseHighlighter(req.unsupported?.highlighter);
    refuseUnsupportedSearch({ ...req.unsupported, ...(decay ? { function_score: null } : {}), highlighter: undefined });
    consistencyLevel(req.consistency_level);
    const segments = this.loadedSegments(rt, req.partition_names);
    // Highlighting reads the text fields of the final hits: ask for the ones the user did not.
    const userOutput = req.output_fields;
    const hlTasks = highlighter ? highlightTasks(highlighter, rt.meta.schema, annsField(rt.meta.schema.fields, req.anns_field)) : [];
    const hlExtra = hlTasks.map((t) => t.field.name).filter((f) => !(userOutput ?? []).some((o) => o === '*' || o === f));
    const searchTexts = hlTasks.length > 0 ? textsOf(resolveQueryData(req.data ?? req.vector ?? req.vectors)) : undefined;
    if (hlExtra.length > 0) req = { ...req, output_fields: [...(userOutput ?? []), ...hlExtra] };
    let nullAt: boolean[] | null = null;
    if (hasSearchIds(req.ids)) {
      // Primary-key search: the stored vectors of the ids are the queries (search-by-ids.ts).
      refuseIdsInIterator(req.params);
      const field = annsField(rt.meta.schema.fields, req.anns_field);
      const expireBefore = rt.store.expireBefore();
      const byIds = vectorsOfIds(rt.meta.schema, field, req.ids, req.data ?? req.vector ?? req.vectors, segments, (seg, row) => seg.isLive(row, expireBefore));
      nullAt = byIds.nullAt;
      req = { ...req, ids: undefined, data: byIds.data, vector: undefined, vectors: undefined };
    }
    const keepDecayField = !decay || (req.output_fields ?? []).some((f) => f === '*' || f === decay.field);
    // A decay rerank scores the first limit + offset hits, then pages (and rounds) the reranked list.
    const window = decay ? checkLimit(req.limit ?? req.topk, req.offset) : undefined;
    const sreq = decay && window ? { ...req, limit: window.limit + window.offset, topk: undefined, offset: 0, output_fields: keepDecayField ? req.output_fields : [...(req.output_fields ?? []), decay.field] } : req;
    const planned = planSearch(this.planEnv, rt, sreq, segments);
    const plan = decay ? { ...planned, roundDecimal: -1 } : planned;
    const columns = planColumns(planOutput(rt.meta.schema, userOutput, { vectorsInStar: true })); // validates names early
    if (decay && plan.iterator) throw invalidParam('function_score', 'decay reranking cannot be combined with a search iterator');
    if (decay && req.group_by_field) throw invalidParam('function_score', 'decay reranking cannot be used with grouping search');
    const raw = spreadNullQueries(executeSearch(plan), nullAt);
    const hits = decay && window ? decayPage(decayRerank(decay, [{ hits: raw, metric: plan.metric }], !keepDecayField), window.offset, window.limit, planned.roundDecimal) : raw;
    if (highlighter) {
      applyHighlight(highlighter, hlTasks, hits, searchTexts, (h, f) => h.fields[f]);
      for (const q of hits) for (const h of q) for (const f of hlExtra) delete h.fields[f];
    }
    if (!plan.iterator) return { hits, nq: nullAt ? nullAt.length : plan.queries.nq, metric: plan.metric, columns };
    // The token stays; the bound moves to this page's last score (an empty page keeps it: the
    // iterator is exhausted), as Milvus's proxy reports it (getLastBound).
    const { token, cursor: from, lastBound } = plan.iterator;
    const cursor = nextCursor(hits[0] ?? [], from);
    this.iterators.record(token, rt.meta.id, cursor);
    return { hits, nq: plan.queries.nq, metric: plan.metric, columns, iterator: { token, lastBound: cursor?.bound ?? lastBound ?? 0 } };
  }

  /**
   * Several searches over different vector fields, fused by RRF (k = params.k, default 60) or a
   * weighted sum of normalised scores (params.weights).
   */
  async hybridSearch(req: HybridSearchReq): Promise<{ hits: Hit[][]; nq: number }> {
    const rt = this.ctx.runtime(req); // the collection must exist even before the sub-requests are checked
    // A function_score decay reranker replaces the RRF / weighted ranker (Milvus: max normalised score × decay).
    const decay = parseDecay(req.unsupported?.function_score?.functions, rt.meta.schema.fields);
    refuseUnsupportedSearch(decay ? { ...req.unsupported, function_score: null } : req.unsupported);
    consistencyLevel(req.consistency_level);
    if (!Array.isArray(req.data) || req.data.length === 0) throw invalidParam('data', 'hybrid search needs at least one search request');
    // Milvus's proxy: defaultMaxSearchRequest.
    if (req.data.length > MAX_HYBRID_REQUESTS) throw invalidParam('data', `a hybrid search takes at most ${MAX_HYBRID_REQUESTS} search requests, got ${req.data.length}`);
    const { limit, offset } = checkLimit(req.limit, req.offset);
    const keepDecayField = !decay || (req.output_fields ?? []).some((f) => f === '*' || f === decay.field);
    const subOutput = keepDecayField || !decay ? req.output_fields : [...(req.output_fields ?? []), decay.field];
    const strategy = decay ? 'rrf' : (req.rerank?.strategy ?? 'rrf').toLowerCase();
    const rparams = req.rerank?.params ?? {};
    const weights = strategy === 'weighted' ? (rparams.weights as number[] | undefined) : undefined;
    if (strategy === 'weighted' && (!Array.isArray(weights) || weights.length !== req.data.length)) {
      throw invalidParam('rerank.params.weights', `weighted reranking needs one weight per search request (${req.data.length})`);
    }
    if (strategy !== 'rrf' && strategy !== 'weighted') throw invalidParam('rerank.strategy', `must be rrf or weighted, got ${strategy}`);
    const k = Number(rparams.k ?? 60);
    for (const sub of req.data) refuseIdsIn('hybrid search', (sub as { ids?: unknown }).ids);
    const results = [];
    for (const sub of req.data) {
      results.push(
        await this.search({
          ...sub,
          collection_name: req.collection_name,
          db_name: req.db_name,
          partition_names: req.partition_names,
          limit: Math.min(16384, Number((sub as { limit?: number }).limit ?? limit + offset)),
          offset: 0,
          output_fields: subOutput,
        }),
      );
    }
    const nq = results[0]!.nq;
    if (results.some((r) => r.nq !== nq)) throw invalidParam('data', 'every search request of a hybrid search needs the same number of query vectors');
    if (decay) return { hits: decayPage(decayRerank(decay, results, !keepDecayField), offset, limit, req.round_decimal ?? -1), nq };
    return { hits: fuse(results, { strategy: strategy as Fusion['strategy'], k, weights }, offset, limit, req.round_decimal ?? -1), nq };
  }
}

/** The query texts of a full-text search request (one string or a list); undefined for vectors. */
function textsOf(data: unknown): string[] | undefined {
  if (typeof data === 'string') return [data];
  return Array.isArray(data) && data.every((x) => typeof x === 'string') ? (data as string[]) : undefined;
}
