/**
 * Scenarios run unchanged against any Milvus-shaped client: the embedded `MilvusClient` and the
 * official `@zilliz/milvus2-sdk-node` client talking to `elanus serve`. Each step records a projection
 * of the response (statuses, rows, hits, names...), normalised so that transport-level encodings
 * (Int64 as string vs bigint, float32 on the wire, key order) do not count as differences. The
 * compatibility test compares the two transcripts step by step.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataType } from '../../src/core/data-type.js';
import { unexpected } from '../../src/core/errors.js';
import { randomVectors } from '../support/data.js';
import { npyBool, npyFloat32Matrix, npyFloat64, npyInt16, npyInt32, npyInt64, npyUnicode } from '../support/npy.js';

export type Res = Record<string, unknown>;
/** The methods the scenarios call; both clients have them with the SDK's shapes. */
export type AnyClient = Record<string, (req?: unknown) => Promise<unknown>>;
export type Transcript = [string, unknown][];

export interface Scenario {
  name: string;
  run(c: AnyClient, rec: (label: string, value: unknown) => void): Promise<void>;
}

/** Calls a client method; a thrown error is recorded as `{thrown}` instead of failing the scenario. */
export async function call(c: AnyClient, method: string, req?: unknown): Promise<Res> {
  const fn = c[method];
  if (typeof fn !== 'function') return { missing: method };
  try {
    return ((await fn.call(c, req)) ?? {}) as Res;
  } catch (err) {
    // The SDK throws some failure replies (createCollection, insert on a missing collection) as-is.
    if (err !== null && typeof err === 'object' && !(err instanceof Error) && ('error_code' in err || 'status' in err)) return err as Res;
    return { thrown: err instanceof Error ? err.message : String(err) };
  }
}

/** Float32 on the wire: compare non-integers at float32 precision, 5 significant digits. */
export function normalise(v: unknown): unknown {
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') return Number.isInteger(v) ? v : Number(Math.fround(v).toPrecision(5));
  if (Array.isArray(v)) return v.map(normalise);
  if (v instanceof Uint8Array) return Array.from(v);
  if (v !== null && typeof v === 'object') {
    const out: Res = {};
    for (const k of Object.keys(v).sort()) out[k] = normalise((v as Res)[k]);
    return out;
  }
  return v;
}

export function status(r: Res): unknown {
  const s = (r['status'] ?? r) as Res;
  if ('thrown' in r) return { thrown: r['thrown'] };
  return { code: s['code'], error_code: s['error_code'], reason: s['reason'] };
}

/** Query rows, as returned (dynamic keys nested under `$meta`, Int64 as strings, in both transports). */
export function rows(r: Res, key = 'data'): unknown {
  const list = (r[key] ?? []) as Res[];
  if (!Array.isArray(list)) return { notRows: r };
  return { status: status(r), rows: list };
}

export function hits(r: Res): unknown {
  const results = (r['results'] ?? []) as unknown[];
  const perQuery = (results.length > 0 && Array.isArray(results[0]) ? results : [results]) as Res[][];
  return {
    status: status(r),
    hits: perQuery,
  };
}

function names(list: unknown): string[] {
  return ((list ?? []) as unknown[]).map((x) => (typeof x === 'string' ? x : String((x as Res)['name']))).sort();
}

function describe(r: Res): unknown {
  if ((status(r) as Res)['code'] !== 0) return status(r);
  const schema = r['schema'] as Res;
  const fields = (schema['fields'] as Res[]).map((f) => ({
    name: f['name'],
    data_type: f['data_type'],
    is_primary_key: f['is_primary_key'],
    autoID: f['autoID'],
    nullable: f['nullable'],
    is_partition_key: f['is_partition_key'],
    element_type: f['element_type'],
    default_value: f['default_value'],
    type_params: Object.fromEntries(((f['type_params'] ?? []) as Res[]).map((kv) => [kv['key'], String(kv['value'])])),
  }));
  return {
    collection_name: r['collection_name'],
    enable_dynamic_field: schema['enable_dynamic_field'],
    consistency_level: r['consistency_level'],
    aliases: [...((r['aliases'] ?? []) as string[])].sort(),
    properties: r['properties'],
    fields,
  };
}

export function indexes(r: Res): unknown {
  if ((status(r) as Res)['code'] !== 0) return status(r);
  return ((r['index_descriptions'] ?? []) as Res[]).map((d) => ({
    index_name: d['index_name'],
    field_name: d['field_name'],
    params: Object.fromEntries(((d['params'] ?? []) as Res[]).map((kv) => [kv['key'], kv['value']])),
    state: d['state'],
    indexed_rows: String(d['indexed_rows']),
    total_rows: String(d['total_rows']),
  }));
}

export const DIM = 8;
export const VECTORS = randomVectors(200, DIM, 7);

export function docs(from: number, to: number): Res[] {
  const out: Res[] = [];
  for (let i = from; i < to; i++) {
    const row: Res = { id: i, vec: VECTORS[i % VECTORS.length]!, cat: i % 5, title: `doc-${i}`, rank: i / 4, flag: i % 2 === 0, tags: [i % 3, i % 7] };
    if (i % 10 === 0) row['note'] = null;
    else row['note'] = `n${i}`;
    if (i % 4 === 0) row['color'] = ['red', 'green', 'blue'][i % 3];
    out.push(row);
  }
  return out;
}

export const docFields = [
  { name: 'id', data_type: DataType.Int64, is_primary_key: true },
  { name: 'vec', data_type: DataType.FloatVector, dim: DIM },
  { name: 'cat', data_type: DataType.Int32 },
  { name: 'title', data_type: DataType.VarChar, max_length: 64 },
  { name: 'rank', data_type: DataType.Double },
  { name: 'flag', data_type: DataType.Bool },
  { name: 'tags', data_type: DataType.Array, element_type: DataType.Int64, max_capacity: 4 },
  { name: 'note', data_type: DataType.VarChar, max_length: 32, nullable: true },
];

async function docsCollection(c: AnyClient, rec: (l: string, v: unknown) => void, name: string, opts: { load?: boolean; index?: string; metric?: string } = {}): Promise<void> {
  rec('create', status(await call(c, 'createCollection', { collection_name: name, fields: docFields, enable_dynamic_field: true })));
  rec('partition', status(await call(c, 'createPartition', { collection_name: name, partition_name: 'p1' })));
  rec('insert', mutation(await call(c, 'insert', { collection_name: name, data: docs(0, 120) })));
  rec('insert p1', mutation(await call(c, 'insert', { collection_name: name, partition_name: 'p1', data: docs(120, 200) })));
  rec('index', status(await call(c, 'createIndex', { collection_name: name, field_name: 'vec', index_type: opts.index ?? 'FLAT', metric_type: opts.metric ?? 'L2', params: opts.index === 'HNSW' ? { M: 16, efConstruction: 64 } : {} })));
  if (opts.load !== false) rec('load', status(await call(c, 'loadCollection', { collection_name: name })));
}

export function mutation(r: Res): unknown {
  return { status: status(r), IDs: normalise(r['IDs']), insert_cnt: String(r['insert_cnt']), upsert_cnt: String(r['upsert_cnt']), delete_cnt: String(r['delete_cnt']) };
}

