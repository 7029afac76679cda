/** What the engine keeps per open collection: catalog entry, rows, indexes, load state, auto-ids. */
import { LoadState } from '../core/data-type.js';
import type { MilvusError } from '../core/errors.js';
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
