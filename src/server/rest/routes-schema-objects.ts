/** `partitions/*`, `indexes/*` and `aliases/*`. */
import { invalidParam } from '../../core/errors.js';
import { indexStateName } from '../../api/sdk-format.js';
import { missing, optObj, optStr, optStrList, reqStr, reqStrList } from './body.js';
import { collectionOf, indexInput } from './convert.js';
import type { RestContext, RestRoute } from './route.js';

function partitionOf(ctx: RestContext): { collection_name: string; db_name: string; partition_name: string } {
  return { ...collectionOf(ctx), partition_name: reqStr(ctx.body, 'partitionName') };
}

async function createIndexes(ctx: RestContext): Promise<void> {
  const coll = collectionOf(ctx);
  const list = ctx.body.indexParams;
  if (list === undefined || list === null) throw missing('indexParams');
  if (!Array.isArray(list)) throw invalidParam('indexParams', 'must be an array');
  for (const [i, ip] of list.entries()) await ctx.engine.indexes.createIndex(indexInput(ip, i, coll));
}

function describeIndex(ctx: RestContext): Record<string, unknown>[] {
  const name = optStr(ctx.body, 'indexName');
  const field = optStr(ctx.body, 'fieldName');
  return ctx.engine.indexes.describeIndex({ ...collectionOf(ctx), ...(name ? { index_name: name } : {}), ...(field ? { field_name: field } : {}) }).map((d) => ({
    indexName: d.meta.indexName,
    fieldName: d.meta.fieldName,
    indexType: d.meta.indexType,
    metricType: d.meta.metricType,
    params: { ...d.meta.params, ...d.meta.properties },
    indexState: indexStateName[d.state] ?? 'IndexStateNone',
    indexedRows: d.indexedRows,
    totalRows: d.totalRows,
    pendingRows: d.pendingRows,
    failReason: d.failReason,
  }));
}

function aliasOf(ctx: RestContext): { alias: string; db_name: string } {
  return { alias: reqStr(ctx.body, 'aliasName'), db_name: ctx.db };
}

export function schemaObjectRoutes(): [string, RestRoute][] {
  return [
    ['partitions/create', (ctx) => ctx.engine.catalog.createPartition(partitionOf(ctx))],
    ['partitions/drop', (ctx) => ctx.engine.catalog.dropPartition(partitionOf(ctx))],
    ['partitions/has', (ctx) => ({ has: ctx.engine.catalog.hasPartition(partitionOf(ctx)) })],
    ['partitions/list', (ctx) => ctx.engine.catalog.showPartitions(collectionOf(ctx)).partitions.map((p) => p.name)],
    ['partitions/get_stats', (ctx) => ({ rowCount: ctx.engine.catalog.getPartitionStatistics(partitionOf(ctx)).rowCount })],
    ['partitions/load', (ctx) => ctx.engine.loads.loadPartitions({ ...collectionOf(ctx), partition_names: reqStrList(ctx.body, 'partitionNames') })],
    ['partitions/release', (ctx) => ctx.engine.loads.releasePartitions({ ...collectionOf(ctx), partition_names: reqStrList(ctx.body, 'partitionNames') })],

    ['indexes/create', createIndexes],
    ['indexes/describe', describeIndex],
    [
      'indexes/list',
      (ctx) => {
        const field = optStr(ctx.body, 'fieldName');
        return ctx.engine.indexes.listIndexes({ ...collectionOf(ctx), ...(field ? { field_name: field } : {}) });
      },
    ],
    ['indexes/drop', (ctx) => ctx.engine.indexes.dropIndex({ ...collectionOf(ctx), index_name: reqStr(ctx.body, 'indexName') })],
    ['indexes/alter_properties', (ctx) => ctx.engine.indexes.alterIndex({ ...collectionOf(ctx), index_name: reqStr(ctx.body, 'indexName'), properties: optObj(ctx.body, 'properties') ?? {} })],
    ['indexes/drop_properties', (ctx) => ctx.engine.indexes.alterIndex({ ...collectionOf(ctx), index_name: reqStr(ctx.body, 'indexName'), delete_keys: optStrList(ctx.body, 'propertyKeys') ?? [] })],

    ['aliases/create', (ctx) => ctx.engine.catalog.createAlias({ ...aliasOf(ctx), collection_name: collectionOf(ctx).collection_name })],
    ['aliases/alter', (ctx) => ctx.engine.catalog.alterAlias({ ...aliasOf(ctx), collection_name: collectionOf(ctx).collection_name })],
    ['aliases/drop', (ctx) => ctx.engine.catalog.dropAlias(aliasOf(ctx))],
    [
      'aliases/describe',
      (ctx) => {
        const a = ctx.engine.catalog.describeAlias(aliasOf(ctx));
        return { aliasName: a.alias, collectionName: a.collection, dbName: a.dbName };
      },
    ],
    [
      'aliases/list',
      (ctx) => {
        const coll = optStr(ctx.body, 'collectionName');
        return ctx.engine.catalog.listAliases({ db_name: ctx.db, ...(coll ? { collection_name: coll } : {}) }).aliases;
      },
    ],
  ];
}

