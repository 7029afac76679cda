/**
 * Single-node cluster RPCs, answered as Milvus standalone answers them: resource groups
 * (Create/Drop/Update/List/Describe, TransferNode, TransferReplica), GetMetrics (`system_info`) and
 * GetCompactionStateWithPlans. The engine keeps the state; these only decode and encode.
 */
import { formatCompactionPlans, metricsReply, resourceGroupToWire } from '../../../api/sdk-format.js';
import { collectionReq, type HandlerTable } from './types.js';

export const clusterHandlers: HandlerTable = {
  async CreateResourceGroup(req, _ctx, env) {
    await env.engine.resourceGroups.create(req.resource_group, req.config);
    return {};
  },

  async DropResourceGroup(req, _ctx, env) {
    await env.engine.resourceGroups.drop(req.resource_group);
    return {};
  },

  async UpdateResourceGroups(req, _ctx, env) {
    await env.engine.resourceGroups.update((req.resource_groups ?? {}) as Record<string, unknown>);
    return {};
  },

  async ListResourceGroups(_req, _ctx, env) {
    return { resource_groups: env.engine.resourceGroups.list() };
  },

  async DescribeResourceGroup(req, _ctx, env) {
    return { resource_group: resourceGroupToWire(env.engine.resourceGroups.describe(req.resource_group)) };
  },

  async TransferNode(req, _ctx, env) {
    await env.engine.resourceGroups.transferNode(req.source_resource_group, req.target_resource_group, Number(req.num_node ?? 0));
    return {};
  },

  async TransferReplica(req, ctx, env) {
    await env.engine.loads.transferReplica({
      ...collectionReq(req, ctx),
      source_resource_group: req.source_resource_group,
      target_resource_group: req.target_resource_group,
      num_replica: req.num_replica,
    });
    return {};
  },

  async GetMetrics(req, _ctx, env) {
    return metricsReply(req.request, env.version, env.startedAt);
  },

  async GetCompactionStateWithPlans(req, _ctx, env) {
    return formatCompactionPlans(env.engine.jobs.getCompactionState({ compactionID: req.compactionID }));
  },
};
