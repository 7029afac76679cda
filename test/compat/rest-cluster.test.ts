/**
 * Issue 9's RBAC and cluster bullets through the RESTful v2 API (the SDK's `HttpClient` where it has
 * the call, Milvus's REST paths otherwise), next to the embedded client doing the same: adding a user
 * to public, privilege groups, index properties, database property drops, and AlterCollection's
 * refusals. Results must agree and show what Milvus does.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HttpClient } from '@zilliz/milvus2-sdk-node';
import { Engine } from '../../src/engine/engine.js';
import { MilvusClient } from '../../src/index.js';
import { startRestServer, type RestServer } from '../../src/server/rest/index.js';

let dir: string;
let engine: Engine;
let server: RestServer;
let endpoint: string;
let http: HttpClient;
let emb: MilvusClient;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'elanus-rest-cluster-'));
  engine = await Engine.open({ dataDir: dir });
  server = await startRestServer(engine, { host: '127.0.0.1', port: 0 });
  endpoint = `http://127.0.0.1:${server.port}`;
  http = new HttpClient({ endpoint });
  emb = new MilvusClient({ address: ':memory:' });
});

after(async () => {
  await server?.close();
  await engine?.close();
  await emb?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

type Res = { code: number; message?: string; data?: unknown };
type St = { code: number; reason: string };

async function post(path: string, body: unknown): Promise<Res> {
  const r = await fetch(`${endpoint}/v2/vectordb/${path}`, { method: 'POST', body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } });
  assert.equal(r.status, 200);
  return (await r.json()) as Res;
}

/** REST's {code, message} next to the embedded Status: same code, same message. */
function same(rest: Res, embedded: St, what: string): void {
  assert.deepEqual([rest.code, rest.message ?? ''], [embedded.code, embedded.reason], what);
}

test('REST: root and public, built-in and custom privilege groups, V2 grants with level rules — as embedded', async () => {
  same((await http.grantRoleToUser({ userName: 'root', roleName: 'admin' })) as Res, await emb.addUserToRole({ username: 'root', roleName: 'admin' }), 'root from the first call');
  await http.createUser({ userName: 'ann', password: 'ann-pw-123' });
  await emb.createUser({ username: 'ann', password: 'ann-pw-123' });
  const pub = (await http.grantRoleToUser({ userName: 'ann', roleName: 'public' })) as Res;
  assert.equal(pub.code, 0, 'adding a user to public succeeds');
  same(pub, await emb.addUserToRole({ username: 'ann', roleName: 'public' }), 'public');

  same(await post('privilege_groups/create', { privilegeGroupName: 'grp' }), await emb.createPrivilegeGroup({ group_name: 'grp' }), 'create group');
  same(await post('privilege_groups/create', { privilegeGroupName: 'grp' }), await emb.createPrivilegeGroup({ group_name: 'grp' }), 'create again');
  same(await post('privilege_groups/add_privileges_to_group', { privilegeGroupName: 'grp', privileges: ['Query', 'Search'] }), await emb.addPrivilegesToGroup({ group_name: 'grp', privileges: ['Query', 'Search'] }), 'add');
  const mixed = await post('privilege_groups/add_privileges_to_group', { privilegeGroupName: 'grp', privileges: ['CreateDatabase'] });
  assert.equal(mixed.code, 1100);
  same(mixed, await emb.addPrivilegesToGroup({ group_name: 'grp', privileges: ['CreateDatabase'] }), 'one level per group');
  same(await post('privilege_groups/remove_privileges_from_group', { privilegeGroupName: 'grp', privileges: ['Search'] }), await emb.removePrivilegesFromGroup({ group_name: 'grp', privileges: ['Search'] }), 'remove');
  const listed = (await post('privilege_groups/list', {})) as Res & { data: { privilegeGroups: { privilegeGroupName: string; privileges: string }[] } };
  const embGroups = (await emb.listPrivilegeGroups()).privilege_groups as { group_name: string; privileges: { name: string }[] }[];
  assert.deepEqual(
    listed.data.privilegeGroups.map((g) => [g.privilegeGroupName, g.privileges]),
    embGroups.map((g) => [g.group_name, g.privileges.map((p) => p.name).join(',')]),
  );
  assert.equal(listed.data.privilegeGroups.length, 10, 'the custom group and the nine built-in ones');

  await http.createRole({ roleName: 'rr' });
  await emb.createRole({ roleName: 'rr' });
  for (const [privilege, dbName, collectionName] of [
    ['CollectionReadOnly', 'default', 'c1'],
    ['CollectionAdmin', '*', 'c1'],
    ['DatabaseReadWrite', 'default', '*'],
    ['ClusterReadWrite', 'default', '*'],
    ['grp', 'default', '*'],
  ] as const) {
    same(
      await post('roles/grant_privilege_v2', { roleName: 'rr', privilege, dbName, collectionName }),
      await emb.grantPrivilegeV2({ role: 'rr', privilege, db_name: dbName, collection_name: collectionName }),
      `grant ${privilege} ${dbName}.${collectionName}`,
    );
  }
  const described = (await http.describeRole({ roleName: 'rr' })) as Res & { data: { objectType: string; objectName: string; privilege: string; dbName: string }[] };
  assert.deepEqual(described.data.map((g) => [g.objectType, g.objectName, g.dbName, g.privilege]), [
    ['Global', 'c1', 'default', 'CollectionReadOnly'],
    ['Global', '*', 'default', 'DatabaseReadWrite'],
    ['Global', '*', 'default', 'grp'],
  ]);
  same(await post('privilege_groups/drop', { privilegeGroupName: 'grp' }), await emb.dropPrivilegeGroup({ group_name: 'grp' }), 'drop in use');
  for (const [privilege, db, coll] of [['CollectionReadOnly', 'default', 'c1'], ['DatabaseReadWrite', 'default', '*'], ['grp', 'default', '*']] as const) {
    same(await post('roles/revoke_privilege_v2', { roleName: 'rr', privilege, dbName: db, collectionName: coll }), await emb.revokePrivilegeV2({ role: 'rr', privilege, db_name: db, collection_name: coll }), `revoke ${privilege}`);
  }
  same(await post('privilege_groups/drop', { privilegeGroupName: 'grp' }), await emb.dropPrivilegeGroup({ group_name: 'grp' }), 'drop');
  same(await post('privilege_groups/drop', { privilegeGroupName: 'grp' }), await emb.dropPrivilegeGroup({ group_name: 'grp' }), 'drop missing is no error');
});

