/**
 * The engine: databases, collections, partitions, aliases, indexes, load/release and users, over a
 * data directory. Methods are named like the official Node SDK's MilvusClient methods and take its
 * request objects; they return plain results and throw MilvusError. The embedded client and the
 * servers wrap them into SDK / protobuf / REST responses.
 */
import { refreshMatchIndexes } from './text-match-indexes.js';
import { isVectorType, LoadState, ConsistencyLevel } from '../core/data-type.js';
import {
  ErrorCode,
  MilvusError,
  collectionNotFound,
  databaseNotFound,
  indexNotFound,
  invalidParam,
  milvusInvalidParam,
  partitionNotFound,
} from '../core/errors.js';
import { DataDir, type CatalogState, type CollectionMeta, type DataDirOptions, type IndexMeta, type PartitionMeta } from '../storage/index.js';
import { keptIndexParams, resolveVectorIndexSpec, type VectorIndexSpec } from '../index/index.js';
import { checkName } from './names.js';
import { lookupCollection, frozenCopy } from './catalog-lookup.js';
import { LoadController } from './load-controller.js';
import { consistencyLevel, refuseUnsupportedSchema } from './request-checks.js';
import { buildSchema, type FieldInput } from './schema-builder.js';
import { IndexManager } from './index-manager.js';
import { isPartitionLoaded, type CollectionRuntime } from './collection-runtime.js';
import { partitionKeyPartitionName } from './partition-key.js';
import { hashPassword, verifyPasswordAsync, ROOT_USER, DEFAULT_ROOT_PASSWORD } from './users.js';
import type {
  AliasReq,
  CollectionReq,
  CreateCollectionReq,
  CreateIndexReq,
  DbReq,
  IndexReq,
  PartitionReq,
  PartitionsReq,
  UserReq,
} from './requests.js';
import { DataOps } from './data-ops.js';
import type { ProgressListener } from './progress.js';
import { ImportJobs, importGroups, importOptions, readImportFiles, type ImportJob } from './bulk-import.js';
import { Rbac } from './rbac.js';
import { ResourceGroups, DEFAULT_RESOURCE_GROUP } from './cluster.js';
import { collectionStats, CompactionJobs, replicas, segmentInfos, type CollectionStats, type CompactionJob, type ReplicaInfo, type SegmentInfo } from './maintenance.js';

export const DEFAULT_DB = 'default';
export const DEFAULT_PARTITION = '_default';
/** Rows per insert when a bulk import writes (and per validation chunk). */
const IMPORT_BATCH = 5000;

export const LIMITS = { maxPartitions: 1024, maxCollections: 65536, maxDatabases: 64, defaultPartitionKeyPartitions: 16 };

export interface EngineOptions extends DataDirOptions {
  /** Data directory; null keeps everything in memory. */
  dataDir: string | null;
  /** Progress of index builds and loads (`elanus serve` logs each event). */
  onProgress?: ProgressListener;
}

export function dbOf(req: DbReq | undefined): string {
  const n = req?.db_name;
  return n === undefined || n === '' ? DEFAULT_DB : n;
}

export class Engine extends DataOps {
  private closed = false;
  /** Bumped by every catalog change; describeCollection's frozen copies are valid for one version. */
  private catalogVersion = 0;
  private readonly described = new WeakMap<CollectionRuntime, { version: number; copy: Readonly<CollectionMeta> }>();
  /** Load / release, one state machine per collection. */
  private readonly loads = new LoadController((rt) => this.loadWork(rt));
  private readonly compactions = new CompactionJobs();
  private readonly imports = new ImportJobs();
  /** Roles, user roles and grants (kept in the catalog); transports decide what each call needs. */
  readonly rbac = new Rbac(() => this.dir.catalog, (fn) => this.change(fn));
  /** Resource groups (kept in the catalog): the default one holds this process's query node. */
  readonly resourceGroups = new ResourceGroups(() => this.dir.catalog, () => this.commit(), (g) => this.loadedInGroup(g));
  /** Start (ms) of the latest completed flushAll. */
  private flushedAllAt = 0;
  /** The latest flushAll that failed (until a later one succeeds). */
  private flushAllFailure: { ts: number; err: MilvusError } | null = null;
  /** Failures of background work (index builds), most recent last; surfaced through describeIndex. */
  readonly backgroundErrors: MilvusError[] = [];

  private constructor(
    readonly dir: DataDir,
    private readonly reportBackgroundError?: (err: unknown) => void,
    private readonly reportProgress?: ProgressListener,
  ) {
    super();
    for (const meta of dir.catalog.collections) this.attach(meta);
    // Milvus creates root at first start: RBAC calls naming root work before anything lists users.
    this.ensureRoot();
  }

  /** Names of the loaded collections whose replica is in resource group `group`. */
  private loadedInGroup(group: string): string[] {
    const placed = this.dir.catalog.replicaGroups ?? {};
    return [...this.runtimes.values()].filter((rt) => rt.load.state !== LoadState.NotLoad && (placed[String(rt.meta.id)] ?? DEFAULT_RESOURCE_GROUP) === group).map((rt) => rt.meta.name);
  }

  /** The resource group a collection's replica is placed in. */
  replicaGroupOf(collectionId: number): string {
    return this.dir.catalog.replicaGroups?.[String(collectionId)] ?? DEFAULT_RESOURCE_GROUP;
  }

  static async open(opts: EngineOptions): Promise<Engine> {
    const dir = await DataDir.open(opts.dataDir, opts);
    return new Engine(dir, opts.onBackgroundError, opts.onProgress);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.imports.idle();
    for (const rt of this.runtimes.values()) await rt.indexes.idle().catch(() => undefined);
    await this.dir.close();
  }

  // ---------------------------------------------------------------- internals

