/** Collection RPCs: create, drop, has, describe, list, statistics, load/release, rename, alter, truncate. */
import { ErrorCode, MilvusError } from '../../../core/errors.js';
import { encodeDescribeCollection, encodeShowCollections } from '../../../api/replies.js';
import { decodeAddedField, decodeCreateCollection, kvToRecord } from '../codecs/schema.js';
import { okStatus } from '../status.js';
import { collectionReq, dbOf, type HandlerTable } from './types.js';

function partitionNames(req: { partition_names: string[] }): { partition_names?: string[] } {
  const names = req.partition_names;
  return names.length ? { partition_names: names } : {};
}

export const collectionHandlers: HandlerTable = {
  async CreateCollection(req, ctx, env) {
    const decoded = decodeCreateCollection(req as Parameters<typeof decodeCreateCollection>[0]);
    await env.engine.catalog.createCollection({ ...decoded, collection_name: req.collection_name, db_name: dbOf(req, ctx) });
    return {};
  },

  async DropCollection(req, ctx, env) {
    await env.engine.catalog.dropCollection(collectionReq(req, ctx));
    return {};
  },

  async HasCollection(req, ctx, env) {
    return { value: env.engine.catalog.hasCollection(collectionReq(req, ctx)) };
  },

  async DescribeCollection(req, ctx, env) {
    if (req.collection_name === '') {
      throw new MilvusError(ErrorCode.ParameterInvalid, 'invalid parameter "collection_name": describing a collection by ID is not supported, give its name');
    }
    return encodeDescribeCollection(env.engine.catalog.describeCollection(collectionReq(req, ctx)));
  },

  async BatchDescribeCollection(req, ctx, env) {
    const db = dbOf(req, ctx);
    if (req.collectionID.length > 0) throw new MilvusError(ErrorCode.ParameterInvalid, 'invalid parameter "collectionID": describing collections by ID is not supported, give their names');
    // One missing collection fails the whole batch (the SDK formats every entry as a full description).
    const responses = req.collection_name.map((name) => ({ ...encodeDescribeCollection(env.engine.catalog.describeCollection({ collection_name: name, db_name: db })), status: okStatus() }));
    return { responses };
  },

  async ShowCollections(req, ctx, env) {
    const names = req.collection_names;
    const list = env.engine.catalog.showCollections({ db_name: dbOf(req, ctx), ...(names.length ? { collection_names: names } : {}) });
    return encodeShowCollections(list);
  },

  async GetCollectionStatistics(req, ctx, env) {
    return { stats: [{ key: 'row_count', value: String(env.engine.catalog.getCollectionStatistics(collectionReq(req, ctx)).rowCount) }] };
  },

  async LoadCollection(req, ctx, env) {
    // Answer once the load has started; clients poll GetLoadingProgress until it reaches 100.
    env.engine.loads.startLoad({ ...collectionReq(req, ctx), replica_number: Number(req.replica_number ?? 0), resource_groups: req.resource_groups });
    return {};
  },

  async ReleaseCollection(req, ctx, env) {
    await env.engine.loads.releaseCollection(collectionReq(req, ctx));
    return {};
  },

  async GetLoadingProgress(req, ctx, env) {
    const progress = env.engine.loads.getLoadingProgress({ ...collectionReq(req, ctx), ...partitionNames(req) });
    return { progress, refresh_progress: progress };
  },

  async GetLoadState(req, ctx, env) {
    return { state: env.engine.loads.getLoadState({ ...collectionReq(req, ctx), ...partitionNames(req) }) };
  },

  async RenameCollection(req, ctx, env) {
    const newDb = req.newDBName;
    await env.engine.catalog.renameCollection({
      collection_name: req.oldName,
      new_collection_name: req.newName,
      db_name: dbOf(req, ctx),
      ...(newDb ? { new_db_name: newDb } : {}),
    });
    return {};
  },

  async AlterCollection(req, ctx, env) {
    await env.engine.catalog.alterCollection({ ...collectionReq(req, ctx), properties: kvToRecord(req.properties), delete_keys: req.delete_keys });
    return {};
  },

  async AddCollectionField(req, ctx, env) {
    await env.engine.catalog.addCollectionField({ ...collectionReq(req, ctx), field: decodeAddedField(req.schema as Uint8Array | undefined) });
    return {};
  },

  /** The SDK's addCollectionField of an Array of Struct field: refused by the engine like every struct array field. */
  async AddCollectionStructField(req, ctx, env) {
    const s = req['struct_array_field_schema'] as { name?: unknown; nullable?: unknown } | null | undefined;
    const name = typeof s?.name === 'string' ? s.name : '';
    await env.engine.catalog.addCollectionField({ ...collectionReq(req, ctx), field: { name, data_type: 'Array', element_type: 'Struct', nullable: s?.nullable === true } });
    return {};
  },

  async AlterCollectionField(req, ctx, env) {
    await env.engine.catalog.alterCollectionField({ ...collectionReq(req, ctx), field_name: req.field_name, properties: kvToRecord(req.properties), delete_keys: req.delete_keys });
    return {};
  },

  async TruncateCollection(req, ctx, env) {
    await env.engine.catalog.truncateCollection(collectionReq(req, ctx));
    return {};
  },
};
