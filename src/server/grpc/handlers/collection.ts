/** Collection RPCs: create, drop, has, describe, list, statistics, load/release, rename, alter, truncate. */
import { ErrorCode, MilvusError } from '../../../core/errors.js';
import type { CollectionMeta } from '../../../storage/index.js';
import { decodeCreateCollection, fieldInfoToWire, kvToRecord, recordToKv, toFieldInfo, visibleFields } from '../codecs/schema.js';
import { okStatus } from '../status.js';
import { formatFunctions } from '../../../client/format.js';

const FUNCTION_TYPE_NUMBERS: Record<string, number> = { BM25: 1, TextEmbedding: 2, Rerank: 3, MinHash: 4, MolFingerprint: 5 };
import { collectionReq, dbOf, hybridTs, kvs, str, strs, type HandlerTable } from './types.js';

/** CollectionMeta → DescribeCollectionResponse fields (no `$meta`, no system fields). */
export function encodeDescribe(meta: CollectionMeta): Record<string, unknown> {
  const fields = visibleFields(meta.schema.fields.map(toFieldInfo));
  return {
    schema: {
      name: meta.name,
      description: meta.schema.description,
      autoID: fields.some((f) => f.isPrimaryKey && f.autoID),
      fields: fields.map(fieldInfoToWire),
      enable_dynamic_field: meta.schema.enableDynamicField,
      properties: [],
      functions: formatFunctions(meta).map((fn) => ({ ...fn, type: FUNCTION_TYPE_NUMBERS[fn.type as string] ?? 0 })),
      dbName: meta.dbName,
    },
    collectionID: meta.id,
    virtual_channel_names: [],
    physical_channel_names: [],
    created_timestamp: hybridTs(meta.createdAt),
    created_utc_timestamp: meta.createdAt,
    shards_num: meta.shardsNum,
    aliases: [...meta.aliases],
    consistency_level: meta.consistencyLevel,
    collection_name: meta.name,
    properties: recordToKv(meta.properties),
    db_name: meta.dbName,
    num_partitions: meta.numPartitions || meta.partitions.length,
    db_id: 0,
    update_timestamp: meta.createdAt,
    update_timestamp_str: String(meta.createdAt),
  };
}

function partitionNames(req: Record<string, unknown>): { partition_names?: string[] } {
  const names = strs(req, 'partition_names');
  return names.length ? { partition_names: names } : {};
}

export const collectionHandlers: HandlerTable = {
  async CreateCollection(req, ctx, env) {
    const decoded = decodeCreateCollection(req as Parameters<typeof decodeCreateCollection>[0]);
    await env.engine.createCollection({ ...decoded, collection_name: str(req, 'collection_name'), db_name: dbOf(req, ctx) });
    return {};
  },

  async DropCollection(req, ctx, env) {
    await env.engine.dropCollection(collectionReq(req, ctx));
    return {};
  },

  async HasCollection(req, ctx, env) {
    return { value: env.engine.hasCollection(collectionReq(req, ctx)) };
  },

  async DescribeCollection(req, ctx, env) {
    if (str(req, 'collection_name') === '') {
      throw new MilvusError(ErrorCode.ParameterInvalid, 'invalid parameter "collection_name": describing a collection by ID is not supported, give its name');
    }
    return encodeDescribe(env.engine.describeCollection(collectionReq(req, ctx)));
  },

  async BatchDescribeCollection(req, ctx, env) {
    const db = dbOf(req, ctx);
    if (strs(req, 'collectionID').length > 0) throw new MilvusError(ErrorCode.ParameterInvalid, 'invalid parameter "collectionID": describing collections by ID is not supported, give their names');
    // One missing collection fails the whole batch (the SDK formats every entry as a full description).
    const responses = strs(req, 'collection_name').map((name) => ({ ...encodeDescribe(env.engine.describeCollection({ collection_name: name, db_name: db })), status: okStatus() }));
    return { responses };
  },

  async ShowCollections(req, ctx, env) {
    const names = strs(req, 'collection_names');
    const list = env.engine.showCollections({ db_name: dbOf(req, ctx), ...(names.length ? { collection_names: names } : {}) });
    return {
      collection_names: list.map((c) => c.meta.name),
      collection_ids: list.map((c) => c.meta.id),
      created_timestamps: list.map((c) => hybridTs(c.meta.createdAt)),
      created_utc_timestamps: list.map((c) => c.meta.createdAt),
      inMemory_percentages: list.map((c) => c.loadedPercentage),
      query_service_available: list.map((c) => c.loadedPercentage >= 100),
      shards_num: list.map((c) => c.meta.shardsNum),
    };
  },

  async GetCollectionStatistics(req, ctx, env) {
    return { stats: [{ key: 'row_count', value: String(env.engine.getCollectionStatistics(collectionReq(req, ctx)).rowCount) }] };
  },

  async LoadCollection(req, ctx, env) {
    // Answer once the load has started; clients poll GetLoadingProgress until it reaches 100.
    const loading = env.engine.loadCollection(collectionReq(req, ctx));
    loading.catch(() => undefined);
    return {};
  },

  async ReleaseCollection(req, ctx, env) {
    await env.engine.releaseCollection(collectionReq(req, ctx));
    return {};
  },

  async GetLoadingProgress(req, ctx, env) {
    const progress = env.engine.getLoadingProgress({ ...collectionReq(req, ctx), ...partitionNames(req) });
    return { progress, refresh_progress: progress };
  },

  async GetLoadState(req, ctx, env) {
    return { state: env.engine.getLoadState({ ...collectionReq(req, ctx), ...partitionNames(req) }) };
  },

  async RenameCollection(req, ctx, env) {
    const newDb = str(req, 'newDBName');
    await env.engine.renameCollection({
      collection_name: str(req, 'oldName'),
      new_collection_name: str(req, 'newName'),
      db_name: dbOf(req, ctx),
      ...(newDb ? { new_db_name: newDb } : {}),
    });
    return {};
  },

  async AlterCollection(req, ctx, env) {
    await env.engine.alterCollection({ ...collectionReq(req, ctx), properties: kvToRecord(kvs(req, 'properties')), delete_keys: strs(req, 'delete_keys') });
    return {};
  },

  async TruncateCollection(req, ctx, env) {
    await env.engine.truncateCollection(collectionReq(req, ctx));
    return {};
  },
};