  private attach(meta: CollectionMeta): CollectionRuntime {
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
    return rt;
  }

  private onBackgroundError(err: unknown): void {
    this.reportBackgroundError?.(err);
    this.backgroundErrors.push(MilvusError.from(err));
    if (this.backgroundErrors.length > 100) this.backgroundErrors.shift();
  }

  protected vectorSpec(meta: CollectionMeta, m: IndexMeta): VectorIndexSpec | null {
    const f = meta.schema.fields.find((x) => x.name === m.fieldName);
    if (!f || !isVectorType(f.dataType)) return null;
    return resolveVectorIndexSpec({ dataType: f.dataType, dim: f.dim ?? 0, name: f.name }, m.indexType, m.metricType, m.params);
  }

  private database(req: DbReq | undefined): string {
    const name = dbOf(req);
    if (!this.dir.catalog.databases.some((d) => d.name === name)) throw databaseNotFound(name);
    return name;
  }

  /** Finds a collection by name or alias. */
  protected runtime(req: CollectionReq): CollectionRuntime {
    const db = this.database(req);
    const name = req.collection_name;
    if (typeof name !== 'string' || name === '') throw invalidParam('collection_name', 'must be a non-empty string');
    const found = lookupCollection(this.dir.catalog.collections, db, name);
    if (!found) throw collectionNotFound(name, db);
    return this.runtimes.get(found.meta.id)!;
  }

  /** A collection by its own name (not an alias), as alias targets must be named. */
  private collectionByName(db: string, name: string): CollectionMeta {
    const found = lookupCollection(this.dir.catalog.collections, db, name);
    if (!found || found.via !== 'name') throw collectionNotFound(name, db);
    return found.meta;
  }

  /** The collection holding `alias`. */
  private aliasOwner(db: string, alias: string): CollectionMeta {
    const found = lookupCollection(this.dir.catalog.collections, db, alias);
    if (!found || found.via !== 'alias') throw new MilvusError(ErrorCode.AliasNotFound, `alias not found[database=${db}][alias=${alias}]`);
    return found.meta;
  }

  protected partition(rt: CollectionRuntime, name: string): PartitionMeta {
    const p = rt.meta.partitions.find((x) => x.name === name);
    if (!p) throw partitionNotFound(name);
    return p;
  }

  /**
   * The one step that persists a catalog change (the manifest write). Frozen descriptions handed out
   * before it are stale afterwards, whether or not the write succeeded.
   */
  protected async commit(): Promise<void> {
    this.catalogVersion++;
    try {
      await this.dir.commit();
    } finally {
      this.catalogVersion++;
    }
  }

  /** A catalog change as a transaction (memory changes only once the manifest with it is durable). */
  protected async change<T>(fn: (cat: CatalogState) => T): Promise<T> {
    // Like commit: frozen descriptions handed out before the change are stale after it.
    this.catalogVersion++;
    try {
      return await this.dir.change(fn);
    } finally {
      this.catalogVersion++;
    }
  }

  // ---------------------------------------------------------------- databases

  async createDatabase(req: { db_name: string; properties?: Record<string, unknown> }): Promise<void> {
    checkName('db_name', req.db_name);
    await this.change((cat) => {
      if (cat.databases.some((d) => d.name === req.db_name)) throw new MilvusError(ErrorCode.DatabaseAlreadyExist, `database already exist: ${req.db_name}`);
      if (cat.databases.length >= LIMITS.maxDatabases) throw new MilvusError(ErrorCode.DatabaseNumLimitExceeded, `exceeded the limit number of database[limit=${LIMITS.maxDatabases}]`);
      cat.databases.push({ id: this.dir.allocId(), name: req.db_name, createdAt: Date.now(), properties: stringProps(req.properties) });
    });
  }

  async dropDatabase(req: { db_name: string }): Promise<void> {
    await this.change((cat) => {
      const name = this.database(req);
      if (name === DEFAULT_DB) throw invalidParam('db_name', 'the default database cannot be dropped');
      if (cat.collections.some((c) => c.dbName === name)) {
        throw invalidParam('db_name', `database "${name}" still has collections; drop them first`);
      }
      cat.databases = cat.databases.filter((d) => d.name !== name);
    });
  }

  listDatabases(): { names: string[]; ids: number[]; createdAt: number[] } {
    const dbs = this.dir.catalog.databases;
    return { names: dbs.map((d) => d.name), ids: dbs.map((d) => d.id), createdAt: dbs.map((d) => d.createdAt) };
  }

  describeDatabase(req: { db_name?: string }): { name: string; id: number; createdAt: number; properties: Record<string, string> } {
    const name = this.database(req);
    const d = this.dir.catalog.databases.find((x) => x.name === name)!;
    return { name: d.name, id: d.id, createdAt: d.createdAt, properties: { ...d.properties } };
  }

  /** Sets properties, or (`delete_keys`) removes them: Milvus's AlterDatabase takes one or the other. */
  async alterDatabase(req: { db_name: string; properties?: Record<string, unknown>; delete_keys?: string[] }): Promise<void> {
    const props = stringProps(req.properties);
    const keys = req.delete_keys ?? [];
    if (Object.keys(props).length > 0 && keys.length > 0) throw milvusInvalidParam('alter database requires either properties or deletekeys to modify or delete keys, both cannot be provided');
    await this.change((cat) => {
      const name = this.database(req);
      const d = cat.databases.find((x) => x.name === name)!;
      Object.assign(d.properties, props);
      for (const k of keys) delete d.properties[k];
    });
  }

  // ---------------------------------------------------------------- collections

