/**
 * Scoring shared by the sparse exact search and the posting-list index.
 *
 * IP: score(q, d) = Σ_t q_t · d_t.
 * BM25 (Milvus's documented formula, full-text-search / metric pages):
 *   score(q, d) = Σ_t q_t · tf_t(d)·(k1+1) / (tf_t(d) + k1·(1 − b + b·|d|/avgdl))
 * where the stored row value d_t is the term frequency tf_t(d), |d| is the row's total term count
 * (Σ_t d_t) and the query weights q_t already carry IDF(t) (the engine computes them from the
 * collection-wide statistics, see engine/bm25). Both are exact; pruning bounds come from `upperBound`.
 */
import type { SparseRow } from '../../core/column.js';

export interface Bm25Params {
  k1: number;
  b: number;
  avgdl: number;
}

/** Query terms after `drop_ratio_search`: the smallest |value| fraction is dropped (Milvus semantics). */
export function queryTerms(q: SparseRow, dropRatio: number): SparseRow {
  const n = q.indices.length;
  const drop = dropRatio > 0 ? Math.floor(n * dropRatio) : 0;
  if (drop === 0) return q;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => Math.abs(q.values[a]!) - Math.abs(q.values[b]!));
  const keep = order.slice(drop).sort((a, b) => q.indices[a]! - q.indices[b]!);
  return { indices: Uint32Array.from(keep, (i) => q.indices[i]!), values: Float32Array.from(keep, (i) => q.values[i]!) };
}

/** The per-term document factor: tf for IP, the BM25 saturation for BM25. */
export function termFactor(tf: number, docLen: number, bm25: Bm25Params | undefined): number {
  if (!bm25) return tf;
  const norm = bm25.avgdl > 0 ? docLen / bm25.avgdl : 0;
  return (tf * (bm25.k1 + 1)) / (tf + bm25.k1 * (1 - bm25.b + bm25.b * norm));
}

/** An upper bound of `termFactor` over a list whose largest value is `maxTf` (BM25: at |d| → 0). */
export function upperBound(maxTf: number, bm25: Bm25Params | undefined): number {
  if (!bm25) return maxTf;
  return (maxTf * (bm25.k1 + 1)) / (maxTf + bm25.k1 * (1 - bm25.b));
}

export function rowLength(r: SparseRow): number {
  let s = 0;
  for (let i = 0; i < r.values.length; i++) s += r.values[i]!;
  return s;
}

/** Exact score of one row (merge of two sorted index lists). */
export function scoreRow(q: SparseRow, d: SparseRow, bm25: Bm25Params | undefined): number {
  const dl = bm25 ? rowLength(d) : 0;
  let i = 0;
  let j = 0;
  let s = 0;
  const qi = q.indices;
  const di = d.indices;
  while (i < qi.length && j < di.length) {
    const a = qi[i]!;
    const b = di[j]!;
    if (a === b) {
      s += q.values[i]! * termFactor(d.values[j]!, dl, bm25);
      i++;
      j++;
    } else if (a < b) i++;
    else j++;
  }
  return s;
}

/**
 * Top-k keeper: a binary min-heap on (score, then higher row id first out), so that among equal
 * scores the lower row id is kept — the same order the exact search returns.
 */
export class TopK {
  readonly rows: number[] = [];
  readonly scores: number[] = [];
  constructor(readonly k: number) {}
  get full(): boolean {
    return this.rows.length >= this.k;
  }
  /** The score a candidate must beat (strictly) once full. */
  get threshold(): number {
    return this.full ? this.scores[0]! : -Infinity;
  }
  private worse(i: number, j: number): boolean {
    const a = this.scores[i]!;
    const b = this.scores[j]!;
    return a < b || (a === b && this.rows[i]! > this.rows[j]!);
  }
  private swap(i: number, j: number): void {
    const r = this.rows[i]!;
    this.rows[i] = this.rows[j]!;
    this.rows[j] = r;
    const s = this.scores[i]!;
    this.scores[i] = this.scores[j]!;
    this.scores[j] = s;
  }
  push(row: number, score: number): void {
    if (this.k <= 0) return;
    if (this.full) {
      const s0 = this.scores[0]!;
      if (score < s0 || (score === s0 && row > this.rows[0]!)) return;
      this.rows[0] = row;
      this.scores[0] = score;
      this.down(0);
      return;
    }
    this.rows.push(row);
    this.scores.push(score);
    let i = this.rows.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.worse(i, p)) break;
      this.swap(i, p);
      i = p;
    }
  }
  private down(i: number): void {
    const n = this.rows.length;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < n && this.worse(l, m)) m = l;
      if (r < n && this.worse(r, m)) m = r;
      if (m === i) return;
      this.swap(i, m);
      i = m;
    }
  }
  /** Best first (score descending, row ascending on ties). */
  sorted(): { rows: number[]; scores: number[] } {
    const idx = this.rows.map((_, i) => i).sort((a, b) => this.scores[b]! - this.scores[a]! || this.rows[a]! - this.rows[b]!);
    return { rows: idx.map((i) => this.rows[i]!), scores: idx.map((i) => this.scores[i]!) };
  }
}

/** Whether a score lies within Milvus's range bounds for a similarity metric: radius < s ≤ range_filter. */
export function inRange(score: number, range: { radius: number; rangeFilter?: number } | undefined): boolean {
  if (!range) return true;
  if (!(score > range.radius)) return false;
  return range.rangeFilter === undefined || score <= range.rangeFilter;
}
