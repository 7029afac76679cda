/**
 * Exact sparse search over a SparseFloatVector column (growing segments, small filtered sets, and the
 * oracle the sparse index's recall is checked against): every allowed row is scored by a merge of
 * its sorted indices with the query's.
 */
import type { SparseRow } from '../../core/column.js';
import type { SearchHits, SearchOptions } from '../types.js';
import { inRange, queryTerms, scoreRow, TopK } from './scoring.js';

export function sparseDropRatio(params: Record<string, unknown> | undefined): number {
  const v = params?.drop_ratio_search;
  return typeof v === 'number' ? v : 0;
}

export function sparseExactSearch(rows: readonly (SparseRow | undefined)[], rowCount: number, queries: readonly SparseRow[], opts: SearchOptions): SearchHits {
  const nq = queries.length;
  const k = opts.k;
  const ids = new Int32Array(nq * k).fill(-1);
  const scores = new Float32Array(nq * k);
  const drop = sparseDropRatio(opts.params);
  for (let qi = 0; qi < nq; qi++) {
    const q = queryTerms(queries[qi]!, drop);
    const top = new TopK(k);
    for (let r = 0; r < rowCount; r++) {
      if (opts.allow && !opts.allow.get(r)) continue;
      const d = rows[r];
      if (!d) continue;
      const s = Math.fround(scoreRow(q, d, opts.bm25));
      if (!inRange(s, opts.range)) continue;
      // Milvus returns only rows sharing a term with the query (score 0 rows have no posting).
      if (s === 0 && !sharesTerm(q, d)) continue;
      top.push(r, s);
    }
    writeHits(top, qi, k, ids, scores);
  }
  return { nq, k, ids, scores };
}

export function writeHits(top: TopK, qi: number, k: number, ids: Int32Array, scores: Float32Array): void {
  const { rows, scores: s } = top.sorted();
  for (let j = 0; j < rows.length; j++) {
    ids[qi * k + j] = rows[j]!;
    scores[qi * k + j] = s[j]!;
  }
}

function sharesTerm(q: SparseRow, d: SparseRow): boolean {
  let i = 0;
  let j = 0;
  while (i < q.indices.length && j < d.indices.length) {
    const a = q.indices[i]!;
    const b = d.indices[j]!;
    if (a === b) return true;
    if (a < b) i++;
    else j++;
  }
  return false;
}
