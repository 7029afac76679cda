/**
 * Search execution: per segment, the filter's bitset AND the live-row mask, then ANN through the
 * segment's index (or exact search for growing segments and highly selective filters), then one
 * reduction across segments and partitions with offset, range bounds, group-by and rounding.
 */
import { higherIsBetter, isVectorType, type MetricType } from '../../core/data-type.js';
import { invalidParam } from '../../core/errors.js';
import type { CollectionSchema, FieldSchema } from '../../core/schema.js';
import type { VectorColumn } from '../../core/column.js';
import type { Bitset } from '../../core/bitset.js';
import { exactSearch, resolveSearchParams, type VectorIndex, type VectorIndexSpec } from '../../index/index.js';
import type { QueryVectors, RangeBounds, SearchHits } from '../../index/types.js';
import type { PrimaryKey, Segment } from '../../storage/index.js';
import type { CompiledFilter } from '../../expr/index.js';
import { planOutput, readRow } from '../output-fields.js';
import { outputValue } from '../row-codec.js';
import type { Hit } from '../requests.js';
import { takeIteratorParams, type IteratorCursor, type IteratorRequest } from './iterator.js';

export const MAX_TOPK = 16384;

/** Below this many allowed rows in a segment, exact search beats walking an index. */
const EXACT_BELOW_ROWS = 2048;

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

interface Candidate {
  seg: Segment;
  row: number;
  score: number;
}

function segmentHits(seg: Segment, plan: SearchPlan, k: number, allow: Bitset): SearchHits {
  const col = seg.column(plan.field.name) as VectorColumn;
  const idx = seg.vectorIndexes.get(plan.field.name) as VectorIndex | undefined;
  const opts = { metric: plan.metric, k, allow, range: plan.range, params: plan.params, bm25: plan.bm25 };
  if (idx && allow.count() >= Math.min(EXACT_BELOW_ROWS, seg.rowCount)) return idx.search(plan.queries, opts);
  return exactSearch(col, seg.rowCount, plan.queries, opts);
}

/** Runs the plan; returns hits per query. */
export function executeSearch(plan: SearchPlan): Hit[][] {
  const better = higherIsBetter(plan.metric);
  const nq = plan.queries.nq;
  const allowed = new Map<Segment, Bitset>();
  for (const seg of plan.segments) {
    if (seg.rowCount === 0 || (plan.ignoreGrowing && !seg.sealed)) continue;
    const allow = seg.liveRows();
    if (plan.filter) allow.and(plan.filter.evaluate(seg));
    if (plan.exclude?.length) for (const r of seg.rowsOfPks(plan.exclude)) allow.clear(r);
    const n = allow.count();
    if (n === 0) continue;
    allowed.set(seg, allow);
  }
  const want = plan.limit + plan.offset;
  const groupSize = plan.groupBy?.size ?? 1;
  let k = Math.min(MAX_TOPK * 4, want * groupSize);
  const out: Hit[][] = [];
  const output = planOutput(plan.schema, plan.outputFields, { vectorsInStar: true });
  for (;;) {
    const perQuery: Candidate[][] = Array.from({ length: nq }, () => []);
    for (const [seg, allow] of allowed) {
      const hits = segmentHits(seg, plan, Math.min(k, seg.rowCount), allow);
      for (let q = 0; q < nq; q++) {
        for (let j = 0; j < hits.k; j++) {
          const row = hits.ids[q * hits.k + j]!;
          if (row < 0) break;
          perQuery[q]!.push({ seg, row, score: hits.scores[q * hits.k + j]! });
        }
      }
    }
    // More candidates can only help when some segment returned a full k.
    let complete = true;
    const truncated = [...allowed.values()].some((a) => a.count() > k);
    out.length = 0;
    for (let q = 0; q < nq; q++) {
      const cands = perQuery[q]!;
      cands.sort((a, b) => (better ? b.score - a.score : a.score - b.score));
      let picked: Candidate[];
      if (plan.groupBy) {
        const groups = pickGroups(cands, plan, want);
        const short = groups.length < want || groups.some((g) => g.length < plan.groupBy!.size);
        if (short && truncated) complete = false;
        picked = groups.slice(plan.offset).flat();
      } else picked = cands.slice(plan.offset, want);
      out.push(picked.map((c) => toHit(c, plan, output)));
    }
    if (complete || !truncated || k >= MAX_TOPK * 64) break;
    k *= 4;
  }
  return out;
}

function groupKey(c: Candidate, plan: SearchPlan): unknown {
  const v = outputValue(c.seg.column(plan.groupBy!.field.name)!, c.row);
  return typeof v === 'object' ? JSON.stringify(v) : v;
}

/** Up to `wantGroups` groups of at most group_size hits each, groups in order of their best hit. */
function pickGroups(cands: Candidate[], plan: SearchPlan, wantGroups: number): Candidate[][] {
  const groups = new Map<unknown, Candidate[]>();
  for (const c of cands) {
    const g = groupKey(c, plan);
    const members = groups.get(g);
    if (members === undefined) {
      if (groups.size >= wantGroups) continue;
      groups.set(g, [c]);
    } else if (members.length < plan.groupBy!.size) members.push(c);
  }
  return [...groups.values()];
}

function round(score: number, decimals: number): number {
  if (decimals < 0) return score;
  const f = 10 ** decimals;
  return Math.round(score * f) / f;
}

function toHit(c: Candidate, plan: SearchPlan, output: ReturnType<typeof planOutput>): Hit {
  const fields = readRow(c.seg, c.row, output);
  return { pk: c.seg.pkAt(c.row), score: round(c.score, plan.roundDecimal), fields };
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
