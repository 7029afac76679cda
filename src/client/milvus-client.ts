/**
 * The embedded MilvusClient: the official Node SDK's method names, request objects and response
 * shapes, over an in-process engine. `new MilvusClient({ address: './data' })` (or `file:./data`)
 * opens that directory; `await client.close()` releases it.
 *
 * Like the SDK, failures come back as responses whose `status` (or the response itself, for calls
 * that return a bare status) carries `error_code`, the numeric `code` and a `reason`.
 */
import { Engine, dbOf, DEFAULT_DB } from '../engine/engine.js';
import type * as R from '../engine/requests.js';
import type { Hit } from '../engine/requests.js';
import { invalidParam } from '../core/errors.js';
import { parseClientAddress } from './address.js';
import { DataType, isVectorType, parseDataType } from '../core/data-type.js';
import type { FieldInput } from '../engine/schema-builder.js';
import { isStructArrayField } from '../engine/request-checks.js';
import { checkSegmentSizing, storeSizing } from '../storage/index.js';
import { MILVUS_API_VERSION } from '../engine/maintenance.js';
import { MAX_TOPK } from '../engine/search/plan.js';
import { runAnalyzer, type AnalyzerToken, type RunAnalyzerReq } from '../engine/text-ops.js';
import { MilvusError } from '../core/errors.js';
import { checkCollectionFieldsWithOptions, formatDescribedCol, formatNumberPrecision, validatePartitionNumbers, ERROR_REASONS } from '@zilliz/milvus2-sdk-node';
import {
  errorStatus, formatCompactionPlans, formatPrivilegeGroups, formatRbacMeta, parseRbacMeta, metricsReply, resourceGroupToWire, formatCompactionState, formatGrant, formatImportState, formatIndex, formatRoles, formatUsers, formatReplicas, formatSegmentInfos, hybridTs, kv, loadStateName, okStatus, type ResStatus,
} from '../api/sdk-format.js';
import { emptyReply, sdkView } from '../api/proto.js';
import { encodeDescribeCollection, encodeIndexDescription, encodeShowCollections, encodeShowPartitions } from '../api/replies.js';

const REPLY = 'milvus.proto.milvus.';

/**
 * The official SDK throws plain `Error`s for what it checks itself (and for a failed load); a program
 * that catches them must see the same from the embedded client, so these are the one place where the
 * client throws something other than a MilvusError or an SDK status.
 */
function sdkError(message: string): Error {
  // eslint-disable-next-line no-restricted-syntax -- the SDK's own error type, deliberately
  return new Error(message);
}

/** SDK request keys the engine receives under other names (`rerank` functions, features Elanus lacks). */
interface SdkSearchExtras {
  rerank?: { strategy?: string; params?: Record<string, unknown> } | { type?: unknown } | { functions?: unknown[] };
  highlighter?: unknown;
  search_aggregation?: unknown;
  order_by_fields?: unknown;
  hints?: string;
  search_params?: Record<string, unknown>;
}

/** The features of an SDK search request that Elanus lacks, as the engine refuses them. */
function sdkUnsupported(req: SdkSearchExtras): R.UnsupportedSearchFeatures {
  const rk = req.rerank as Record<string, unknown> | undefined;
  // A rerank function object (`type`) or a FunctionScore (`functions`) travels as function_score, as the SDK sends it.
  const functions = rk === undefined || 'strategy' in rk ? [] : Array.isArray(rk['functions']) ? (rk['functions'] as unknown[]) : [rk];
  return { function_score: { functions }, highlighter: req.highlighter, search_aggregation: req.search_aggregation, order_by_fields: req.order_by_fields, hints: req.hints };
}

/** The round_decimal the SDK formats scores with: the 2.2 search_params' or params' (a top-level one it ignores). */
function sdkRoundDecimal(req: R.SearchReq & SdkSearchExtras): number {
  const p = typeof req.params === 'object' && req.params !== null ? req.params : {};
  const v = req.search_params?.['round_decimal'] ?? p['round_decimal'];
  return v === undefined || v === null ? -1 : Number(v);
}

/** An SDK search request (3.x, or the 2.2 `vectors` + `search_params` form) as the engine's request. */
function sdkSearch(req: R.SearchReq & SdkSearchExtras): R.SearchReq {
  const { rerank: _r, highlighter: _h, search_aggregation: _a, order_by_fields: _o, hints: _x, search_params: sp, round_decimal: _rd, ...rest } = req;
  const out: R.SearchReq = { ...rest, unsupported: sdkUnsupported(req) };
  // As the SDK: with primary keys to search by, it sends no query vectors.
  if (Array.isArray(req.ids) && req.ids.length > 0) {
    delete out.data;
    delete out.vector;
    delete out.vectors;
  }
  // SDK 3.x sends round_decimal only from params (and the 2.2 search_params), never the top-level key.
  if (sp && typeof sp === 'object') {
    if (sp['anns_field'] !== undefined) out.anns_field = String(sp['anns_field']);
    if (sp['topk'] !== undefined) out.limit = Number(sp['topk']);
    if (sp['offset'] !== undefined) out.offset = Number(sp['offset']);
    if (sp['metric_type'] !== undefined && sp['metric_type'] !== '') out.metric_type = String(sp['metric_type']);
    if (sp['round_decimal'] !== undefined) out.round_decimal = Number(sp['round_decimal']);
    if (sp['params'] !== undefined) out.params = sp['params'] as Record<string, unknown> | string;
  }
  return out;
}

export interface ClientConfig {
  /** A directory path, or `file:` URL; `:memory:` keeps everything in memory (see address.ts). */
  address: string;
  database?: string;
  /** Rows per growing segment before it is sealed and indexed (overrides the size-based default). */
  sealRows?: number;
  /** Segment max size in MB (Milvus `dataCoord.segment.maxSize`, default 1024): compaction merges small segments up to it. */
  segmentMaxSize?: number;
  /** Growing segments seal at this fraction of the max size (Milvus `dataCoord.segment.sealProportion`, default 0.12). */
  sealProportion?: number;
}

type WithStatus<T> = T & { status: ResStatus };

/** Accepts `{collection_name}` plus the SDK's other request keys. */
type Req<T> = T;

export class MilvusClient {
  private readonly engine: Promise<Engine>;
  private db: string;
  readonly address: string;
  private readonly openedAt = Date.now();

  constructor(config: ClientConfig | string) {
    const cfg = typeof config === 'string' ? { address: config } : config;
    const target = parseClientAddress(cfg?.address);
    if (target.kind === 'server') throw invalidParam('address', `${JSON.stringify(cfg.address)} is a Milvus server: open it with the MilvusClient exported by 'elanus'`);
    this.address = cfg.address;
    const dir = target.kind === 'memory' ? null : target.path;
    checkSegmentSizing(cfg);
    this.engine = Engine.open({ dataDir: dir, store: storeSizing(cfg) });
    this.engine.catch(() => undefined);
    this.db = cfg.database ?? DEFAULT_DB;
  }

  /** Resolves once the data directory is open (rejects if it could not be opened). */
  get connectPromise(): Promise<void> {
    return this.engine.then(() => undefined);
  }

