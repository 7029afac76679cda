/**
 * Search execution: per segment, the filter's bitset AND the live-row mask AND the rows whose vector
 * is not null (nullable vector fields), then the one place that
 * chooses between the segment's index and exact search (`segmentHits`), then the reduction across
 * segments (reduce.ts). When grouping or a filter leaves some query short of hits while a segment
 * still had more, the per-segment k grows and the segments are searched again.
 */
import { higherIsBetter } from '../../core/data-type.js';
import type { Column, VectorColumn } from '../../core/column.js';
import type { Bitset } from '../../core/bitset.js';
import { exactSearch, type VectorIndex } from '../../index/index.js';
import type { SearchHits } from '../../index/types.js';
import type { Segment } from '../../storage/index.js';
import { planOutput } from '../output-fields.js';
import type { Hit } from '../requests.js';
import { MAX_TOPK, type SearchPlan } from './plan.js';
import { reduceQuery, type Candidate } from './reduce.js';
import { segmentSearchParams } from './segment-budget.js';

/** Below this many allowed rows in a segment, exact search beats walking an index. */
const EXACT_BELOW_ROWS = 2048;

/**
 * Searches one segment: through its index when `allowed.indexed` (chosen in executeSearch, the one
 * place of the exact-vs-ANN choice), with that segment's search budget (segment-budget.ts) out of
 * the `indexedRows` all index-searched segments allow; else exactly.
 */
function segmentHits(seg: Segment, plan: SearchPlan, k: number, allowed: Allowed, indexedRows: number): SearchHits {
  const col = seg.column(plan.field.name) as VectorColumn;
  // every row allowed (no filter, no deletes): the index need not test each candidate
  const allow = allowed.count === seg.rowCount ? null : allowed.bits;
  if (allowed.indexed) {
    const idx = seg.vectorIndexes.get(plan.field.name) as VectorIndex;
    const params = segmentSearchParams(plan.spec, plan.params, k, allowed.count, indexedRows);
    return idx.search(plan.queries, { metric: plan.metric, k, allow, range: plan.range, params, bm25: plan.bm25 });
  }
  return exactSearch(col, seg.rowCount, plan.queries, { metric: plan.metric, k, allow, range: plan.range, params: plan.params, bm25: plan.bm25 });
}

/** The rows of a segment a search may return, how many they are, and whether its index is walked. */
interface Allowed {
  bits: Bitset;
  count: number;
  /** The segment's index unless the filter leaves few rows (then exact search beats the walk). */
  indexed: boolean;
}

/**
 * A null vector (nullable vector field) is never a candidate: never returned, never counted in a
 * top-k (Milvus 2.6). True when some row was cleared.
 */
function clearNullVectors(allow: Bitset, col: Column | undefined, rows: number): boolean {
  const valid = col?.valid;
  if (!valid) return false;
  let any = false;
  for (let r = 0; r < rows; r++) {
    if (valid[r] === 0) {
      allow.clear(r);
      any = true;
    }
  }
  return any;
}

/** Runs the plan; returns hits per query. */
export function executeSearch(plan: SearchPlan): Hit[][] {
  const better = higherIsBetter(plan.metric);
  const nq = plan.queries.nq;
  const allowed = new Map<Segment, Allowed>();
  let indexedRows = 0;
  for (const seg of plan.segments) {
    if (seg.rowCount === 0 || (plan.ignoreGrowing && !seg.sealed)) continue;
    const allow = seg.liveRows(plan.expireBefore);
    const nulls = clearNullVectors(allow, seg.column(plan.field.name), seg.rowCount);
    if (plan.filter) allow.and(plan.filter.evaluate(seg));
    if (plan.exclude?.length) for (const r of seg.rowsOfPks(plan.exclude)) allow.clear(r);
    // liveCount counts expired rows (TTL) and null vectors too: then count the bits.
    const n = plan.filter || plan.exclude?.length || nulls || (plan.expireBefore ?? 0) > 0 ? allow.count() : seg.liveCount;
    if (n === 0) continue;
    const indexed = seg.vectorIndexes.has(plan.field.name) && n >= Math.min(EXACT_BELOW_ROWS, seg.rowCount);
    if (indexed) indexedRows += n;
    allowed.set(seg, { bits: allow, count: n, indexed });
  }
  const want = plan.limit + plan.offset;
  const groupSize = plan.groupBy?.size ?? 1;
  let k = Math.min(MAX_TOPK * 4, want * groupSize);
  const out: Hit[][] = [];
  const output = planOutput(plan.schema, plan.outputFields, { vectorsInStar: true });
  for (;;) {
    const perQuery: Candidate[][] = Array.from({ length: nq }, () => []);
    for (const [seg, allow] of allowed) {
      const hits = segmentHits(seg, plan, Math.min(k, seg.rowCount), allow, indexedRows);
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
    const truncated = [...allowed.values()].some((a) => a.count > k);
    out.length = 0;
    for (let q = 0; q < nq; q++) {
      const r = reduceQuery(perQuery[q]!, plan, output, better);
      if (r.short && truncated) complete = false;
      out.push(r.hits);
    }
    if (complete || !truncated || k >= MAX_TOPK * 64) break;
    k *= 4;
  }
  return out;
}