test('REST: index properties, database property drops and AlterCollection refusals — as embedded', async () => {
  assert.equal(((await http.createCollection({ collectionName: 'props', dimension: 4 })) as Res).code, 0);
  await emb.createCollection({ collection_name: 'props', dimension: 4 });
  // Quick create loads the collection: AlterIndex needs it released.
  same((await http.alterIndexProperties({ collectionName: 'props', indexName: 'vector', properties: { 'mmap.enabled': true } })) as Res, await emb.alterIndexProperties({ collection_name: 'props', index_name: 'vector', params: { 'mmap.enabled': true } }), 'alter index loaded');
  await http.releaseCollection({ collectionName: 'props' });
  await emb.releaseCollection({ collection_name: 'props' });
  const altered = (await http.alterIndexProperties({ collectionName: 'props', indexName: 'vector', properties: { 'mmap.enabled': true } })) as Res;
  assert.equal(altered.code, 0, altered.message);
  same(altered, await emb.alterIndexProperties({ collection_name: 'props', index_name: 'vector', params: { 'mmap.enabled': true } }), 'alter index');
  same((await http.alterIndexProperties({ collectionName: 'props', indexName: 'vector', properties: { nlist: 8 } })) as Res, await emb.alterIndexProperties({ collection_name: 'props', index_name: 'vector', params: { nlist: 8 } }), 'not configurable');
  const idx = (await http.describeIndex({ collectionName: 'props', indexName: 'vector' })) as Res & { data: { params: Record<string, unknown> }[] };
  assert.equal(String(idx.data[0]!.params['mmap.enabled']), 'true');
  same((await http.dropIndexProperties({ collectionName: 'props', indexName: 'vector', propertyKeys: ['mmap.enabled'] })) as Res, await emb.dropIndexProperties({ collection_name: 'props', index_name: 'vector', properties: ['mmap.enabled'] }), 'drop index property');
  const after = (await http.describeIndex({ collectionName: 'props', indexName: 'vector' })) as Res & { data: { params: Record<string, unknown> }[] };
  assert.equal(after.data[0]!.params['mmap.enabled'], undefined);

  const nothing = (await http.alterCollectionProperties({ collectionName: 'props', properties: {} })) as Res;
  assert.deepEqual([nothing.code, nothing.message], [1100, 'no properties or delete keys provided: invalid parameter']);
  same(nothing, await emb.alterCollectionProperties({ collection_name: 'props', properties: {} }), 'alter nothing');
  same((await http.dropCollectionProperties({ collectionName: 'props', propertyKeys: [] })) as Res, await emb.dropCollectionProperties({ collection_name: 'props', properties: [] }), 'drop nothing');

  // Milvus's REST v2 has collections/truncate (the SDK's HttpClient does not): rows go, the collection stays.
  await http.insert({ collectionName: 'props', data: [{ id: 1, vector: [1, 2, 3, 4] }] } as never);
  await emb.insert({ collection_name: 'props', data: [{ id: 1, vector: [1, 2, 3, 4] }] });
  same(await post('collections/truncate', { collectionName: 'props' }), (await emb.truncateCollection({ collection_name: 'props' })).status, 'truncate');
  const stats = (await http.getCollectionStatistics({ collectionName: 'props' })) as Res & { data: { rowCount: number } };
  assert.equal(stats.data.rowCount, 0);
  same(await post('collections/truncate', { collectionName: 'props_nope' }), (await emb.truncateCollection({ collection_name: 'props_nope' })).status, 'truncate missing');

  await http.createDatabase({ dbName: 'pdb', properties: { 'database.max.collections': 3, 'database.force.deny.writing': false } } as never);
  await emb.createDatabase({ db_name: 'pdb', properties: { 'database.max.collections': 3, 'database.force.deny.writing': false } });
  same((await http.dropDatabaseProperties({ dbName: 'pdb', propertyKeys: ['database.max.collections'] })) as Res, await emb.dropDatabaseProperties({ db_name: 'pdb', properties: ['database.max.collections'] }), 'drop db property');
  const db = (await http.describeDatabase({ dbName: 'pdb' })) as Res & { data: { properties: { key: string }[] } };
  assert.deepEqual(db.data.properties.map((p) => p.key), ['database.force.deny.writing']);
  assert.deepEqual(((await emb.describeDatabase({ db_name: 'pdb' })).properties).map((p) => p.key), ['database.force.deny.writing']);
});
