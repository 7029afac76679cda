/**
 * Index RPCs. CreateIndex's `extra_params` KV carries `index_type`, `metric_type` and `params` (a JSON
 * string); any other key (old clients send e.g. `nlist` flat) is folded into params.
 */
import { IndexState } from '../../../core/data-type.js';
import { invalidParam } from '../../../core/errors.js';
import { encodeIndexDescription } from '../../../api/replies.js';
import { kvToRecord } from '../codecs/schema.js';
import { collectionReq, type HandlerTable } from './types.js';

function parseJsonParams(text: string, what: string): Record<string, unknown> {
  if (text.trim() === '') return {};
  try {
    const v = JSON.parse(text) as unknown;
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw invalidParam(what, `must be a JSON object, got ${JSON.stringify(text.slice(0, 80))}`);
}

export function decodeIndexParams(list: { key: string; value: string }[]): { index_type?: string; metric_type?: string; params: Record<string, unknown> } {
  const out: { index_type?: string; metric_type?: string; params: Record<string, unknown> } = { params: {} };
  for (const [k, v] of Object.entries(kvToRecord(list))) {
    if (k === 'index_type') out.index_type = v;
    else if (k === 'metric_type') out.metric_type = v;
    else if (k === 'params') Object.assign(out.params, parseJsonParams(v, 'extra_params.params'));
    else out.params[k] = /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v;
  }
  return out;
}

function indexReq(req: { field_name?: string; index_name: string }, base: { collection_name: string; db_name: string }): { collection_name: string; db_name: string; field_name?: string; index_name?: string } {
  const fieldName = req.field_name;
  const indexName = req.index_name;
  return { ...base, ...(fieldName ? { field_name: fieldName } : {}), ...(indexName ? { index_name: indexName } : {}) };
}

export const indexHandlers: HandlerTable = {
  async CreateIndex(req, ctx, env) {
    const p = decodeIndexParams(req.extra_params);
    await env.engine.indexes.createIndex({
      ...collectionReq(req, ctx),
      field_name: req.field_name,
      ...(req.index_name ? { index_name: req.index_name } : {}),
      ...(p.index_type ? { index_type: p.index_type } : {}),
      ...(p.metric_type ? { metric_type: p.metric_type } : {}),
      params: p.params,
    });
    return {};
  },

  async DescribeIndex(req, ctx, env) {
    return { index_descriptions: env.engine.indexes.describeIndex(indexReq(req, collectionReq(req, ctx))).map(encodeIndexDescription) };
  },

  async GetIndexStatistics(req, ctx, env) {
    return { index_descriptions: env.engine.indexes.describeIndex(indexReq(req, collectionReq(req, ctx))).map(encodeIndexDescription) };
  },

  async GetIndexState(req, ctx, env) {
    const d = env.engine.indexes.describeIndex(indexReq(req, collectionReq(req, ctx)))[0];
    return { state: d ? d.state : IndexState.None, fail_reason: d?.failReason ?? '' };
  },

  async GetIndexBuildProgress(req, ctx, env) {
    const d = env.engine.indexes.describeIndex(indexReq(req, collectionReq(req, ctx)))[0];
    return { indexed_rows: d?.indexedRows ?? 0, total_rows: d?.totalRows ?? 0 };
  },

  async DropIndex(req, ctx, env) {
    await env.engine.indexes.dropIndex(indexReq(req, collectionReq(req, ctx)));
    return {};
  },

  /** alterIndexProperties sends `extra_params`, dropIndexProperties `delete_keys` (both AlterIndex). */
  async AlterIndex(req, ctx, env) {
    await env.engine.indexes.alterIndex({ ...collectionReq(req, ctx), index_name: req.index_name, properties: kvToRecord(req.extra_params), delete_keys: req.delete_keys });
    return {};
  },
};
