/**
 * The one name-or-alias lookup of the catalog: every engine call that names a collection (by its name
 * or by an alias of it) resolves it here, and says which of the two matched.
 */
import type { CollectionMeta } from '../storage/index.js';

export interface Found {
  meta: CollectionMeta;
  /** Whether `name` is the collection's own name or one of its aliases. */
  via: 'name' | 'alias';
}

/** The collection of database `db` called `name`, or holding `name` as an alias. */
export function lookupCollection(collections: readonly CollectionMeta[], db: string, name: string): Found | undefined {
  for (const meta of collections) {
    if (meta.dbName !== db) continue;
    if (meta.name === name) return { meta, via: 'name' };
    if (meta.aliases.includes(name)) return { meta, via: 'alias' };
  }
  return undefined;
}

/** A frozen deep copy of a catalog entry: what describeCollection hands out, never the persisted object. */
export function frozenCopy<T>(value: T): Readonly<T> {
  return deepFreeze(structuredClone(value));
}

function deepFreeze<T>(v: T): T {
  if (v !== null && typeof v === 'object' && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const x of Object.values(v as object)) deepFreeze(x);
  }
  return v;
}