  async close(): Promise<void> {
    await (await this.engine).close();
  }

  /** The SDK's name for close(); resolves to the SDK's SHUTDOWN connect status (5). */
  async closeConnection(): Promise<number> {
    await this.close();
    return 5;
  }

  getVersion(): Promise<WithStatus<{ version: string }>> {
    return this.call(() => ({ version: MILVUS_API_VERSION }), { version: '' });
  }

  checkHealth(): Promise<WithStatus<{ isHealthy: boolean; reasons: string[]; quota_states: string[] }>> {
    return this.call((): { isHealthy: boolean; reasons: string[]; quota_states: string[] } => ({ isHealthy: true, reasons: [], quota_states: [] }), { isHealthy: false, reasons: [], quota_states: [] });
  }

  /** Analyse texts with `analyzer_params` (Milvus's run_analyzer). */
  runAnalyzer(req: RunAnalyzerReq): Promise<WithStatus<{ results: { tokens: AnalyzerToken[] }[] }>> {
    return this.call(() => runAnalyzer(req), { results: [] });
  }

  private withDb<T extends object>(req: T): T & { db_name: string } {
    return { ...req, db_name: dbOf(req as R.DbReq) === DEFAULT_DB && !(req as R.DbReq).db_name ? this.db : dbOf(req as R.DbReq) };
  }

  /** Runs `fn`, returning `{status, ...result}` or `{status: error}` with empty defaults. */
  private async call<T extends object>(fn: (e: Engine) => T | Promise<T>, empty: Partial<T> = {}): Promise<WithStatus<T>> {
    try {
      const e = await this.engine;
      const r = await fn(e);
      return { ...r, status: okStatus() };
    } catch (err) {
      return { ...(empty as T), status: errorStatus(err) };
    }
  }

  /** Runs `fn` for calls whose response is a bare status. */
  private async act(fn: (e: Engine) => unknown): Promise<ResStatus> {
    try {
      await fn(await this.engine);
      return okStatus();
    } catch (err) {
      return errorStatus(err);
    }
  }

  /**
   * Runs `fn` for a call whose reply is encoded by the shared encoders (src/api/replies.ts), and
   * answers with what the SDK decodes from the same reply over gRPC (a failure carries the status and
   * the reply's defaults, as the server sends it).
   */
  private async reply<T extends Record<string, unknown>>(type: string, fn: (e: Engine) => Record<string, unknown>): Promise<T & { status: ResStatus }> {
    try {
      return sdkView<T & { status: ResStatus }>(REPLY + type, { ...fn(await this.engine), status: okStatus() });
    } catch (err) {
      return sdkView<T & { status: ResStatus }>(REPLY + type, { ...emptyReply(REPLY + type), status: errorStatus(err) });
    }
  }

  // ---------------------------------------------------------------- databases

  async use(req: { db_name: string }): Promise<ResStatus> {
    return this.act((e) => {
      e.catalog.describeDatabase({ db_name: req.db_name });
      this.db = req.db_name;
    });
  }
  createDatabase(req: { db_name: string; properties?: Record<string, unknown> }): Promise<ResStatus> {
    return this.act((e) => e.catalog.createDatabase(req));
  }
  dropDatabase(req: { db_name: string }): Promise<ResStatus> {
    return this.act((e) => e.catalog.dropDatabase(req));
  }
  listDatabases(): Promise<WithStatus<{ db_names: string[]; db_ids: string[]; created_timestamp: string[] }>> {
    return this.call((e) => {
      const l = e.catalog.listDatabases();
      return { db_names: l.names, db_ids: l.ids.map(String), created_timestamp: l.createdAt.map(hybridTs) };
    }, { db_names: [], db_ids: [], created_timestamp: [] });
  }
  describeDatabase(req: { db_name: string }): Promise<WithStatus<{ db_name: string; dbID: string; created_timestamp: string; properties: { key: string; value: string }[] }>> {
    return this.call((e) => {
      const d = e.catalog.describeDatabase(req);
      return { db_name: d.name, dbID: String(d.id), created_timestamp: hybridTs(d.createdAt), properties: kv(d.properties) };
    });
  }
  alterDatabaseProperties(req: { db_name: string; properties: Record<string, unknown> }): Promise<ResStatus> {
    return this.act((e) => e.catalog.alterDatabase(req));
  }
  alterDatabase(req: { db_name: string; properties: Record<string, unknown> }): Promise<ResStatus> {
    return this.alterDatabaseProperties(req);
  }
  /** Removes the named database properties (AlterDatabase with `delete_keys`). */
  dropDatabaseProperties(req: { db_name: string; properties: string[] }): Promise<ResStatus> {
    return this.act((e) => e.catalog.alterDatabase({ db_name: req.db_name, delete_keys: req.properties }));
  }

  // ---------------------------------------------------------------- collections

  /**
   * Full form (`fields` or `schema`, optional `index_params` → index + load) or the quick form
   * (`dimension`: an `id` Int64 key, a `vector` FloatVector field, dynamic field on, AUTOINDEX with
   * `metric_type` (default COSINE), then load), as the SDK does.
   */
  async createCollection(req: Req<R.CreateCollectionReq & { dimension?: number; index_params?: unknown; metric_type?: string; id_type?: unknown; auto_id?: boolean; primary_field_name?: string; vector_field_name?: string }>): Promise<ResStatus> {
    // The SDK's own checks, before anything is sent (it throws their Errors).
    if (!req?.collection_name) throw sdkError(ERROR_REASONS.CREATE_COLLECTION_CHECK_PARAMS);
    const r = this.withDb(req);
    if (!('fields' in r) && !('schema' in r)) return this.quickCreate(r);
    const fields = (r.schema ?? r.fields) as unknown;
    if (!Array.isArray(fields) || fields.length === 0) throw sdkError(ERROR_REASONS.CREATE_COLLECTION_CHECK_PARAMS);
    checkCollectionFieldsWithOptions(fields as Parameters<typeof checkCollectionFieldsWithOptions>[0], { isExternalCollection: false });
    if (r.num_partitions !== undefined) validatePartitionNumbers(r.num_partitions);
    // As the SDK: a failed create throws its status; so does a failed index of `index_params`.
    const st = await this.act((e) => e.catalog.createCollection(r));
    if (st.code !== 0) throw st;
    if (r.index_params === undefined) return st;
    const list = (Array.isArray(r.index_params) ? r.index_params : [r.index_params]) as R.CreateIndexReq[];
    for (const ip of list) {
      const s = await this.createIndex({ ...ip, collection_name: r.collection_name, db_name: r.db_name });
      if (s.code !== 0) throw s;
    }
    await this.loadCollection({ collection_name: r.collection_name, db_name: r.db_name });
    return st;
  }