  async createCollection(req: CreateCollectionReq): Promise<void> {
    const db = this.database(req);
    refuseUnsupportedSchema({ struct_array_fields: req.struct_array_fields });
    checkName('collection_name', req.collection_name);
    let fieldInputs: FieldInput[] | undefined = req.fields;
    let enableDynamic = req.enable_dynamic_field ?? req.enableDynamicField;
    let description = req.description;
    let functions = req.functions;
    if (!fieldInputs && req.schema) {
      if (Array.isArray(req.schema)) fieldInputs = req.schema;
      else {
        fieldInputs = req.schema.fields;
        enableDynamic ??= req.schema.enable_dynamic_field;
        description ??= req.schema.description;
        functions ??= req.schema.functions;
      }
    }
    if (!fieldInputs) throw invalidParam('fields', 'createCollection needs `fields` (or `schema`), or `dimension` for the quick form');
    const schema = buildSchema(req.collection_name, fieldInputs, {
      description,
      enableDynamicField: enableDynamic === true,
      partitionKeyField: req.partition_key_field,
      functions,
    });
    const id = await this.change((cat) => this.addCollection(cat, req, db, schema));
    this.attach(this.dir.catalog.collections.find((c) => c.id === id)!);
  }

  /** The catalog part of createCollection: checks against the catalog, then the new collection's entry. */
  private addCollection(cat: CatalogState, req: CreateCollectionReq, db: string, schema: CollectionMeta['schema']): number {
    const existing = lookupCollection(cat.collections, db, req.collection_name);
    if (existing) {
      if (existing.via === 'alias') throw new MilvusError(ErrorCode.AliasCollectionNameConflict, `collection name [${req.collection_name}] conflicts with an existing alias`);
      throw new MilvusError(ErrorCode.CollectionAlreadyExist, `collection already exists: ${req.collection_name}`);
    }
    if (cat.collections.length >= LIMITS.maxCollections) throw new MilvusError(ErrorCode.CollectionNumLimitExceeded, `exceeded the limit number of collections[limit=${LIMITS.maxCollections}]`);
    const hasPartitionKey = schema.fields.some((f) => f.isPartitionKey);
    let numPartitions = 0;
    if (hasPartitionKey) {
      numPartitions = req.num_partitions === undefined || Number(req.num_partitions) === 0 ? LIMITS.defaultPartitionKeyPartitions : Number(req.num_partitions);
      if (!Number.isInteger(numPartitions) || numPartitions < 1 || numPartitions > LIMITS.maxPartitions) {
        throw invalidParam('num_partitions', `must be an integer in [1, ${LIMITS.maxPartitions}], got ${String(req.num_partitions)}`);
      }
    } else if (req.num_partitions !== undefined && Number(req.num_partitions) > 0) {
      throw invalidParam('num_partitions', 'is only allowed when the schema has a partition key field');
    }
    const consistency = consistencyLevel(req.consistency_level) ?? ConsistencyLevel.Bounded;
    const now = Date.now();
    const partitions: PartitionMeta[] = hasPartitionKey
      ? Array.from({ length: numPartitions }, (_, i) => ({ id: this.dir.allocId(), name: partitionKeyPartitionName(i), createdAt: now }))
      : [{ id: this.dir.allocId(), name: DEFAULT_PARTITION, createdAt: now }];
    const meta: CollectionMeta = {
      id: this.dir.allocId(),
      dbName: db,
      name: req.collection_name,
      schema,
      createdAt: now,
      partitions,
      aliases: [],
      indexes: [],
      properties: stringProps(req.properties),
      consistencyLevel: consistency,
      shardsNum: req.shards_num ?? 1,
      numPartitions,
      nextAutoId: (BigInt(now) << 18n).toString(),
      loaded: false,
    };
    cat.collections.push(meta);
    return meta.id;
  }

  hasCollection(req: CollectionReq): boolean {
    const db = this.database(req);
    return lookupCollection(this.dir.catalog.collections, db, req.collection_name) !== undefined;
  }

  /** The collection's catalog entry as a frozen copy (never the persisted object), cached until the catalog changes. */
  describeCollection(req: CollectionReq): Readonly<CollectionMeta> {
    const rt = this.runtime(req);
    const cached = this.described.get(rt);
    if (cached && cached.version === this.catalogVersion) return cached.copy;
    const copy = frozenCopy(rt.meta);
    this.described.set(rt, { version: this.catalogVersion, copy });
    return copy;
  }

  showCollections(req: DbReq & { collection_names?: string[] }): { meta: CollectionMeta; loadedPercentage: number; loadState: LoadState }[] {
    const db = this.database(req);
    const names = req.collection_names?.length ? new Set(req.collection_names) : null;
    return this.dir.catalog.collections
      .filter((c) => c.dbName === db && (!names || names.has(c.name)))
      .map((meta) => {
        const rt = this.runtimes.get(meta.id)!;
        return { meta, loadedPercentage: rt.load.state === LoadState.Loaded ? 100 : rt.load.progress, loadState: rt.load.state };
      });
  }

  /**
   * Idempotent as Milvus's: a collection (or database) that does not exist is already dropped
   * (rootcoord broadcastDropCollectionV1, "drop non-existent collection").
   */
  async dropCollection(req: CollectionReq): Promise<void> {
    let rt: CollectionRuntime;
    try {
      rt = this.runtime(req);
    } catch (err) {
      if (err instanceof MilvusError && (err.code === ErrorCode.CollectionNotFound || err.code === ErrorCode.DatabaseNotFound)) return;
      throw err;
    }
    if (lookupCollection(this.dir.catalog.collections, rt.meta.dbName, req.collection_name)?.via === 'alias') {
      throw invalidParam('collection_name', `"${req.collection_name}" is an alias; drop the alias or use the collection's name`);
    }
    await this.change((cat) => {
      cat.collections = cat.collections.filter((c) => c.id !== rt.meta.id);
    });
    rt.indexes.unloadAll();
    this.runtimes.delete(rt.meta.id);
    await this.dir.dropStore(rt.meta.id);
  }

