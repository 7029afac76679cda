/** Partition RPCs. Replies use parallel arrays (names, ids, timestamps, in-memory percentages). */
import { encodeShowPartitions } from '../../../api/replies.js';
import { collectionReq, type HandlerTable } from './types.js';

export const partitionHandlers: HandlerTable = {
  async CreatePartition(req, ctx, env) {
    await env.engine.catalog.createPartition({ ...collectionReq(req, ctx), partition_name: req.partition_name });
    return {};
  },

  async DropPartition(req, ctx, env) {
    await env.engine.catalog.dropPartition({ ...collectionReq(req, ctx), partition_name: req.partition_name });
    return {};
  },

  async HasPartition(req, ctx, env) {
    return { value: env.engine.catalog.hasPartition({ ...collectionReq(req, ctx), partition_name: req.partition_name }) };
  },

  async ShowPartitions(req, ctx, env) {
    const names = req.partition_names;
    const r = env.engine.catalog.showPartitions({ ...collectionReq(req, ctx), ...(names.length ? { partition_names: names } : {}) });
    return encodeShowPartitions(r);
  },

  async LoadPartitions(req, ctx, env) {
    env.engine.loads.startLoadPartitions({ ...collectionReq(req, ctx), partition_names: req.partition_names, replica_number: Number(req.replica_number ?? 0), resource_groups: req.resource_groups });
    return {};
  },

  async ReleasePartitions(req, ctx, env) {
    await env.engine.loads.releasePartitions({ ...collectionReq(req, ctx), partition_names: req.partition_names });
    return {};
  },

  async GetPartitionStatistics(req, ctx, env) {
    const r = env.engine.catalog.getPartitionStatistics({ ...collectionReq(req, ctx), partition_name: req.partition_name });
    return { stats: [{ key: 'row_count', value: String(r.rowCount) }] };
  },
};
