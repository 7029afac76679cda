/**
 * Parity suite: every row of `parity-table.ts` through the embedded client, the official SDK over gRPC
 * (a served process) and the SDK's HttpClient over REST (a second served process), asserting the same
 * code, message and result. Results are projected per kind, and scalars canonicalised, so that the
 * transports' encodings (Int64 as string or number, float32 on the wire, `$meta` nested or flat,
 * `score` vs `distance`) do not count as differences; what is left must be equal.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HttpClient, MilvusClient as SdkClient } from '@zilliz/milvus2-sdk-node';
import { MilvusClient } from '../../src/index.js';
import { DataType } from '../../src/core/data-type.js';
import { startServe, type ServedProcess } from '../server/spawn-server.js';
import { ALIAS, C, COLD, DIM, mainFields, N, S, seedRows, table, vec, type Kind, type Row } from './parity-table.js';

type Res = Record<string, unknown>;
type Client = Record<string, (req?: unknown) => Promise<unknown>>;

let grpcServed: ServedProcess;
let restServed: ServedProcess;
let sdk: SdkClient;
let restSetup: SdkClient;
let http: HttpClient;
let embedded: MilvusClient;
let embeddedDir: string;

async function call(c: Client, method: string, req: unknown): Promise<Res> {
  const fn = c[method];
  if (typeof fn !== 'function') return { thrown: `no method ${method}` };
  try {
    return ((await fn.call(c, req)) ?? {}) as Res;
  } catch (err) {
    // The SDK throws some failure replies (a failed createCollection, an insert into a missing collection) as they are.
    if (err !== null && typeof err === 'object' && !(err instanceof Error) && ('error_code' in err || 'status' in err)) return { ...(err as Res), threw: true };
    return { thrown: err instanceof Error ? err.message : String(err) };
  }
}

async function ok(c: Client, method: string, req: unknown): Promise<void> {
  const r = await call(c, method, req);
  const s = (r['status'] ?? r) as Res;
  assert.equal(s['code'] ?? (s['error_code'] === 'Success' ? 0 : -1), 0, `${method}: ${JSON.stringify(r).slice(0, 300)}`);
}

/** The same starting data on every transport (the REST process is set up through its gRPC port). */
async function seed(c: Client): Promise<void> {
  await ok(c, 'createCollection', { collection_name: C, fields: mainFields, enable_dynamic_field: true });
  await ok(c, 'createPartition', { collection_name: C, partition_name: 'p1' });
  const rows = seedRows();
  await ok(c, 'insert', { collection_name: C, data: rows.slice(0, 20) });
  await ok(c, 'insert', { collection_name: C, partition_name: 'p1', data: rows.slice(20) });
  await ok(c, 'createIndex', { collection_name: C, field_name: 'v', index_name: 'v_idx', index_type: 'FLAT', metric_type: 'L2' });
  await ok(c, 'loadCollection', { collection_name: C });
  await ok(c, 'createCollection', { collection_name: S, fields: [{ name: 'sid', data_type: DataType.VarChar, is_primary_key: true, max_length: 16 }, { name: 'v', data_type: DataType.FloatVector, dim: DIM }] });
  await ok(c, 'insert', { collection_name: S, data: Array.from({ length: 10 }, (_, i) => ({ sid: `s${i}`, v: vec(i * 3) })) });
  await ok(c, 'createIndex', { collection_name: S, field_name: 'v', index_type: 'FLAT', metric_type: 'L2' });
  await ok(c, 'loadCollection', { collection_name: S });
  await ok(c, 'createCollection', { collection_name: COLD, fields: [{ name: 'id', data_type: DataType.Int64, is_primary_key: true }, { name: 'v', data_type: DataType.FloatVector, dim: DIM }] });
  await ok(c, 'insert', { collection_name: COLD, data: Array.from({ length: N }, (_, i) => ({ id: i, v: vec(i) })) });
  await ok(c, 'createAlias', { collection_name: C, alias: ALIAS });
}

before(async () => {
  [grpcServed, restServed] = await Promise.all([startServe(['--no-rest', '--no-metrics']), startServe(['--no-metrics'])]);
  sdk = new SdkClient({ address: grpcServed.address, logLevel: 'error' } as ConstructorParameters<typeof SdkClient>[0]);
  restSetup = new SdkClient({ address: restServed.address, logLevel: 'error' } as ConstructorParameters<typeof SdkClient>[0]);
  await Promise.all([sdk.connectPromise, restSetup.connectPromise]);
  http = new HttpClient({ endpoint: `http://${restServed.restAddress!}` });
  embeddedDir = mkdtempSync(join(tmpdir(), 'elanus-parity-'));
  embedded = new MilvusClient({ address: embeddedDir });
  await seed(embedded as unknown as Client);
  await seed(sdk as unknown as Client);
  await seed(restSetup as unknown as Client);
});