  async renameCollection(req: CollectionReq & { new_collection_name: string; new_db_name?: string }): Promise<void> {
    checkName('new_collection_name', req.new_collection_name);
    await this.change((cat) => {
      const rt = this.runtime(req);
      const targetDb = req.new_db_name ? this.database({ db_name: req.new_db_name }) : rt.meta.dbName;
      if (lookupCollection(cat.collections, targetDb, req.new_collection_name)) {
        throw new MilvusError(ErrorCode.CollectionAlreadyExist, `collection already exists: ${req.new_collection_name}`);
      }
      rt.meta.name = req.new_collection_name;
      rt.meta.schema.name = req.new_collection_name;
      rt.meta.dbName = targetDb;
    });
  }

  async alterCollection(req: CollectionReq & { properties?: Record<string, unknown>; delete_keys?: string[] }): Promise<void> {
    const props = Object.keys(req.properties ?? {}).length;
    const keys = req.delete_keys?.length ?? 0;
    // Milvus's proxy (alterCollectionTask.PreExecute) refuses both; rootcoord refuses neither.
    if (props > 0 && keys > 0) throw milvusInvalidParam('cannot provide both DeleteKeys and ExtraParams');
    await this.change(() => {
      const rt = this.runtime(req);
      if (props === 0 && keys === 0) throw milvusInvalidParam('no properties or delete keys provided');
      Object.assign(rt.meta.properties, stringProps(req.properties));
      for (const k of req.delete_keys ?? []) delete rt.meta.properties[k];
    });
  }

  getCollectionStatistics(req: CollectionReq): { rowCount: number } {
    return { rowCount: this.runtime(req).store.rowCount };
  }

  async truncateCollection(req: CollectionReq): Promise<void> {
    const rt = this.runtime(req);
    rt.indexes.unloadAll();
    await rt.store.truncate();
    await this.change(() => {
      for (const m of rt.meta.indexes) m.segments = [];
    });
  }

  // ---------------------------------------------------------------- partitions

  async createPartition(req: PartitionReq): Promise<void> {
    checkName('partition_name', req.partition_name);
    await this.change(() => {
      const rt = this.runtime(req);
      if (rt.meta.numPartitions > 0) throw invalidParam('partition_name', 'partitions cannot be created by hand in a collection with a partition key');
      if (rt.meta.partitions.some((p) => p.name === req.partition_name)) {
        throw new MilvusError(ErrorCode.PartitionAlreadyExist, `partition already exists: ${req.partition_name}`);
      }
      if (rt.meta.partitions.length >= LIMITS.maxPartitions) {
        throw new MilvusError(ErrorCode.CapacityExceeded, `partition number (${rt.meta.partitions.length}) exceeds max configuration (${LIMITS.maxPartitions}), collection: ${rt.meta.name}`);
      }
      rt.meta.partitions.push({ id: this.dir.allocId(), name: req.partition_name, createdAt: Date.now() });
    });
  }

  async dropPartition(req: PartitionReq): Promise<void> {
    const rt = this.runtime(req);
    if (rt.meta.numPartitions > 0) throw invalidParam('partition_name', 'partitions of a collection with a partition key cannot be dropped');
    if (req.partition_name === DEFAULT_PARTITION) throw invalidParam('partition_name', 'the default partition cannot be dropped');
    // Idempotent as Milvus's dropPartitionTask ("drop an non-existent partition"); the collection must exist.
    const p = rt.meta.partitions.find((x) => x.name === req.partition_name);
    if (!p) return;
    if (isPartitionLoaded(rt, p.id)) {
      throw invalidParam('partition_name', `partition "${p.name}" is loaded; release it before dropping`);
    }
    await this.change(() => {
      rt.meta.partitions = rt.meta.partitions.filter((x) => x.id !== p.id);
    });
    await rt.store.dropPartition(p.id);
  }

  hasPartition(req: PartitionReq): boolean {
    return this.runtime(req).meta.partitions.some((p) => p.name === req.partition_name);
  }

  showPartitions(req: PartitionsReq): { partitions: PartitionMeta[]; loaded: boolean[] } {
    const rt = this.runtime(req);
    const ps = req.partition_names?.length ? req.partition_names.map((n) => this.partition(rt, n)) : rt.meta.partitions;
    return { partitions: ps, loaded: ps.map((p) => isPartitionLoaded(rt, p.id)) };
  }

  getPartitionStatistics(req: PartitionReq): { rowCount: number } {
    const rt = this.runtime(req);
    const p = this.partition(rt, req.partition_name);
    return { rowCount: rt.store.partitionRowCount(p.id) };
  }

  // ---------------------------------------------------------------- aliases

  async createAlias(req: AliasReq & { collection_name: string }): Promise<void> {
    checkName('alias', req.alias);
    await this.change((cat) => {
      const db = this.database(req);
      const meta = cat.collections.find((c) => c.dbName === db && c.name === req.collection_name);
      if (!meta) throw collectionNotFound(req.collection_name, db);
      const clash = cat.collections.find((c) => c.dbName === db && (c.name === req.alias || c.aliases.includes(req.alias)));
      if (clash) {
        // Milvus 2.6: "create an alias already created on current collection should be ok".
        if (clash.id === meta.id && clash.name !== req.alias) return;
        if (clash.name === req.alias) throw new MilvusError(ErrorCode.AliasCollectionNameConflict, `alias [${req.alias}] conflicts with an existing collection name`);
        throw new MilvusError(ErrorCode.AliasAlreadyExist, `alias ${req.alias} already exists (on collection ${clash.name})`);
      }
      meta.aliases.push(req.alias);
    });
  }

