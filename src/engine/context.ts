/**
 * What the engine's services share: the data directory, the open collections (runtimes), the one
 * name-or-alias lookup, and catalog transactions. Each service (catalog, indexes, loads, writes,
 * search, users, jobs) holds this context and nothing of the others it does not name.
 */
import { watchSealing, type MatchIndexHost } from './text-match-indexes.js';
import { isVectorType, LoadState } from '../core/data-type.js';
import { ErrorCode, MilvusError, collectionNotFound, databaseNotFound, invalidParam, partitionNotFound } from '../core/errors.js';
import type { CatalogState, CollectionMeta, DataDir, IndexMeta, PartitionMeta } from '../storage/index.js';
import { resolveVectorIndexSpec, type VectorIndexSpec } from '../index/index.js';
import { lookupCollection } from './catalog-lookup.js';
import { IndexManager } from './index-manager.js';
import type { CollectionRuntime } from './collection-runtime.js';
import type { CollectionReq, DbReq } from './requests.js';
import type { ProgressListener } from './progress.js';
import { DEFAULT_RESOURCE_GROUP } from './cluster.js';

export const DEFAULT_DB = 'default';
export const DEFAULT_PARTITION = '_default';

export const LIMITS = { maxPartitions: 1024, maxCollections: 65536, maxDatabases: 64, defaultPartitionKeyPartitions: 16 };

/** A collection named, or identified by id (maintenance RPCs send either). */
export type CollectionRef = DbReq & { collection_name?: string; collectionID?: unknown };

export function dbOf(req: DbReq | undefined): string {
  const n = req?.db_name;
  return n === undefined || n === '' ? DEFAULT_DB : n;
}

/** Catalog property values as Milvus keeps them: strings (others JSON-encoded). */
export function stringProps(p: Record<string, unknown> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(p ?? {})) out[k] = typeof v === 'string' ? v : JSON.stringify(v);
  return out;
}

export class EngineContext {
  /** Open collections by id: catalog entry, rows, indexes, load state. */
  readonly runtimes = new Map<number, CollectionRuntime>();
  /** Bumped by every catalog change; describeCollection's frozen copies are valid for one version. */
  catalogVersion = 0;
  /** Failures of background work (index builds), most recent last; surfaced through describeIndex. */
  readonly backgroundErrors: MilvusError[] = [];

  constructor(
    readonly dir: DataDir,
    private readonly reportBackgroundError?: (err: unknown) => void,
    readonly reportProgress?: ProgressListener,
  ) {}

  /** Opens a collection's runtime (its store, index manager and load state) and registers it. */
  attach(meta: CollectionMeta): CollectionRuntime {
    const store = this.dir.store(meta);
    const dir = this.dir;
    const rt: CollectionRuntime = {
      meta,
      store,
      indexes: new IndexManager(store, () => meta.indexes, (m) => this.vectorSpec(meta, m), {
        save: (seg, name, bytes) => dir.saveIndexFile(meta.id, seg, name, bytes),
        read: (seg, name) => dir.readIndexFile(meta.id, seg, name),
        remove: (seg, name) => dir.deleteIndexFiles(meta.id, seg, name),
        commit: () => this.commit(),
        resident: () => rt.load.state !== LoadState.NotLoad,
        onError: (err) => this.onBackgroundError(err),
        onBuildProgress: (segment, m, rows, percent) => this.reportProgress?.({ task: 'index build', collection: meta.name, field: m.fieldName, indexType: m.indexType, segment, rows, percent }),
      }),
      load: { state: LoadState.NotLoad, partitions: null, progress: 0 },
      autoNext: BigInt(meta.nextAutoId),
    };
    this.runtimes.set(meta.id, rt);
    watchSealing(store, () => meta.schema, this.matchHost(meta.id));
    return rt;
  }

  /** Where a collection's text-match index files go (storage's per-segment index files). */
  matchHost(collectionId: number): MatchIndexHost {
    return {
      save: (seg, name, bytes) => this.dir.saveIndexFile(collectionId, seg, name, bytes),
      read: (seg, name) => this.dir.readIndexFile(collectionId, seg, name),
      onError: (err) => this.onBackgroundError(err),
    };
  }

  private onBackgroundError(err: unknown): void {
    this.reportBackgroundError?.(err);
    this.backgroundErrors.push(MilvusError.from(err));
    if (this.backgroundErrors.length > 100) this.backgroundErrors.shift();
  }

  /** The resolved vector index of `m` on its field (null for a scalar index). */
  vectorSpec(meta: CollectionMeta, m: IndexMeta): VectorIndexSpec | null {
    const f = meta.schema.fields.find((x) => x.name === m.fieldName);
    if (!f || !isVectorType(f.dataType)) return null;
    return resolveVectorIndexSpec({ dataType: f.dataType, dim: f.dim ?? 0, name: f.name }, m.indexType, m.metricType, m.params);
  }

  /** The request's database (the default one when unnamed); it must exist. */
  database(req: DbReq | undefined): string {
    const name = dbOf(req);
    if (!this.dir.catalog.databases.some((d) => d.name === name)) throw databaseNotFound(name);
    return name;
  }

  /** Finds a collection by name or alias. */
  runtime(req: CollectionReq): CollectionRuntime {
    const db = this.database(req);
    const name = req.collection_name;
    if (typeof name !== 'string' || name === '') throw invalidParam('collection_name', 'must be a non-empty string');
    const found = lookupCollection(this.dir.catalog.collections, db, name);
    if (!found) throw collectionNotFound(name, db);
    return this.runtimes.get(found.meta.id)!;
  }

  /** A collection by name or alias, else by `collectionID`. */
  runtimeByRef(req: CollectionRef): CollectionRuntime {
    if (req.collection_name) return this.runtime({ collection_name: req.collection_name, db_name: req.db_name });
    const rt = this.runtimes.get(Number(req.collectionID));
    if (!rt || req.collectionID === undefined || req.collectionID === '') throw collectionNotFound(String(req.collectionID ?? ''), dbOf(req));
    return rt;
  }

  /** The collection holding `alias`. */
  aliasOwner(db: string, alias: string): CollectionMeta {
    const found = lookupCollection(this.dir.catalog.collections, db, alias);
    if (!found || found.via !== 'alias') throw new MilvusError(ErrorCode.AliasNotFound, `alias not found[database=${db}][alias=${alias}]`);
    return found.meta;
  }

  partition(rt: CollectionRuntime, name: string): PartitionMeta {
    const p = rt.meta.partitions.find((x) => x.name === name);
    if (!p) throw partitionNotFound(name);
    return p;
  }

  /** The resource group a collection's replica is placed in. */
  replicaGroupOf(collectionId: number): string {
    return this.dir.catalog.replicaGroups?.[String(collectionId)] ?? DEFAULT_RESOURCE_GROUP;
  }

  /**
   * The one step that persists a catalog change (the manifest write). Frozen descriptions handed out
   * before it are stale afterwards, whether or not the write succeeded.
   */
  async commit(): Promise<void> {
    this.catalogVersion++;
    try {
      await this.dir.commit();
    } finally {
      this.catalogVersion++;
    }
  }

  /** A catalog change as a transaction (memory changes only once the manifest with it is durable). */
  async change<T>(fn: (cat: CatalogState) => T): Promise<T> {
    // Like commit: frozen descriptions handed out before the change are stale after it.
    this.catalogVersion++;
    try {
      return await this.dir.change(fn);
    } finally {
      this.catalogVersion++;
    }
  }
}
