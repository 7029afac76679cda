/** compileFilter: parse + check + compile, cached per (schema object, text, params). */
import { Bitset } from '../core/bitset.js';
import { ErrorCode, MilvusError } from '../core/errors.js';
import type { CollectionSchema, FieldSchema } from '../core/schema.js';
import type { SegmentView } from '../core/segment-view.js';
import { checkFilter } from './check.js';
import { compilePred } from './compile.js';
import type { Evaluator } from './eval/evaluator.js';
import { parseFilter } from './parse.js';
import type { Pred } from './plan.js';

export interface CompiledFilter {
  readonly text: string;
  /** Rows of the segment that match (deletes are NOT considered here; the engine masks them). */
  evaluate(seg: SegmentView): Bitset;
  /** When the whole filter is `pk in [...]` / `pk == v` (possibly OR-ed), those keys; else undefined. */
  readonly primaryKeys?: readonly (bigint | string)[];
}

/** Compiled filters kept per schema object (most recently used last). */
const CACHE_LIMIT = 512;
const cache = new WeakMap<CollectionSchema, Map<string, CompiledFilter>>();

function paramsKey(params: Record<string, unknown> | undefined): string {
  if (params === undefined) return '';
  try {
    return JSON.stringify(params, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));
  } catch {
    return `\u0001${Math.random()}`; // not serialisable: do not share a cache entry
  }
}

function pkKeys(p: Pred): (bigint | string)[] | undefined {
  if (p.p === 'pk') return [...p.keys];
  if (p.p === 'or') {
    const all: (bigint | string)[] = [];
    for (const c of p.children) {
      const k = pkKeys(c);
      if (k === undefined) return undefined;
      all.push(...k);
    }
    return [...new Set(all)];
  }
  return undefined;
}

class Compiled implements CompiledFilter {
  readonly primaryKeys?: readonly (bigint | string)[];
  constructor(
    readonly text: string,
    readonly plan: Pred,
    private readonly root: Evaluator,
  ) {
    const keys = pkKeys(plan);
    if (keys !== undefined) this.primaryKeys = Object.freeze([...new Set(keys)]);
  }

  evaluate(seg: SegmentView): Bitset {
    const n = seg.rowCount;
    if (n === 0) return new Bitset(0);
    try {
      return this.root.t({ seg, n }, null);
    } catch (err) {
      throw MilvusError.from(err);
    }
  }
}

/**
 * `pk in keys` built from a plan node, never from text: primary-key lookups (get, query by ids) cannot
 * be misquoted, and the segment answers them from its key index.
 */
export function primaryKeyFilter(field: FieldSchema, keys: readonly (bigint | string)[]): CompiledFilter {
  const plan: Pred = { p: 'pk', field, keys: Object.freeze([...keys]) };
  return new Compiled(`${field.name} in <${keys.length} primary keys>`, plan, compilePred(plan));
}

/** Drops the filters compiled against `schema` (its fields changed: addCollectionField, alterCollectionField). */
export function forgetCompiledFilters(schema: CollectionSchema): void {
  cache.delete(schema);
}

/**
 * Parse + check + compile; cached by (schema object identity, text, params). Throws MilvusError 1100
 * with "column N: ..." messages. Empty/blank text is not allowed here (the engine treats "" as no filter).
 */
export function compileFilter(text: string, schema: CollectionSchema, params?: Record<string, unknown>): CompiledFilter {
  let perSchema = cache.get(schema);
  if (perSchema === undefined) {
    perSchema = new Map();
    cache.set(schema, perSchema);
  }
  const key = `${paramsKey(params)}\u0000${text}`;
  const hit = perSchema.get(key);
  if (hit !== undefined) {
    perSchema.delete(key);
    perSchema.set(key, hit);
    return hit;
  }
  let compiled: CompiledFilter;
  try {
    const plan = checkFilter(parseFilter(text), schema, params);
    compiled = new Compiled(text, plan, compilePred(plan));
  } catch (err) {
    if (err instanceof MilvusError) throw err;
    const message = err instanceof Error ? err.message : String(err);
    throw new MilvusError(ErrorCode.ParameterInvalid, `column 1: cannot compile filter: ${message}`);
  }
  perSchema.set(key, compiled);
  if (perSchema.size > CACHE_LIMIT) perSchema.delete(perSchema.keys().next().value!);
  return compiled;
}