  async alterAlias(req: AliasReq & { collection_name: string }): Promise<void> {
    await this.change((cat) => {
      const db = this.database(req);
      const target = cat.collections.find((c) => c.dbName === db && c.name === req.collection_name);
      if (!target) throw collectionNotFound(req.collection_name, db);
      const owner = cat.collections.find((c) => c.dbName === db && c.aliases.includes(req.alias));
      // Idempotent as Milvus 2.6's DropAlias ("drop a not exist alias should be ok"); the database must exist.
      if (!owner) return;
      owner.aliases = owner.aliases.filter((a) => a !== req.alias);
      target.aliases.push(req.alias);
    });
  }

  async dropAlias(req: AliasReq): Promise<void> {
    await this.change((cat) => {
      const db = this.database(req);
      const owner = cat.collections.find((c) => c.dbName === db && c.aliases.includes(req.alias));
      // Idempotent as Milvus 2.6's DropAlias ("drop a not exist alias should be ok"); the database must exist.
      if (!owner) return;
      owner.aliases = owner.aliases.filter((a) => a !== req.alias);
    });
  }

  describeAlias(req: AliasReq): { alias: string; collection: string; dbName: string } {
    const db = this.database(req);
    const owner = this.aliasOwner(db, req.alias);
    return { alias: req.alias, collection: owner.name, dbName: db };
  }

  listAliases(req: DbReq & { collection_name?: string }): { aliases: string[]; collectionName: string; dbName: string } {
    const db = this.database(req);
    if (req.collection_name) {
      const rt = this.runtime({ ...req, collection_name: req.collection_name });
      return { aliases: [...rt.meta.aliases], collectionName: rt.meta.name, dbName: db };
    }
    return { aliases: this.dir.catalog.collections.filter((c) => c.dbName === db).flatMap((c) => c.aliases), collectionName: '', dbName: db };
  }

  // ---------------------------------------------------------------- indexes

  async createIndex(req: CreateIndexReq): Promise<void> {
    const rt = this.runtime(req);
    const field = rt.meta.schema.fields.find((f) => f.name === req.field_name && !f.isDynamic);
    if (!field) throw invalidParam('field_name', `field "${req.field_name}" does not exist in collection "${rt.meta.name}"`);
    const extra = { ...(req.extra_params ?? {}) };
    let params: Record<string, unknown> = { ...(req.params ?? {}) };
    if (typeof extra.params === 'string') params = { ...params, ...(JSON.parse(extra.params) as Record<string, unknown>) };
    else if (extra.params && typeof extra.params === 'object') params = { ...params, ...(extra.params as Record<string, unknown>) };
    for (const [k, v] of Object.entries(extra)) if (k !== 'params' && k !== 'index_type' && k !== 'metric_type') params[k] = v;
    const indexType = String(req.index_type ?? extra.index_type ?? params.index_type ?? 'AUTOINDEX');
    const metricType = String(req.metric_type ?? extra.metric_type ?? params.metric_type ?? '');
    delete params.index_type;
    delete params.metric_type;
    const indexName = req.index_name && req.index_name !== '' ? req.index_name : field.name;
    let meta: IndexMeta;
    if (isVectorType(field.dataType)) {
      // A BM25 function output is scored with BM25 only (and BM25 scores nothing else), as Milvus checks.
      const spec = resolveVectorIndexSpec({ dataType: field.dataType, dim: field.dim ?? 0, name: field.name }, indexType, field.isFunctionOutput && metricType === '' ? 'BM25' : metricType, params);
      if (field.isFunctionOutput && spec.metricType !== 'BM25') throw invalidParam('metric_type', `"${field.name}" is the output of a BM25 function; its index needs metric_type BM25, got ${spec.metricType}`);
      if (!field.isFunctionOutput && spec.metricType === 'BM25') throw invalidParam('metric_type', `BM25 is only for the output field of a BM25 function; "${field.name}" is not one`);
      meta = { indexID: 0, indexName, fieldName: field.name, indexType: spec.indexType, metricType: spec.metricType, params: { ...keptIndexParams(params), ...spec.params }, createdAt: Date.now() };
    } else {
      meta = this.scalarIndex(field, indexType, indexName, params);
    }
    const existing = rt.meta.indexes.find((i) => i.fieldName === field.name);
    if (existing) {
      const same = existing.indexType === meta.indexType && existing.metricType === meta.metricType && existing.indexName === meta.indexName && JSON.stringify(existing.params) === JSON.stringify(meta.params);
      if (same) return; // Milvus treats an identical createIndex as a no-op.
      throw new MilvusError(ErrorCode.IndexDuplicate, `at most one distinct index is allowed per field; field "${field.name}" already has index "${existing.indexName}" (${existing.indexType}); drop it first`);
    }
    if (rt.meta.indexes.some((i) => i.indexName === indexName)) throw new MilvusError(ErrorCode.IndexDuplicate, `index name "${indexName}" is already used in collection "${rt.meta.name}"`);
    meta.indexID = this.dir.allocId();
    await this.change(() => {
      rt.meta.indexes.push(meta);
    });
    this.onIndexCreated(rt, rt.meta.indexes.find((i) => i.indexID === meta.indexID)!);
  }

  private findIndex(rt: CollectionRuntime, req: IndexReq): IndexMeta[] {
    let found = rt.meta.indexes;
    if (req.index_name) found = found.filter((i) => i.indexName === req.index_name);
    if (req.field_name) found = found.filter((i) => i.fieldName === req.field_name);
    if (found.length === 0) throw indexNotFound(`collection=${rt.meta.name}${req.field_name ? `, field=${req.field_name}` : ''}${req.index_name ? `, index=${req.index_name}` : ''}`);
    return found;
  }

  describeIndex(req: IndexReq): { meta: IndexMeta; indexedRows: number; totalRows: number; pendingRows: number; state: number; failReason: string }[] {
    const rt = this.runtime(req);
    return this.findIndex(rt, req).map((meta) => ({ meta, ...rt.indexes.progress(meta) }));
  }