after(async () => {
  await sdk?.closeConnection();
  await restSetup?.closeConnection();
  await embedded?.close();
  if (embeddedDir) rmSync(embeddedDir, { recursive: true, force: true });
  for (const s of [grpcServed, restServed]) {
    const code = await s?.stop();
    assert.equal(code, 0, `elanus serve exited with ${code}:\n${s?.output()}`);
  }
});

// ---------------------------------------------------------------- projections

/** Scalars as canonical strings: Int64 as string or number, float32 on the wire at 5 significant digits. */
function canon(v: unknown): unknown {
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(Number(Math.fround(v).toPrecision(5)));
  if (v === undefined) return undefined;
  if (typeof v === 'string' && /^-?\d+$/.test(v)) return v;
  if (Array.isArray(v)) return v.map(canon);
  if (v instanceof Uint8Array) return Array.from(v).map(canon);
  if (v !== null && typeof v === 'object') {
    const out: Res = {};
    // A key holding undefined is as absent as a missing one (nothing a JSON reader could tell apart).
    for (const k of Object.keys(v).sort()) if ((v as Res)[k] !== undefined) out[k] = canon((v as Res)[k]);
    return out;
  }
  return v;
}

/** A row with its dynamic keys flat (the SDK nests them under `$meta`, REST flattens them). */
function flat(r: Res): Res {
  const { $meta, ...rest } = r as { $meta?: Res };
  return { ...rest, ...($meta ?? {}) };
}

type Transport = 'embedded' | 'grpc' | 'rest';

/** Code and message; for the SDK-shaped clients also whether the reply was thrown (the SDK throws some failures). */
function outcome(t: Transport, r: Res): { code: unknown; message: unknown; threw?: boolean } {
  if ('thrown' in r) return { code: 'thrown', message: r['thrown'], threw: true };
  if (t === 'rest') return { code: r['code'], message: r['code'] === 0 ? '' : r['message'] };
  const s = (r['status'] ?? r) as Res;
  return { code: s['code'], message: s['code'] === 0 ? '' : s['reason'], threw: r['threw'] === true };
}

function hitLists(t: Transport, r: Res): Res[][] {
  if (t === 'rest') {
    const data = (r['data'] ?? []) as Res[] | Res[][];
    // The HttpClient splits the hits per query itself when there are several.
    if (data.length > 0 && Array.isArray(data[0])) return (data as Res[][]).map((q) => q.map(({ distance, ...h }) => ({ ...h, score: distance })));
    const flatData = data as Res[];
    const topks = (r['topks'] as number[] | undefined) ?? [flatData.length];
    const out: Res[][] = [];
    let at = 0;
    for (const k of topks) {
      out.push(flatData.slice(at, at + k).map(({ distance, ...h }) => ({ ...h, score: distance })));
      at += k;
    }
    return out;
  }
  const results = (r['results'] ?? []) as unknown[];
  return (results.length > 0 && Array.isArray(results[0]) ? results : [results]) as Res[][];
}

