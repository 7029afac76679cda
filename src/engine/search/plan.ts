/**
 * Search planning: a search request checked and resolved against the collection into a SearchPlan —
 * the vector field and its index spec, the metric, the query vectors (or BM25 text weights), limit and
 * offset, index search parameters and range bounds, grouping, rounding, the compiled filter and the
 * iterator cursor. Everything a request can get wrong is refused here, before any segment is touched.
 */
import { DataType, higherIsBetter, isVectorType, type MetricType } from '../../core/data-type.js';
import { invalidParam, MilvusError, ErrorCode } from '../../core/errors.js';
import type { CollectionSchema, FieldSchema } from '../../core/schema.js';
import { refuseMinHash, resolveSearchParams, type VectorIndexSpec } from '../../index/index.js';
import type { QueryVectors, RangeBounds } from '../../index/types.js';
import type { PrimaryKey, Segment } from '../../storage/index.js';
import type { CompiledFilter } from '../../expr/index.js';
import { requestFilter, type CollectionRuntime } from '../collection-runtime.js';
import type { EngineContext } from '../context.js';
import type { SearchReq } from '../requests.js';
import { templateValues } from '../filter-templates.js';
import { rangeAfter, takeIteratorParams, type IteratorCursor, type IteratorRequest, type IteratorSessions } from './iterator.js';
import { parseQueryVectors, resolveQueryData } from './query-vectors.js';
import { bm25Weights, textQueries } from './bm25.js';

export const MAX_TOPK = 16384;

export interface SearchPlan {
  /** The collection's schema (output fields resolve against it even when no segment holds rows). */
  schema: CollectionSchema;
  field: FieldSchema;
  spec: VectorIndexSpec;
  metric: MetricType;
  queries: QueryVectors;
  limit: number;
  offset: number;
  params: Record<string, unknown>;
  range?: RangeBounds;
  roundDecimal: number;
  groupBy?: { field: FieldSchema; size: number; strict: boolean };
  filter: CompiledFilter | null;
  outputFields: string[] | undefined;
  segments: readonly Segment[];
  ignoreGrowing: boolean;
  /** Rows with these primary keys are left out (a search iterator's already returned ties). */
  exclude?: readonly PrimaryKey[];
  /** Set for a page of a search iterator (v2): its token and the cursor the page continues from. */
  iterator?: { token: string; lastBound: number | undefined; cursor: IteratorCursor | null };
  /** BM25 scoring (text search on a BM25 function output): k1, b and the collection's avgdl. */
  bm25?: { k1: number; b: number; avgdl: number };
  /** Rows inserted before this time (ms) are expired by the collection's TTL (0 or absent: no TTL). */
  expireBefore?: number;
}

export function checkLimit(limit: unknown, offset: unknown): { limit: number; offset: number } {
  const l = limit === undefined ? 10 : Number(limit);
  const o = offset === undefined ? 0 : Number(offset);
  if (!Number.isInteger(l) || l < 1 || l > MAX_TOPK) throw invalidParam('limit', `must be an integer in [1, ${MAX_TOPK}], got ${String(limit)}`);
  if (!Number.isInteger(o) || o < 0) throw invalidParam('offset', `must be a non-negative integer, got ${String(offset)}`);
  if (l + o > MAX_TOPK) throw invalidParam('limit', `limit + offset must be at most ${MAX_TOPK}, got ${l + o}`);
  return { limit: l, offset: o };
}

/** Search parameters from `params` (object or JSON string), with range keys pulled out. */
export function splitSearchParams(
  spec: VectorIndexSpec,
  raw: unknown,
  k: number,
  extra: { radius?: unknown; range_filter?: unknown },
): { params: Record<string, unknown>; range?: RangeBounds; iterator: IteratorRequest | null } {
  let p: Record<string, unknown> = {};
  if (typeof raw === 'string' && raw.trim() !== '') {
    try {
      p = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      throw invalidParam('params', `not valid JSON: ${raw}`);
    }
  } else if (raw && typeof raw === 'object') p = { ...(raw as Record<string, unknown>) };
  if (p.params && typeof p.params === 'object') p = { ...p, ...(p.params as Record<string, unknown>) };
  const iterator = takeIteratorParams(p);
  const radius = p.radius ?? extra.radius;
  const rangeFilter = p.range_filter ?? extra.range_filter;
  delete p.radius;
  delete p.range_filter;
  delete p.round_decimal;
  let range: RangeBounds | undefined;
  if (radius !== undefined && radius !== null) {
    const r = Number(radius);
    if (!Number.isFinite(r)) throw invalidParam('radius', `must be a number, got ${String(radius)}`);
    range = { radius: r };
    if (rangeFilter !== undefined && rangeFilter !== null) {
      const f = Number(rangeFilter);
      if (!Number.isFinite(f)) throw invalidParam('range_filter', `must be a number, got ${String(rangeFilter)}`);
      const better = higherIsBetter(spec.metricType);
      if (better ? f <= r : f >= r) {
        throw invalidParam('range_filter', better ? `must be greater than radius for ${spec.metricType} (got radius=${r}, range_filter=${f})` : `must be less than radius for ${spec.metricType} (got radius=${r}, range_filter=${f})`);
      }
      range.rangeFilter = f;
    }
  } else if (rangeFilter !== undefined && rangeFilter !== null) {
    throw invalidParam('range_filter', 'needs radius as well');
  }
  return { params: resolveSearchParams(spec, p, k), range, iterator };
}

/** The vector field a search runs on: the named one, or the only one. */
export function annsField(fields: readonly FieldSchema[], name: string | undefined): FieldSchema {
  const vectors = fields.filter((f) => isVectorType(f.dataType));
  if (name) {
    const f = fields.find((x) => x.name === name);
    if (!f) throw invalidParam('anns_field', `field "${name}" does not exist`);
    if (!isVectorType(f.dataType)) throw invalidParam('anns_field', `field "${name}" is not a vector field`);
    return f;
  }
  if (vectors.length !== 1) throw invalidParam('anns_field', `the collection has ${vectors.length} vector fields (${vectors.map((f) => f.name).join(', ')}); name one with anns_field`);
  return vectors[0]!;
}

/** What planning needs from the search service. */
export interface PlanEnv {
  ctx: EngineContext;
  iterators: IteratorSessions;
  /** Every loaded segment of the collection: BM25 statistics span them all, whatever the partitions. */
  allLoaded: (rt: CollectionRuntime) => readonly Segment[];
}

export function planSearch(env: PlanEnv, rt: CollectionRuntime, req: SearchReq, segments: readonly Segment[]): SearchPlan {
  const field = annsField(rt.meta.schema.fields, req.anns_field);
  const index = rt.meta.indexes.find((i) => i.fieldName === field.name);
  if (!index) throw new MilvusError(ErrorCode.IndexNotFound, `index not found[collection=${rt.meta.name}, field=${field.name}]`);
  const spec = env.ctx.vectorSpec(rt.meta, index);
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
    const w = bm25Weights(env.allLoaded(rt), field.name, textQueries(rt.meta.schema, field, data));
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
    iterator = { ...env.iterators.open(split.iterator, rt.meta.id), lastBound: split.iterator.lastBound };
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
    expireBefore: rt.store.expireBefore(),
  };
}