export const scenarios: Scenario[] = [
  {
    name: 'databases',
    async run(c, rec) {
      rec('create', status(await call(c, 'createDatabase', { db_name: 'compat_db' })));
      rec('create again', status(await call(c, 'createDatabase', { db_name: 'compat_db' })));
      rec('list', names(((await call(c, 'listDatabases')) as Res)['db_names']));
      rec('describe', ((await call(c, 'describeDatabase', { db_name: 'compat_db' })) as Res)['db_name']);
      rec('describe missing', status(await call(c, 'describeDatabase', { db_name: 'nope' })));
      rec('collection in db', status(await call(c, 'createCollection', { db_name: 'compat_db', collection_name: 'in_db', fields: docFields.slice(0, 2) })));
      rec('show in db', names(((await call(c, 'showCollections', { db_name: 'compat_db' })) as Res)['data']));
      rec('has in default', ((await call(c, 'hasCollection', { collection_name: 'in_db' })) as Res)['value']);
      rec('has in db', ((await call(c, 'hasCollection', { db_name: 'compat_db', collection_name: 'in_db' })) as Res)['value']);
      rec('drop non-empty db', status(await call(c, 'dropDatabase', { db_name: 'compat_db' })));
      rec('drop coll', status(await call(c, 'dropCollection', { db_name: 'compat_db', collection_name: 'in_db' })));
      rec('drop db', status(await call(c, 'dropDatabase', { db_name: 'compat_db' })));
      rec('list after', names(((await call(c, 'listDatabases')) as Res)['db_names']));
    },
  },
  {
    name: 'collections',
    async run(c, rec) {
      const fields = [
        { name: 'pk', data_type: DataType.VarChar, is_primary_key: true, max_length: 32 },
        { name: 'v', data_type: DataType.FloatVector, dim: 4 },
        { name: 'n', data_type: DataType.Int64, default_value: 7 },
        { name: 'b', data_type: DataType.BinaryVector, dim: 16 },
      ];
      rec('create', status(await call(c, 'createCollection', { collection_name: 'coll_a', fields, description: 'a test', consistency_level: 'Strong' })));
      rec('create dup', status(await call(c, 'createCollection', { collection_name: 'coll_a', fields })));
      rec('bad schema', status(await call(c, 'createCollection', { collection_name: 'coll_bad', fields: [{ name: 'pk', data_type: DataType.Int64, is_primary_key: true }, { name: 'v', data_type: DataType.FloatVector, dim: 40000 }] })));
      rec('has', ((await call(c, 'hasCollection', { collection_name: 'coll_a' })) as Res)['value']);
      rec('has missing', ((await call(c, 'hasCollection', { collection_name: 'coll_zz' })) as Res)['value']);
      rec('describe', describe(await call(c, 'describeCollection', { collection_name: 'coll_a' })));
      rec('describe missing', status(await call(c, 'describeCollection', { collection_name: 'coll_zz' })));
      rec('alter', status(await call(c, 'alterCollectionProperties', { collection_name: 'coll_a', properties: { 'collection.ttl.seconds': 60 } })));
      rec('rename', status(await call(c, 'renameCollection', { collection_name: 'coll_a', new_collection_name: 'coll_b' })));
      rec('describe renamed', describe(await call(c, 'describeCollection', { collection_name: 'coll_b' })));
      rec('show', names(((await call(c, 'showCollections')) as Res)['data']).filter((n) => n.startsWith('coll_')));
      rec('stats', ((await call(c, 'getCollectionStatistics', { collection_name: 'coll_b' })) as Res)['data']);
      rec('drop', status(await call(c, 'dropCollection', { collection_name: 'coll_b' })));
      rec('drop missing', status(await call(c, 'dropCollection', { collection_name: 'coll_b' })));
    },
  },
  {
    name: 'partitions and aliases',
    async run(c, rec) {
      await docsCollection(c, rec, 'parts', { load: false });
      rec('create p2', status(await call(c, 'createPartition', { collection_name: 'parts', partition_name: 'p2' })));
      rec('has p2', ((await call(c, 'hasPartition', { collection_name: 'parts', partition_name: 'p2' })) as Res)['value']);
      rec('has p9', ((await call(c, 'hasPartition', { collection_name: 'parts', partition_name: 'p9' })) as Res)['value']);
      rec('show', [...(((await call(c, 'showPartitions', { collection_name: 'parts' })) as Res)['partition_names'] as string[])].sort());
      rec('p1 stats', ((await call(c, 'getPartitionStatistics', { collection_name: 'parts', partition_name: 'p1' })) as Res)['data']);
      rec('load p1', status(await call(c, 'loadPartitions', { collection_name: 'parts', partition_names: ['p1'] })));
      rec('state p1', ((await call(c, 'getLoadState', { collection_name: 'parts', partition_names: ['p1'] })) as Res)['state']);
      rec('count p1', normalise(await call(c, 'count', { collection_name: 'parts' })));
      rec('release p1', status(await call(c, 'releasePartitions', { collection_name: 'parts', partition_names: ['p1'] })));
      rec('drop p2', status(await call(c, 'dropPartition', { collection_name: 'parts', partition_name: 'p2' })));
      rec('drop missing', status(await call(c, 'dropPartition', { collection_name: 'parts', partition_name: 'p2' })));
      rec('alias', status(await call(c, 'createAlias', { collection_name: 'parts', alias: 'parts_alias' })));
      rec('alias dup', status(await call(c, 'createAlias', { collection_name: 'parts', alias: 'parts_alias' })));
      const da = (await call(c, 'describeAlias', { collection_name: 'parts', alias: 'parts_alias' })) as Res;
      rec('describe alias', { alias: da['alias'], collection: da['collection'] });
      rec('list aliases', ((await call(c, 'listAliases', { collection_name: 'parts' })) as Res)['aliases']);
      rec('via alias', ((await call(c, 'hasCollection', { collection_name: 'parts_alias' })) as Res)['value']);
      rec('stats via alias', ((await call(c, 'getCollectionStatistics', { collection_name: 'parts_alias' })) as Res)['data']);
      await call(c, 'createCollection', { collection_name: 'parts2', fields: docFields.slice(0, 2) });
      rec('alter alias', status(await call(c, 'alterAlias', { collection_name: 'parts2', alias: 'parts_alias' })));
      rec('alias now', ((await call(c, 'describeAlias', { collection_name: 'parts2', alias: 'parts_alias' })) as Res)['collection']);
      rec('drop alias', status(await call(c, 'dropAlias', { alias: 'parts_alias' })));
      rec('describe dropped alias', status(await call(c, 'describeAlias', { collection_name: 'parts2', alias: 'parts_alias' })));
      await call(c, 'dropCollection', { collection_name: 'parts2' });
      await call(c, 'dropCollection', { collection_name: 'parts' });
    },
  },
  {
    name: 'insert, upsert, delete, get, query, count',
    async run(c, rec) {
      await docsCollection(c, rec, 'crud');
      rec('count', normalise(await call(c, 'count', { collection_name: 'crud' })));
      rec('count filtered', normalise(await call(c, 'count', { collection_name: 'crud', filter: 'cat == 2 and flag == true' })));
      rec('query', rows(await call(c, 'query', { collection_name: 'crud', filter: 'id < 8', output_fields: ['id', 'title', 'rank', 'flag', 'tags', 'note', 'color'] })));
      rec('query star', rows(await call(c, 'query', { collection_name: 'crud', filter: 'id in [4, 5]', output_fields: ['*'] })));
      rec('query dynamic filter', rows(await call(c, 'query', { collection_name: 'crud', filter: 'color == "red"', output_fields: ['id'], limit: 5 })));
      rec('query limit offset', rows(await call(c, 'query', { collection_name: 'crud', filter: 'cat == 1', output_fields: ['id'], limit: 3, offset: 2 })));
      rec('query template', rows(await call(c, 'query', { collection_name: 'crud', filter: 'id in {ids} and title != {t}', exprValues: { ids: [1, 2, 3], t: 'doc-2' }, output_fields: ['title'] })));
      rec('query partition', rows(await call(c, 'query', { collection_name: 'crud', filter: 'id >= 118 and id <= 122', partition_names: ['p1'], output_fields: ['id'] })));
      rec('query bad filter', status(await call(c, 'query', { collection_name: 'crud', filter: 'id <<< 3', output_fields: ['id'] })));
      rec('query bad field', status(await call(c, 'query', { collection_name: 'crud', filter: 'nosuch > 3 and id > 1', output_fields: ['id'] })));
      rec('get', rows(await call(c, 'get', { collection_name: 'crud', ids: [3, 150, 999], output_fields: ['title', 'vec'] })));
      rec('upsert', mutation(await call(c, 'upsert', { collection_name: 'crud', data: [{ ...docs(3, 4)[0]!, title: 'changed' }, ...docs(300, 302)] })));
      rec('after upsert', rows(await call(c, 'query', { collection_name: 'crud', filter: 'id in [3, 300, 301]', output_fields: ['title'] })));
      rec('delete ids', mutation(await call(c, 'delete', { collection_name: 'crud', ids: [1, 2] })));
      rec('delete filter', mutation(await call(c, 'delete', { collection_name: 'crud', filter: 'cat == 4' })));
      rec('count after delete', normalise(await call(c, 'count', { collection_name: 'crud' })));
      rec('bad insert', status(await call(c, 'insert', { collection_name: 'crud', data: [{ id: 1000, vec: [1, 2], cat: 1, title: 't', rank: 1, flag: true, tags: [] }] })));
      rec('insert missing coll', status(await call(c, 'insert', { collection_name: 'nope_coll', data: [{ id: 1 }] })));
      rec('flush', status(await call(c, 'flush', { collection_names: ['crud'] })));
      rec('count after flush', normalise(await call(c, 'count', { collection_name: 'crud' })));
      await call(c, 'releaseCollection', { collection_name: 'crud' });
      await call(c, 'dropCollection', { collection_name: 'crud' });
    },
  },
  {
    name: 'indexes, load and release',
    async run(c, rec) {
      await docsCollection(c, rec, 'idx', { load: false, index: 'HNSW', metric: 'COSINE' });
      rec('describe index', indexes(await call(c, 'describeIndex', { collection_name: 'idx', field_name: 'vec' })));
      rec('scalar index', status(await call(c, 'createIndex', { collection_name: 'idx', field_name: 'cat', index_type: 'INVERTED', index_name: 'cat_idx' })));
      rec('describe scalar', indexes(await call(c, 'describeIndex', { collection_name: 'idx', index_name: 'cat_idx' })));
      rec('describe missing', indexes(await call(c, 'describeIndex', { collection_name: 'idx', field_name: 'title' })));
      rec('state before', ((await call(c, 'getLoadState', { collection_name: 'idx' })) as Res)['state']);
      rec('search unloaded', status(await call(c, 'search', { collection_name: 'idx', data: VECTORS[0], limit: 3, output_fields: ['id'] })));
      rec('load', status(await call(c, 'loadCollection', { collection_name: 'idx' })));
      rec('state', ((await call(c, 'getLoadState', { collection_name: 'idx' })) as Res)['state']);
      rec('progress', String(((await call(c, 'getLoadingProgress', { collection_name: 'idx' })) as Res)['progress']));
      rec('drop loaded index', status(await call(c, 'dropIndex', { collection_name: 'idx', field_name: 'cat', index_name: 'cat_idx' })));
      rec('search', hits(await call(c, 'search', { collection_name: 'idx', data: VECTORS[5], limit: 5, params: { ef: 64 }, output_fields: ['id'] })));
      rec('release', status(await call(c, 'releaseCollection', { collection_name: 'idx' })));
      rec('state after', ((await call(c, 'getLoadState', { collection_name: 'idx' })) as Res)['state']);
      rec('drop index', status(await call(c, 'dropIndex', { collection_name: 'idx', field_name: 'cat', index_name: 'cat_idx' })));
      rec('load without vector index', status(await call(c, 'dropIndex', { collection_name: 'idx', field_name: 'vec' })));
      rec('list after', indexes(await call(c, 'describeIndex', { collection_name: 'idx' })));
      await call(c, 'dropCollection', { collection_name: 'idx' });
    },
  },
  {
    name: 'search',
    async run(c, rec) {
      await docsCollection(c, rec, 'srch');
      const q = VECTORS[11]!;
      // Explicit output_fields everywhere: without them the official SDK asks for "*" (every field).
      rec('basic', hits(await call(c, 'search', { collection_name: 'srch', data: q, limit: 5, output_fields: ['id'] })));
      rec('nq=3', hits(await call(c, 'search', { collection_name: 'srch', data: [VECTORS[1], VECTORS[2], VECTORS[3]], limit: 3, output_fields: ['cat'] })));
      rec('filter', hits(await call(c, 'search', { collection_name: 'srch', data: q, limit: 5, filter: 'cat in [1, 2] and rank > 10', output_fields: ['cat', 'rank'] })));
      rec('dynamic output', hits(await call(c, 'search', { collection_name: 'srch', data: q, limit: 5, filter: 'color == "red" or color == "blue"', output_fields: ['title', 'color', 'note', 'tags'] })));
      rec('partition', hits(await call(c, 'search', { collection_name: 'srch', data: q, limit: 4, partition_names: ['p1'], output_fields: ['title'] })));
      rec('offset', hits(await call(c, 'search', { collection_name: 'srch', data: q, limit: 3, offset: 2, output_fields: ['id'] })));
      rec('vector output', hits(await call(c, 'search', { collection_name: 'srch', data: q, limit: 2, output_fields: ['vec', 'flag'] })));
      rec('range', hits(await call(c, 'search', { collection_name: 'srch', data: q, limit: 50, params: { radius: 2.0, range_filter: 0.5 }, output_fields: ['id'] })));
      rec('group by', hits(await call(c, 'search', { collection_name: 'srch', data: q, limit: 3, group_by_field: 'cat', group_size: 2, output_fields: ['cat'] })));
      rec('missing field', status(await call(c, 'insert', { collection_name: 'srch', data: [{ id: 1000, vec: q, cat: 1, title: 't', flag: true, tags: [] }] })));
      rec('template', hits(await call(c, 'search', { collection_name: 'srch', data: q, limit: 3, filter: 'cat == {c}', exprValues: { c: 3 }, output_fields: ['id'] })));
      rec('wrong metric', status(await call(c, 'search', { collection_name: 'srch', data: q, limit: 3, metric_type: 'IP' })));
      rec('wrong dim', status(await call(c, 'search', { collection_name: 'srch', data: [1, 2, 3], limit: 3 })));
      rec('limit too large', status(await call(c, 'search', { collection_name: 'srch', data: q, limit: 20000 })));
      const pages: unknown[] = [];
      const it = (await call(c, 'searchIterator', { collection_name: 'srch', data: q, batchSize: 30, limit: 95, filter: 'cat != 3', output_fields: ['id'] })) as unknown as AsyncIterable<Res[]>;
      for await (const page of it) pages.push(page.map((h) => h['id']));
      rec('search iterator', pages);
      await call(c, 'releaseCollection', { collection_name: 'srch' });
      await call(c, 'dropCollection', { collection_name: 'srch' });
    },
  },
  {
    name: 'vector types and hybrid search',
    async run(c, rec) {
      const fields = [
        { name: 'id', data_type: DataType.Int64, is_primary_key: true },
        { name: 'bin', data_type: DataType.BinaryVector, dim: 16 },
        { name: 'f16', data_type: DataType.Float16Vector, dim: 4 },
        { name: 'bf16', data_type: DataType.BFloat16Vector, dim: 4 },
        { name: 'i8', data_type: DataType.Int8Vector, dim: 4 },
      ];
      rec('create', status(await call(c, 'createCollection', { collection_name: 'vtypes', fields })));
      const data = Array.from({ length: 40 }, (_, i) => ({
        id: i,
        bin: [i % 256, (i * 7) % 256],
        f16: [i / 8, -i / 16, 1, 0.5],
        bf16: [i / 4, 1, -1, i / 2],
        i8: [i - 20, 3, -3, i % 5],
      }));
      rec('insert', mutation(await call(c, 'insert', { collection_name: 'vtypes', data })));
      for (const [f, t, m] of [['bin', 'BIN_FLAT', 'HAMMING'], ['f16', 'FLAT', 'L2'], ['bf16', 'FLAT', 'IP'], ['i8', 'HNSW', 'L2']] as const) {
        rec(`index ${f}`, status(await call(c, 'createIndex', { collection_name: 'vtypes', field_name: f, index_type: t, metric_type: m, params: t === 'HNSW' ? { M: 8, efConstruction: 64 } : {} })));
      }
      rec('load', status(await call(c, 'loadCollection', { collection_name: 'vtypes' })));
      rec('search bin', hits(await call(c, 'search', { collection_name: 'vtypes', anns_field: 'bin', data: [5, 35], limit: 3, output_fields: ['id'] })));
      rec('search f16', hits(await call(c, 'search', { collection_name: 'vtypes', anns_field: 'f16', data: [1, -0.5, 1, 0.5], limit: 3, output_fields: ['f16'] })));
      rec('search bf16', hits(await call(c, 'search', { collection_name: 'vtypes', anns_field: 'bf16', data: [1, 1, -1, 2], limit: 3, output_fields: ['bf16'] })));
      rec('search i8', hits(await call(c, 'search', { collection_name: 'vtypes', anns_field: 'i8', data: [0, 3, -3, 1], limit: 3, params: { ef: 32 }, output_fields: ['i8'] })));
      rec('query vectors', rows(await call(c, 'query', { collection_name: 'vtypes', filter: 'id in [3, 9]', output_fields: ['bin', 'f16', 'bf16', 'i8'] })));
      rec(
        'hybrid',
        hits(
          await call(c, 'hybridSearch', {
            collection_name: 'vtypes',
            data: [
              { data: [1, -0.5, 1, 0.5], anns_field: 'f16' },
              { data: [0, 3, -3, 1], anns_field: 'i8', params: { ef: 32 } },
            ],
            rerank: { strategy: 'rrf', params: { k: 60 } },
            limit: 4,
            output_fields: ['id'],
          }),
        ),
      );
      await call(c, 'releaseCollection', { collection_name: 'vtypes' });
      await call(c, 'dropCollection', { collection_name: 'vtypes' });
    },
  },
  {
    name: 'maintenance and SDK helpers',
    async run(c, rec) {
      await docsCollection(c, rec, 'maint');
      const version = (await call(c, 'getVersion')) as Res;
      rec('version', { status: status(version), v2: String(version['version']).startsWith('v2.') });
      const health = (await call(c, 'checkHealth')) as Res;
      rec('health', { status: status(health), healthy: health['isHealthy'], reasons: health['reasons'] });
      rec('pk name', await call(c, 'getPkFieldName', { collection_name: 'maint' }));
      rec('pk type', await call(c, 'getPkFieldType', { collection_name: 'maint' }));
      const batch = (await call(c, 'batchDescribeCollections', { collection_names: ['maint'] })) as Res;
      rec('batch describe', { status: status(batch), responses: ((batch['responses'] ?? []) as Res[]).map(describe) });
      rec('batch describe missing', status(await call(c, 'batchDescribeCollections', { collection_names: ['maint', 'nope_coll'] })));
      rec('index statistics', indexes(await call(c, 'getIndexStatistics', { collection_name: 'maint', field_name: 'vec' })));
      rec('load partitions sync', status(await call(c, 'loadPartitionsSync', { collection_name: 'maint', partition_names: ['p1'] })));
      rec('flush', status(await call(c, 'flush', { collection_names: ['maint'] })));
      rec('delete', mutation(await call(c, 'delete', { collection_name: 'maint', ids: [0, 1, 2, 3] })));
      rec('insert more', mutation(await call(c, 'insert', { collection_name: 'maint', data: docs(200, 230) })));
      const flushAll = (await call(c, 'flushAll')) as Res;
      rec('flush all', status(flushAll));
      rec('flush all state', ((await call(c, 'getFlushAllState', { flush_all_ts: flushAll['flush_all_ts'] })) as Res)['flushed']);
      const compacted = (await call(c, 'compact', { collection_name: 'maint' })) as Res;
      rec('compact', { status: status(compacted), id: /^[1-9][0-9]*$/.test(String(compacted['compactionID'])) });
      let state: Res = {};
      for (let i = 0; i < 200; i++) {
        state = (await call(c, 'getCompactionState', { compactionID: compacted['compactionID'] })) as Res;
        if (state['state'] !== 'Executing') break;
        await new Promise((r) => setTimeout(r, 25));
      }
      rec('compaction state', { status: status(state), state: state['state'], failed: state['failedPlanNo'], keys: Object.keys(state).sort() });
      rec('unknown compaction', status(await call(c, 'getCompactionState', { compactionID: '12345' })));
      // Segment ids and memory differ between the two processes: compare rows, states and shapes.
      const segs = (r: Res): unknown => ({
        status: status(r),
        infos: ((r['infos'] ?? []) as Res[]).map((x) => ({ rows: String(x['num_rows']), state: x['state'], level: x['level'], keys: Object.keys(x).sort() })).sort((a, b) => Number(a.rows) - Number(b.rows)),
      });
      rec('persistent segments', segs(await call(c, 'getPersistentSegmentInfo', { collectionName: 'maint' })));
      rec('query segments', segs(await call(c, 'getQuerySegmentInfo', { collectionName: 'maint' })));
      const id = ((await call(c, 'describeCollection', { collection_name: 'maint' })) as Res)['collectionID'];
      const reps = (await call(c, 'getReplicas', { collectionID: id })) as Res;
      rec('replicas', { status: status(reps), replicas: ((reps['replicas'] ?? []) as Res[]).map((r) => ({ same: r['collectionID'] === String(id), partitions: (r['partition_ids'] as unknown[]).length, nodes: r['node_ids'], rg: r['resource_group_name'] })) });
      const pages: unknown[] = [];
      const it = (await call(c, 'queryIterator', { collection_name: 'maint', filter: 'cat in [1, 2]', batchSize: 25, output_fields: ['id', 'cat'] })) as unknown as AsyncIterable<Res[]>;
      for await (const page of it) pages.push({ n: page.length, first: page[0]?.['id'], last: page[page.length - 1]?.['id'] });
      rec('query iterator', pages);
      const limited: number[] = [];
      for await (const page of (await call(c, 'queryIterator', { collection_name: 'maint', batchSize: 7, limit: 20, output_fields: ['id'] })) as unknown as AsyncIterable<Res[]>) limited.push(page.length);
      rec('query iterator limit', limited);
      rec('release', status(await call(c, 'releaseCollection', { collection_name: 'maint' })));
      rec('query segments released', status(await call(c, 'getQuerySegmentInfo', { collectionName: 'maint' })));
      rec('replicas released', status(await call(c, 'getReplicas', { collectionID: id })));
      await call(c, 'dropCollection', { collection_name: 'maint' });
    },
  },
  {
    name: 'bulk import',
    async run(c, rec) {
      // Row-based JSON files on this machine, as `elanus export` and Milvus's bulk writer write them.
      const dir = mkdtempSync(join(tmpdir(), 'elanus-compat-import-'));
      const file = (name: string, rows: unknown): string => {
        const p = join(dir, name);
        writeFileSync(p, JSON.stringify(rows));
        return p;
      };
      const good1 = file('good1.json', { rows: docs(0, 150) });
      const good2 = file('good2.json', docs(150, 200)); // a bare array of rows is accepted too
      const bad = file('bad.json', { rows: [...docs(300, 310), { id: 310, vec: [1, 2], cat: 1, title: 't', rank: 1, flag: true, tags: [] }] });
      rec('create', status(await call(c, 'createCollection', { collection_name: 'bulk', fields: docFields, enable_dynamic_field: true })));
      rec('index', status(await call(c, 'createIndex', { collection_name: 'bulk', field_name: 'vec', index_type: 'FLAT', metric_type: 'L2' })));
      const wait = async (task: unknown): Promise<Res> => {
        let st: Res = {};
        for (let i = 0; i < 400; i++) {
          st = (await call(c, 'getImportState', { task })) as Res;
          if (st['state'] === 'ImportCompleted' || st['state'] === 'ImportFailed') break;
          await new Promise((r) => setTimeout(r, 25));
        }
        const infos = Object.fromEntries(((st['infos'] ?? []) as Res[]).map((kv) => [kv['key'], kv['value']]));
        return { status: status(st), state: st['state'], rows: String(st['row_count']), progress: infos['progress_percent'], failed: infos['failed_reason'] !== '' };
      };
      const ok = (await call(c, 'bulkInsert', { collection_name: 'bulk', files: [good1, good2] })) as Res;
      rec('bulk insert', { status: status(ok), tasks: ((ok['tasks'] ?? []) as unknown[]).length });
      rec('import state', await wait(((ok['tasks'] ?? []) as unknown[])[0]));
      const failing = (await call(c, 'bulkInsert', { collection_name: 'bulk', files: [good1, bad] })) as Res;
      rec('bad import state', await wait(((failing['tasks'] ?? []) as unknown[])[0]));
      const missing = (await call(c, 'bulkInsert', { collection_name: 'bulk', files: [join(dir, 'nope.json')] })) as Res;
      rec('missing file state', await wait(((missing['tasks'] ?? []) as unknown[])[0]));
      rec('no files', status(await call(c, 'bulkInsert', { collection_name: 'bulk', files: [] })));
      rec('unknown collection', status(await call(c, 'bulkInsert', { collection_name: 'nope_coll', files: [good1] })));
      const tasks = (await call(c, 'listImportTasks', { collection_name: 'bulk' })) as Res;
      rec('list tasks', { status: status(tasks), states: ((tasks['tasks'] ?? []) as Res[]).map((t) => t['state']) });
      rec('load', status(await call(c, 'loadCollection', { collection_name: 'bulk' })));
      rec('count after imports', normalise(await call(c, 'count', { collection_name: 'bulk' })));
      rec('imported rows', rows(await call(c, 'query', { collection_name: 'bulk', filter: 'id in [0, 149, 150, 199, 300]', output_fields: ['id', 'title', 'tags', 'color'] })));
      await call(c, 'releaseCollection', { collection_name: 'bulk' });
      await call(c, 'dropCollection', { collection_name: 'bulk' });
    },
  },
  {
    name: 'bulk import: CSV and Numpy files, other file types refused at submission',
    async run(c, rec) {
      // Milvus's CSV import (header row; `sep` and `nullkey` options; vectors, JSON and arrays as JSON
      // text in cells) and Numpy import (one `.npy` per field, named after it), files written here by
      // the formats' rules since the SDK's BulkWriter writes JSON and Parquet only.
      const dir = mkdtempSync(join(tmpdir(), 'elanus-compat-import2-'));
      const put = (name: string, body: string | Buffer): string => {
        const p = join(dir, name);
        writeFileSync(p, body);
        return p;
      };
      const fields = [...docFields, { name: 'info', data_type: DataType.JSON }];
      rec('create', status(await call(c, 'createCollection', { collection_name: 'bulk2', fields, enable_dynamic_field: true })));
      rec('index', status(await call(c, 'createIndex', { collection_name: 'bulk2', field_name: 'vec', index_type: 'FLAT', metric_type: 'L2' })));
      const wait = async (r: Res): Promise<Res> => {
        const task = ((r['tasks'] ?? []) as unknown[])[0];
        let st: Res = {};
        for (let i = 0; i < 400; i++) {
          st = (await call(c, 'getImportState', { task })) as Res;
          if (st['state'] === 'ImportCompleted' || st['state'] === 'ImportFailed') break;
          await new Promise((res) => setTimeout(res, 25));
        }
        const infos = Object.fromEntries(((st['infos'] ?? []) as Res[]).map((kv) => [kv['key'], kv['value']]));
        return { submitted: status(r), state: st['state'], rows: String(st['row_count']), reason: String(infos['failed_reason']).replaceAll(dir, '<dir>') };
      };
      const statusIn = (r: Res): unknown => JSON.parse(JSON.stringify(status(r)).replaceAll(dir, '<dir>')) as unknown;
      const ids = [0, 1, 2, 3, 4, 5];
      const npyDir = join(dir, 'np');
      mkdirSync(npyDir);
      const np = (name: string, body: Buffer): string => put(join('np', `${name}.npy`), body);
      const npyFiles = [
        np('id', npyInt64(ids.map((i) => BigInt(i) + 9007199254740988n))),
        np('vec', npyFloat32Matrix(ids.map((i) => VECTORS[i]!))),
        np('cat', npyInt32(ids.map((i) => i % 5))),
        np('title', npyUnicode(ids.map((i) => `np-${i}-é`))),
        np('rank', npyFloat64(ids.map((i) => i / 4))),
        np('flag', npyBool(ids.map((i) => i % 2 === 0))),
        np('tags', npyInt64(ids)),
        np('info', npyUnicode(ids.map((i) => JSON.stringify({ k: i })))),
        np('$meta', npyUnicode(ids.map((i) => JSON.stringify({ color: `c${i}` })))),
        np('unused', npyInt32(ids)),
      ];
      // Array fields cannot come from Numpy (Milvus: "unsupported importing numpy files ... Array").
      const arrayRefused = await wait((await call(c, 'bulkInsert', { collection_name: 'bulk2', files: npyFiles })) as Res);
      rec('numpy with an Array field', arrayRefused);
      assert.match(String(arrayRefused['reason']), /unsupported importing numpy files for collection with data type: Array/);
      rec('create np', status(await call(c, 'createCollection', { collection_name: 'np2', fields: fields.filter((f) => f.name !== 'tags'), enable_dynamic_field: true })));
      rec('index np', status(await call(c, 'createIndex', { collection_name: 'np2', field_name: 'vec', index_type: 'FLAT', metric_type: 'L2' })));
      const npOk = await wait((await call(c, 'bulkInsert', { collection_name: 'np2', files: npyFiles.filter((f) => !f.endsWith('tags.npy')) })) as Res);
      rec('numpy import', npOk);
      assert.equal(npOk['state'], 'ImportCompleted', String(npOk['reason']));
      assert.equal(npOk['rows'], '6');
      const badDtype = [...npyFiles.filter((f) => !f.endsWith('tags.npy') && !f.endsWith('cat.npy')), put('cat.npy', npyInt16(ids))];
      const npBad = await wait((await call(c, 'bulkInsert', { collection_name: 'np2', files: badDtype })) as Res);
      rec('numpy wrong dtype', npBad);
      assert.match(String(npBad['reason']), /expected element type 'Int32' for field 'cat', got type 'Int16'/);
      const npShort = await wait((await call(c, 'bulkInsert', { collection_name: 'np2', files: [...npyFiles.filter((f) => !f.endsWith('tags.npy') && !f.endsWith('rank.npy')), put('rank.npy', npyFloat64([1, 2]))] })) as Res);
      rec('numpy row count mismatch', npShort);
      assert.match(String(npShort['reason']), /numpy row count mismatch/);
      const npMissing = await wait((await call(c, 'bulkInsert', { collection_name: 'np2', files: npyFiles.filter((f) => !f.endsWith('tags.npy') && !f.endsWith('title.npy')) })) as Res);
      rec('numpy missing field file', npMissing);
      assert.match(String(npMissing['reason']), /no file for field: title/);
      rec('load np', status(await call(c, 'loadCollection', { collection_name: 'np2' })));
      const npRows = rows(await call(c, 'query', { collection_name: 'np2', filter: 'cat >= 0', output_fields: ['id', 'title', 'rank', 'flag', 'info', 'color', 'note'] }));
      rec('numpy rows', npRows);
      const npList = (npRows as { rows: Res[] }).rows;
      assert.equal(npList.length, 6, 'only the good job wrote rows');
      assert.deepEqual(npList.find((r) => r['id'] === '9007199254740988'), { id: '9007199254740988', title: 'np-0-é', rank: 0, flag: true, info: { k: 0 }, note: null, $meta: { color: 'c0' } });

      const q = (v: unknown): string => `"${JSON.stringify(v).replace(/"/g, '""')}"`;
      const header = 'id,vec,cat,title,rank,flag,tags,note,info,color';
      const line = (i: number, note: string): string => [i, q(VECTORS[i]), i % 5, `"csv, ${i}"`, i / 4, i % 2 === 0 ? 'true' : 'False', q([i, i + 1]), note, q({ n: i }), `k${i}`].join(',');
      const csv1 = put('rows.csv', [header, line(100, ''), line(101, 'hello'), '', line(102, '')].join('\r\n') + '\r\n');
      const tsv = put('rows-tab.csv', [header.replace(/,/g, '\t'), [103, JSON.stringify(VECTORS[3]), 3, 'tab', 0.5, '1', '[]', 'NULL', '{}', 'x'].join('\t')].join('\n'));
      const csvOk = await wait((await call(c, 'bulkInsert', { collection_name: 'bulk2', files: [csv1] })) as Res);
      rec('csv import', csvOk);
      assert.equal(csvOk['state'], 'ImportCompleted', String(csvOk['reason']));
      assert.equal(csvOk['rows'], '3');
      const tsvOk = await wait((await call(c, 'bulkInsert', { collection_name: 'bulk2', files: [tsv], options: [{ key: 'sep', value: '\t' }, { key: 'nullkey', value: 'NULL' }] })) as Res);
      rec('csv import with sep and nullkey', tsvOk);
      assert.equal(tsvOk['state'], 'ImportCompleted', String(tsvOk['reason']));
      const missingCol = put('missing.csv', 'id,vec\n1,"[1,2,3,4,5,6,7,8]"\n');
      const csvMissing = await wait((await call(c, 'bulkInsert', { collection_name: 'bulk2', files: [csv1, missingCol] })) as Res);
      rec('csv missing column', csvMissing);
      assert.match(String(csvMissing['reason']), /value of field is missed: 'cat'/);
      const badCell = put('bad-cell.csv', [header, line(110, ''), line(111, '').replace(/^111,/, 'eleven,')].join('\n'));
      const csvBad = await wait((await call(c, 'bulkInsert', { collection_name: 'bulk2', files: [badCell] })) as Res);
      rec('csv bad cell', csvBad);
      assert.match(String(csvBad['reason']), /bad-cell\.csv line 3: expected type 'Int64' for field 'id', got type 'string' with value 'eleven'/);
      const ragged = put('ragged.csv', [header, `${line(120, '')},extra`].join('\n'));
      const csvRagged = await wait((await call(c, 'bulkInsert', { collection_name: 'bulk2', files: [ragged] })) as Res);
      rec('csv ragged row', csvRagged);
      assert.match(String(csvRagged['reason']), /the number of fields in the row is not equal to the header/);
      rec('bad separator', status(await call(c, 'bulkInsert', { collection_name: 'bulk2', files: [csv1], options: [{ key: 'sep', value: '"' }] })));

      // Any other file type is refused when the job is submitted, with Milvus's ImportFailed (2100).
      const txt = put('rows.txt', 'id\n1\n');
      const refused = (await call(c, 'bulkInsert', { collection_name: 'bulk2', files: [txt] })) as Res;
      rec('txt refused', statusIn(refused));
      assert.equal((refused['status'] as Res)['code'], 2100);
      assert.equal((refused['status'] as Res)['reason'], `unexpected file type, files=[${txt}]: importing data failed`);
      rec('upper-case extension refused', statusIn(await call(c, 'bulkInsert', { collection_name: 'bulk2', files: [put('ROWS.CSV', header)] })));
      rec('one bad among good refused', statusIn(await call(c, 'bulkInsert', { collection_name: 'bulk2', files: [csv1, txt] })));

      rec('load', status(await call(c, 'loadCollection', { collection_name: 'bulk2' })));
      const csvRows = rows(await call(c, 'query', { collection_name: 'bulk2', filter: 'id >= 100', output_fields: ['id', 'cat', 'title', 'rank', 'flag', 'tags', 'note', 'info', 'color', 'vec'] }));
      rec('csv rows', csvRows);
      const got = (csvRows as { rows: Res[] }).rows;
      assert.deepEqual(got.map((r) => r['id']), ['100', '101', '102', '103'], 'the failed CSV jobs wrote nothing');
      assert.deepEqual(
        { ...got[1], vec: undefined },
        { id: '101', cat: 1, title: 'csv, 101', rank: 25.25, flag: false, tags: ['101', '102'], note: 'hello', info: { n: 101 }, $meta: { color: 'k101' }, vec: undefined },
      );
      assert.equal(got[0]!['note'], null, 'an empty cell is null for a nullable field (nullkey defaults to "")');
      assert.equal(got[3]!['note'], null, 'nullkey NULL');
      assert.deepEqual(got[3]!['tags'], []);
      await call(c, 'dropCollection', { collection_name: 'bulk2' });
      await call(c, 'dropCollection', { collection_name: 'np2' });
    },
  },
  {
    name: 'roles and grants',
    async run(c, rec) {
      const grants = (r: Res): unknown => ({ status: status(r), entities: ((r['entities'] ?? []) as Res[]).map((e) => [(e['object'] as Res)['name'], e['object_name'], e['db_name'], ((e['grantor'] as Res)['privilege'] as Res)['name']]) });
      const roleNames = (r: Res): unknown => ({ status: status(r), roles: ((r['results'] ?? []) as Res[]).map((x) => [(x['role'] as Res)['name'], ((x['users'] ?? []) as Res[]).map((u) => u['name'])]) });
      rec('create role', status(await call(c, 'createRole', { roleName: 'analyst' })));
      rec('create again', status(await call(c, 'createRole', { roleName: 'analyst' })));
      rec('create user', status(await call(c, 'createUser', { username: 'bob', password: 'bob-secret' })));
      rec('grant', status(await call(c, 'grantPrivilege', { roleName: 'analyst', object: 'Collection', objectName: 'docs', privilegeName: 'Search' })));
      rec('grant global', status(await call(c, 'grantPrivilege', { roleName: 'analyst', object: 'Global', objectName: '*', privilegeName: 'ShowCollections' })));
      rec('grant bad privilege', status(await call(c, 'grantPrivilege', { roleName: 'analyst', object: 'Collection', objectName: 'docs', privilegeName: 'Fly' })));
      rec('grant bad object name', status(await call(c, 'grantPrivilege', { roleName: 'analyst', object: 'Global', objectName: 'docs', privilegeName: 'CreateCollection' })));
      rec('grant v2', status(await call(c, 'grantPrivilegeV2', { role: 'analyst', privilege: 'Query', db_name: 'default', collection_name: '*' })));
      rec('grant to missing role', status(await call(c, 'grantPrivilege', { roleName: 'ghost', object: 'Collection', objectName: 'docs', privilegeName: 'Search' })));
      rec('add user', status(await call(c, 'addUserToRole', { username: 'bob', roleName: 'analyst' })));
      rec('add missing user', status(await call(c, 'addUserToRole', { username: 'nobody', roleName: 'analyst' })));
      const user = (await call(c, 'describeUser', { username: 'bob' })) as Res;
      rec('describe user', { status: status(user), roles: ((user['results'] ?? []) as Res[]).map((x) => ((x['roles'] ?? []) as Res[]).map((r) => r['name']).sort()) });
      rec('list grants', grants((await call(c, 'listGrants', { roleName: 'analyst' })) as Res));
      rec('select grant', grants((await call(c, 'selectGrant', { roleName: 'analyst', object: 'Collection', objectName: 'docs' })) as Res));
      rec('public grants', grants((await call(c, 'listGrants', { roleName: 'public' })) as Res));
      rec('list roles', roleNames((await call(c, 'listRoles')) as Res));
      rec('describe role', roleNames((await call(c, 'describeRole', { roleName: 'analyst' })) as Res));
      rec('has role', ((await call(c, 'hasRole', { roleName: 'analyst' })) as Res)['hasRole']);
      rec('drop with grants', status(await call(c, 'dropRole', { roleName: 'analyst' })));
      rec('drop builtin', status(await call(c, 'dropRole', { roleName: 'admin' })));
      rec('revoke', status(await call(c, 'revokePrivilege', { roleName: 'analyst', object: 'Collection', objectName: 'docs', privilegeName: 'Search' })));
      rec('revoke global', status(await call(c, 'revokePrivilege', { roleName: 'analyst', object: 'Global', objectName: '*', privilegeName: 'ShowCollections' })));
      rec('revoke v2', status(await call(c, 'revokePrivilegeV2', { role: 'analyst', privilege: 'Query', db_name: 'default', collection_name: '*' })));
      rec('remove user', status(await call(c, 'removeUserFromRole', { username: 'bob', roleName: 'analyst' })));
      rec('drop role', status(await call(c, 'dropRole', { roleName: 'analyst' })));
      rec('has role after', ((await call(c, 'hasRole', { roleName: 'analyst' })) as Res)['hasRole']);
      rec('delete user', status(await call(c, 'deleteUser', { username: 'bob' })));
    },
  },
  {
    name: 'users',
    async run(c, rec) {
      rec('create', status(await call(c, 'createUser', { username: 'alice', password: 'secret-1' })));
      rec('create dup', status(await call(c, 'createUser', { username: 'alice', password: 'secret-1' })));
      rec('short password', status(await call(c, 'createUser', { username: 'bob', password: 'x' })));
      rec('list', [...(((await call(c, 'listUsers')) as Res)['usernames'] as string[])].sort());
      rec('update wrong old', status(await call(c, 'updateUser', { username: 'alice', oldPassword: 'nope-nope', newPassword: 'secret-2' })));
      rec('update', status(await call(c, 'updateUser', { username: 'alice', oldPassword: 'secret-1', newPassword: 'secret-2' })));
      rec('delete', status(await call(c, 'deleteUser', { username: 'alice' })));
      rec('delete missing', status(await call(c, 'deleteUser', { username: 'alice' })));
      rec('delete root', status(await call(c, 'deleteUser', { username: 'root' })));
      rec('list after', [...(((await call(c, 'listUsers')) as Res)['usernames'] as string[])].sort());
    },
  },
];

