/**
 * Spatial filters and the RTREE index through all three transports: the embedded `MilvusClient`, the
 * official SDK over gRPC and the SDK's `HttpClient` over REST against a real `elanus serve` process.
 * A collection with a GEOMETRY field gets points and polygons (sealed by a flush where the transport
 * has one), is filtered with every ST_ function, gets an RTREE, and is filtered again: the same rows
 * everywhere, with and without the index. The refusals — RTREE on a VarChar field, INVERTED on the
 * GEOMETRY field, a bad WKT and a non-point ST_DWITHIN — are the same code and message everywhere.
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
import { call, status, type AnyClient, type Res } from './scenarios.js';

const COLL = 'sp';
const fields = [
  { name: 'id', data_type: DataType.Int64, is_primary_key: true },
  { name: 'vec', data_type: DataType.FloatVector, dim: 2 },
  { name: 'name', data_type: DataType.VarChar, max_length: 16 },
  { name: 'geo', data_type: DataType.Geometry, nullable: true },
];

function seed(): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  let id = 0;
  for (let x = 0; x <= 10; x++) for (let y = 0; y <= 10; y += 2) out.push({ id: id++, vec: [x, y], name: `p${id}`, geo: `POINT (${x} ${y})` });
  out.push({ id: id++, vec: [0, 0], name: 'sq', geo: 'POLYGON ((1 1, 3 1, 3 3, 1 3, 1 1))' });
  out.push({ id: id++, vec: [0, 0], name: 'big', geo: 'POLYGON ((-20 -20, 20 -20, 20 20, -20 20, -20 -20))' });
  out.push({ id: id++, vec: [0, 0], name: 'line', geo: 'LINESTRING (-1 5, 11 5)' });
  out.push({ id: id++, vec: [0, 0], name: 'null', geo: null });
  out.push({ id: id++, vec: [0, 0], name: 'paris', geo: 'POINT (2.35 48.85)' });
  out.push({ id, vec: [0, 0], name: 'louvre', geo: 'POINT (2.3376 48.8606)' });
  return out;
}

const FILTERS = [
  "ST_WITHIN(geo, 'POLYGON ((0 0, 4 0, 4 4, 0 4, 0 0))')",
  "st_intersects(geo, 'POLYGON ((0 0, 4 0, 0 4, 0 0))')",
  "ST_CONTAINS(geo, 'POINT (2 2)')",
  "ST_EQUALS(geo, 'POINT (10 10)')",
  "ST_TOUCHES(geo, 'POLYGON ((0 0, 2 0, 2 2, 0 2, 0 0))')",
  "ST_OVERLAPS(geo, 'POLYGON ((2 2, 5 2, 5 5, 2 5, 2 2))')",
  "ST_CROSSES(geo, 'LINESTRING (5 -1, 5 11)')",
  "ST_DWITHIN(geo, 'POINT (2.35 48.85)', 2000)",
  "not ST_WITHIN(geo, 'POLYGON ((0 0, 4 0, 4 4, 0 4, 0 0))') and id < 20",
];
const BAD_FILTERS = ["ST_WITHIN(geo, 'POLYGON ((0 0, 1 0')", "ST_DWITHIN(geo, 'POLYGON ((0 0, 1 0, 1 1, 0 0))', 5)", "ST_WITHIN(name, 'POINT (1 1)')"];

type Outcome = { code: number; message: string };
type Transcript = Record<string, unknown>;

let served: ServedProcess | undefined;
let dataDir: string;
let embeddedDir: string;

before(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'elanus-rtree-serve-'));
  embeddedDir = mkdtempSync(join(tmpdir(), 'elanus-rtree-emb-'));
});

after(async () => {
  if (served) await served.stop();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(embeddedDir, { recursive: true, force: true });
});

function sdkOutcome(r: Res): Outcome {
  const s = status(r) as Res;
  if ('thrown' in s) return { code: -1, message: String(s['thrown']) };
  return { code: Number(s['code']), message: String(s['reason'] ?? '') };
}

function idsOf(list: unknown): string[] {
  return ((list ?? []) as Res[]).map((r) => String(r['id'])).sort((a, b) => Number(a) - Number(b));
}

/** Embedded client and SDK over gRPC: the same SDK-shaped calls. */
async function viaSdk(c: AnyClient): Promise<Transcript> {
  const out: Transcript = {};
  out['create'] = sdkOutcome(await call(c, 'createCollection', { collection_name: COLL, fields }));
  out['vec index'] = sdkOutcome(await call(c, 'createIndex', { collection_name: COLL, field_name: 'vec', index_type: 'FLAT', metric_type: 'L2' }));
  out['load'] = sdkOutcome(await call(c, 'loadCollection', { collection_name: COLL }));
  out['insert'] = sdkOutcome(await call(c, 'insert', { collection_name: COLL, data: seed() }));
  out['flush'] = sdkOutcome(await call(c, 'flush', { collection_names: [COLL] }));
  const query = async (filter: string): Promise<unknown> => {
    const r = await call(c, 'query', { collection_name: COLL, filter, output_fields: ['id'], limit: 1000, consistency_level: 'Strong' });
    return { ...sdkOutcome(r), ids: idsOf(r['data']) };
  };
  for (const f of [...FILTERS, ...BAD_FILTERS]) out[`before: ${f}`] = await query(f);
  out['rtree on varchar'] = sdkOutcome(await call(c, 'createIndex', { collection_name: COLL, field_name: 'name', index_type: 'RTREE' }));
  out['inverted on geometry'] = sdkOutcome(await call(c, 'createIndex', { collection_name: COLL, field_name: 'geo', index_type: 'INVERTED' }));
  out['rtree'] = sdkOutcome(await call(c, 'createIndex', { collection_name: COLL, field_name: 'geo', index_name: 'geo_rtree', index_type: 'RTREE' }));
  const d = await call(c, 'describeIndex', { collection_name: COLL, index_name: 'geo_rtree' });
  const desc = ((d['index_descriptions'] ?? []) as Res[])[0] ?? {};
  const params = Object.fromEntries(((desc['params'] ?? []) as Res[]).map((kv) => [kv['key'], kv['value']]));
  out['describe rtree'] = { ...sdkOutcome(d), field: desc['field_name'], index_type: params['index_type'] };
  for (const f of FILTERS) out[`after: ${f}`] = await query(f);
  return out;
}

