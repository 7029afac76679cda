/**
 * The text-match index of one VarChar field in one segment: an inverted index from each analysed
 * token to the rows holding it, with the token's positions in each row. It answers Milvus's
 * `text_match(field, 'query'[, minimum_should_match=N])` and `phrase_match(field, 'phrase'[, slop])`
 * the way Milvus's tantivy-backed TextMatchIndex does:
 *
 *   text_match    the query is analysed with the field's analyzer; a row matches when at least
 *                 max(1, N) of the query's tokens (one clause per token, repeats count again) occur
 *                 in it. No tokens: nothing matches.
 *   phrase_match  the query's tokens keep their positions (stop words leave gaps). One token or
 *                 none: as text_match. Otherwise tantivy's PhraseScorer: each token's positions are
 *                 shifted by (maxOffset − its query offset); with slop 0 the shifted positions of all
 *                 tokens must share a value; with slop s, walking the tokens in query order, each next
 *                 token needs a shifted position within [prev, prev + s] of a surviving one (greedy,
 *                 one-to-one, as tantivy's `intersection_with_slop`). Order is kept: a reversed pair
 *                 never matches.
 *
 * Rows are appended in order (`extend`), so a growing segment's index catches up with new rows and
 * a sealed segment's is built once. Null rows are not indexed (they never match).
 */
import { Bitset } from '../core/bitset.js';
import type { CollectionSchema, FieldSchema } from '../core/schema.js';
import type { SegmentView } from '../core/segment-view.js';
import type { Analyzer } from './analyzer.js';
import { buildAnalyzer } from './analyzer.js';

/** Append-only int32 buffer. */
class IntBuf {
  data: Int32Array;
  length = 0;
  constructor(capacity = 4) {
    this.data = new Int32Array(capacity);
  }
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new Int32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
}

/** One token's postings: ascending rows; `start[i]..start[i+1]` index its positions in `pos`. */
class Posting {
  readonly rows = new IntBuf(2);
  readonly start = new IntBuf(3);
  readonly pos = new IntBuf(2);
  constructor() {
    this.start.push(0);
  }
  add(row: number, positions: readonly number[]): void {
    this.rows.push(row);
    for (const p of positions) this.pos.push(p);
    this.start.push(this.pos.length);
  }
  /** Index of `row` in `rows`, or −1. */
  find(row: number): number {
    const r = this.rows.data;
    let lo = 0;
    let hi = this.rows.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const v = r[mid]!;
      if (v === row) return mid;
      if (v < row) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }
  positionsAt(i: number): Int32Array {
    return this.pos.data.subarray(this.start.data[i]!, this.start.data[i + 1]!);
  }
}

export interface QueryToken {
  readonly token: string;
  readonly position: number;
}

export class MatchIndex {
  /** Rows [0, rowCount) are indexed. */
  rowCount = 0;
  private readonly postings = new Map<string, Posting>();

  constructor(readonly analyzer: Analyzer) {}

  get termCount(): number {
    return this.postings.size;
  }

  /** Indexes rows [rowCount, n) of a VarChar column (`valid[r] === 0` rows are null). */
  extend(data: readonly string[], valid: Uint8Array | null, n: number): void {
    for (let r = this.rowCount; r < n; r++) {
      if (valid !== null && valid[r] === 0) continue;
      const text = data[r];
      if (text === undefined || text === '') continue;
      const byTerm = new Map<string, number[]>();
      for (const t of this.analyzer.analyze(text)) {
        const list = byTerm.get(t.token);
        if (list === undefined) byTerm.set(t.token, [t.position]);
        else list.push(t.position);
      }
      for (const [term, positions] of byTerm) {
        let p = this.postings.get(term);
        if (p === undefined) {
          p = new Posting();
          this.postings.set(term, p);
        }
        p.add(r, positions.sort((a, b) => a - b));
      }
    }
    if (n > this.rowCount) this.rowCount = n;
  }

  /** Every token's postings: ascending rows, `start` (rows + 1 offsets into `pos`) and positions. */
  *terms(): Iterable<[term: string, rows: Int32Array, start: Int32Array, pos: Int32Array]> {
    for (const [t, p] of this.postings) {
      yield [t, p.rows.data.subarray(0, p.rows.length), p.start.data.subarray(0, p.start.length), p.pos.data.subarray(0, p.pos.length)];
    }
  }

  /** Adds a token's postings read back from a file (rows ascending, as `terms()` gave them). */
  restoreTerm(term: string, rows: Int32Array, start: Int32Array, pos: Int32Array): void {
    const p = new Posting();
    for (let i = 0; i < rows.length; i++) {
      p.rows.push(rows[i]!);
      for (let k = start[i]!; k < start[i + 1]!; k++) p.pos.push(pos[k]!);
      p.start.push(p.pos.length);
    }
    this.postings.set(term, p);
  }

  /** The query's tokens with their positions, as the field's analyzer splits it. */
  queryTokens(query: string): QueryToken[] {
    return this.analyzer.analyze(query).map((t) => ({ token: t.token, position: t.position }));
  }

  private rowsOf(term: string, n: number): Bitset {
    const out = new Bitset(n);
    const p = this.postings.get(term);
    if (p === undefined) return out;
    const rows = p.rows.data;
    for (let i = 0; i < p.rows.length; i++) {
      const r = rows[i]!;
      if (r < n) out.set(r);
    }
    return out;
  }