/** A Milvus fact the scenario relies on: both transports must show it (not only agree). */
function must(cond: boolean, what: string, got: unknown): void {
  if (!cond) throw unexpected(`not as Milvus: ${what}; got ${JSON.stringify(got, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))}`);
}

const smallFields = [
  { name: 'id', data_type: DataType.Int64, is_primary_key: true },
  { name: 'vec', data_type: DataType.FloatVector, dim: 4 },
];

/** Issue 9's RBAC bullet: root from the first call, public, privilege groups (built-in and custom), backup/restore. */
export const rbacScenarios: Scenario[] = [
  {
    name: 'root, public, built-in and custom privilege groups, RBAC backup and restore',
    async run(c, rec) {
      const grants = (r: Res): unknown => ((r['entities'] ?? []) as Res[]).map((e) => [(e['object'] as Res)['name'], e['object_name'], e['db_name'], ((e['grantor'] as Res)['privilege'] as Res)['name']]);
      const code = (r: Res): unknown => (status(r) as Res)['code'];
      // root exists before anything lists users: granting it a role works on a fresh data directory.
      const rootGrant = await call(c, 'addUserToRole', { username: 'root', roleName: 'admin' });
      must(code(rootGrant) === 0, 'addUserToRole(root, admin) on a fresh server succeeds', rootGrant);
      rec('grant root first', status(rootGrant));
      rec('create user', status(await call(c, 'createUser', { username: 'pg_user', password: 'pg-user-pw' })));
      const toPublic = await call(c, 'addUserToRole', { username: 'pg_user', roleName: 'public' });
      must(code(toPublic) === 0, 'adding a user to public succeeds', toPublic);
      rec('add to public', status(toPublic));
      rec('remove from public', status(await call(c, 'removeUserFromRole', { username: 'pg_user', roleName: 'public' })));
      rec('create role', status(await call(c, 'createRole', { roleName: 'pg_role' })));
      // Built-in groups through grantPrivilegeV2, with Milvus's level rules.
      for (const [p, db, coll, ok] of [
        ['CollectionReadOnly', 'default', 'pg_docs', true],
        ['CollectionReadWrite', 'default', '*', true],
        ['CollectionAdmin', '*', 'pg_docs', false],
        ['DatabaseReadOnly', 'default', '*', true],
        ['DatabaseAdmin', 'default', 'pg_docs', false],
        ['ClusterReadOnly', '*', '*', true],
        ['ClusterAdmin', 'default', '*', false],
      ] as const) {
        const r = await call(c, 'grantPrivilegeV2', { role: 'pg_role', privilege: p, db_name: db, collection_name: coll });
        must((code(r) === 0) === ok, `grantPrivilegeV2 ${p} on ${db}.${coll} ${ok ? 'succeeds' : 'is refused'}`, r);
        rec(`grant ${p} ${db}.${coll}`, status(r));
      }
      rec('grant v1 of a v2 group', status(await call(c, 'grantPrivilege', { roleName: 'pg_role', object: 'Global', objectName: '*', privilegeName: 'ClusterAdmin' })));
      rec('grant unknown', status(await call(c, 'grantPrivilegeV2', { role: 'pg_role', privilege: 'NoSuchThing', db_name: '*', collection_name: '*' })));
      rec('grants', grants(await call(c, 'listGrants', { roleName: 'pg_role' })));
      // Custom groups.
      rec('create group', status(await call(c, 'createPrivilegeGroup', { group_name: 'pg_readers' })));
      rec('create again', status(await call(c, 'createPrivilegeGroup', { group_name: 'pg_readers' })));
      rec('create builtin name', status(await call(c, 'createPrivilegeGroup', { group_name: 'CollectionAdmin' })));
      rec('create bad name', status(await call(c, 'createPrivilegeGroup', { group_name: 'a&' })));
      rec('add privileges', status(await call(c, 'addPrivilegesToGroup', { group_name: 'pg_readers', privileges: ['Query', 'Search'] })));
      rec('add other level', status(await call(c, 'addPrivilegesToGroup', { group_name: 'pg_readers', privileges: ['CreateCollection'] })));
      rec('add unknown', status(await call(c, 'addPrivilegesToGroup', { group_name: 'pg_readers', privileges: ['123'] })));
      rec('add to missing group', status(await call(c, 'addPrivilegesToGroup', { group_name: 'pg_nope', privileges: ['Query'] })));
      rec('remove privilege', status(await call(c, 'removePrivilegesFromGroup', { group_name: 'pg_readers', privileges: ['Search'] })));
      const listed = (await call(c, 'listPrivilegeGroups')) as Res;
      const groups = ((listed['privilege_groups'] ?? []) as Res[]).map((g) => [g['group_name'], ((g['privileges'] ?? []) as Res[]).map((p) => p['name']).sort()]);
      must(groups.length === 10 && groups.some((g) => g[0] === 'CollectionReadOnly'), 'the 9 built-in groups are listed after the custom one', groups);
      rec('list groups', { status: status(listed), groups });
      rec('grant group', status(await call(c, 'grantPrivilegeV2', { role: 'pg_role', privilege: 'pg_readers', db_name: 'default', collection_name: '*' })));
      rec('grant group v1', status(await call(c, 'grantPrivilege', { roleName: 'pg_role', object: 'Collection', objectName: '*', privilegeName: 'pg_readers' })));
      const inUse = await call(c, 'dropPrivilegeGroup', { group_name: 'pg_readers' });
      must(code(inUse) === 1100, 'a group in use cannot be dropped', inUse);
      rec('drop in use', status(inUse));
      rec('drop missing', status(await call(c, 'dropPrivilegeGroup', { group_name: 'pg_never' })));
      // Backup, then restore into a clean RBAC state.
      const backup = (await call(c, 'backupRBAC')) as Res;
      const meta = (backup['RBAC_meta'] ?? {}) as Res;
      rec('backup', {
        status: status(backup),
        users: ((meta['users'] ?? []) as Res[]).map((u) => u['user']),
        roles: ((meta['roles'] ?? []) as Res[]).map((r) => r['name']),
        grants: ((meta['grants'] ?? []) as Res[]).length,
        groups: ((meta['privilege_groups'] ?? []) as Res[]).map((g) => g['group_name']),
      });
      rec('restore over existing', status(await call(c, 'restoreRBAC', { RBAC_meta: meta })));
      for (const p of ['CollectionReadOnly', 'CollectionReadWrite', 'DatabaseReadOnly', 'ClusterReadOnly', 'pg_readers']) {
        const db = p === 'ClusterReadOnly' ? '*' : 'default';
        const coll = p === 'CollectionReadOnly' ? 'pg_docs' : '*';
        await call(c, 'revokePrivilegeV2', { role: 'pg_role', privilege: p, db_name: db, collection_name: coll });
      }
      rec('revoke v1 group', status(await call(c, 'revokePrivilege', { roleName: 'pg_role', object: 'Collection', objectName: '*', privilegeName: 'pg_readers' })));
      rec('grants after revoke', grants(await call(c, 'listGrants', { roleName: 'pg_role' })));
      rec('drop group', status(await call(c, 'dropPrivilegeGroup', { group_name: 'pg_readers' })));
      rec('drop role', status(await call(c, 'dropRole', { roleName: 'pg_role' })));
      rec('delete user', status(await call(c, 'deleteUser', { username: 'pg_user' })));
      const restored = await call(c, 'restoreRBAC', { RBAC_meta: meta });
      must(code(restored) === 0, 'restoreRBAC into a clean state succeeds', restored);
      rec('restore', status(restored));
      rec('restored grants', grants(await call(c, 'listGrants', { roleName: 'pg_role' })));
      const user = (await call(c, 'describeUser', { username: 'pg_user' })) as Res;
      rec('restored user', ((user['results'] ?? []) as Res[]).map((x) => ((x['roles'] ?? []) as Res[]).map((r) => r['name']).sort()));
      for (const p of ['CollectionReadOnly', 'CollectionReadWrite', 'DatabaseReadOnly', 'ClusterReadOnly', 'pg_readers']) {
        const db = p === 'ClusterReadOnly' ? '*' : 'default';
        const coll = p === 'CollectionReadOnly' ? 'pg_docs' : '*';
        await call(c, 'revokePrivilegeV2', { role: 'pg_role', privilege: p, db_name: db, collection_name: coll });
      }
      await call(c, 'revokePrivilege', { roleName: 'pg_role', object: 'Collection', objectName: '*', privilegeName: 'pg_readers' });
      await call(c, 'dropPrivilegeGroup', { group_name: 'pg_readers' });
      await call(c, 'dropRole', { roleName: 'pg_role', force_drop: true });
      await call(c, 'deleteUser', { username: 'pg_user' });
    },
  },
];