function restOutcome(r: { code: number; message?: string }): Outcome {
  return { code: r.code, message: r.code === 0 ? '' : String(r.message ?? '') };
}
type RestRes = { code: number; message?: string; data?: unknown };

async function viaRest(h: HttpClient): Promise<Transcript> {
  const out: Transcript = {};
  const restFields = fields.map((f) => ({
    fieldName: f.name,
    dataType: Object.entries(DataType).find(([, v]) => v === f.data_type)![0],
    ...('is_primary_key' in f ? { isPrimary: true } : {}),
    ...('dim' in f ? { elementTypeParams: { dim: f.dim } } : {}),
    ...('max_length' in f ? { elementTypeParams: { max_length: f.max_length } } : {}),
    ...('nullable' in f ? { nullable: f.nullable } : {}),
  }));
  const r = h as unknown as Record<string, (req: unknown) => Promise<RestRes>>;
  out['create'] = restOutcome(await r['createCollection']!({ collectionName: COLL, schema: { autoID: false, enabledDynamicField: false, fields: restFields } }));
  const index = (fieldName: string, indexName: string, indexType: string, metricType?: string): Promise<RestRes> =>
    r['createIndex']!({ collectionName: COLL, indexParams: [{ fieldName, indexName, ...(metricType ? { metricType } : {}), params: { index_type: indexType } }] });
  out['vec index'] = restOutcome(await index('vec', 'vec', 'FLAT', 'L2'));
  out['load'] = restOutcome(await r['loadCollection']!({ collectionName: COLL }));
  out['insert'] = restOutcome(await r['insert']!({ collectionName: COLL, data: seed() }));
  // RESTful v2 has no flush: the rows stay in the growing segment, which is scanned without the index.
  const query = async (filter: string): Promise<unknown> => {
    const q = await r['query']!({ collectionName: COLL, filter, outputFields: ['id'], limit: 1000 });
    return { ...restOutcome(q), ids: idsOf(q.data) };
  };
  for (const f of [...FILTERS, ...BAD_FILTERS]) out[`before: ${f}`] = await query(f);
  out['rtree on varchar'] = restOutcome(await index('name', 'name', 'RTREE'));
  out['inverted on geometry'] = restOutcome(await index('geo', 'geo', 'INVERTED'));
  out['rtree'] = restOutcome(await index('geo', 'geo_rtree', 'RTREE'));
  const d = await r['describeIndex']!({ collectionName: COLL, indexName: 'geo_rtree' });
  const desc = ((d.data ?? []) as Res[])[0] ?? {};
  out['describe rtree'] = { ...restOutcome(d), field: desc['fieldName'], index_type: desc['indexType'] };
  for (const f of FILTERS) out[`after: ${f}`] = await query(f);
  return out;
}

