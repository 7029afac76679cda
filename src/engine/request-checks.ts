/**
 * Checks every transport's request goes through once it is decoded: features of Milvus that Elanus
 * does not have are refused with a clear error (never silently ignored), and the consistency level is
 * checked by name or number. The transports only carry the fields over; the rule lives here.
 */
import { ConsistencyLevel } from '../core/data-type.js';
import { invalidParam, type MilvusError } from '../core/errors.js';
import type { UnsupportedSearchFeatures } from './requests.js';
import { TTL_PROPERTY } from '../storage/index.js';

const LEVEL_NAMES = Object.keys(ConsistencyLevel);
const levelByName = new Map<string, number>(Object.entries(ConsistencyLevel).map(([k, v]) => [k.toLowerCase(), v]));

/** A consistency level (0–4) from its name (any case) or number; undefined when not given. */
export function consistencyLevel(v: unknown): number | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  const n = typeof v === 'number' ? v : levelByName.get(String(v).toLowerCase());
  if (n === undefined || !Number.isInteger(n) || n < 0 || n > 4) {
    throw invalidParam('consistency_level', `must be one of ${LEVEL_NAMES.join(', ')}; got ${String(v)}`);
  }
  return n;
}

function present(v: unknown): boolean {
  if (v === undefined || v === null || v === '' || v === false || v === 'false' || v === 'False') return false;
  if (Array.isArray(v)) return v.length > 0;
  return true;
}

/** Refuses the search features Elanus does not have. */
export function refuseUnsupportedSearch(u: UnsupportedSearchFeatures | undefined): void {
  if (!u) return;
  if (u.function_score && (u.function_score.functions ?? []).length > 0) throw invalidParam('function_score', 'rerank functions are not supported by Elanus; use an RRF or weighted ranker');
  // A plain search takes the highlighter off before this check (engine/highlight.ts); what is left is a hybrid search's.
  if (present(u.highlighter)) throw invalidParam('highlighter', 'a hybrid search cannot be highlighted (Milvus: not support hybrid search with highlight now); highlight a plain search');
  if (present(u.search_aggregation)) throw invalidParam('search_aggregation', 'search aggregation is not supported by Elanus');
  if (present(u.function_chains)) throw invalidParam('function_chains', 'function chains are not supported by Elanus');
  if (present(u.order_by_fields)) throw invalidParam('order_by_fields', 'ordering search results by fields is not supported by Elanus');
  if (present(u.hints)) throw invalidParam('hints', 'search hints are not supported by Elanus');
}

/** Refuses the query features Elanus does not have. */
export function refuseUnsupportedQuery(u: { group_by_fields?: unknown } | undefined): void {
  if (!u) return;
  if (present(u.group_by_fields)) throw invalidParam('group_by_fields', 'grouping query results is not supported by Elanus');
}

/**
 * Data types that make a struct array field: Milvus's DataType.ArrayOfStruct (200) and Struct (201, an
 * Array's element type), and ArrayOfVector (106, the type of a struct's vector sub-field).
 */
const STRUCT_TYPES = new Set(['200', '201', '106', 'arrayofstruct', 'struct', 'arrayofvector']);

function isStructType(v: unknown): boolean {
  return (typeof v === 'number' || typeof v === 'string') && STRUCT_TYPES.has(String(v).toLowerCase());
}

/** True for a field given as a struct array (Array of Struct, or a struct/vector-array type of its own). */
export function isStructArrayField(f: { data_type?: unknown; element_type?: unknown }): boolean {
  return isStructType(f.data_type) || isStructType(f.element_type);
}

/**
 * The refusal of struct array fields (Milvus 2.6 Array of Struct: struct elements with vector
 * sub-fields, searched as embedding lists with MAX_SIM): Elanus does not have them, and says so
 * naming the field, whichever way the schema carries it.
 */
export function structArrayRefusal(name: unknown): MilvusError {
  const n = typeof name === 'string' && name !== '' ? name : 'struct_array_fields';
  return invalidParam(n, 'struct array fields (Array of Struct, with vector sub-fields and MAX_SIM embedding-list search) are not supported by Elanus');
}

/**
 * Refuses collection features Elanus does not have: struct array fields, as the SDK sends them
 * (`struct_array_fields` of the schema), as a field of type Array with element type Struct (or
 * ArrayOfStruct / ArrayOfVector), or as `struct_fields`. Functions are checked by the schema builder.
 */
export function refuseUnsupportedSchema(req: { struct_array_fields?: readonly unknown[]; struct_fields?: readonly unknown[]; fields?: readonly unknown[] }): void {
  for (const list of [req.struct_array_fields, req.struct_fields]) {
    if (!Array.isArray(list) || list.length === 0) continue;
    const first = list[0] as { name?: unknown } | null;
    throw structArrayRefusal(first && typeof first === 'object' ? first.name : undefined);
  }
  for (const f of req.fields ?? []) {
    if (f && typeof f === 'object' && isStructArrayField(f as Record<string, unknown>)) throw structArrayRefusal((f as { name?: unknown }).name);
  }
}

/** Milvus common.MaxTTLSeconds (100 years). */
const MAX_TTL_SECONDS = 3155760000;

/**
 * Collection properties as createCollection and alterCollectionProperties set them (strings).
 * `collection.ttl.seconds` is an integer as Milvus's proxy parses it (strconv.Atoi) in [-1,
 * 3155760000] (validateCollectionTTL; 0 and -1 keep rows forever). The entity-level TTL of newer
 * Milvus releases (`ttl_field`, a TIMESTAMPTZ field per row) is refused rather than stored unused.
 */
export function checkCollectionProperties(props: Readonly<Record<string, string>>): void {
  const ttl = props[TTL_PROPERTY];
  if (ttl !== undefined) {
    if (!/^[+-]?\d+$/.test(ttl)) throw invalidParam(TTL_PROPERTY, `collection TTL is not a valid positive integer, got ${JSON.stringify(ttl)}`);
    const n = Number(ttl);
    if (n < -1 || n > MAX_TTL_SECONDS) throw invalidParam(TTL_PROPERTY, `collection TTL is out of range, expect [-1, ${MAX_TTL_SECONDS}], got ${n}`);
  }
  if (props['ttl_field'] !== undefined) throw invalidParam('ttl_field', 'entity-level TTL (a ttl_field naming a TIMESTAMPTZ field) is not supported by Elanus; use collection.ttl.seconds');
}
