/**
 * The catalog service: databases, collections, partitions and aliases. Every change is a catalog
 * transaction (EngineContext.change): it reaches memory only once the manifest holding it is durable.
 * describeCollection hands out frozen copies, never the persisted entry.
 */
import { LoadState, ConsistencyLevel } from '../core/data-type.js';
import { ErrorCode, MilvusError, collectionNotFound, invalidParam, milvusInvalidParam } from '../core/errors.js';
import type { CatalogState, CollectionMeta, PartitionMeta } from '../storage/index.js';
import { checkName } from './names.js';
import { lookupCollection, frozenCopy } from './catalog-lookup.js';
import { checkCollectionProperties, consistencyLevel, refuseUnsupportedSchema } from './request-checks.js';
import { buildSchema, type FieldInput } from './schema-builder.js';
import { isPartitionLoaded, type CollectionRuntime } from './collection-runtime.js';
import { partitionKeyPartitionName } from './partition-key.js';
import { collectionStats, type CollectionStats } from './maintenance.js';
import type { AliasReq, CollectionReq, CreateCollectionReq, DbReq, PartitionReq, PartitionsReq } from './requests.js';
import { DEFAULT_DB, DEFAULT_PARTITION, LIMITS, stringProps, type EngineContext } from './context.js';
import { addCollectionField, alterCollectionField, type AddFieldReq, type AlterFieldReq } from './schema-evolution.js';

export class CatalogService {
  private readonly described = new WeakMap<CollectionRuntime, { version: number; copy: Readonly<CollectionMeta> }>();

  constructor(private readonly ctx: EngineContext) {}

  // ---------------------------------------------------------------- databases


  async createDatabase(req: { db_name: string; properties?: Record<string, unknown> }): Promise<void> {
    checkName('db_name', req.db_name);
    await this.ctx.change((cat) => {
      if (cat.databases.some((d) => d.name === req.db_name)) throw new MilvusError(ErrorCode.DatabaseAlreadyExist, `database already exist: ${req.db_name}`);
      if (cat.databases.length >= LIMITS.maxDatabases) throw new MilvusError(ErrorCode.DatabaseNumLimitExceeded, `exceeded the limit number of database[limit=${LIMITS.maxDatabases}]`);
      cat.databases.push({ id: this.ctx.dir.allocId(), name: req.db_name, createdAt: Date.now(), properties: stringProps(req.properties) });
    });
  }

  async dropDatabase(req: { db_name: string }): Promise<void> {
    await this.ctx.change((cat) => {
      const name = this.ctx.database(req);
      if (name === DEFAULT_DB) throw invalidParam('db_name', 'the default database cannot be dropped');
      if (cat.collections.some((c) => c.dbName === name)) {
        throw invalidParam('db_name', `database "${name}" still has collections; drop them first`);
      }
      cat.databases = cat.databases.filter((d) => d.name !== name);
    });
  }

  listDatabases(): { names: string[]; ids: number[]; createdAt: number[] } {
    const dbs = this.ctx.dir.catalog.databases;
    return { names: dbs.map((d) => d.name), ids: dbs.map((d) => d.id), createdAt: dbs.map((d) => d.createdAt) };
  }

  describeDatabase(req: { db_name?: string }): { name: string; id: number; createdAt: number; properties: Record<string, string> } {
    const name = this.ctx.database(req);
    const d = this.ctx.dir.catalog.databases.find((x) => x.name === name)!;
    return { name: d.name, id: d.id, createdAt: d.createdAt, properties: { ...d.properties } };
  }

  /** Sets properties, or (`delete_keys`) removes them: Milvus's AlterDatabase takes one or the other. */
  async alterDatabase(req: { db_name: string; properties?: Record<string, unknown>; delete_keys?: string[] }): Promise<void> {
    const props = stringProps(req.properties);
    const keys = req.delete_keys ?? [];
    if (Object.keys(props).length > 0 && keys.length > 0) throw milvusInvalidParam('alter database requires either properties or deletekeys to modify or delete keys, both cannot be provided');
    await this.ctx.change((cat) => {
      const name = this.ctx.database(req);
      const d = cat.databases.find((x) => x.name === name)!;
      Object.assign(d.properties, props);
      for (const k of keys) delete d.properties[k];
    });
  }

  // ---------------------------------------------------------------- collections