  listIndexes(req: CollectionReq & { field_name?: string }): string[] {
    const rt = this.runtime(req);
    return rt.meta.indexes.filter((i) => !req.field_name || i.fieldName === req.field_name).map((i) => i.indexName);
  }

  async dropIndex(req: IndexReq): Promise<void> {
    const rt = this.runtime(req);
    const found = this.findIndex(rt, req);
    if (rt.load.state !== LoadState.NotLoad) throw invalidParam('index_name', `collection "${rt.meta.name}" is loaded; release it before dropping an index`);
    await this.change(() => {
      rt.meta.indexes = rt.meta.indexes.filter((i) => !found.includes(i));
    });
    for (const m of found) await rt.indexes.drop(m);
  }

  /**
   * AlterIndex / DropIndexProperties: sets (`properties`) or removes (`delete_keys`) an index's
   * configurable properties (Milvus: `mmap.enabled`, `indexoffsetcache.enabled` and the warmup keys)
   * on a released collection; describeIndex shows them beside the build params.
   */
  async alterIndex(req: CollectionReq & { index_name: string; properties?: Record<string, unknown>; delete_keys?: string[] }): Promise<void> {
    const props = stringProps(req.properties);
    const keys = req.delete_keys ?? [];
    if (Object.keys(props).length > 0 && keys.length > 0) throw milvusInvalidParam('cannot provide both DeleteKeys and ExtraParams');
    const rt = this.runtime(req);
    if (!req.index_name) throw milvusInvalidParam('index name is empty');
    const meta = rt.meta.indexes.find((i) => i.indexName === req.index_name);
    if (!meta) throw indexNotFound(`indexName=${req.index_name}`);
    if (Object.keys(props).length === 0 && keys.length === 0) throw milvusInvalidParam('no index properties or delete keys provided');
    for (const k of [...Object.keys(props), ...keys]) {
      if (!CONFIGURABLE_INDEX_KEYS.has(k) && !k.startsWith('warmup')) throw milvusInvalidParam(`${k} is not a configable index proptery`);
    }
    if (rt.load.state !== LoadState.NotLoad) throw new MilvusError(ErrorCode.Unexpected, "can't alter index on loaded collection, please release the collection first");
    const next = { ...(meta.properties ?? {}), ...props };
    for (const k of keys) delete next[k];
    if (Object.keys(next).length > 0) meta.properties = next;
    else delete meta.properties;
    await this.commit();
  }

  // ---------------------------------------------------------------- load / release

  /**
   * Starts loading the collection (`partition_names`: those partitions, else all) or widens the
   * running load, and returns at once; progress and failure show in getLoadState / getLoadingProgress.
   */
  startLoad(req: CollectionReq & { partition_names?: string[]; replica_number?: number; resource_groups?: string[] }): void {
    const rt = this.runtime(req);
    // One query node: more replicas than the group's nodes is refused as Milvus standalone refuses it.
    const group = this.resourceGroups.checkLoad(req.resource_groups ?? [], Number(req.replica_number ?? 0));
    if (group !== this.replicaGroupOf(rt.meta.id) && rt.load.state === LoadState.NotLoad) {
      const placed = (this.dir.catalog.replicaGroups ??= {});
      if (group === DEFAULT_RESOURCE_GROUP) delete placed[String(rt.meta.id)];
      else placed[String(rt.meta.id)] = group;
    }
    for (const f of rt.meta.schema.fields) {
      if (isVectorType(f.dataType) && !rt.meta.indexes.some((i) => i.fieldName === f.name)) {
        throw new MilvusError(ErrorCode.IndexNotFound, `index not found[collection=${rt.meta.name}]: there is no vector index on field "${f.name}"; create an index before loading`);
      }
    }
    const partIds = req.partition_names?.length ? req.partition_names.map((n) => this.partition(rt, n).id) : null;
    this.loads.start(rt, partIds);
  }

  /** Loads the collection (or the named partitions) and waits until it is loaded; throws if the load fails. */
  async loadCollection(req: CollectionReq & { partition_names?: string[] }): Promise<void> {
    this.startLoad(req);
    await this.loads.settled(this.runtime(req));
  }

  /** What loading a collection does: its segments, then every index on them. */
  private async loadWork(rt: CollectionRuntime): Promise<void> {
    const started = performance.now();
    const report = (stage: 'started' | 'segments read' | 'loaded', percent: number): void =>
      this.reportProgress?.({ task: 'load', collection: rt.meta.name, stage, percent, ms: Math.round(performance.now() - started) });
    report('started', rt.load.progress);
    await this.dir.loadStore(rt.meta);
    rt.load.progress = 50;
    report('segments read', rt.load.progress);
    for (const meta of rt.meta.indexes) rt.indexes.ensureAll(meta);
    refreshMatchIndexes(rt.meta.schema, rt.store.segments());
    await rt.indexes.idle();
    if (rt.load.state === LoadState.Loading) report('loaded', 100);
  }

  async releaseCollection(req: CollectionReq): Promise<void> {
    const rt = this.runtime(req);
    await this.loads.release(rt);
    await rt.indexes.idle();
    rt.indexes.unloadAll();
    this.dir.releaseStore(rt.meta.id);
  }

  /** startLoad for named partitions (at least one). */
  startLoadPartitions(req: CollectionReq & { partition_names: string[]; replica_number?: number; resource_groups?: string[] }): void {
    if (!req.partition_names?.length) throw invalidParam('partition_names', 'name at least one partition to load');
    this.startLoad(req);
  }

  async loadPartitions(req: CollectionReq & { partition_names: string[] }): Promise<void> {
    this.startLoadPartitions(req);
    await this.loads.settled(this.runtime(req));
  }