  private async quickCreate(r: Req<R.CreateCollectionReq & { dimension?: number; metric_type?: string; id_type?: unknown; auto_id?: boolean; primary_field_name?: string; vector_field_name?: string; index_params?: unknown }>): Promise<ResStatus> {
    if (r.dimension === undefined) return errorStatus(invalidParam('dimension', 'createCollection needs `fields`, `schema` or `dimension`'));
    const pk = r.primary_field_name ?? 'id';
    const vec = r.vector_field_name ?? 'vector';
    const idType = r.id_type === DataType.VarChar || r.id_type === 'VarChar' ? DataType.VarChar : DataType.Int64;
    const exists = await this.hasCollection({ collection_name: r.collection_name, db_name: r.db_name });
    if (exists.status.code !== 0) return exists.status;
    if (!exists.value) {
      const st = await this.act((e) =>
        e.catalog.createCollection({
          collection_name: r.collection_name,
          db_name: r.db_name,
          description: r.description,
          consistency_level: r.consistency_level,
          enable_dynamic_field: r.enable_dynamic_field ?? r.enableDynamicField ?? true,
          fields: [
            { name: pk, data_type: idType, is_primary_key: true, autoID: r.auto_id === true, ...(idType === DataType.VarChar ? { max_length: 65535 } : {}) },
            { name: vec, data_type: DataType.FloatVector, dim: r.dimension },
          ],
        }),
      );
      if (st.code !== 0) throw sdkError(st.reason);
      const extra = (r.index_params ?? {}) as Record<string, unknown>;
      const ci = await this.createIndex({ collection_name: r.collection_name, db_name: r.db_name, field_name: vec, extra_params: { metric_type: r.metric_type ?? 'COSINE', ...extra } });
      if (ci.code !== 0) throw sdkError(ci.reason);
    }
    return this.loadCollection({ collection_name: r.collection_name, db_name: r.db_name });
  }

  hasCollection(req: Req<R.CollectionReq>): Promise<WithStatus<{ value: boolean }>> {
    return this.call((e) => ({ value: e.catalog.hasCollection(this.withDb(req)) }), { value: false });
  }
  /** As the SDK: the DescribeCollection reply, formatted by the SDK's own formatDescribedCol. */
  async describeCollection(req: Req<R.CollectionReq>): Promise<Record<string, unknown> & { status: ResStatus }> {
    const r = await this.reply<Record<string, unknown>>('DescribeCollectionResponse', (e) => encodeDescribeCollection(e.catalog.describeCollection(this.withDb(req))));
    return r.status.code === 0 ? (formatDescribedCol(r as never) as unknown as Record<string, unknown> & { status: ResStatus }) : r;
  }
  /** Descriptions of several collections; one missing collection fails the batch (as over gRPC). */
  async batchDescribeCollections(req: Req<R.DbReq & { collection_names: string[] }>): Promise<{ status: ResStatus; responses: Record<string, unknown>[] }> {
    const responses: Record<string, unknown>[] = [];
    for (const name of req.collection_names ?? []) {
      const d = await this.describeCollection({ collection_name: name, db_name: req.db_name });
      if (d.status.code !== 0) return { status: d.status, responses: [] };
      responses.push(d);
    }
    return { status: okStatus(), responses };
  }
  /** The primary-key field's name ('' when the collection cannot be described, as the SDK). */
  async getPkFieldName(req: Req<R.CollectionReq>): Promise<string> {
    const f = await this.getPkField(req);
    return typeof f?.['name'] === 'string' ? f['name'] : '';
  }
  /** The primary-key field's data type name ('Int64' or 'VarChar'). */
  async getPkFieldType(req: Req<R.CollectionReq>): Promise<string> {
    const f = await this.getPkField(req);
    return typeof f?.['data_type'] === 'string' ? f['data_type'] : 'Int64';
  }
  /** The primary-key field as describeCollection lists it. */
  async getPkField(req: Req<R.CollectionReq>): Promise<Record<string, unknown> | undefined> {
    const d = await this.describeCollection(req);
    const fields = ((d['schema'] as { fields?: Record<string, unknown>[] } | undefined)?.fields ?? []);
    return fields.find((f) => f['is_primary_key'] === true) ?? fields[0];
  }
  /** ShowCollections as the SDK returns it: the reply's parallel arrays plus `data`, one entry per collection. */
  async showCollections(req: Req<R.DbReq & { collection_names?: string[] }> = {}): Promise<WithStatus<{ collection_names: string[]; data: { name: string; id: string; timestamp: string; loadedPercentage: string }[] }>> {
    const r = await this.reply<{ collection_names: string[]; collection_ids: string[]; created_utc_timestamps: string[]; inMemory_percentages: string[] }>('ShowCollectionsResponse', (e) => encodeShowCollections(e.catalog.showCollections(this.withDb(req))));
    const data = r.collection_names.map((name, i) => ({ name, id: r.collection_ids[i]!, timestamp: r.created_utc_timestamps[i]!, loadedPercentage: r.inMemory_percentages[i]! }));
    return { ...r, data };
  }
  listCollections(req: Req<R.DbReq> = {}): ReturnType<MilvusClient['showCollections']> {
    return this.showCollections(req);
  }
  dropCollection(req: Req<R.CollectionReq>): Promise<ResStatus> {
    return this.act((e) => e.catalog.dropCollection(this.withDb(req)));
  }
  renameCollection(req: Req<R.CollectionReq & { new_collection_name: string; new_db_name?: string }>): Promise<ResStatus> {
    return this.act((e) => e.catalog.renameCollection(this.withDb(req)));
  }
  alterCollectionProperties(req: Req<R.CollectionReq & { properties: Record<string, unknown> }>): Promise<ResStatus> {
    return this.act((e) => e.catalog.alterCollection(this.withDb(req)));
  }
  /** Milvus answers TruncateCollection with a TruncateCollectionResponse (`{status}`), as the SDK returns it. */
  async truncateCollection(req: Req<R.CollectionReq>): Promise<{ status: ResStatus }> {
    return { status: await this.act((e) => e.catalog.truncateCollection(this.withDb(req))) };
  }
  /**
   * AddCollectionField. As the SDK: a vector field must say nullable before anything is sent (the
   * server then refuses vector fields, as Milvus 2.6 does).
   */
  addCollectionField(req: Req<R.CollectionReq & { field: FieldInput }>): Promise<ResStatus> {
    if (!req?.collection_name) throw sdkError(ERROR_REASONS.COLLECTION_NAME_IS_REQUIRED);
    const type = parseDataType(req.field?.data_type);
    if (isStructArrayField(req.field ?? {}) && req.field.nullable !== true) throw sdkError(ERROR_REASONS.ADD_COLLECTION_STRUCT_FIELD_NULLABLE_REQUIRED);
    if (type !== undefined && isVectorType(type) && req.field.nullable !== true) throw sdkError(ERROR_REASONS.ADD_COLLECTION_FIELD_VECTOR_NULLABLE_REQUIRED);
    return this.act((e) => e.catalog.addCollectionField(this.withDb(req)));
  }
  /** The SDK's addCollectionFields: one AddCollectionField per field, stopping at the first refusal. */
  async addCollectionFields(req: Req<R.CollectionReq & { fields: FieldInput[] }>): Promise<ResStatus> {
    let last: ResStatus = okStatus();
    for (const field of req.fields ?? []) {
      last = await this.addCollectionField({ collection_name: req.collection_name, db_name: req.db_name, field });
      if (last.error_code !== 'Success') return last;
    }
    return last;
  }
  /** AlterCollectionField: field properties such as max_length or mmap.enabled. */
  alterCollectionFieldProperties(req: Req<R.CollectionReq & { field_name: string; properties: Record<string, unknown> }>): Promise<ResStatus> {
    return this.act((e) => e.catalog.alterCollectionField(this.withDb(req)));
  }
  /** Removes the named properties (the SDK sends them as AlterCollection `delete_keys`). */
  dropCollectionProperties(req: Req<R.CollectionReq & { properties: string[] }>): Promise<ResStatus> {
    return this.act((e) => e.catalog.alterCollection(this.withDb({ collection_name: req.collection_name, db_name: req.db_name, delete_keys: req.properties })));
  }
  getCollectionStatistics(req: Req<R.CollectionReq>): Promise<WithStatus<{ stats: { key: string; value: string }[]; data: { row_count: string } }>> {
    return this.call((e) => {
      const n = String(e.catalog.getCollectionStatistics(this.withDb(req)).rowCount);
      return { stats: [{ key: 'row_count', value: n }], data: { row_count: n } };
    });
  }

