/**
 * Search iterators (Milvus's "search iterator v2"): a search with `params.iterator` and
 * `params.search_iter_v2` returns its page plus a token; the next call sends the token back as
 * `params.search_iter_id` and gets the next hits in score order.
 *
 * The token is the cursor itself, so the server keeps no state: the last page's worst score (the
 * bound) and the primary keys that were returned exactly at that score. The next page searches the
 * half-open range past the bound (L2 and other distances: d >= bound; IP/COSINE: s <= bound) with
 * those keys excluded, so ties across a page boundary are neither lost nor repeated.
 * Token layout: base64url of JSON `{"v":1,"b":<bound>,"p":[<pk>, ...]}` (pks as strings).
 */
import { invalidParam } from '../core/errors.js';
import type { RangeBounds } from '../index/types.js';
import type { Hit } from './requests.js';

export interface IteratorCursor {
  /** Score of the last hit returned so far. */
  bound: number;
  /** Primary keys returned with exactly that score. */
  pks: string[];
}

export interface IteratorRequest {
  /** null on the first page. */
  cursor: IteratorCursor | null;
}

const TOKEN_VERSION = 1;

export function encodeCursor(c: IteratorCursor): string {
  return Buffer.from(JSON.stringify({ v: TOKEN_VERSION, b: c.bound, p: c.pks })).toString('base64url');
}

export function decodeCursor(token: string): IteratorCursor {
  let v: unknown;
  try {
    v = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    v = null;
  }
  const o = v as { v?: unknown; b?: unknown; p?: unknown } | null;
  if (!o || o.v !== TOKEN_VERSION || typeof o.b !== 'number' || !Array.isArray(o.p) || !o.p.every((x) => typeof x === 'string')) {
    throw invalidParam('search_iter_id', 'is not a token returned by an earlier page of this search iterator');
  }
  return { bound: o.b, pks: o.p as string[] };
}

function truthy(v: unknown): boolean {
  return v === true || v === 'true' || v === 'True' || v === 1;
}

/**
 * Takes the iterator keys out of search `params` (which keep only index search parameters).
 * Returns null for an ordinary search. `iterator` without `search_iter_v2` (the older client-side
 * iterator, which pages with radius/range_filter itself) is an ordinary search.
 */
export function takeIteratorParams(params: Record<string, unknown>): IteratorRequest | null {
  const on = truthy(params.iterator);
  const v2 = truthy(params.search_iter_v2);
  const token = params.search_iter_id;
  for (const k of ['iterator', 'search_iter_v2', 'search_iter_id', 'search_iter_last_bound', 'search_iter_batch_size', 'guarantee_timestamp', 'collection_id']) delete params[k];
  if (!on || !v2) return null;
  if (token === undefined || token === null || token === '') return { cursor: null };
  if (typeof token !== 'string') throw invalidParam('search_iter_id', 'must be the token string returned by the previous page');
  return { cursor: decodeCursor(token) };
}

/** The range past the cursor, intersected with a user range (lower-is-better unless `better`). */
export function rangeAfter(cursor: IteratorCursor | null, user: RangeBounds | undefined, better: boolean): RangeBounds | undefined {
  if (!cursor) return user;
  if (better) {
    // Kept: radius < s <= rangeFilter.
    const rangeFilter = user?.rangeFilter === undefined ? cursor.bound : Math.min(user.rangeFilter, cursor.bound);
    return { radius: user?.radius ?? -Infinity, rangeFilter };
  }
  // Kept: rangeFilter <= d < radius.
  const rangeFilter = user?.rangeFilter === undefined ? cursor.bound : Math.max(user.rangeFilter, cursor.bound);
  return { radius: user?.radius ?? Infinity, rangeFilter };
}

/** The cursor after a page: its last score and every key returned at that score (this page and, if equal, the previous). */
export function nextCursor(page: readonly Hit[], prev: IteratorCursor | null): IteratorCursor | null {
  const last = page[page.length - 1];
  if (!last) return prev;
  const pks = page.filter((h) => h.score === last.score).map((h) => String(h.pk));
  if (prev && prev.bound === last.score) pks.push(...prev.pks);
  return { bound: last.score, pks };
}
