/**
 * The search service: query, get, count, the export scan, search (plans per segment, executes,
 * reduces; see search.ts) and hybrid search (fused by RRF or weights).
 */
import { DataType, higherIsBetter } from '../../core/data-type.js';
import { invalidParam, MilvusError, ErrorCode } from '../../core/errors.js';
import type { Bitset } from '../../core/bitset.js';
import { DYNAMIC_FIELD, primaryField } from '../../core/schema.js';
import { type PrimaryKey, type Segment } from '../../storage/index.js';
import type { Column } from '../../core/column.js';
import { refuseMinHash } from '../../index/index.js';
import { primaryKeyFilter, type CompiledFilter } from '../../expr/index.js';
import { requestFilter, requireLoaded, type CollectionRuntime } from '../collection-runtime.js';
import type { EngineContext } from '../context.js';
import { outputValue, toInt64, scalarValue } from '../row-codec.js';
import { planColumns, planOutput, readRow } from '../output-fields.js';
import { annsField, checkLimit, executeSearch, splitSearchParams, type SearchPlan } from './execute.js';
import { IteratorSessions, nextCursor, rangeAfter } from './iterator.js';
import { parseQueryVectors, resolveQueryData } from './query-vectors.js';
import { bm25Weights, textQueries } from './bm25.js';
import type { QueryVectors } from '../../index/types.js';
import { decayPage, decayRerank, parseDecay } from './decay.js';
import { consistencyLevel, refuseUnsupportedQuery, refuseUnsupportedSearch } from '../request-checks.js';
import type { Hit, HybridSearchReq, QueryReq, SearchReq } from '../requests.js';
import { templateValues } from '../filter-templates.js';
import { parseOrderBy, sortRows } from '../order-by.js';
import { hasSearchIds, refuseIdsIn, refuseIdsInIterator, vectorsOfIds } from './by-ids.js';

const MAX_QUERY_RESULT = 16384;
/** Search requests in one hybrid search (Milvus's proxy defaultMaxSearchRequest). */
const MAX_HYBRID_REQUESTS = 1024;

export class SearchService {
  /** Open search iterators (token → keys returned at recent bounds); see search-iterator.ts. */
  private readonly iterators = new IteratorSessions();

