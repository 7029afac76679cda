/** `collections/*`: create (quick and full forms), describe, has, list, drop, load, release, states, rename, flush, compact, properties, fields/add, fields/alter_properties. */
import { DataType, dataTypeName, isVectorType, LoadState } from '../../core/data-type.js';
import { invalidParam } from '../../core/errors.js';
import type { FieldSchema } from '../../core/schema.js';
import type { Engine } from '../../engine/engine.js';
import type { FieldInput } from '../../engine/schema-builder.js';
import type { CreateCollectionReq } from '../../engine/requests.js';
import { consistencyName, formatCompactionState, loadStateName } from '../../api/sdk-format.js';
import { missing, keyValues, optNum, optObj, optStr, optStrList, reqStr, type Body } from './body.js';
import { collectionOf, fieldInput, indexInput, quickIdType } from './convert.js';
import type { RestContext, RestRoute } from './route.js';

type Coll = { collection_name: string; db_name: string };

/** Options under `params` shared by both create forms. */
function createOptions(body: Body): Partial<CreateCollectionReq> {
  const p = optObj(body, 'params') ?? {};
  const out: Partial<CreateCollectionReq> = {};
  const cl = p.consistencyLevel ?? body.consistencyLevel;
  if (cl !== undefined) out.consistency_level = cl as string;
  const shards = optNum(p, 'shardsNum');
  if (shards !== undefined) out.shards_num = shards;
  const parts = optNum(p, 'partitionsNum');
  if (parts !== undefined) out.num_partitions = parts;
  const props: Record<string, unknown> = { ...(optObj(body, 'properties') ?? {}) };
  const ttl = optNum(p, 'ttlSeconds');
  if (ttl !== undefined) props['collection.ttl.seconds'] = String(ttl);
  if (Object.keys(props).length > 0) out.properties = props;
  const desc = optStr(body, 'description');
  if (desc !== undefined) out.description = desc;
  return out;
}

/** Loads when every vector field has an index, as Milvus's REST create does. */
async function loadIfIndexed(engine: Engine, coll: Coll): Promise<void> {
  const meta = engine.catalog.describeCollection(coll);
  const vectors = meta.schema.fields.filter((f) => isVectorType(f.dataType));
  if (vectors.every((f) => meta.indexes.some((i) => i.fieldName === f.name))) await engine.loads.loadCollection(coll);
}