  async releasePartitions(req: CollectionReq & { partition_names: string[] }): Promise<void> {
    const rt = this.runtime(req);
    if (!req.partition_names?.length) throw invalidParam('partition_names', 'name at least one partition to release');
    const ids = req.partition_names.map((n) => this.partition(rt, n).id);
    if (rt.load.state === LoadState.NotLoad) return;
    const loaded = rt.load.partitions ?? new Set(rt.meta.partitions.map((p) => p.id));
    for (const id of ids) loaded.delete(id);
    if (loaded.size === 0) return this.releaseCollection(req);
    rt.load.partitions = loaded;
  }

  getLoadState(req: CollectionReq & { partition_names?: string[] }): LoadState {
    const rt = this.runtime(req);
    if (req.partition_names?.length) {
      const ids = req.partition_names.map((n) => this.partition(rt, n).id);
      if (rt.load.state === LoadState.NotLoad) return LoadState.NotLoad;
      if (rt.load.partitions !== null && !ids.every((id) => rt.load.partitions!.has(id))) return LoadState.NotLoad;
    }
    return rt.load.state;
  }

  getLoadingProgress(req: CollectionReq & { partition_names?: string[] }): number {
    const rt = this.runtime(req);
    if (rt.load.error) throw rt.load.error;
    return rt.load.state === LoadState.Loaded ? 100 : rt.load.progress;
  }

  // ---------------------------------------------------------------- maintenance

  /** Starts compacting the collection (by name, or by `collectionID` as pymilvus sends it) in the background; poll getCompactionState. */
  compact(req: CollectionRef): CompactionJob {
    const rt = this.runtimeByRef(req);
    return this.compactions.start(rt.meta.id, rt.store.compactionPlanCount(), (onMerge) => rt.store.compact(onMerge));
  }

  getCompactionState(req: { compactionID: unknown }): CompactionJob {
    return this.compactions.get(req.compactionID);
  }

  /** Seals and persists the growing data of every collection in the database (all databases if none named). */
  async flushAll(req: DbReq = {}): Promise<number> {
    const db = req.db_name ? this.database(req) : null;
    const ts = Date.now();
    try {
      for (const rt of [...this.runtimes.values()]) if (db === null || rt.meta.dbName === db) await rt.store.flush();
    } catch (err) {
      this.flushAllFailure = { ts, err: MilvusError.from(err) };
      throw err;
    }
    this.flushedAllAt = Math.max(this.flushedAllAt, ts);
    if (this.flushAllFailure && this.flushAllFailure.ts <= ts) this.flushAllFailure = null;
    return ts;
  }

  /** The start (ms) of the latest flushAll that failed, while no later one has succeeded. */
  failedFlushAllTs(): number | undefined {
    return this.flushAllFailure?.ts;
  }

  /** True once a flushAll started at `ts` (ms) or later has completed; throws the error of one that failed since. */
  getFlushAllState(req: { flush_all_ts?: unknown }): boolean {
    const ts = Number(req.flush_all_ts ?? 0);
    if (!Number.isFinite(ts)) throw invalidParam('flush_all_ts', `must be a timestamp returned by flushAll, got ${String(req.flush_all_ts)}`);
    if (ts <= this.flushedAllAt) return true;
    if (this.flushAllFailure && this.flushAllFailure.ts >= ts) throw this.flushAllFailure.err;
    return false;
  }

  /** Segments of the collection: all of them (`served` false), or those a loaded collection searches. */
  segmentInfo(req: CollectionReq, served: boolean): SegmentInfo[] {
    return segmentInfos(this.runtime(req), served);
  }

  // ---------------------------------------------------------------- bulk import

  /**
   * Starts importing files (paths on this machine: JSON, Parquet, CSV or Numpy, see bulk-import.ts)
   * into the collection (Milvus's Import / bulkInsert). A file type Milvus does not import is refused
   * here, before the job starts. All or nothing: every file is read and every row validated before
   * any is written. Poll getImportState with the job's id.
   */
  bulkImport(req: CollectionReq & { partition_name?: string; files: unknown; options?: unknown }): ImportJob {
    const rt = this.runtime(req);
    const groups = importGroups(req.files);
    const options = importOptions(req.options);
    const partition = req.partition_name ?? '';
    if (partition !== '') this.partition(rt, partition);
    const db = dbOf(req);
    const files = groups.flatMap((g) => g.paths);
    return this.imports.start({ collectionId: rt.meta.id, collectionName: rt.meta.name, db, partition, files, groups, options }, async (job) => {
      const batches = await readImportFiles(rt.meta.schema, job, IMPORT_BATCH);
      if (!this.runtimes.has(rt.meta.id)) throw collectionNotFound(job.collectionName, job.db);
      for (const batch of batches) {
        await this.insert({ collection_name: job.collectionName, db_name: job.db, ...(partition ? { partition_name: partition } : {}), data: batch });
        job.rows += batch.length;
      }
      await rt.store.flush();
    });
  }

  getImportState(req: { task: unknown }): ImportJob {
    return this.imports.get(req.task);
  }

  /** Import jobs, newest first: of one collection when named, else all; at most `limit` (0 = all). */
  listImportTasks(req: DbReq & { collection_name?: string; limit?: unknown }): ImportJob[] {
    const id = req.collection_name ? this.runtime({ collection_name: req.collection_name, db_name: req.db_name }).meta.id : null;
    return this.imports.list(id, Number(req.limit ?? 0) || 0);
  }

  /** Per-collection figures for monitoring (every database). */
  stats(): CollectionStats[] {
    return [...this.runtimes.values()].map(collectionStats);
  }

  /** Replicas of a loaded collection, found by id (as GetReplicas asks) or by name. */
  getReplicas(req: CollectionRef): ReplicaInfo[] {
    return replicas(this.runtimeByRef(req));
  }