  // ---------------------------------------------------------------- partitions

  createPartition(req: Req<R.PartitionReq>): Promise<ResStatus> {
    return this.act((e) => e.catalog.createPartition(this.withDb(req)));
  }
  dropPartition(req: Req<R.PartitionReq>): Promise<ResStatus> {
    return this.act((e) => e.catalog.dropPartition(this.withDb(req)));
  }
  hasPartition(req: Req<R.PartitionReq>): Promise<WithStatus<{ value: boolean }>> {
    return this.call((e) => ({ value: e.catalog.hasPartition(this.withDb(req)) }), { value: false });
  }
  /** ShowPartitions as the SDK returns it: the reply's parallel arrays plus `data`, one entry per partition. */
  async showPartitions(req: Req<R.PartitionsReq>): Promise<WithStatus<{ partition_names: string[]; partitionIDs: string[]; created_timestamps: string[]; created_utc_timestamps: string[]; inMemory_percentages: string[]; data: { name: string; id: string; timestamp: string; loadedPercentage: string }[] }>> {
    const r = await this.reply<{ partition_names: string[]; partitionIDs: string[]; created_timestamps: string[]; created_utc_timestamps: string[]; inMemory_percentages: string[] }>('ShowPartitionsResponse', (e) => encodeShowPartitions(e.catalog.showPartitions(this.withDb(req))));
    const data = r.partition_names.map((name, i) => ({ name, id: r.partitionIDs[i]!, timestamp: r.created_utc_timestamps[i]!, loadedPercentage: r.inMemory_percentages[i]! }));
    return { ...r, data };
  }
  listPartitions(req: Req<R.PartitionsReq>): ReturnType<MilvusClient['showPartitions']> {
    return this.showPartitions(req);
  }
  getPartitionStatistics(req: Req<R.PartitionReq>): Promise<WithStatus<{ stats: { key: string; value: string }[]; data: { row_count: string } }>> {
    return this.call((e) => {
      const n = String(e.catalog.getPartitionStatistics(this.withDb(req)).rowCount);
      return { stats: [{ key: 'row_count', value: n }], data: { row_count: n } };
    });
  }
  loadPartitions(req: Req<R.CollectionReq & { partition_names: string[] }>): Promise<ResStatus> {
    return this.act((e) => e.loads.loadPartitions(this.withDb(req)));
  }
  loadPartitionsSync(req: Req<R.CollectionReq & { partition_names: string[] }>): Promise<ResStatus> {
    return this.loadPartitions(req);
  }
  releasePartitions(req: Req<R.CollectionReq & { partition_names: string[] }>): Promise<ResStatus> {
    return this.act((e) => e.loads.releasePartitions(this.withDb(req)));
  }

  // ---------------------------------------------------------------- aliases

  createAlias(req: Req<R.AliasReq & { collection_name: string }>): Promise<ResStatus> {
    return this.act((e) => e.catalog.createAlias(this.withDb(req)));
  }
  alterAlias(req: Req<R.AliasReq & { collection_name: string }>): Promise<ResStatus> {
    return this.act((e) => e.catalog.alterAlias(this.withDb(req)));
  }
  dropAlias(req: Req<R.AliasReq>): Promise<ResStatus> {
    return this.act((e) => e.catalog.dropAlias(this.withDb(req)));
  }
  describeAlias(req: Req<R.AliasReq>): Promise<WithStatus<{ db_name: string; alias: string; collection: string }>> {
    return this.call((e) => {
      const a = e.catalog.describeAlias(this.withDb(req));
      return { db_name: a.dbName, alias: a.alias, collection: a.collection };
    });
  }
  listAliases(req: Req<R.DbReq & { collection_name?: string }> = {}): Promise<WithStatus<{ db_name: string; collection_name: string; aliases: string[] }>> {
    return this.call((e) => {
      const a = e.catalog.listAliases(this.withDb(req));
      return { db_name: a.dbName, collection_name: a.collectionName, aliases: a.aliases };
    }, { aliases: [] });
  }

  // ---------------------------------------------------------------- indexes

  createIndex(req: Req<R.CreateIndexReq> | Req<R.CreateIndexReq>[]): Promise<ResStatus> {
    const list = Array.isArray(req) ? req : [req];
    return this.act(async (e) => {
      for (const r of list) await e.indexes.createIndex(this.withDb(r));
    });
  }
  describeIndex(req: Req<R.IndexReq>): Promise<WithStatus<{ index_descriptions: Record<string, unknown>[] }>> {
    return this.reply('DescribeIndexResponse', (e) => ({ index_descriptions: e.indexes.describeIndex(this.withDb(req)).map(encodeIndexDescription) }));
  }
  /** As the SDK: the index names of describeIndex, with its status (IndexNotExist when there is none). */
  async listIndexes(req: Req<R.CollectionReq & { field_name?: string }>): Promise<WithStatus<{ indexes: string[] }>> {
    const d = await this.describeIndex(req);
    return { status: d.status, indexes: d.index_descriptions.map((i) => String(i['index_name'])) };
  }
  dropIndex(req: Req<R.IndexReq>): Promise<ResStatus> {
    return this.act((e) => e.indexes.dropIndex(this.withDb(req)));
  }
  getIndexStatistics(req: Req<R.IndexReq>): Promise<WithStatus<{ index_descriptions: Record<string, unknown>[] }>> {
    return this.reply('GetIndexStatisticsResponse', (e) => ({ index_descriptions: e.indexes.describeIndex(this.withDb(req)).map(encodeIndexDescription) }));
  }
  getIndexBuildProgress(req: Req<R.IndexReq>): Promise<WithStatus<{ indexed_rows: string; total_rows: string }>> {
    return this.call((e) => {
      const d = e.indexes.describeIndex(this.withDb(req))[0]!;
      return { indexed_rows: String(d.indexedRows), total_rows: String(d.totalRows) };
    });
  }
  getIndexState(req: Req<R.IndexReq>): Promise<WithStatus<{ state: string }>> {
    return this.call((e) => ({ state: String(formatIndex(e.indexes.describeIndex(this.withDb(req))[0]!).state) }));
  }

