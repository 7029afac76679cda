/**
 * Maintenance RPCs: ManualCompaction / GetCompactionState, FlushAll / GetFlushAllState,
 * GetQuerySegmentInfo, GetPersistentSegmentInfo, GetReplicas. Replies are the SDK-shaped objects
 * the embedded client returns (api/sdk-format), which encode as the declared messages.
 */
import { formatCompactionState, formatReplicas, formatSegmentInfos } from '../../../api/sdk-format.js';
import { MilvusError } from '../../../core/errors.js';
import { resolveDb } from '../context.js';
import { dbOf, type HandlerTable } from './types.js';
import type { CallContext } from '../context.js';

/** `{collection_name | collectionID, db_name}`: maintenance requests name a collection either way. */
function collectionRef(req: { collection_name?: string; collectionID?: string; db_name?: string }, ctx: CallContext): { collection_name?: string; collectionID?: string; db_name: string } {
  const name = req.collection_name;
  const id = req.collectionID;
  return { ...(name ? { collection_name: name } : {}), ...(id && id !== '0' ? { collectionID: id } : {}), db_name: dbOf(req, ctx) };
}

/** GetQuerySegmentInfo / GetPersistentSegmentInfo spell their keys in camelCase. */
function segmentReq(req: { collectionName: string; dbName: string }, ctx: CallContext): { collection_name: string; db_name: string } {
  return { collection_name: req.collectionName, db_name: resolveDb(ctx, req.dbName) };
}

export const maintenanceHandlers: HandlerTable = {
  async ManualCompaction(req, ctx, env) {
    const job = env.engine.jobs.compact(collectionRef(req, ctx));
    return { compactionID: String(job.id), compactionPlanCount: job.planCount };
  },

  async GetCompactionState(req, _ctx, env) {
    return formatCompactionState(env.engine.jobs.getCompactionState({ compactionID: req.compactionID }));
  },

  /** Every database's collections unless the request names one (the header does not narrow it). */
  async FlushAll(req, _ctx, env) {
    const db = req.db_name;
    try {
      return { flush_all_ts: String(await env.engine.jobs.flushAll(db ? { db_name: db } : {})), flush_results: [] };
    } catch (err) {
      // The failed flush's timestamp goes back with the error, so GetFlushAllState on it reports the
      // same error (the SDK's flushAllSync polls it and throws).
      return { status: MilvusError.from(err).toStatus(), flush_all_ts: String(env.engine.jobs.failedFlushAllTs() ?? 0), flush_results: [] };
    }
  },

  async GetFlushAllState(req, _ctx, env) {
    return { flushed: env.engine.jobs.getFlushAllState({ flush_all_ts: req.flush_all_ts }), flush_states: [] };
  },

  async GetQuerySegmentInfo(req, ctx, env) {
    return { infos: formatSegmentInfos(env.engine.jobs.segmentInfo(segmentReq(req, ctx), true), true) };
  },

  async GetPersistentSegmentInfo(req, ctx, env) {
    return { infos: formatSegmentInfos(env.engine.jobs.segmentInfo(segmentReq(req, ctx), false), false) };
  },

  async GetReplicas(req, ctx, env) {
    return { replicas: formatReplicas(env.engine.loads.getReplicas(collectionRef(req, ctx))) };
  },
};