  async createCollection(req: CreateCollectionReq): Promise<void> {
    const db = this.ctx.database(req);
    checkName('collection_name', req.collection_name);
    checkCollectionProperties(stringProps(req.properties));
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
    refuseUnsupportedSchema({ struct_array_fields: req.struct_array_fields, struct_fields: req.struct_fields, fields: fieldInputs });
    if (!fieldInputs) throw invalidParam('fields', 'createCollection needs `fields` (or `schema`), or `dimension` for the quick form');
    const schema = buildSchema(req.collection_name, fieldInputs, {
      description,
      enableDynamicField: enableDynamic === true,
      partitionKeyField: req.partition_key_field,
      functions,
    });
    const id = await this.ctx.change((cat) => this.addCollection(cat, req, db, schema));
    this.ctx.attach(this.ctx.dir.catalog.collections.find((c) => c.id === id)!);
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
      ? Array.from({ length: numPartitions }, (_, i) => ({ id: this.ctx.dir.allocId(), name: partitionKeyPartitionName(i), createdAt: now }))
      : [{ id: this.ctx.dir.allocId(), name: DEFAULT_PARTITION, createdAt: now }];
    const meta: CollectionMeta = {
      id: this.ctx.dir.allocId(),
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
    const db = this.ctx.database(req);
    return lookupCollection(this.ctx.dir.catalog.collections, db, req.collection_name) !== undefined;
  }

  /** The collection's catalog entry as a frozen copy (never the persisted object), cached until the catalog changes. */
  describeCollection(req: CollectionReq): Readonly<CollectionMeta> {
    const rt = this.ctx.runtime(req);
    const cached = this.described.get(rt);
    if (cached && cached.version === this.ctx.catalogVersion) return cached.copy;
    const copy = frozenCopy(rt.meta);
    this.described.set(rt, { version: this.ctx.catalogVersion, copy });
    return copy;
  }

  showCollections(req: DbReq & { collection_names?: string[] }): { meta: CollectionMeta; loadedPercentage: number; loadState: LoadState }[] {
    const db = this.ctx.database(req);
    const names = req.collection_names?.length ? new Set(req.collection_names) : null;
    return this.ctx.dir.catalog.collections
      .filter((c) => c.dbName === db && (!names || names.has(c.name)))
      .map((meta) => {
        const rt = this.ctx.runtimes.get(meta.id)!;
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
      rt = this.ctx.runtime(req);
    } catch (err) {
      if (err instanceof MilvusError && (err.code === ErrorCode.CollectionNotFound || err.code === ErrorCode.DatabaseNotFound)) return;
      throw err;
    }
    if (lookupCollection(this.ctx.dir.catalog.collections, rt.meta.dbName, req.collection_name)?.via === 'alias') {
      throw invalidParam('collection_name', `"${req.collection_name}" is an alias; drop the alias or use the collection's name`);
    }
    await this.ctx.change((cat) => {
      cat.collections = cat.collections.filter((c) => c.id !== rt.meta.id);
    });
    rt.indexes.unloadAll();
    this.ctx.runtimes.delete(rt.meta.id);
    await this.ctx.dir.dropStore(rt.meta.id);
  }

  async renameCollection(req: CollectionReq & { new_collection_name: string; new_db_name?: string }): Promise<void> {
    checkName('new_collection_name', req.new_collection_name);
    await this.ctx.change((cat) => {
      const rt = this.ctx.runtime(req);
      const targetDb = req.new_db_name ? this.ctx.database({ db_name: req.new_db_name }) : rt.meta.dbName;
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
    checkCollectionProperties(stringProps(req.properties));
    await this.ctx.change(() => {
      const rt = this.ctx.runtime(req);
      if (props === 0 && keys === 0) throw milvusInvalidParam('no properties or delete keys provided');
      Object.assign(rt.meta.properties, stringProps(req.properties));
      for (const k of req.delete_keys ?? []) delete rt.meta.properties[k];
    });
  }

  /** AddCollectionField: a nullable scalar field, read as its default or null by the rows before it (schema-evolution.ts). */
  addCollectionField(req: AddFieldReq): Promise<void> {
    return addCollectionField(this.ctx, req);
  }

  /** AlterCollectionField: max_length, max_capacity, mmap.enabled, field.description (schema-evolution.ts). */
  alterCollectionField(req: AlterFieldReq): Promise<void> {
    return alterCollectionField(this.ctx, req);
  }

  getCollectionStatistics(req: CollectionReq): { rowCount: number } {
    return { rowCount: this.ctx.runtime(req).store.rowCount };
  }

  async truncateCollection(req: CollectionReq): Promise<void> {
    const rt = this.ctx.runtime(req);
    rt.indexes.unloadAll();
    await rt.store.truncate();
    await this.ctx.change(() => {
      for (const m of rt.meta.indexes) m.segments = [];
    });
  }

  // ---------------------------------------------------------------- partitions

  async createPartition(req: PartitionReq): Promise<void> {
    checkName('partition_name', req.partition_name);
    await this.ctx.change(() => {
      const rt = this.ctx.runtime(req);
      if (rt.meta.numPartitions > 0) throw invalidParam('partition_name', 'partitions cannot be created by hand in a collection with a partition key');
      if (rt.meta.partitions.some((p) => p.name === req.partition_name)) {
        throw new MilvusError(ErrorCode.PartitionAlreadyExist, `partition already exists: ${req.partition_name}`);
      }
      if (rt.meta.partitions.length >= LIMITS.maxPartitions) {
        throw new MilvusError(ErrorCode.CapacityExceeded, `partition number (${rt.meta.partitions.length}) exceeds max configuration (${LIMITS.maxPartitions}), collection: ${rt.meta.name}`);
      }
      rt.meta.partitions.push({ id: this.ctx.dir.allocId(), name: req.partition_name, createdAt: Date.now() });
    });
  }

  async dropPartition(req: PartitionReq): Promise<void> {
    const rt = this.ctx.runtime(req);
    if (rt.meta.numPartitions > 0) throw invalidParam('partition_name', 'partitions of a collection with a partition key cannot be dropped');
    if (req.partition_name === DEFAULT_PARTITION) throw invalidParam('partition_name', 'the default partition cannot be dropped');
    // Idempotent as Milvus's dropPartitionTask ("drop an non-existent partition"); the collection must exist.
    const p = rt.meta.partitions.find((x) => x.name === req.partition_name);
    if (!p) return;
    if (isPartitionLoaded(rt, p.id)) {
      throw invalidParam('partition_name', `partition "${p.name}" is loaded; release it before dropping`);
    }
    await this.ctx.change(() => {
      rt.meta.partitions = rt.meta.partitions.filter((x) => x.id !== p.id);
    });
    await rt.store.dropPartition(p.id);
  }

  hasPartition(req: PartitionReq): boolean {
    return this.ctx.runtime(req).meta.partitions.some((p) => p.name === req.partition_name);
  }

  showPartitions(req: PartitionsReq): { partitions: PartitionMeta[]; loaded: boolean[] } {
    const rt = this.ctx.runtime(req);
    const ps = req.partition_names?.length ? req.partition_names.map((n) => this.ctx.partition(rt, n)) : rt.meta.partitions;
    return { partitions: ps, loaded: ps.map((p) => isPartitionLoaded(rt, p.id)) };
  }

  getPartitionStatistics(req: PartitionReq): { rowCount: number } {
    const rt = this.ctx.runtime(req);
    const p = this.ctx.partition(rt, req.partition_name);
    return { rowCount: rt.store.partitionRowCount(p.id) };
  }

  // ---------------------------------------------------------------- aliases

  async createAlias(req: AliasReq & { collection_name: string }): Promise<void> {
    checkName('alias', req.alias);
    await this.ctx.change((cat) => {
      const db = this.ctx.database(req);
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
    await this.ctx.change((cat) => {
      const db = this.ctx.database(req);
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
    await this.ctx.change((cat) => {
      const db = this.ctx.database(req);
      const owner = cat.collections.find((c) => c.dbName === db && c.aliases.includes(req.alias));
      // Idempotent as Milvus 2.6's DropAlias ("drop a not exist alias should be ok"); the database must exist.
      if (!owner) return;
      owner.aliases = owner.aliases.filter((a) => a !== req.alias);
    });
  }

  describeAlias(req: AliasReq): { alias: string; collection: string; dbName: string } {
    const db = this.ctx.database(req);
    const owner = this.ctx.aliasOwner(db, req.alias);
    return { alias: req.alias, collection: owner.name, dbName: db };
  }

  listAliases(req: DbReq & { collection_name?: string }): { aliases: string[]; collectionName: string; dbName: string } {
    const db = this.ctx.database(req);
    if (req.collection_name) {
      const rt = this.ctx.runtime({ ...req, collection_name: req.collection_name });
      return { aliases: [...rt.meta.aliases], collectionName: rt.meta.name, dbName: db };
    }
    return { aliases: this.ctx.dir.catalog.collections.filter((c) => c.dbName === db).flatMap((c) => c.aliases), collectionName: '', dbName: db };
  }

  /** Per-collection figures for monitoring (every database). */
  stats(): CollectionStats[] {
    return [...this.ctx.runtimes.values()].map(collectionStats);
  }

  /** The name of the collection with this id (undefined when there is none). */
  collectionNameOf(id: number): string | undefined {
    return this.ctx.runtimes.get(id)?.meta.name;
  }

}
