/**
 * Search iterators (Milvus's "search iterator v2"): a search with `params.iterator` and
 * `params.search_iter_v2` returns its page plus `{token, last_bound}`. As in Milvus, the token names
 * the iterator and stays the same for its whole life (a UUID); the position is the bound: the next
 * call sends the token back as `search_iter_id` and the last page's worst score as
 * `search_iter_last_bound` (pymilvus 2.5 keeps the first page's token and sends each page's bound;
 * the Node SDK sends both from each page — the same thing, since the token does not change).
 *
 * A bound alone cannot say which of the rows scoring exactly the bound were already returned, so the
 * engine remembers, per token, the primary keys returned at each recent bound (`IteratorSessions`,
 * in memory, bounded). A page past a remembered bound searches the half-open range from the bound
 * (L2 and other distances: d >= bound; IP/COSINE: s <= bound) with those keys excluded, so ties
 * across a page boundary are neither lost nor repeated. A bound the engine does not remember (the
 * token is unknown, e.g. after a restart, or its session was evicted) continues strictly past the
 * bound, as Milvus does when its cached iterator is gone.
 */
import { randomUUID } from 'node:crypto';
import { invalidParam } from '../../core/errors.js';
import type { RangeBounds } from '../../index/types.js';
import type { Hit } from '../requests.js';

export interface IteratorCursor {
  /** Score of the last hit returned so far. */
  bound: number;
  /** Primary keys returned with exactly that score (empty when unknown: then strictly past the bound). */
  pks: string[];
  /** True when the rows at `bound` are not known: the next page starts strictly past it. */
  strict?: boolean;
}

/** What a page of a search iterator asks for, as sent (the cursor is resolved by `IteratorSessions`). */
export interface IteratorRequest {
  /** `search_iter_id`; null on the first page. */
  token: string | null;
  /** `search_iter_last_bound` as float32; undefined on the first page. */
  lastBound: number | undefined;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

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
  const bound = params.search_iter_last_bound;
  for (const k of ['iterator', 'search_iter_v2', 'search_iter_id', 'search_iter_last_bound', 'search_iter_batch_size', 'guarantee_timestamp', 'collection_id']) delete params[k];
  if (!on || !v2) return null;
  let t: string | null = null;
  if (token !== undefined && token !== null && token !== '') {
    if (typeof token !== 'string' || !UUID.test(token)) throw invalidParam('search_iter_id', 'is not a token returned by an earlier page of this search iterator (invalid token format)');
    t = token.toLowerCase();
  }
  let lastBound: number | undefined;
  if (bound !== undefined && bound !== null && bound !== '') {
    const n = typeof bound === 'number' ? bound : typeof bound === 'string' && bound.trim() !== '' ? Number(bound) : NaN;
    if (!Number.isFinite(n)) throw invalidParam('search_iter_last_bound', `must be a number (the last_bound of the previous page), got ${JSON.stringify(bound)}`);
    lastBound = Math.fround(n);
  }
  return { token: t, lastBound };
}

/** The next float32 after `x` towards +Infinity (`up`) or -Infinity. */
function nextFloat32(x: number, up: boolean): number {
  const f = new Float32Array([x]);
  const i = new Int32Array(f.buffer);
  if (f[0] === 0) {
    i[0] = up ? 1 : -2147483647; // smallest subnormal of the right sign
    return f[0];
  }
  i[0]! += f[0]! > 0 === up ? 1 : -1;
  return f[0]!;
}

/** The range past the cursor, intersected with a user range (lower-is-better unless `better`). */
export function rangeAfter(cursor: IteratorCursor | null, user: RangeBounds | undefined, better: boolean): RangeBounds | undefined {
  if (!cursor) return user;
  // Scores are float32: "strictly past b" is "at or past the next float32 after b".
  if (better) {
    // Kept: radius < s <= rangeFilter.
    const edge = cursor.strict ? nextFloat32(cursor.bound, false) : cursor.bound;
    const rangeFilter = user?.rangeFilter === undefined ? edge : Math.min(user.rangeFilter, edge);
    return { radius: user?.radius ?? -Infinity, rangeFilter };
  }
  // Kept: rangeFilter <= d < radius.
  const edge = cursor.strict ? nextFloat32(cursor.bound, true) : cursor.bound;
  const rangeFilter = user?.rangeFilter === undefined ? edge : Math.max(user.rangeFilter, edge);
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

interface Session {
  collectionId: number;
  /** Recent cursors by bound, oldest first. */
  cursors: Map<number, IteratorCursor>;
  latest: IteratorCursor | null;
}

/** Cursors kept per iterator: the latest few, so a client that repeats a page still continues exactly. */
const CURSORS_PER_SESSION = 4;

/**
 * The engine's memory of open search iterators: token → the keys returned at its recent bounds.
 * Bounded (least recently used sessions go first); losing a session only makes the next page start
 * strictly past its bound.
 */
export class IteratorSessions {
  private readonly sessions = new Map<string, Session>();

  constructor(private readonly maxSessions = 1024) {}

  /** The token of this page (a new one on the first page) and the cursor the page continues from. */
  open(req: IteratorRequest, collectionId: number): { token: string; cursor: IteratorCursor | null } {
    const token = req.token ?? randomUUID();
    const s = req.token ? this.sessions.get(token) : undefined;
    const session = s && s.collectionId === collectionId ? s : undefined;
    if (req.lastBound === undefined) {
      // No bound: the first page, or a client that only sends the token back (continue from the latest).
      return { token, cursor: session?.latest ?? null };
    }
    return { token, cursor: session?.cursors.get(req.lastBound) ?? { bound: req.lastBound, pks: [], strict: true } };
  }

  /** Records the cursor after a page served for `token`. */
  record(token: string, collectionId: number, cursor: IteratorCursor | null): void {
    let s = this.sessions.get(token);
    if (s) this.sessions.delete(token);
    else s = { collectionId, cursors: new Map(), latest: null };
    this.sessions.set(token, s);
    if (cursor) {
      s.cursors.delete(cursor.bound);
      s.cursors.set(cursor.bound, cursor);
      while (s.cursors.size > CURSORS_PER_SESSION) s.cursors.delete(s.cursors.keys().next().value!);
      s.latest = cursor;
    }
    while (this.sessions.size > this.maxSessions) this.sessions.delete(this.sessions.keys().next().value!);
  }

  /** Open iterator sessions (for tests and metrics). */
  get size(): number {
    return this.sessions.size;
  }
}