  constructor(private readonly ctx: EngineContext) {}

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
    if (isCount) {
      let n = 0;
      for (const seg of segments) n += this.matches(seg, filter).count();
      return { rows: [{ 'count(*)': n }], columns: ['count(*)'] };
    }
    const plan = planOutput(rt.meta.schema, output, { vectorsInStar: true });
    // Milvus returns query rows in primary-key order (query iterators page on it), or by order_by_fields.
    let hitsList: { seg: Segment; row: number; pk: bigint | string }[] = [];
    for (const seg of segments) for (const row of this.matches(seg, filter).indices()) hitsList.push({ seg, row, pk: seg.pkAt(row) });
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
    for (const seg of rt.store.allSegments()) {
      if (partIds && !partIds.has(seg.partitionId)) continue;
      const deleted = seg.deleted;
      const n = seg.rowCount;
      const cols = seg.resident ? new Map(seg.columns()) : await rt.store.readColumns(seg);
      const pks = cols.get(pkf.name)!.data as BigInt64Array | string[];
      for (let row = 0; row < n; row++) if (!deleted.get(row)) hits.push({ cols, row, pk: pks[row]! });
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

  private matches(seg: Segment, filter: CompiledFilter | null): Bitset {
    const live = seg.liveRows();
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

  private searchPlan(rt: CollectionRuntime, req: SearchReq, segments: readonly Segment[]): SearchPlan {
    const field = annsField(rt.meta.schema.fields, req.anns_field);
    const index = rt.meta.indexes.find((i) => i.fieldName === field.name);
    if (!index) throw new MilvusError(ErrorCode.IndexNotFound, `index not found[collection=${rt.meta.name}, field=${field.name}]`);
    const spec = this.ctx.vectorSpec(rt.meta, index);
    if (!spec) throw invalidParam('anns_field', `field "${field.name}" has no vector index`);
    refuseMinHash('metric_type', req.metric_type);
    const metric = req.metric_type && req.metric_type !== '' ? req.metric_type.toUpperCase() : spec.metricType;
    if (metric !== spec.metricType) throw invalidParam('metric_type', `metric type not match: the index on "${field.name}" uses ${spec.metricType}, the search asked for ${req.metric_type}`);
    const { limit, offset } = checkLimit(req.limit ?? req.topk, req.offset);
    let queries: QueryVectors;
    let bm25: SearchPlan['bm25'];
    const data = resolveQueryData(req.data ?? req.vector ?? req.vectors);
    if (field.isFunctionOutput) {
      // BM25 full-text search: the query is text; IDF and avgdl come from every loaded segment.
      if (spec.metricType !== 'BM25') throw invalidParam('metric_type', `"${field.name}" is a BM25 function output; its index needs metric_type BM25, not ${spec.metricType}`);
      const w = bm25Weights(this.loadedSegments(rt, undefined), field.name, textQueries(rt.meta.schema, field, data));
      queries = { type: field.dataType, dim: 0, nq: w.weighted.length, data: new Float32Array(0), sparse: w.weighted };
      bm25 = { k1: Number(spec.params.bm25_k1 ?? 1.2), b: Number(spec.params.bm25_b ?? 0.75), avgdl: w.avgdl };
    } else {
      if (spec.metricType === 'BM25') throw invalidParam('metric_type', `BM25 scores a BM25 function's output field; "${field.name}" is not one`);
      queries = parseQueryVectors(field, data);
    }
    const split = splitSearchParams(spec, req.params, limit + offset, { radius: req.radius, range_filter: req.range_filter });
    const { params } = split;
    let range = split.range;
    let exclude: PrimaryKey[] | undefined;
    let iterator: SearchPlan['iterator'];
    if (split.iterator) {
      if (queries.nq !== 1) throw invalidParam('nq', `a search iterator takes exactly one query vector, got ${queries.nq}`);
      if (offset !== 0) throw invalidParam('offset', 'a search iterator pages by itself; offset must be 0');
      if (req.group_by_field) throw invalidParam('group_by_field', 'grouping cannot be combined with a search iterator');
      iterator = { ...this.iterators.open(split.iterator, rt.meta.id), lastBound: split.iterator.lastBound };
      range = rangeAfter(iterator.cursor, range, higherIsBetter(spec.metricType));
      const int64Pk = rt.meta.schema.fields.find((f) => f.isPrimaryKey)?.dataType === DataType.Int64;
      exclude = iterator.cursor?.pks.map((p) => (int64Pk ? BigInt(p) : p));
    }
    let groupBy: SearchPlan['groupBy'];
    if (req.group_by_field) {
      const g = rt.meta.schema.fields.find((f) => f.name === req.group_by_field && !f.isDynamic);
      if (!g) throw invalidParam('group_by_field', `field "${req.group_by_field}" does not exist`);
      const ok = [DataType.Bool, DataType.Int8, DataType.Int16, DataType.Int32, DataType.Int64, DataType.VarChar] as number[];
      if (!ok.includes(g.dataType)) throw invalidParam('group_by_field', `grouping is supported on Bool, Int8/16/32/64 and VarChar fields; "${g.name}" is not one`);
      const size = req.group_size === undefined ? 1 : Number(req.group_size);
      if (!Number.isInteger(size) || size < 1 || size > 1024) throw invalidParam('group_size', `must be an integer in [1, 1024], got ${String(req.group_size)}`);
      if (range) throw invalidParam('group_by_field', 'grouping cannot be combined with range search');
      groupBy = { field: g, size, strict: req.strict_group_size === true };
    }
    const inParams = req.params && typeof req.params === 'object' ? (req.params as Record<string, unknown>).round_decimal : undefined;
    const rdRaw = req.round_decimal ?? inParams;
    const rd = rdRaw === undefined || rdRaw === null ? -1 : Number(rdRaw);
    if (!Number.isInteger(rd) || rd < -1 || rd > 6) throw invalidParam('round_decimal', `must be an integer in [-1, 6], got ${String(rdRaw)}`);
    if (iterator && rd !== -1) throw invalidParam('round_decimal', 'a search iterator pages on exact scores; leave round_decimal unset');
    return {
      schema: rt.meta.schema,
      field,
      spec,
      metric: spec.metricType,
      queries,
      limit,
      offset,
      params,
      range,
      roundDecimal: rd,
      groupBy,
      filter: requestFilter(rt, req.filter ?? req.expr, templateValues(req)),
      outputFields: req.output_fields,
      segments,
      ignoreGrowing: req.ignore_growing === true,
      exclude,
      iterator,
      bm25,
    };
  }

  /** Vector search. Returns hits per query (best first) and the output columns (for replies without hits). */
  async search(req: SearchReq): Promise<{ hits: Hit[][]; nq: number; metric: string; columns: string[]; iterator?: { token: string; lastBound: number } }> {
    const rt = this.ctx.runtime(req);
    const decay = parseDecay(req.unsupported?.function_score?.functions, rt.meta.schema.fields);
    refuseUnsupportedSearch(decay ? { ...req.unsupported, function_score: null } : req.unsupported);
    consistencyLevel(req.consistency_level);
    const segments = this.loadedSegments(rt, req.partition_names);
    if (hasSearchIds(req.ids)) {
      // Primary-key search: the stored vectors of the ids are the queries (search-by-ids.ts).
      refuseIdsInIterator(req.params);
      const field = annsField(rt.meta.schema.fields, req.anns_field);
      const data = vectorsOfIds(rt.meta.schema, field, req.ids, req.data ?? req.vector ?? req.vectors, segments);
      req = { ...req, ids: undefined, data, vector: undefined, vectors: undefined };
    }
    const keepDecayField = !decay || (req.output_fields ?? []).some((f) => f === '*' || f === decay.field);
    // A decay rerank scores the first limit + offset hits, then pages (and rounds) the reranked list.
    const window = decay ? checkLimit(req.limit ?? req.topk, req.offset) : undefined;
    const sreq = decay && window ? { ...req, limit: window.limit + window.offset, topk: undefined, offset: 0, output_fields: keepDecayField ? req.output_fields : [...(req.output_fields ?? []), decay.field] } : req;
    const planned = this.searchPlan(rt, sreq, segments);
    const plan = decay ? { ...planned, roundDecimal: -1 } : planned;
    const columns = planColumns(planOutput(rt.meta.schema, req.output_fields, { vectorsInStar: true })); // validates names early
    if (decay && plan.iterator) throw invalidParam('function_score', 'decay reranking cannot be combined with a search iterator');
    if (decay && req.group_by_field) throw invalidParam('function_score', 'decay reranking cannot be used with grouping search');
    const raw = executeSearch(plan);
    const hits = decay && window ? decayPage(decayRerank(decay, [{ hits: raw, metric: plan.metric }], !keepDecayField), window.offset, window.limit, planned.roundDecimal) : raw;
    if (!plan.iterator) return { hits, nq: plan.queries.nq, metric: plan.metric, columns };
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
    const hits: Hit[][] = [];
    for (let q = 0; q < nq; q++) {
      const fused = new Map<string, Hit & { fusedScore: number }>();
      results.forEach((r, i) => {
        const better = higherIsBetter(r.metric as never);
        r.hits[q]!.forEach((h, rank) => {
          const key = String(h.pk);
          const s = strategy === 'rrf' ? 1 / (k + rank + 1) : weights![i]! * normalise(h.score, r.metric, better);
          const cur = fused.get(key);
          if (cur) cur.fusedScore += s;
          else fused.set(key, { ...h, fusedScore: s });
        });
      });
      const sorted = [...fused.values()].sort((a, b) => b.fusedScore - a.fusedScore);
      const rd = req.round_decimal ?? -1;
      hits.push(sorted.slice(offset, offset + limit).map((h) => ({ pk: h.pk, fields: h.fields, score: rd >= 0 ? Math.round(h.fusedScore * 10 ** rd) / 10 ** rd : h.fusedScore })));
    }
    return { hits, nq };
  }
}

/** Milvus's weighted-ranker normalisation: arctan for distances and IP, (1+cos)/2 for COSINE. */
function normalise(score: number, metric: string, better: boolean): number {
  if (metric === 'COSINE') return (1 + score) / 2;
  if (metric === 'IP') return 0.5 + Math.atan(score) / Math.PI;
  return better ? score : 1 - (2 * Math.atan(score)) / Math.PI;
}