function result(kind: Kind, t: Transport, method: string, r: Res): unknown {
  const data = r['data'] as unknown;
  switch (kind) {
    case 'status':
      return null;
    case 'hits':
      return hitLists(t, r).map((q) => q.map((h) => canon(flat(h))));
    case 'rows':
      return ((data ?? []) as Res[]).map((row) => canon(flat(row)));
    case 'count':
      if (method === 'query') return canon(((data ?? []) as Res[])[0]?.['count(*)']);
      if (t === 'rest') return canon((data as Res | undefined)?.['rowCount']);
      return canon((data as Res | undefined)?.['row_count']);
    case 'names':
      if (t === 'rest') return [...((data ?? []) as string[])].sort();
      assert.deepEqual([...((r['collection_names'] ?? []) as string[])].sort(), ((data ?? []) as Res[]).map((c) => String(c['name'])).sort(), 'collection_names lists the same collections as data');
      return ((data ?? []) as Res[]).map((c) => String(c['name'])).sort();
    case 'has':
      return t === 'rest' ? (data as Res | undefined)?.['has'] : r['value'];
    case 'fields': {
      if (t === 'rest') {
        const d = data as Res;
        return { name: d['collectionName'], db: d['dbName'], fields: ((d['fields'] ?? []) as Res[]).map((f) => `${String(f['name'])}:${String(f['type'])}${f['nullable'] === true ? '?' : ''}`) };
      }
      const schema = r['schema'] as Res;
      return { name: r['collection_name'], db: schema['dbName'], fields: ((schema['fields'] ?? []) as Res[]).map((f) => `${String(f['name'])}:${String(f['data_type'])}${f['nullable'] === true ? '?' : ''}`) };
    }
    case 'mutation': {
      if (t === 'rest') {
        const d = (data ?? {}) as Res;
        return canon({ count: d['insertCount'] ?? d['upsertCount'] ?? d['deleteCount'], ids: d['insertIds'] ?? d['upsertIds'] });
      }
      const count = method === 'delete' ? r['delete_cnt'] : method === 'upsert' ? r['upsert_cnt'] : r['insert_cnt'];
      const ids = method === 'delete' ? undefined : (((r['IDs'] as Res | undefined)?.['int_id'] ?? (r['IDs'] as Res | undefined)?.['str_id']) as Res | undefined)?.['data'];
      return canon({ count, ids });
    }
    case 'indexes':
      if (method === 'listIndexes') return t === 'rest' ? data : r['indexes'];
      if (t === 'rest') return ((data ?? []) as Res[]).map((d) => [d['indexName'], d['fieldName'], d['indexType'], d['metricType'] ?? '']);
      return ((r['index_descriptions'] ?? []) as Res[]).map((d) => {
        const p = Object.fromEntries(((d['params'] ?? []) as Res[]).map((kv) => [kv['key'], kv['value']]));
        return [d['index_name'], d['field_name'], p['index_type'], p['metric_type'] ?? ''];
      });
    case 'partitions':
      if (t === 'rest') return [...((data ?? []) as string[])].sort();
      assert.deepEqual(((r['data'] ?? []) as Res[]).map((p) => p['name']), r['partition_names'], 'showPartitions data lists the same partitions');
      return [...((r['partition_names'] ?? []) as string[])].sort();
    case 'load':
      if (method === 'getLoadingProgress') return r['progress'];
      return t === 'rest' ? (data as Res | undefined)?.['loadState'] : r['state'];
  }
}

function view(row: Row, t: Transport, method: string, r: Res): Res {
  const o = outcome(t, r);
  return o.code === 0 ? { ...o, result: result(row.kind, t, method, r) } : o;
}

/** The same view without the SDK-only `threw` flag, to hold against REST. */
function restless(v: Res): Res {
  const { threw: _t, ...rest } = v;
  return rest;
}

test(`parity table has at least 150 requests (${table.length})`, () => {
  assert.ok(table.length >= 150);
  assert.equal(new Set(table.map((r) => r.name)).size, table.length, 'row names are unique');
});

for (const row of table) {
  test(`parity: ${row.name}`, async () => {
    const [method, req] = row.sdk;
    const e = view(row, 'embedded', method, await call(embedded as unknown as Client, method, structuredClone(req)));
    const g = view(row, 'grpc', method, await call(sdk as unknown as Client, method, structuredClone(req)));
    let r: Res | undefined;
    if (row.rest) {
      const [rm, body] = row.rest;
      r = view(row, 'rest', method, await call(http as unknown as Client, rm, structuredClone(body)));
    } else {
      // REST has no such call or shape: the same request through the REST process's gRPC port keeps its data alike.
      await call(restSetup as unknown as Client, method, structuredClone(req));
    }
    if (row.sdkLimit === 'sdk-crashes') {
      assert.match(String(g['message']), /Cannot read properties of undefined/, 'the SDK crashes on this request');
      assert.notEqual(e['code'], 0, 'the embedded client refuses it with a status');
      assert.equal(e['threw'], false);
      if (r) assert.deepEqual(r, restless(e), 'REST and embedded differ');
      return;
    }
    if (row.sdkLimit === 'sdk-coerces') {
      if (row.undo) for (const c of [sdk, restSetup]) await call(c as unknown as Client, row.undo[0], structuredClone(row.undo[1]));
      assert.equal(g['code'], 0, 'the SDK sent a coerced, valid request');
      assert.equal(e['code'], 1100, `the embedded client refuses the value: ${JSON.stringify(e)}`);
      assert.match(String(e['message']), /invalid parameter/);
      if (r) assert.deepEqual(r, restless(e), 'REST and embedded differ');
      return;
    }
    assert.deepEqual(e, g, 'embedded and gRPC differ');
    if (!r) return;
    // Where the SDK throws a server failure as `Error('ErrorCode: <name>. Reason: <reason>')`, REST answers that reason.
    const reason = g['code'] === 'thrown' ? /^ErrorCode: \w+\. Reason: ([\s\S]*)$/.exec(String(g['message'])) : null;
    if (reason) {
      assert.notEqual(r['code'], 0, 'REST fails too');
      assert.equal(r['message'], reason[1], 'REST and gRPC differ');
    } else assert.deepEqual(r, restless(g), 'REST and gRPC differ');
  });
}