  // ---------------------------------------------------------------- load / release

  /**
   * Loads and waits until the collection is fully loaded, as the SDK's loadCollection does; like the
   * SDK, a failure throws `Error('ErrorCode: <name>. Reason: <reason>')`.
   */
  async loadCollection(req: Req<R.CollectionReq & { partition_names?: string[] }>): Promise<ResStatus> {
    const st = await this.act((e) => e.loads.loadCollection(this.withDb(req)));
    if (st.code !== 0) throw sdkError(`ErrorCode: ${st.error_code}. Reason: ${st.reason}`);
    return st;
  }
  loadCollectionSync(req: Req<R.CollectionReq>): Promise<ResStatus> {
    return this.loadCollection(req);
  }
  /** Starts loading and returns at once; poll getLoadState / getLoadingProgress. */
  loadCollectionAsync(req: Req<R.CollectionReq>): Promise<ResStatus> {
    return this.act((e) => {
      e.loads.startLoad(this.withDb(req));
    });
  }
  releaseCollection(req: Req<R.CollectionReq>): Promise<ResStatus> {
    return this.act((e) => e.loads.releaseCollection(this.withDb(req)));
  }
  getLoadState(req: Req<R.CollectionReq & { partition_names?: string[] }>): Promise<WithStatus<{ state: string }>> {
    return this.call((e) => ({ state: loadStateName[e.loads.getLoadState(this.withDb(req))]! }), { state: 'LoadStateNotExist' });
  }
  getLoadingProgress(req: Req<R.CollectionReq & { partition_names?: string[] }>): Promise<WithStatus<{ progress: string }>> {
    return this.call((e) => ({ progress: String(e.loads.getLoadingProgress(this.withDb(req))) }), { progress: '0' });
  }

  // ---------------------------------------------------------------- data

  private mutation(kind: 'insert' | 'upsert' | 'delete', r: { ids: (bigint | string)[]; count: number }): Record<string, unknown> {
    const numeric = r.ids.length > 0 && typeof r.ids[0] === 'bigint';
    return {
      succ_index: kind === 'delete' ? [] : r.ids.map((_, i) => i),
      err_index: [],
      acknowledged: false,
      insert_cnt: kind === 'insert' ? String(r.count) : '0',
      delete_cnt: kind === 'delete' ? String(r.count) : '0',
      upsert_cnt: kind === 'upsert' ? String(r.count) : '0',
      timestamp: hybridTs(Date.now()),
      // A delete reply names no keys, as Milvus's (pymilvus then returns {'delete_count': n}).
      IDs: kind === 'delete' ? {} : numeric ? { int_id: { data: r.ids.map(String) }, id_field: 'int_id' } : { str_id: { data: r.ids.map(String) }, id_field: 'str_id' },
    };
  }

  insert(req: Req<R.InsertReq>): Promise<WithStatus<Record<string, unknown>>> {
    return this.write('insert', req);
  }
  upsert(req: Req<R.InsertReq>): Promise<WithStatus<Record<string, unknown>>> {
    return this.write('upsert', req);
  }
  /** As the SDK: a write into a collection that cannot be described throws that describeCollection reply. */
  private async write(kind: 'insert' | 'upsert', req: Req<R.InsertReq>): Promise<WithStatus<Record<string, unknown>>> {
    const r = await this.call(async (e) => this.mutation(kind, await e.writes[kind](this.withDb(req))));
    if (r.status.code !== 0) {
      const d = await this.describeCollection({ collection_name: req.collection_name, db_name: req.db_name });
      if (d.status.code !== 0) throw d;
    }
    return r;
  }
  delete(req: Req<R.DeleteReq>): Promise<WithStatus<Record<string, unknown>>> {
    return this.call(async (e) => this.mutation('delete', await e.writes.delete(this.withDb(req))));
  }
  deleteEntities(req: Req<R.DeleteReq>): Promise<WithStatus<Record<string, unknown>>> {
    return this.delete(req);
  }
  query(req: Req<R.QueryReq>): Promise<WithStatus<{ data: Record<string, unknown>[] }>> {
    // The SDK asks for every field when output_fields is not given.
    // As the SDK: `order_by` is an alias of `order_by_fields`.
    const { order_by_fields, order_by, group_by_fields, ...rest } = req as R.QueryReq & { order_by?: unknown; group_by_fields?: unknown };
    const order = order_by_fields ?? order_by;
    return this.call(async (e) => ({ data: await e.search.query(this.withDb({ ...rest, ...(order !== undefined ? { order_by_fields: order } : {}), unsupported: { group_by_fields }, output_fields: req.output_fields ?? ['*'] })) }), { data: [] });
  }
  get(req: Req<R.QueryReq & { ids: (string | number)[] }>): Promise<WithStatus<{ data: Record<string, unknown>[] }>> {
    return this.call(async (e) => ({ data: await e.search.get(this.withDb({ ...req, output_fields: req.output_fields ?? ['*'] })) }), { data: [] });
  }
  count(req: Req<R.QueryReq>): Promise<WithStatus<{ data: number }>> {
    return this.call(async (e) => ({ data: await e.search.count(this.withDb(req)) }), { data: 0 });
  }

  /**
   * Hits as the SDK's search results. With `roundDecimal` (≥ 0) the scores are what the SDK makes of
   * the rounded float32 scores on the wire (its formatNumberPrecision).
   */
  private static rows(hits: Hit[][], nq: number, roundDecimal = -1): unknown {
    const score = (s: number): number => (roundDecimal >= 0 ? formatNumberPrecision(Math.fround(s), roundDecimal) : s);
    const rows = hits.map((q) => q.map((h) => ({ ...h.fields, score: score(h.score), ...(h.highlight ? { highlight: h.highlight } : {}) })));
    return nq === 1 ? rows[0] ?? [] : rows;
  }

  /** Results: one list of hits for a single query vector, a list per query vector otherwise. */
  async search(req: Req<R.SearchReq>): Promise<WithStatus<{ results: Record<string, unknown>[] | Record<string, unknown>[][]; recalls: number[]; session_ts: number; collection_name: string }>> {
    const sreq = sdkSearch(req);
    const anns = await this.annsField(req, sreq.anns_field, true);
    if (anns !== undefined) sreq.anns_field = anns;
    return this.call(async (e) => {
      // The SDK asks for every field when output_fields is not given.
      const r = await e.search.search(this.withDb({ ...sreq, output_fields: req.output_fields ?? ['*'] }));
      return {
        results: MilvusClient.rows(r.hits, r.nq, sdkRoundDecimal(req)) as Record<string, unknown>[],
        recalls: [],
        session_ts: 0,
        collection_name: req.collection_name,
        ...(r.iterator ? { search_iterator_v2_results: { token: r.iterator.token, last_bound: r.iterator.lastBound } } : {}),
      };
    }, { results: [] });
  }

