/**
 * Scalar indexes: INVERTED, STL_SORT, BITMAP and Trie. All four answer the same questions (rows whose
 * value equals one of some keys, lies in a range, starts with a prefix, or whose key passes a test);
 * they differ in how they store the answer, so they change filter speed, never filter results.
 *
 * - INVERTED: sorted distinct keys with a posting list each (Array columns: per element).
 * - STL_SORT: every non-null (value, row) pair sorted by value; ranges are two binary searches.
 * - BITMAP: a bitset per frequent key (at least rowCount/32 rows) and posting lists for the rest,
 *   so OR-ing a few low-cardinality values is word-wise.
 * - Trie: VarChar keys in lexicographic order, which is a trie flattened in visiting order: every
 *   prefix is one contiguous key range found by binary search.
 */
import { Bitset } from '../../core/bitset.js';
import type { Key, KeyKind } from './sorted-postings.js';
import { postingBitset, type SortedPostings } from './sorted-postings.js';

import type { ScalarIndexType } from './scalar-index-type.js';
import { serializeScalarIndex } from './codec.js';

export type { ScalarIndexType } from './scalar-index-type.js';

export abstract class ScalarIndex {
  abstract readonly type: ScalarIndexType;

  constructor(readonly postings: SortedPostings) {}

  get rowCount(): number {
    return this.postings.rowCount;
  }
  get keyKind(): KeyKind {
    return this.postings.keyKind;
  }
  get isArray(): boolean {
    return this.postings.isArray;
  }

  memoryBytes(): number {
    return this.postings.memoryBytes();
  }

  /** The index file bytes (layout in codec.ts). */
  serialize(): Uint8Array {
    return serializeScalarIndex(this);
  }

  /** Rows whose value (any element, for arrays) equals one of `keys`. Keys must be of `keyKind`. */
  rowsEqualAny(keys: readonly Key[]): Bitset {
    const out = new Bitset(this.rowCount);
    for (const k of keys) {
      const i = this.postings.find(k);
      if (i >= 0) this.addKeys(out, i, i + 1);
    }
    return out;
  }

  /** Rows whose value lies in the range; an undefined bound is open. */
  rowsInRange(lo: Key | undefined, loInc: boolean, hi: Key | undefined, hiInc: boolean): Bitset {
    const out = new Bitset(this.rowCount);
    const [from, to] = this.postings.keyRange(lo, loInc, hi, hiInc);
    this.addKeys(out, from, to);
    return out;
  }

  /** Rows whose string value starts with `prefix`. */
  rowsWithPrefix(prefix: string): Bitset {
    const out = new Bitset(this.rowCount);
    const [from, to] = this.postings.prefixRange(prefix);
    this.addKeys(out, from, to);
    return out;
  }

  /** Rows whose key passes `test` (one call per distinct key). */
  rowsWhereKey(test: (key: Key) => boolean): Bitset {
    const out = new Bitset(this.rowCount);
    const keys = this.postings.keys as ArrayLike<Key>;
    for (let i = 0; i < keys.length; i++) if (test(keys[i]!)) this.addKeys(out, i, i + 1);
    return out;
  }

  /** Sets the rows of key positions [from, to) in `out`. */
  protected addKeys(out: Bitset, from: number, to: number): void {
    this.postings.addKeyRange(out, from, to);
  }
}

export class InvertedIndex extends ScalarIndex {
  readonly type = 'INVERTED';
}

export class TrieIndex extends ScalarIndex {
  readonly type = 'Trie';
}

/** Sorted (value, row) pairs: `values[j]` is the value of row `postings.rows[j]`. */
export class StlSortIndex extends ScalarIndex {
  readonly type = 'STL_SORT';
  private readonly values: Float64Array | BigInt64Array;

  constructor(postings: SortedPostings) {
    super(postings);
    const n = postings.rows.length;
    const keys = postings.keys;
    const values = keys instanceof BigInt64Array ? new BigInt64Array(n) : new Float64Array(n);
    for (let k = 0; k < keys.length; k++) {
      (values as { fill(v: unknown, s: number, e: number): unknown }).fill(keys[k], postings.offsets[k]!, postings.offsets[k + 1]!);
    }
    this.values = values;
  }

  override memoryBytes(): number {
    return this.values.byteLength + this.postings.rows.byteLength;
  }

  override rowsInRange(lo: Key | undefined, loInc: boolean, hi: Key | undefined, hiInc: boolean): Bitset {
    const out = new Bitset(this.rowCount);
    const from = lo === undefined ? 0 : this.bound(lo, !loInc);
    const to = hi === undefined ? this.values.length : this.bound(hi, hiInc);
    const w = out.words;
    const rows = this.postings.rows;
    for (let j = from; j < to; j++) {
      const r = rows[j]!;
      w[r >>> 5]! |= 1 << (r & 31);
    }
    return out;
  }

  override rowsEqualAny(keys: readonly Key[]): Bitset {
    const out = new Bitset(this.rowCount);
    for (const k of keys) out.or(this.rowsInRange(k, true, k, true));
    return out;
  }

  /** First position whose value is >= k (> k with `strict`). */
  private bound(k: Key, strict: boolean): number {
    const v = this.values as ArrayLike<Key>;
    let lo = 0;
    let hi = v.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const x = v[mid]!;
      if (x < k || (strict && x === k)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

export class BitmapIndex extends ScalarIndex {
  readonly type = 'BITMAP';
  /** Bitsets for keys holding at least rowCount/32 rows (where a bitset is no bigger than a posting list). */
  private readonly dense = new Map<number, Bitset>();

  constructor(postings: SortedPostings) {
    super(postings);
    const threshold = Math.max(1, postings.rowCount / 32);
    for (let k = 0; k < postings.keyCount; k++) {
      if (postings.entries(k, k + 1) >= threshold) {
        this.dense.set(k, postingBitset(postings, k));
      }
    }
  }

  override memoryBytes(): number {
    let n = this.postings.memoryBytes();
    for (const b of this.dense.values()) n += b.words.byteLength;
    return n;
  }

  protected override addKeys(out: Bitset, from: number, to: number): void {
    for (let k = from; k < to; k++) {
      const b = this.dense.get(k);
      if (b !== undefined) out.or(b);
      else this.postings.addKey(out, k);
    }
  }
}

export function makeScalarIndex(type: ScalarIndexType, postings: SortedPostings): ScalarIndex {
  switch (type) {
    case 'INVERTED':
      return new InvertedIndex(postings);
    case 'STL_SORT':
      return new StlSortIndex(postings);
    case 'BITMAP':
      return new BitmapIndex(postings);
    case 'Trie':
      return new TrieIndex(postings);
  }
}