/** Issue 9's single-node cluster bullet and AlterCollection's refusals. */
export const clusterScenarios: Scenario[] = [
  {
    name: 'resource groups, metrics, index properties, compaction plans, replicas, truncate, properties',
    async run(c, rec) {
      const code = (r: Res): unknown => (status(r) as Res)['code'];
      const rg = (r: Res): unknown => {
        const g = (r['resource_group'] ?? {}) as Res;
        const cfg = (g['config'] ?? {}) as Res;
        return {
          status: status(r),
          name: g['name'],
          capacity: g['capacity'],
          available: g['num_available_node'],
          loaded: g['num_loaded_replica'],
          requests: (cfg['requests'] as Res | undefined)?.['node_num'],
          limits: (cfg['limits'] as Res | undefined)?.['node_num'],
          nodes: ((g['nodes'] ?? []) as Res[]).map((n) => n['node_id']),
        };
      };
      const groups = (await call(c, 'listResourceGroups')) as Res;
      must(JSON.stringify(groups['resource_groups']) === JSON.stringify(['__default_resource_group']), 'a fresh standalone lists __default_resource_group', groups);
      rec('list groups', groups['resource_groups']);
      const dflt = (await call(c, 'describeResourceGroup', { resource_group: '__default_resource_group' })) as Res;
      must(((dflt['resource_group'] as Res)['num_available_node'] as number) === 1, 'the default group holds this node', dflt);
      rec('describe default', rg(dflt));
      rec('describe missing', status(await call(c, 'describeResourceGroup', { resource_group: 'rg_nope' })));
      rec('create', status(await call(c, 'createResourceGroup', { resource_group: 'rg_a' })));
      rec('create same', status(await call(c, 'createResourceGroup', { resource_group: 'rg_a' })));
      rec('create different', status(await call(c, 'createResourceGroup', { resource_group: 'rg_a', config: { requests: { node_num: 1 }, limits: { node_num: 1 } } })));
      rec('create bad config', status(await call(c, 'createResourceGroup', { resource_group: 'rg_b', config: { requests: { node_num: 2 }, limits: { node_num: 1 } } })));
      rec('update', status(await call(c, 'updateResourceGroups', { resource_groups: { rg_a: { requests: { node_num: 0 }, limits: { node_num: 2 } } } })));
      rec('describe rg_a', rg(await call(c, 'describeResourceGroup', { resource_group: 'rg_a' })));
      rec('transfer too many', status(await call(c, 'transferNode', { source_resource_group: '__default_resource_group', target_resource_group: 'rg_a', num_node: 2 })));
      rec('transfer node', status(await call(c, 'transferNode', { source_resource_group: '__default_resource_group', target_resource_group: 'rg_a', num_node: 1 })));
      rec('rg_a after', rg(await call(c, 'describeResourceGroup', { resource_group: 'rg_a' })));
      rec('transfer back', status(await call(c, 'transferNode', { source_resource_group: 'rg_a', target_resource_group: '__default_resource_group', num_node: 1 })));
      rec('drop with limits', status(await call(c, 'dropResourceGroup', { resource_group: 'rg_a' })));
      rec('drop default', status(await call(c, 'dropResourceGroup', { resource_group: '__default_resource_group' })));
      rec('drop missing', status(await call(c, 'dropResourceGroup', { resource_group: 'rg_nope' })));

      // Collections: replicas, transfer replica, index properties, compaction plans, truncate.
      rec('create coll', status(await call(c, 'createCollection', { collection_name: 'clu', fields: smallFields })));
      rec('index', status(await call(c, 'createIndex', { collection_name: 'clu', field_name: 'vec', index_type: 'FLAT', metric_type: 'L2', index_name: 'vec_idx' })));
      const two = await call(c, 'loadCollectionAsync', { collection_name: 'clu', replica_number: 2 });
      must(code(two) === 304, 'replica_number 2 on one node is refused with 304 (resource group node not enough)', two);
      rec('load 2 replicas', status(two));
      rec('load in missing group', status(await call(c, 'loadCollectionAsync', { collection_name: 'clu', resource_groups: ['rg_nope'] })));
      rec('load in empty group', status(await call(c, 'loadCollectionAsync', { collection_name: 'clu', resource_groups: ['rg_a'] })));
      rec('alter index', status(await call(c, 'alterIndexProperties', { collection_name: 'clu', index_name: 'vec_idx', params: { 'mmap.enabled': true } })));
      rec('alter index bad key', status(await call(c, 'alterIndexProperties', { collection_name: 'clu', index_name: 'vec_idx', params: { nlist: 4 } })));
      rec('alter missing index', status(await call(c, 'alterIndexProperties', { collection_name: 'clu', index_name: 'nope_idx', params: { 'mmap.enabled': true } })));
      const described = (await call(c, 'describeIndex', { collection_name: 'clu', index_name: 'vec_idx' })) as Res;
      const params = Object.fromEntries(((((described['index_descriptions'] ?? []) as Res[])[0]?.['params'] ?? []) as Res[]).map((kv) => [kv['key'], kv['value']]));
      must(params['mmap.enabled'] === 'true', 'describeIndex shows mmap.enabled', params);
      rec('describe index', params);
      rec('drop index property', status(await call(c, 'dropIndexProperties', { collection_name: 'clu', index_name: 'vec_idx', properties: ['mmap.enabled'] })));
      rec('index after drop', indexes(await call(c, 'describeIndex', { collection_name: 'clu', index_name: 'vec_idx' })));
      rec('load', status(await call(c, 'loadCollection', { collection_name: 'clu' })));
      rec('default after load', rg(await call(c, 'describeResourceGroup', { resource_group: '__default_resource_group' })));
      rec('alter index loaded', status(await call(c, 'alterIndexProperties', { collection_name: 'clu', index_name: 'vec_idx', params: { 'mmap.enabled': true } })));
      rec('transfer replica no node', status(await call(c, 'transferReplica', { source_resource_group: '__default_resource_group', target_resource_group: 'rg_a', collection_name: 'clu', num_replica: 1 })));
      for (let i = 0; i < 3; i++) {
        await call(c, 'insert', { collection_name: 'clu', data: [{ id: i, vec: [i, 1, 0, 0] }, { id: i + 10, vec: [i, 0, 1, 0] }] });
        await call(c, 'flush', { collection_names: ['clu'] });
      }
      const job = (await call(c, 'compact', { collection_name: 'clu' })) as Res;
      let plans: Res = {};
      for (let i = 0; i < 200; i++) {
        plans = (await call(c, 'getCompactionStateWithPlans', { compactionID: job['compactionID'] })) as Res;
        if (plans['state'] !== 'Executing') break;
        await new Promise((r) => setTimeout(r, 25));
      }
      const merges = (plans['mergeInfos'] ?? []) as Res[];
      // Background compaction may have merged the flushed segments first: then the plan list is empty.
      must(plans['state'] === 'Completed' && merges.every((m) => (m['sources'] as unknown[]).length >= 2 && /^[0-9]+$/.test(String(m['target']))), 'each plan merges segments into one', plans);
      rec('compaction plans', { status: status(plans), state: plans['state'], keys: Object.keys(plans).sort() });
      rec('plans unknown', status(await call(c, 'getCompactionStateWithPlans', { compactionID: '12345' })));
      const truncated = (await call(c, 'truncateCollection', { collection_name: 'clu' })) as Res;
      must(code(truncated) === 0 && 'status' in truncated, 'truncateCollection answers a TruncateCollectionResponse with Success', truncated);
      rec('truncate', status(truncated));
      rec('count after truncate', normalise(await call(c, 'count', { collection_name: 'clu' })));
      rec('truncate missing', status(await call(c, 'truncateCollection', { collection_name: 'clu_nope' })));
      // AlterCollection with neither properties nor keys (LangChain's setProperties({key: null})), or both.
      const empty = await call(c, 'alterCollectionProperties', { collection_name: 'clu', properties: {} });
      must(code(empty) === 1100, 'AlterCollection with no properties and no delete keys is refused (1100)', empty);
      rec('alter nothing', status(empty));
      rec('alter', status(await call(c, 'alterCollectionProperties', { collection_name: 'clu', properties: { 'collection.ttl.seconds': 60 } })));
      rec('drop nothing', status(await call(c, 'dropCollectionProperties', { collection_name: 'clu', properties: [] })));
      rec('drop property', status(await call(c, 'dropCollectionProperties', { collection_name: 'clu', properties: ['collection.ttl.seconds'] })));
      rec('properties after', ((await call(c, 'describeCollection', { collection_name: 'clu' })) as Res)['properties']);
      await call(c, 'releaseCollection', { collection_name: 'clu' });
      await call(c, 'dropCollection', { collection_name: 'clu' });
      rec('limits 0', status(await call(c, 'updateResourceGroups', { resource_groups: { rg_a: { requests: { node_num: 0 }, limits: { node_num: 0 } } } })));
      rec('drop rg_a', status(await call(c, 'dropResourceGroup', { resource_group: 'rg_a' })));
      // Database properties: dropping removes them.
      rec('create db', status(await call(c, 'createDatabase', { db_name: 'clu_db', properties: { 'database.replica.number': 1, 'database.max.collections': 10 } })));
      rec('drop db property', status(await call(c, 'dropDatabaseProperties', { db_name: 'clu_db', properties: ['database.max.collections'] })));
      const db = (await call(c, 'describeDatabase', { db_name: 'clu_db' })) as Res;
      const props = ((db['properties'] ?? []) as Res[]).map((kv) => kv['key']);
      must(!props.includes('database.max.collections') && props.includes('database.replica.number'), 'dropDatabaseProperties removes the key', db);
      rec('db properties', props);
      await call(c, 'dropDatabase', { db_name: 'clu_db' });
      // GetMetrics: the system_info JSON the SDK parses.
      const metrics = (await call(c, 'getMetric', { request: { metric_type: 'system_info' } })) as Res;
      const nodes = (((metrics['response'] ?? {}) as Res)['nodes_info'] ?? []) as Res[];
      const types = nodes.map((n) => (n['infos'] as Res)['type']);
      must(code(metrics) === 0 && types.includes('proxy') && types.includes('querynode'), 'getMetric(system_info) parses into a topology with proxy and querynode', metrics);
      rec('metrics', { status: status(metrics), component: metrics['component_name'], types, mode: ((nodes[0]?.['infos'] as Res | undefined)?.['system_info'] as Res | undefined)?.['deploy_mode'] });
    },
  },
];

export async function runScenario(c: AnyClient, s: Scenario): Promise<Transcript> {
  const out: Transcript = [];
  await s.run(c, (label, value) => out.push([label, normalise(value)]));
  return out;
}