test('spatial filters and RTREE: the same rows with and without the index, and the same refusals, on every transport', async () => {
  const c = new MilvusClient({ address: embeddedDir });
  const emb = await viaSdk(c as unknown as AnyClient);
  await c.close();

  for (const k of ['create', 'vec index', 'load', 'insert', 'flush', 'rtree']) assert.deepEqual(emb[k], { code: 0, message: '' }, k);
  assert.deepEqual(emb['describe rtree'], { code: 0, message: '', field: 'geo', index_type: 'RTREE' });
  for (const f of FILTERS) assert.deepEqual(emb[`after: ${f}`], emb[`before: ${f}`], f);
  const ids = (f: string): string[] => (emb[`before: ${f}`] as { ids: string[] }).ids;
  // grid points (x, y even) inside (0,0)-(4,4): x 1..3, y 2; and the small square
  assert.deepEqual(ids(FILTERS[0]!), ['7', '13', '19', '66']);
  assert.deepEqual(ids(FILTERS[2]!), ['13', '66', '67']);
  assert.deepEqual(ids(FILTERS[3]!), ['65']);
  assert.deepEqual(ids(FILTERS[7]!), ['70', '71']);
  assert.ok(ids(FILTERS[8]!).every((id) => Number(id) < 20) && !ids(FILTERS[8]!).includes('69'));
  for (const f of BAD_FILTERS) assert.equal((emb[`before: ${f}`] as Outcome).code, 1100, f);
  assert.match((emb[`before: ${BAD_FILTERS[0]}`] as Outcome).message, /is not valid WKT/);
  assert.match((emb[`before: ${BAD_FILTERS[1]}`] as Outcome).message, /ST_DWITHIN needs a POINT/);
  assert.match((emb[`before: ${BAD_FILTERS[2]}`] as Outcome).message, /needs a GEOMETRY field/);
  assert.equal((emb['rtree on varchar'] as Outcome).code, 1100);
  assert.match((emb['rtree on varchar'] as Outcome).message, /RTREE index can only be built on geometry field, got VarChar/);
  assert.equal((emb['inverted on geometry'] as Outcome).code, 1100);
  assert.match((emb['inverted on geometry'] as Outcome).message, /INVERTED cannot index field "geo" of type Geometry/);

  served = await startServe([], { dataDir });
  const sdk = new SdkClient({ address: served.address, logLevel: 'error' } as ConstructorParameters<typeof SdkClient>[0]);
  await sdk.connectPromise;
  await sdk.createDatabase({ db_name: 'g' });
  await sdk.use({ db_name: 'g' });
  const grpc = await viaSdk(sdk as unknown as AnyClient);
  await sdk.closeConnection();
  assert.deepEqual(grpc, emb, 'gRPC differs from embedded');

  const h0 = new HttpClient({ endpoint: `http://${served.restAddress!}` });
  await h0.createDatabase({ dbName: 'r' } as unknown as Parameters<HttpClient['createDatabase']>[0]);
  const rest = await viaRest(new HttpClient({ endpoint: `http://${served.restAddress!}`, database: 'r' }));
  const { flush: _noFlush, ...embNoFlush } = emb;
  assert.deepEqual(rest, embNoFlush, 'REST differs from embedded');
});
