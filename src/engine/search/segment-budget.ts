/**
 * Per-segment search budgets: the index parameters each sealed segment is searched with when a
 * search spans several segments.
 *
 * Every segment still returns its own exact top-k and the engine reduces them (as Milvus reduces
 * segment results), so the results keep Milvus's semantics; what changes is how hard each segment's
 * graph is walked. A segment holding a share s of the searched rows is walked with
 *
 *     ef_segment = max(k, min(ef, EF_FLOOR), ceil(ef × √s))
 *
 * (never above the requested ef). Splitting the rows into more, smaller graphs raises the recall of
 * a walk at a given ef (each graph is smaller and the reduce sees S × k candidates), so the full ef
 * in every segment bought recall nobody asked for at S times the work. Measured on 200k × 128
 * clustered rows (bench/segments-bench.ts, M=30, efConstruction=360, k=10), recall@10 by per-segment
 * ef against one segment at the requested ef:
 *
 *   ef 64, one segment: 0.9860 — 4 segments: 0.9994 at ef 64, 0.9909 at 32, 0.9807 at 24;
 *                                16 segments: 1.0000 at ef 64, 0.9948 at 16, 0.9719 at 10.
 *
 * √s gives ef 32 for 4 segments and 16 for 16, within 0.005 of the one-segment recall at ef 64 and
 * 128; the floor keeps very small shares (many segments) from walks too short to find their own
 * top-k. IVF's nprobe is left as given: each segment's IVF has its own nlist lists, and a lower
 * nprobe per segment has not been measured.
 */
import type { VectorIndexSpec } from '../../index/index.js';

/** No segment walk shorter than this (unless k or the requested ef is smaller). */
export const EF_FLOOR = 16;

/**
 * The search params for one segment holding `segRows` of the `totalRows` rows a search covers
 * (rows the filter and deletes allow, in segments searched through an index).
 */
export function segmentSearchParams(spec: VectorIndexSpec, params: Record<string, unknown>, k: number, segRows: number, totalRows: number): Record<string, unknown> {
  const ef = params['ef'];
  if (typeof ef !== 'number' || !spec.indexType.startsWith('HNSW') || totalRows <= 0 || segRows >= totalRows) return params;
  const share = segRows / totalRows;
  const budget = Math.min(ef, Math.max(k, Math.min(ef, EF_FLOOR), Math.ceil(ef * Math.sqrt(share))));
  return budget === ef ? params : { ...params, ef: budget };
}