async function create(ctx: RestContext): Promise<void> {
  const { engine, body } = ctx;
  const coll = collectionOf(ctx);
  const schema = optObj(body, 'schema');
  const rawFields = schema?.fields;
  const opts = createOptions(body);
  const p = optObj(body, 'params') ?? {};
  if (Array.isArray(rawFields) && rawFields.length > 0) {
    const autoId = schema?.autoId === true || schema?.autoID === true;
    const dynamic = schema?.enableDynamicField ?? schema?.enabledDynamicField ?? p.enableDynamicField;
    const fields = rawFields.map((f, i) => fieldInput(f, i, autoId));
    const fns = schema?.functions;
    if (fns !== undefined && !Array.isArray(fns)) throw invalidParam('schema.functions', 'must be an array');
    const functions = ((fns ?? []) as Record<string, unknown>[]).map((fn) => ({
      name: fn.name,
      description: fn.description,
      type: fn.type,
      input_field_names: fn.inputFieldNames ?? fn.input_field_names,
      output_field_names: fn.outputFieldNames ?? fn.output_field_names,
      params: fn.params,
    }));
    const structs = schema?.structArrayFields ?? schema?.struct_array_fields ?? schema?.structFields;
    await engine.catalog.createCollection({
      ...coll,
      ...opts,
      fields,
      enable_dynamic_field: dynamic === true,
      ...(functions.length ? { functions } : {}),
      ...(Array.isArray(structs) ? { struct_array_fields: (structs as Record<string, unknown>[]).map((f) => ({ ...f, name: f?.fieldName ?? f?.name })) } : {}),
    });
    const indexParams = body.indexParams;
    if (indexParams !== undefined && indexParams !== null) {
      if (!Array.isArray(indexParams)) throw invalidParam('indexParams', 'must be an array');
      for (const [i, ip] of indexParams.entries()) await engine.indexes.createIndex(indexInput(ip, i, coll));
      if (indexParams.length > 0) await loadIfIndexed(engine, coll);
    }
    return;
  }
  const dim = optNum(body, 'dimension');
  if (dim === undefined) throw invalidParam('dimension', 'collections/create needs `schema.fields` or `dimension`');
  const idType = quickIdType(body.idType);
  const pk = optStr(body, 'primaryFieldName') ?? 'id';
  const vec = optStr(body, 'vectorFieldName') ?? 'vector';
  const pkField: FieldInput = { name: pk, data_type: idType, is_primary_key: true, autoID: body.autoID === true || body.autoId === true };
  if (idType === DataType.VarChar) pkField.max_length = optNum(p, 'max_length') ?? 65535;
  const dynamic = p.enableDynamicField ?? body.enableDynamicField;
  await engine.catalog.createCollection({ ...coll, ...opts, enable_dynamic_field: dynamic !== false, fields: [pkField, { name: vec, data_type: DataType.FloatVector, dim }] });
  const metric = optStr(body, 'metricType') ?? 'COSINE';
  await engine.indexes.createIndex({ ...coll, field_name: vec, index_type: 'AUTOINDEX', metric_type: metric });
  await engine.loads.loadCollection(coll);
}

function describeField(f: FieldSchema): Record<string, unknown> {
  const params: Record<string, string> = { ...f.typeParams };
  if (f.dim !== undefined && f.dataType !== DataType.SparseFloatVector) params.dim = String(f.dim);
  if (f.maxLength !== undefined) params.max_length = String(f.maxLength);
  if (f.maxCapacity !== undefined) params.max_capacity = String(f.maxCapacity);
  const out: Record<string, unknown> = {
    name: f.name,
    id: f.fieldID,
    type: dataTypeName(f.dataType),
    description: f.description,
    primaryKey: f.isPrimaryKey,
    autoId: f.autoID,
    partitionKey: f.isPartitionKey,
    clusteringKey: f.isClusteringKey,
    nullable: f.nullable,
    isFunctionOutput: f.isFunctionOutput === true,
    params: keyValues(params),
  };
  if (f.elementType !== undefined) out.elementType = dataTypeName(f.elementType);
  if (f.defaultValue !== undefined) out.defaultValue = f.defaultValue;
  return out;
}

function describe(ctx: RestContext): Record<string, unknown> {
  const coll = collectionOf(ctx);
  const meta = ctx.engine.catalog.describeCollection(coll);
  const state = ctx.engine.loads.getLoadState(coll);
  return {
    collectionName: meta.name,
    collectionID: meta.id,
    dbName: meta.dbName,
    description: meta.schema.description,
    autoId: meta.schema.fields.some((f) => f.isPrimaryKey && f.autoID),
    enableDynamicField: meta.schema.enableDynamicField,
    fields: meta.schema.fields.filter((f) => !f.isDynamic).map(describeField),
    functions: (meta.schema.functions ?? []).map((fn) => ({ name: fn.name, description: fn.description, type: fn.type, inputFieldNames: fn.inputFieldNames, outputFieldNames: fn.outputFieldNames, params: keyValues(fn.params) })),
    indexes: meta.indexes.map((i) => ({ fieldName: i.fieldName, indexName: i.indexName, metricType: i.metricType })),
    aliases: [...meta.aliases],
    load: loadStateName[state] ?? '',
    shardsNum: meta.shardsNum,
    partitionsNum: meta.partitions.length,
    consistencyLevel: consistencyName[meta.consistencyLevel] ?? 'Bounded',
    properties: keyValues(meta.properties),
    createdTime: meta.createdAt,
  };
}