  /**
   * The anns_field the SDK sends: the one named (it throws unless that is a vector field of the
   * collection), else — for a plain search — the first vector field. Undefined when the collection
   * cannot be described (the search itself then reports it).
   */
  private async annsField(req: R.CollectionReq, named: string | undefined, firstByDefault: boolean): Promise<string | undefined> {
    let fields: readonly { name: string; dataType: number; isDynamic: boolean }[];
    try {
      fields = (await this.engine).catalog.describeCollection(this.withDb(req)).schema.fields;
    } catch {
      return undefined;
    }
    const vectors = fields.filter((f) => !f.isDynamic && isVectorType(f.dataType)).map((f) => f.name);
    const name = named || (firstByDefault ? vectors[0] : undefined);
    if (name === undefined || !vectors.includes(name)) throw sdkError(ERROR_REASONS.NO_ANNS_FEILD_FOUND_IN_SEARCH);
    return name;
  }

  /** Rows an iterator returns in all (`limit`, capped by what `filter` matches) and per page. */
  private async iteratorBudget(req: Req<R.CollectionReq & { partition_names?: string[]; limit?: number; batchSize?: number }>, filter: string): Promise<{ total: number; batch: number }> {
    const counted = await this.count({ collection_name: req.collection_name, db_name: req.db_name, partition_names: req.partition_names, filter });
    if (counted.status.code !== 0) throw new MilvusError(counted.status.code, counted.status.reason);
    const total = req.limit && req.limit > 0 ? Math.min(req.limit, counted.data) : counted.data;
    return { total, batch: Math.max(1, Math.min(Number(req.batchSize) || 1000, MAX_TOPK)) };
  }

  /**
   * Pages through search hits in score order, `batchSize` at a time, up to `limit` (default: every
   * row the filter admits), as the SDK's searchIterator does: `for await (const hits of it)`. Each
   * page is a search with Milvus's iterator-v2 parameters; a failing page throws its MilvusError.
   */
  async searchIterator(req: Req<R.SearchReq & { batchSize: number; external_filter_fn?: (hit: Record<string, unknown>) => boolean }>): Promise<AsyncIterable<Record<string, unknown>[]>> {
    const { total, batch } = await this.iteratorBudget(req, String(req.filter ?? req.expr ?? ''));
    const userParams = typeof req.params === 'string' ? (JSON.parse(req.params) as Record<string, unknown>) : (req.params ?? {});
    const { batchSize: _b, external_filter_fn: keep, limit: _l, params: _p, ...rest } = req;
    const search = (r: Req<R.SearchReq>): ReturnType<MilvusClient['search']> => this.search(r);
    return {
      async *[Symbol.asyncIterator]() {
        let seen = 0;
        let token = '';
        let lastBound: number | undefined;
        while (seen < total) {
          const size = Math.min(batch, total - seen);
          // As the SDK pages: the iterator's token and the last page's bound.
          const params = { ...userParams, iterator: true, search_iter_v2: true, search_iter_batch_size: size, ...(token ? { search_iter_id: token, search_iter_last_bound: lastBound } : {}) };
          const res = await search({ ...rest, params, limit: size });
          if (res.status.code !== 0) throw new MilvusError(res.status.code, res.status.reason);
          const hits = res.results as Record<string, unknown>[];
          if (hits.length === 0) return;
          seen += hits.length;
          const info = (res as { search_iterator_v2_results?: { token: string; last_bound: number } }).search_iterator_v2_results;
          token = info?.token ?? '';
          lastBound = info?.last_bound;
          yield keep ? hits.filter(keep) : hits;
        }
      },
    };
  }
  async hybridSearch(req: Req<R.HybridSearchReq>): ReturnType<MilvusClient['search']> {
    for (const sub of req.data ?? []) await this.annsField(req, sub.anns_field, false);
    return this.call(async (e) => {
      const { rerank, filter, expr, ...rest } = req as R.HybridSearchReq & SdkSearchExtras & { filter?: string; expr?: string };
      const ranker = rerank && 'strategy' in rerank ? { rerank } : {};
      // As the SDK sends them: a sub-request's filter is its `expr`, else the request's expr or filter.
      const data = rest.data.map(({ filter: _f, expr: subExpr, ...sub }: R.HybridSearchReq['data'][number] & { expr?: string }) => {
        const f = subExpr || expr || filter;
        return f ? { ...sub, filter: f } : sub;
      });
      // The SDK's hybrid request has no highlighter field (HybridSearchRequest lacks one), so a highlighter given
      // to a hybrid search never reaches the server; it is dropped here the same way.
      const r = await e.search.hybridSearch(this.withDb({ ...rest, data, ...ranker, unsupported: { ...sdkUnsupported(req), highlighter: undefined }, output_fields: req.output_fields ?? ['*'] }));
      return { results: MilvusClient.rows(r.hits, r.nq) as Record<string, unknown>[], recalls: [], session_ts: 0, collection_name: req.collection_name };
    }, { results: [] });
  }
  flush(req: Req<{ collection_names: string[]; db_name?: string }>): Promise<WithStatus<{ coll_segIDs: Record<string, { data: string[] }>; flush_coll_segIDs: Record<string, { data: string[] }>; coll_seal_times: Record<string, string>; db_name: string }>> {
    return this.call(async (e) => {
      const m = await e.writes.flush(this.withDb(req));
      const segs: Record<string, { data: string[] }> = {};
      const times: Record<string, string> = {};
      for (const [k, v] of m) {
        segs[k] = { data: v.map(String) };
        times[k] = String(Math.floor(Date.now() / 1000));
      }
      return { coll_segIDs: segs, flush_coll_segIDs: segs, coll_seal_times: times, db_name: this.db };
    });
  }
  flushSync(req: Req<{ collection_names: string[]; db_name?: string }>): ReturnType<MilvusClient['flush']> {
    return this.flush(req);
  }
  getFlushState(req: Req<{ segmentIDs?: (number | string)[] }>): Promise<WithStatus<{ flushed: boolean }>> {
    return this.call((e) => ({ flushed: e.writes.getFlushState(req) }), { flushed: false });
  }
  /** Seals and persists every collection's growing data (of `db_name`, or of every database). */
  flushAll(req: Req<R.DbReq> = {}): Promise<WithStatus<{ flush_all_ts: string; flush_results: unknown[] }>> {
    return this.call(async (e) => ({ flush_all_ts: String(await e.jobs.flushAll(req)), flush_results: [] }), { flush_all_ts: '0', flush_results: [] });
  }
  async flushAllSync(req: Req<R.DbReq> = {}): Promise<WithStatus<{ flushed: boolean; flush_states: unknown[] }>> {
    const r = await this.flushAll(req);
    if (r.status.code !== 0) return { status: r.status, flushed: false, flush_states: [] };
    return this.getFlushAllState({ flush_all_ts: r.flush_all_ts });
  }
  getFlushAllState(req: { flush_all_ts?: string | number }): Promise<WithStatus<{ flushed: boolean; flush_states: unknown[] }>> {
    return this.call((e) => ({ flushed: e.jobs.getFlushAllState(req), flush_states: [] }), { flushed: false, flush_states: [] });
  }