  /** The name of the collection with this id (undefined when there is none). */
  collectionNameOf(id: number): string | undefined {
    return this.runtimes.get(id)?.meta.name;
  }

  /** A collection by name or alias, else by `collectionID`. */
  private runtimeByRef(req: CollectionRef): CollectionRuntime {
    if (req.collection_name) return this.runtime({ collection_name: req.collection_name, db_name: req.db_name });
    const rt = this.runtimes.get(Number(req.collectionID));
    if (!rt || req.collectionID === undefined || req.collectionID === '') throw collectionNotFound(String(req.collectionID ?? ''), dbOf(req));
    return rt;
  }

  /** Moves a loaded collection's replica to another resource group (one replica; the target needs a node). */
  async transferReplica(req: CollectionReq & { source_resource_group: string; target_resource_group: string; num_replica: unknown }): Promise<void> {
    const source = this.resourceGroups.get(req.source_resource_group);
    const target = this.resourceGroups.get(req.target_resource_group);
    const rt = this.runtime(req);
    const n = Number(req.num_replica);
    if (!Number.isInteger(n) || n <= 0) throw milvusInvalidParam(`transfer replica num can't be [${String(req.num_replica)}]`);
    if (rt.load.state === LoadState.NotLoad) throw collectionNotLoadedIn(rt.meta.name);
    const held = this.replicaGroupOf(rt.meta.id) === source.name ? 1 : 0;
    if (held < n) throw milvusInvalidParam(`only found [${held}] replicas of collection [${rt.meta.name}] in source resource group [${source.name}], but [${n}] requested`);
    if (target.nodes.length < n) throw new MilvusError(ErrorCode.ResourceGroupNodeNotEnough, `resource group node not enough[rg=${target.name}][currentNodeNum=${target.nodes.length}][expectedNodeNum=${n}]`);
    const placed = (this.dir.catalog.replicaGroups ??= {});
    if (target.name === DEFAULT_RESOURCE_GROUP) delete placed[String(rt.meta.id)];
    else placed[String(rt.meta.id)] = target.name;
    await this.commit();
  }

  // ---------------------------------------------------------------- users

  private ensureRoot(): void {
    const users = this.dir.catalog.users;
    if (!users.some((u) => u.name === ROOT_USER)) users.push({ name: ROOT_USER, passwordHash: hashPassword(DEFAULT_ROOT_PASSWORD), createdAt: Date.now() });
  }

  async createUser(req: UserReq): Promise<void> {
    this.ensureRoot();
    checkName('username', req.username);
    const pw = req.password ?? '';
    if (pw.length < 6 || pw.length > 256) throw invalidParam('password', 'must be 6 to 256 characters long');
    const passwordHash = hashPassword(pw);
    await this.change((cat) => {
      if (cat.users.some((u) => u.name === req.username)) throw new MilvusError(ErrorCode.UserAlreadyExist, `user already exists: ${req.username}`);
      cat.users.push({ name: req.username, passwordHash, createdAt: Date.now() });
    });
  }

  async deleteUser(req: UserReq): Promise<void> {
    this.ensureRoot();
    if (req.username === ROOT_USER) throw invalidParam('username', 'the root user cannot be deleted');
    await this.change((cat) => {
      // Idempotent as Milvus's DeleteCredential ("Delete a not existed credential should succeed").
      if (!cat.users.some((u) => u.name === req.username)) return;
      cat.users = cat.users.filter((u) => u.name !== req.username);
    });
  }

  async updatePassword(req: UserReq): Promise<void> {
    this.ensureRoot();
    const u = this.dir.catalog.users.find((x) => x.name === req.username);
    if (!u) throw new MilvusError(ErrorCode.UserNotFound, `user not found: ${req.username}`);
    if (!(await verifyPasswordAsync(req.oldPassword ?? '', u.passwordHash))) throw new MilvusError(ErrorCode.PrivilegeNotAuthenticated, 'old password is not correct');
    const pw = req.newPassword ?? '';
    if (pw.length < 6 || pw.length > 256) throw invalidParam('newPassword', 'must be 6 to 256 characters long');
    const passwordHash = hashPassword(pw);
    await this.change((cat) => {
      const v = cat.users.find((x) => x.name === req.username);
      if (!v) throw new MilvusError(ErrorCode.UserNotFound, `user not found: ${req.username}`);
      v.passwordHash = passwordHash;
    });
  }

  listUsers(): string[] {
    this.ensureRoot();
    return this.dir.catalog.users.map((u) => u.name);
  }

  /** The user's stored password hash (changes with the password), or undefined when there is no such user. */
  credentialStamp(username: string): string | undefined {
    this.ensureRoot();
    return this.dir.catalog.users.find((x) => x.name === username)?.passwordHash;
  }

  /** True when the user exists and the password matches (scrypt on the thread pool, not the event loop). */
  async verifyCredentials(username: string, password: string): Promise<boolean> {
    this.ensureRoot();
    const u = this.dir.catalog.users.find((x) => x.name === username);
    return u !== undefined && (await verifyPasswordAsync(password, u.passwordHash));
  }
}

/** Index properties AlterIndex may set or drop (Milvus's indexparams.IsConfigableIndexParam; warmup* too). */
const CONFIGURABLE_INDEX_KEYS = new Set(['mmap.enabled', 'indexoffsetcache.enabled']);

function collectionNotLoadedIn(name: string): MilvusError {
  return new MilvusError(ErrorCode.CollectionNotLoaded, `collection not loaded[collection=${name}]`);
}

/** A collection named, or identified by id (maintenance RPCs send either). */
export type CollectionRef = DbReq & { collection_name?: string; collectionID?: unknown };

function stringProps(p: Record<string, unknown> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(p ?? {})) out[k] = typeof v === 'string' ? v : JSON.stringify(v);
  return out;
}