function loadState(ctx: RestContext): Record<string, unknown> {
  const coll = collectionOf(ctx);
  const partition_names = optStrList(ctx.body, 'partitionNames');
  ctx.engine.catalog.describeCollection(coll); // not found → 100, as Milvus answers for LoadStateNotExist
  const req = partition_names ? { ...coll, partition_names } : coll;
  const state = ctx.engine.loads.getLoadState(req);
  if (state === LoadState.NotLoad) return { loadState: loadStateName[state] };
  return { loadState: loadStateName[state], loadProgress: ctx.engine.loads.getLoadingProgress(req) };
}

export function collectionRoutes(): [string, RestRoute][] {
  return [
    ['collections/create', create],
    ['collections/describe', describe],
    ['collections/has', (ctx) => ({ has: ctx.engine.catalog.hasCollection(collectionOf(ctx)) })],
    ['collections/list', (ctx) => ctx.engine.catalog.showCollections({ db_name: ctx.db }).map((c) => c.meta.name)],
    ['collections/drop', (ctx) => ctx.engine.catalog.dropCollection(collectionOf(ctx))],
    ['collections/truncate', (ctx) => ctx.engine.catalog.truncateCollection(collectionOf(ctx))],
    ['collections/load', (ctx) => ctx.engine.loads.loadCollection(collectionOf(ctx))],
    ['collections/refresh_load', (ctx) => ctx.engine.loads.loadCollection(collectionOf(ctx))],
    ['collections/release', (ctx) => ctx.engine.loads.releaseCollection(collectionOf(ctx))],
    ['collections/get_load_state', loadState],
    ['collections/get_stats', (ctx) => ({ rowCount: ctx.engine.catalog.getCollectionStatistics(collectionOf(ctx)).rowCount })],
    [
      'collections/rename',
      (ctx) => {
        const newDb = optStr(ctx.body, 'newDbName');
        return ctx.engine.catalog.renameCollection({ ...collectionOf(ctx), new_collection_name: reqStr(ctx.body, 'newCollectionName'), ...(newDb ? { new_db_name: newDb } : {}) });
      },
    ],
    ['collections/flush', async (ctx) => void (await ctx.engine.writes.flush({ collection_names: [collectionOf(ctx).collection_name], db_name: ctx.db }))],
    [
      'collections/compact',
      (ctx) => {
        const job = ctx.engine.jobs.compact(collectionOf(ctx));
        return { compactionID: Number(job.id), compactionPlanCount: job.planCount };
      },
    ],
    [
      'collections/get_compaction_state',
      (ctx) => {
        const raw = ctx.body.compactionID;
        if (raw === undefined || raw === null || raw === '') throw missing('compactionID');
        const job = ctx.engine.jobs.getCompactionState({ compactionID: raw });
        return { compactionID: Number(job.id), ...formatCompactionState(job) };
      },
    ],
    ['collections/fields/add', (ctx) => ctx.engine.catalog.addCollectionField({ ...collectionOf(ctx), field: fieldInput(ctx.body.schema, 0, false, 'schema') })],
    [
      'collections/fields/alter_properties',
      (ctx) => ctx.engine.catalog.alterCollectionField({ ...collectionOf(ctx), field_name: reqStr(ctx.body, 'fieldName'), properties: optObj(ctx.body, 'fieldParams') ?? {} }),
    ],
    ['collections/alter_properties', (ctx) => ctx.engine.catalog.alterCollection({ ...collectionOf(ctx), properties: optObj(ctx.body, 'properties') ?? {} })],
    ['collections/drop_properties', (ctx) => ctx.engine.catalog.alterCollection({ ...collectionOf(ctx), delete_keys: optStrList(ctx.body, 'propertyKeys') ?? optStrList(ctx.body, 'deleteKeys') ?? [] })],
  ];
}