  /**
   * Pages through a query's rows in primary-key order, `batchSize` rows at a time, up to `limit`
   * (default: all matching rows), as the SDK's queryIterator does: `for await (const rows of it)`.
   * A failing page throws its MilvusError.
   */
  async queryIterator(req: Req<R.QueryReq & { batchSize: number }>): Promise<AsyncIterable<Record<string, unknown>[]>> {
    const userFilter = String(req.filter ?? req.expr ?? '').trim();
    const { total, batch } = await this.iteratorBudget(req, userFilter);
    const pk = await this.getPkField(req);
    if (!pk) throw new MilvusError(100, 'collection has no primary key');
    const pkName = String(pk['name']);
    const { offset: _offset, limit: _limit, filter: _f, expr: _e, batchSize: _b, ...rest } = req;
    // Each page asks for the rows after the last key seen (a cursor, not filter text).
    const query = (q: Req<R.QueryReq>): Promise<WithStatus<{ data: Record<string, unknown>[] }>> =>
      this.call(async (e) => ({ data: await e.search.query(this.withDb({ ...q, output_fields: q.output_fields ?? ['*'] })) }), { data: [] });
    return {
      async *[Symbol.asyncIterator]() {
        let seen = 0;
        let last: unknown;
        while (seen < total) {
          const res = await query({ ...rest, filter: userFilter, ...(last !== undefined ? { after_pk: last as string | number } : {}), limit: Math.min(batch, total - seen) });
          if (res.status.code !== 0) throw new MilvusError(res.status.code, res.status.reason);
          if (res.data.length === 0) return;
          last = res.data[res.data.length - 1]![pkName];
          seen += res.data.length;
          yield res.data;
        }
      },
    };
  }

  // ---------------------------------------------------------------- bulk import

  /**
   * Imports row-based JSON files (paths on this machine: `{"rows": [...]}` as `elanus export` or
   * Milvus's bulk writer write them) in the background; all or nothing. Poll getImportState.
   */
  bulkInsert(req: Req<R.CollectionReq & { partition_name?: string; files: string[]; options?: unknown }>): Promise<WithStatus<{ tasks: string[] }>> {
    return this.call((e) => ({ tasks: [String(e.jobs.bulkImport(this.withDb(req)).id)] }), { tasks: [] });
  }
  getImportState(req: { task: string | number | bigint }): Promise<WithStatus<Record<string, unknown>>> {
    return this.call((e) => formatImportState(e.jobs.getImportState(req)));
  }
  listImportTasks(req: Req<R.DbReq & { collection_name?: string; limit?: number }>): Promise<WithStatus<{ tasks: Record<string, unknown>[] }>> {
    return this.call((e) => ({ tasks: e.jobs.listImportTasks(this.withDb(req)).map(formatImportState) }), { tasks: [] });
  }

  // ---------------------------------------------------------------- maintenance

  /** Starts a manual compaction of the collection; poll getCompactionState with the returned id. */
  compact(req: Req<R.CollectionReq>): Promise<WithStatus<{ compactionID: string; compactionPlanCount: number }>> {
    return this.call((e) => {
      const job = e.jobs.compact(this.withDb(req));
      return { compactionID: String(job.id), compactionPlanCount: job.planCount };
    }, { compactionID: '0', compactionPlanCount: 0 });
  }
  getCompactionState(req: { compactionID: string | number | bigint }): Promise<WithStatus<Record<string, unknown>>> {
    return this.call((e) => formatCompactionState(e.jobs.getCompactionState(req)));
  }
  /** The segments a loaded collection searches (101 when it is not loaded). */
  getQuerySegmentInfo(req: { collectionName: string; dbName?: string }): Promise<WithStatus<{ infos: Record<string, unknown>[] }>> {
    return this.segmentInfos(req, true);
  }
  /** Every segment of the collection: growing, flushing (being sealed) and flushed. */
  getPersistentSegmentInfo(req: { collectionName: string; dbName?: string }): Promise<WithStatus<{ infos: Record<string, unknown>[] }>> {
    return this.segmentInfos(req, false);
  }
  private segmentInfos(req: { collectionName: string; dbName?: string }, served: boolean): Promise<WithStatus<{ infos: Record<string, unknown>[] }>> {
    return this.call((e) => ({ infos: formatSegmentInfos(e.jobs.segmentInfo(this.withDb({ collection_name: req.collectionName, db_name: req.dbName }), served), served) }), { infos: [] });
  }
  /** The replica of a loaded collection (one, on this process). */
  getReplicas(req: { collectionID: string | number; db_name?: string }): Promise<WithStatus<{ replicas: Record<string, unknown>[] }>> {
    return this.call((e) => ({ replicas: formatReplicas(e.loads.getReplicas(req)) }), { replicas: [] });
  }

  // ---------------------------------------------------------------- users

  createUser(req: { username: string; password: string }): Promise<ResStatus> {
    return this.act((e) => e.users.createUser(req));
  }
  deleteUser(req: { username: string }): Promise<ResStatus> {
    return this.act((e) => e.users.deleteUser(req));
  }
  updateUser(req: { username: string; oldPassword: string; newPassword: string }): Promise<ResStatus> {
    return this.act((e) => e.users.updatePassword(req));
  }
  listUsers(): Promise<WithStatus<{ usernames: string[] }>> {
    return this.call((e) => ({ usernames: e.users.listUsers() }), { usernames: [] });
  }

  // ---------------------------------------------------------------- roles and grants
  // Kept as Milvus keeps them; enforced by `elanus serve --auth` (an embedded client has no users
  // signed in).