  /** Rows (< n) where at least max(1, minShouldMatch) of the query's token clauses occur. */
  textMatch(query: string, minShouldMatch: number, n: number): Bitset {
    return this.tokensMatch(this.queryTokens(query).map((t) => t.token), minShouldMatch, n);
  }

  private tokensMatch(tokens: readonly string[], minShouldMatch: number, n: number): Bitset {
    const need = Math.max(1, minShouldMatch);
    if (tokens.length < need) return new Bitset(n);
    const clauses = new Map<string, number>();
    for (const t of tokens) clauses.set(t, (clauses.get(t) ?? 0) + 1);
    if (need === 1) {
      const out = new Bitset(n);
      for (const t of clauses.keys()) out.or(this.rowsOf(t, n));
      return out;
    }
    const counts = new Uint16Array(n);
    const out = new Bitset(n);
    for (const [t, weight] of clauses) {
      const p = this.postings.get(t);
      if (p === undefined) continue;
      const rows = p.rows.data;
      for (let i = 0; i < p.rows.length; i++) {
        const r = rows[i]!;
        if (r >= n) break;
        const c = (counts[r] = Math.min(65535, counts[r]! + weight));
        if (c >= need) out.set(r);
      }
    }
    return out;
  }

  /** Rows (< n) holding the phrase with at most `slop` (tantivy's sloppy phrase semantics). */
  phraseMatch(query: string, slop: number, n: number): Bitset {
    const tokens = this.queryTokens(query);
    if (tokens.length <= 1) return this.tokensMatch(tokens.map((t) => t.token), 1, n);
    const postings: Posting[] = [];
    for (const t of tokens) {
      const p = this.postings.get(t.token);
      if (p === undefined) return new Bitset(n);
      postings.push(p);
    }
    // Candidates: rows holding every token, walked from the rarest token.
    let rarest = 0;
    for (let i = 1; i < postings.length; i++) if (postings[i]!.rows.length < postings[rarest]!.rows.length) rarest = i;
    const maxOffset = Math.max(...tokens.map((t) => t.position));
    const shifts = tokens.map((t) => maxOffset - t.position);
    const out = new Bitset(n);
    const base = postings[rarest]!;
    const lists: Int32Array[] = new Array<Int32Array>(postings.length);
    rows: for (let i = 0; i < base.rows.length; i++) {
      const row = base.rows.data[i]!;
      if (row >= n) break;
      for (let k = 0; k < postings.length; k++) {
        const at = k === rarest ? i : postings[k]!.find(row);
        if (at < 0) continue rows;
        lists[k] = postings[k]!.positionsAt(at);
      }
      if (phraseInRow(lists, shifts, slop)) out.set(row);
    }
    return out;
  }
}

/** Tantivy's PhraseScorer test for one row: `lists[k]` are token k's positions, `shifts[k]` its shift. */
export function phraseInRow(lists: readonly Int32Array[], shifts: readonly number[], slop: number): boolean {
  let left = Array.from(lists[0]!, (p) => p + shifts[0]!);
  for (let k = 1; k < lists.length; k++) {
    const right = Array.from(lists[k]!, (p) => p + shifts[k]!);
    left = slop === 0 ? intersect(left, right) : intersectWithSlop(left, right, slop);
    if (left.length === 0) return false;
  }
  return true;
}

function intersect(left: readonly number[], right: readonly number[]): number[] {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length && j < right.length) {
    const a = left[i]!;
    const b = right[j]!;
    if (a < b) i++;
    else if (a > b) j++;
    else {
      out.push(a);
      i++;
      j++;
    }
  }
  return out;
}

/** Each right value r keeps the best left value in [r − slop, r] (the largest), one-to-one. */
function intersectWithSlop(left: readonly number[], right: readonly number[], slop: number): number[] {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length && j < right.length) {
    const l = left[i]!;
    const r = right[j]!;
    const lo = r >= slop ? r - slop : 0;
    if (l < lo) i++;
    else if (l <= r) {
      while (i + 1 < left.length && left[i + 1]! <= r) i++;
      out.push(r);
      i++;
      j++;
    } else j++;
  }
  return out;
}

/**
 * The text-match index of `field` in `seg`, caught up with the segment's rows. Kept in the
 * segment's `textIndexes` slot (a growing segment's index grows with it; a released segment drops
 * it); a segment without the slot gets a fresh index each time.
 */
export function matchIndexOf(seg: SegmentView, field: FieldSchema): MatchIndex {
  const slot = seg.textIndexes;
  let idx = slot?.get(field.name);
  if (!(idx instanceof MatchIndex)) {
    idx = new MatchIndex(buildAnalyzer(field.typeParams['analyzer_params']));
    slot?.set(field.name, idx);
  }
  const index = idx as MatchIndex;
  const n = seg.rowCount;
  if (index.rowCount < n) {
    const col = seg.column(field.name);
    if (col !== undefined && Array.isArray(col.data)) index.extend(col.data as string[], col.valid, n);
  }
  return index;
}

/** Text-match fields of a schema: VarChar with enable_analyzer and enable_match. */
export function matchFields(schema: CollectionSchema): FieldSchema[] {
  return schema.fields.filter((f) => f.typeParams['enable_analyzer'] === 'true' && f.typeParams['enable_match'] === 'true');
}
