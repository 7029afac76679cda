/**
 * Primary-key search (Milvus 2.6.9, https://milvus.io/docs/primary-key-search.md): a search request
 * gives `ids` instead of query vectors, and the stored vectors of those entities (in the searched
 * field) are the queries, one per id, in the order given. As Milvus documents it: ids and query
 * vectors are mutually exclusive; a missing or malformed key is an error; it does not apply to a BM25
 * function's output field, to hybrid search or to search iterators. The ids only pick the query
 * vectors: they do not filter the hits.
 */
import { DataType } from '../../core/data-type.js';
import { invalidParam } from '../../core/errors.js';
import type { CollectionSchema, FieldSchema } from '../../core/schema.js';
import { primaryField } from '../../core/schema.js';
import type { PrimaryKey, Segment } from '../../storage/index.js';
import { outputValue, scalarValue, toInt64 } from '../row-codec.js';
import { MAX_NQ } from './query-vectors.js';
import { takeIteratorParams } from './iterator.js';

/** True when a request carries primary keys to search by (an empty list is no request for it). */
export function hasSearchIds(ids: unknown): boolean {
  return ids !== undefined && ids !== null && !(Array.isArray(ids) && ids.length === 0);
}

/** Refuses `ids` where Milvus does not take them (hybrid sub-requests). */
export function refuseIdsIn(what: string, ids: unknown): void {
  if (hasSearchIds(ids)) throw invalidParam('ids', `search by primary keys does not apply to ${what}; pass query vectors`);
}

/** Refuses a primary-key search that is a search iterator's page (`params` as an object or JSON text). */
export function refuseIdsInIterator(params: unknown): void {
  let p: unknown = params;
  if (typeof p === 'string') {
    try {
      p = JSON.parse(p);
    } catch {
      return; // the search plan reports the bad JSON
    }
  }
  if (p === null || typeof p !== 'object') return;
  const flat = { ...(p as Record<string, unknown>), ...((p as { params?: unknown }).params && typeof (p as { params?: unknown }).params === 'object' ? ((p as { params: Record<string, unknown> }).params) : {}) };
  if (takeIteratorParams(flat)) throw invalidParam('ids', 'search by primary keys does not apply to search iterators; pass a query vector');
}

/**
 * The query vectors of a primary-key search: the `field` vector of each id's live row among the
 * loaded segments (rows `visible` rejects count as missing). `data` must be absent. An id whose
 * vector is null (a nullable vector field, Milvus 2.6) has no query: `nullAt[i]` marks it and its
 * hit list comes back empty, as Milvus answers mixed ids; when every id's vector is null there is
 * nothing to search with, and that is an error naming the field.
 */
export function vectorsOfIds(
  schema: CollectionSchema,
  field: FieldSchema,
  ids: unknown,
  data: unknown,
  segments: readonly Segment[],
  visible: (seg: Segment, row: number) => boolean = () => true,
): { data: unknown[]; nullAt: boolean[] | null } {
  if (data !== undefined && data !== null && !(Array.isArray(data) && data.length === 0)) {
    throw invalidParam('ids', 'primary keys (ids) and query vectors (data) are mutually exclusive; give one of them');
  }
  if (!Array.isArray(ids)) throw invalidParam('ids', `must be a list of primary keys, got ${JSON.stringify(ids)}`);
  if (ids.length > MAX_NQ) throw invalidParam('nq', `must be in [1, ${MAX_NQ}], got ${ids.length}`);
  if (field.isFunctionOutput) throw invalidParam('ids', `search by primary keys does not apply to "${field.name}", the output of a BM25 function; search it with text`);
  const pkf = primaryField(schema);
  const pks: PrimaryKey[] = ids.map((v, i) => (pkf.dataType === DataType.Int64 ? toInt64(v, `ids[${i}]`) : String(scalarValue(pkf, v, `ids[${i}]`))));
  /** The vector of each key found; null for a key whose vector is null. */
  const found = new Map<PrimaryKey, unknown>();
  for (const seg of segments) {
    const col = seg.column(field.name);
    if (!col) continue;
    for (const row of seg.rowsOfPks(pks)) {
      if (row >= seg.rowCount || seg.deleted.get(row) || !visible(seg, row)) continue;
      found.set(seg.pkAt(row), col.valid && col.valid[row] === 0 ? null : outputValue(col, row));
    }
  }
  const missing = pks.filter((p) => !found.has(p));
  if (missing.length > 0) {
    const shown = missing.slice(0, 10).map(String).join(', ');
    throw invalidParam('ids', `primary keys not found in the searched partitions: [${shown}${missing.length > 10 ? ', …' : ''}]`);
  }
  const vectors = pks.map((p) => found.get(p));
  if (!vectors.some((v) => v === null)) return { data: vectors, nullAt: null };
  if (vectors.every((v) => v === null)) throw invalidParam('ids', `the "${field.name}" vectors of all the given primary keys are null; there is nothing to search with`);
  return { data: vectors.filter((v) => v !== null), nullAt: vectors.map((v) => v === null) };
}

/** Hit lists of the non-null queries → one list per id again, empty where the id's vector is null. */
export function spreadNullQueries<T>(hits: T[][], nullAt: readonly boolean[] | null): T[][] {
  if (!nullAt) return hits;
  let k = 0;
  return nullAt.map((isNull) => (isNull ? [] : (hits[k++] ?? [])));
}