  createRole(req: { roleName: string; description?: string }): Promise<ResStatus> {
    return this.act((e) => e.rbac.createRole(req.roleName, req.description ?? ''));
  }
  dropRole(req: { roleName: string; force_drop?: boolean }): Promise<ResStatus> {
    return this.act((e) => e.rbac.dropRole(req.roleName, req.force_drop === true));
  }
  addUserToRole(req: { username: string; roleName: string }): Promise<ResStatus> {
    return this.act((e) => e.rbac.operateUserRole(req.username, req.roleName, true));
  }
  removeUserFromRole(req: { username: string; roleName: string }): Promise<ResStatus> {
    return this.act((e) => e.rbac.operateUserRole(req.username, req.roleName, false));
  }
  listRoles(req: { includeUserInfo?: boolean } = {}): Promise<WithStatus<{ results: Record<string, unknown>[] }>> {
    return this.call((e) => ({ results: formatRoles(e.rbac, '', req.includeUserInfo ?? true) }), { results: [] });
  }
  describeRole(req: { roleName: string; includeUserInfo?: boolean }): Promise<WithStatus<{ results: Record<string, unknown>[] }>> {
    return this.call((e) => ({ results: formatRoles(e.rbac, req.roleName, req.includeUserInfo ?? true) }), { results: [] });
  }
  async hasRole(req: { roleName: string }): Promise<{ status: ResStatus; hasRole: boolean }> {
    const r = await this.call((e) => ({ hasRole: e.rbac.hasRole(req.roleName) }), { hasRole: false });
    return { status: r.status, hasRole: r.hasRole };
  }
  describeUser(req: { username: string; includeRoleInfo?: boolean }): Promise<WithStatus<{ results: Record<string, unknown>[] }>> {
    return this.call((e) => ({ results: formatUsers(e.rbac, e.users.listUsers(), req.username, req.includeRoleInfo ?? true) }), { results: [] });
  }
  grantPrivilege(req: { roleName: string; object: string; objectName: string; privilegeName: string; db_name?: string }): Promise<ResStatus> {
    return this.act((e) => e.rbac.grant({ role: req.roleName, objectType: req.object, objectName: req.objectName, privilege: req.privilegeName, dbName: req.db_name ?? this.db }, 'root'));
  }
  revokePrivilege(req: { roleName: string; object: string; objectName: string; privilegeName: string; db_name?: string }): Promise<ResStatus> {
    return this.act((e) => e.rbac.revoke({ role: req.roleName, objectType: req.object, objectName: req.objectName, privilege: req.privilegeName, dbName: req.db_name ?? this.db }));
  }
  /** The 2.5 form: the object type follows from the privilege; `collection_name` may be `*`. */
  grantPrivilegeV2(req: { role: string; privilege: string; db_name?: string; collection_name?: string }): Promise<ResStatus> {
    return this.act((e) => e.rbac.grant({ role: req.role, privilege: req.privilege, objectName: req.collection_name || '*', dbName: req.db_name || this.db }, 'root'));
  }
  revokePrivilegeV2(req: { role: string; privilege: string; db_name?: string; collection_name?: string }): Promise<ResStatus> {
    return this.act((e) => e.rbac.revoke({ role: req.role, privilege: req.privilege, objectName: req.collection_name || '*', dbName: req.db_name || this.db }));
  }
  /** Grants of a role, narrowed by object type and name (SelectGrant). */
  selectGrant(req: { roleName: string; object?: string; objectName?: string; db_name?: string }): Promise<WithStatus<{ entities: Record<string, unknown>[] }>> {
    return this.call((e) => ({ entities: e.rbac.selectGrants({ role: req.roleName, objectType: req.object ?? '', objectName: req.objectName ?? '', dbName: req.db_name ?? '' }).map(formatGrant) }), { entities: [] });
  }
  listGrants(req: { roleName: string; db_name?: string }): ReturnType<MilvusClient['selectGrant']> {
    return this.selectGrant({ roleName: req.roleName, db_name: req.db_name ?? '*' });
  }

  // ---------------------------------------------------------------- privilege groups, RBAC backup

  createPrivilegeGroup(req: { group_name: string }): Promise<ResStatus> {
    return this.act((e) => e.rbac.createPrivilegeGroup(req.group_name));
  }
  dropPrivilegeGroup(req: { group_name: string }): Promise<ResStatus> {
    return this.act((e) => e.rbac.dropPrivilegeGroup(req.group_name));
  }
  listPrivilegeGroups(): Promise<WithStatus<{ privilege_groups: Record<string, unknown>[] }>> {
    return this.call((e) => ({ privilege_groups: formatPrivilegeGroups(e.rbac.listPrivilegeGroups()) }), { privilege_groups: [] });
  }
  addPrivilegesToGroup(req: { group_name: string; privileges: string[] }): Promise<ResStatus> {
    return this.act((e) => e.rbac.operatePrivilegeGroup(req.group_name, req.privileges, true));
  }
  removePrivilegesFromGroup(req: { group_name: string; privileges: string[] }): Promise<ResStatus> {
    return this.act((e) => e.rbac.operatePrivilegeGroup(req.group_name, req.privileges, false));
  }
  backupRBAC(): Promise<WithStatus<{ RBAC_meta: Record<string, unknown> }>> {
    return this.call((e) => ({ RBAC_meta: formatRbacMeta(e.rbac.backup()) }), { RBAC_meta: { users: [], roles: [], grants: [], privilege_groups: [] } });
  }
  restoreRBAC(req: { RBAC_meta: unknown }): Promise<ResStatus> {
    return this.act((e) => e.rbac.restore(parseRbacMeta(req.RBAC_meta)));
  }

  // ---------------------------------------------------------------- single-node cluster calls

  createResourceGroup(req: { resource_group: string; config?: unknown }): Promise<ResStatus> {
    return this.act((e) => e.resourceGroups.create(req.resource_group, req.config));
  }
  updateResourceGroups(req: { resource_groups: Record<string, unknown> }): Promise<ResStatus> {
    return this.act((e) => e.resourceGroups.update(req.resource_groups ?? {}));
  }
  dropResourceGroup(req: { resource_group: string }): Promise<ResStatus> {
    return this.act((e) => e.resourceGroups.drop(req.resource_group));
  }
  listResourceGroups(): Promise<WithStatus<{ resource_groups: string[] }>> {
    return this.call((e) => ({ resource_groups: e.resourceGroups.list() }), { resource_groups: [] });
  }
  describeResourceGroup(req: { resource_group: string }): Promise<WithStatus<{ resource_group: Record<string, unknown> }>> {
    return this.call((e) => ({ resource_group: resourceGroupToWire(e.resourceGroups.describe(req.resource_group)) }), { resource_group: {} });
  }
  transferNode(req: { source_resource_group: string; target_resource_group: string; num_node: number }): Promise<ResStatus> {
    return this.act((e) => e.resourceGroups.transferNode(req.source_resource_group, req.target_resource_group, Number(req.num_node ?? 0)));
  }
  transferReplica(req: { source_resource_group: string; target_resource_group: string; collection_name: string; num_replica: number | string; db_name?: string }): Promise<ResStatus> {
    return this.act((e) => e.loads.transferReplica(this.withDb(req)));
  }
  /** GetMetrics `system_info`, its JSON parsed as the SDK's getMetric parses it. */
  getMetric(req: { request: { metric_type: string } }): Promise<WithStatus<{ response: unknown; component_name: string }>> {
    return this.call(() => {
      const r = metricsReply(JSON.stringify(req.request ?? {}), MILVUS_API_VERSION, this.openedAt);
      return { response: JSON.parse(r.response) as unknown, component_name: r.component_name };
    }, { response: {}, component_name: '' });
  }
  getCompactionStateWithPlans(req: { compactionID: string | number | bigint }): Promise<WithStatus<Record<string, unknown>>> {
    return this.call((e) => formatCompactionPlans(e.jobs.getCompactionState(req)), { state: 'UndefiedState', mergeInfos: [] });
  }
  /** AlterIndex with `params` (e.g. `{"mmap.enabled": true}`); the collection must be released. */
  alterIndexProperties(req: { collection_name: string; index_name: string; params: Record<string, unknown>; db_name?: string }): Promise<ResStatus> {
    return this.act((e) => e.indexes.alterIndex(this.withDb({ collection_name: req.collection_name, db_name: req.db_name, index_name: req.index_name, properties: req.params ?? {} })));
  }
  dropIndexProperties(req: { collection_name: string; index_name: string; properties: string[]; db_name?: string }): Promise<ResStatus> {
    return this.act((e) => e.indexes.alterIndex(this.withDb({ collection_name: req.collection_name, db_name: req.db_name, index_name: req.index_name, delete_keys: req.properties ?? [] })));
  }
}
