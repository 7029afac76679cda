/** What the engine keeps per open collection: catalog entry, rows, indexes, load state, auto-ids. */
import { LoadState } from '../core/data-type.js';
import { collectionNotLoaded, type MilvusError } from '../core/errors.js';
import { compileFilter, type CompiledFilter } from '../expr/index.js';
import type { CollectionMeta, CollectionStore } from '../storage/index.js';
import type { IndexManager } from './index-manager.js';

export interface LoadStatus {
  state: LoadState;
  /** Loaded partition ids; null = the whole collection (including partitions created later). */
  partitions: Set<number> | null;
  progress: number;
  promise?: Promise<void>;
  error?: MilvusError;
}

export interface CollectionRuntime {
  meta: CollectionMeta;
  store: CollectionStore;
  indexes: IndexManager;
  load: LoadStatus;
  /** Next auto-id to issue; ids up to meta.nextAutoId are reserved in the catalog. */
  autoNext: bigint;
}

export function isPartitionLoaded(rt: CollectionRuntime, partitionId: number): boolean {
  if (rt.load.state !== LoadState.Loaded) return false;
  return rt.load.partitions === null || rt.load.partitions.has(partitionId);
}

/** The collection must be loaded (searches, queries and deletes by a filter read loaded segments). */
export function requireLoaded(rt: CollectionRuntime): void {
  if (rt.load.state !== LoadState.Loaded) throw collectionNotLoaded(rt.meta.name);
}

/** A request's filter text (and template values) compiled against the collection's schema; null for none. */
export function requestFilter(rt: CollectionRuntime, text: string | undefined, params: Record<string, unknown> | undefined): CompiledFilter | null {
  if (text === undefined || text === null || String(text).trim() === '') return null;
  return compileFilter(String(text), rt.meta.schema, params);
}
