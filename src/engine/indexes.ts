/**
 * The index service: createIndex (vector specs resolved by the index layer, scalar types by
 * index/scalar), describe, list, drop and alter. Builds run in each collection's IndexManager.
 */
import { isVectorType, LoadState } from '../core/data-type.js';
import { ErrorCode, MilvusError, indexNotFound, invalidParam, milvusInvalidParam } from '../core/errors.js';
import type { FieldSchema } from '../core/schema.js';
import type { IndexMeta } from '../storage/index.js';
import { keptIndexParams, resolveVectorIndexSpec } from '../index/index.js';
import { checkScalarIndexParams, resolveScalarIndexType } from '../index/scalar/index.js';
import type { CollectionRuntime } from './collection-runtime.js';
import type { CollectionReq, CreateIndexReq, IndexReq } from './requests.js';
import { stringProps, type EngineContext } from './context.js';

/** Index properties AlterIndex may set or drop (Milvus's indexparams.IsConfigableIndexParam; warmup* too). */
const CONFIGURABLE_INDEX_KEYS = new Set(['mmap.enabled', 'indexoffsetcache.enabled']);

function scalarIndexMeta(field: FieldSchema, indexType: string, indexName: string, params: Record<string, unknown>): IndexMeta {
  const type = resolveScalarIndexType(indexType, field);
  checkScalarIndexParams(type, params);
  return { indexID: 0, indexName, fieldName: field.name, indexType: type, metricType: '', params, createdAt: Date.now() };
}

/** Builds the new index on every segment (in the background). */
function ensureIndex(rt: CollectionRuntime, meta: IndexMeta): void {
  rt.indexes.ensureAll(meta);
}

export class IndexService {
  constructor(private readonly ctx: EngineContext) {}


  async createIndex(req: CreateIndexReq): Promise<void> {
    const rt = this.ctx.runtime(req);
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
      meta = scalarIndexMeta(field, indexType, indexName, params);
    }
    const existing = rt.meta.indexes.find((i) => i.fieldName === field.name);
    if (existing) {
      const same = existing.indexType === meta.indexType && existing.metricType === meta.metricType && existing.indexName === meta.indexName && JSON.stringify(existing.params) === JSON.stringify(meta.params);
      if (same) return; // Milvus treats an identical createIndex as a no-op.
      throw new MilvusError(ErrorCode.IndexDuplicate, `at most one distinct index is allowed per field; field "${field.name}" already has index "${existing.indexName}" (${existing.indexType}); drop it first`);
    }
    if (rt.meta.indexes.some((i) => i.indexName === indexName)) throw new MilvusError(ErrorCode.IndexDuplicate, `index name "${indexName}" is already used in collection "${rt.meta.name}"`);
    meta.indexID = this.ctx.dir.allocId();
    await this.ctx.change(() => {
      rt.meta.indexes.push(meta);
    });
    ensureIndex(rt, rt.meta.indexes.find((i) => i.indexID === meta.indexID)!);
  }

  private findIndex(rt: CollectionRuntime, req: IndexReq): IndexMeta[] {
    let found = rt.meta.indexes;
    if (req.index_name) found = found.filter((i) => i.indexName === req.index_name);
    if (req.field_name) found = found.filter((i) => i.fieldName === req.field_name);
    if (found.length === 0) throw indexNotFound(`collection=${rt.meta.name}${req.field_name ? `, field=${req.field_name}` : ''}${req.index_name ? `, index=${req.index_name}` : ''}`);
    return found;
  }

  describeIndex(req: IndexReq): { meta: IndexMeta; indexedRows: number; totalRows: number; pendingRows: number; state: number; failReason: string }[] {
    const rt = this.ctx.runtime(req);
    return this.findIndex(rt, req).map((meta) => ({ meta, ...rt.indexes.progress(meta) }));
  }

  listIndexes(req: CollectionReq & { field_name?: string }): string[] {
    const rt = this.ctx.runtime(req);
    return rt.meta.indexes.filter((i) => !req.field_name || i.fieldName === req.field_name).map((i) => i.indexName);
  }

  async dropIndex(req: IndexReq): Promise<void> {
    const rt = this.ctx.runtime(req);
    const found = this.findIndex(rt, req);
    if (rt.load.state !== LoadState.NotLoad) throw invalidParam('index_name', `collection "${rt.meta.name}" is loaded; release it before dropping an index`);
    await this.ctx.change(() => {
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
    const rt = this.ctx.runtime(req);
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
    await this.ctx.commit();
  }

}
