/**
 * Privilege groups and the cluster calls under a real `elanus serve --auth`, through the official
 * SDK (gRPC) and its HttpClient (REST): root works from the first call; a role granted a built-in
 * group (CollectionReadOnly on one collection, DatabaseReadOnly, ClusterReadOnly) or a custom group
 * may do exactly the group's privileges; groups, grants and resource groups survive a restart;
 * BackupRBAC/RestoreRBAC need ClusterAdmin's privileges.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HttpClient, MilvusClient } from '@zilliz/milvus2-sdk-node';
import { DataType } from '../../src/core/data-type.js';
import { startServe } from './spawn-server.js';

type St = { code?: number; error_code?: string; reason?: string };
const code = (r: unknown): number | undefined => ((r as { status?: St }).status ?? (r as St)).code;

test('RBAC groups: built-in and custom privilege groups decide what a user may do over gRPC and REST, and persist', async () => {
  let served = await startServe(['--auth']);
  const sdk = (username: string, password: string): MilvusClient =>
    new MilvusClient({ address: served.address, username, password, logLevel: 'error' } as ConstructorParameters<typeof MilvusClient>[0]);
  let root = sdk('root', 'Milvus');
  let bob: MilvusClient | undefined;
  try {
    // A fresh server: root exists before anything lists users.
    assert.equal(code(await root.addUserToRole({ username: 'root', roleName: 'admin' })), 0);
    assert.equal(code(await root.createUser({ username: 'bob', password: 'bob-pw-12' })), 0);
    assert.equal(code(await root.addUserToRole({ username: 'bob', roleName: 'public' })), 0, 'adding a user to public succeeds');
    bob = sdk('bob', 'bob-pw-12');
    for (const name of ['docs', 'other']) {
      assert.equal(code(await root.createCollection({ collection_name: name, fields: [{ name: 'id', data_type: DataType.Int64, is_primary_key: true }, { name: 'v', data_type: DataType.FloatVector, dim: 4 }] } as never)), 0);
      await root.insert({ collection_name: name, data: Array.from({ length: 10 }, (_, i) => ({ id: i, v: [i, 1, 0, 0] })) } as never);
      await root.createIndex({ collection_name: name, field_name: 'v', index_type: 'FLAT', metric_type: 'L2' } as never);
      await root.loadCollection({ collection_name: name } as never);
    }
    const search = (c: MilvusClient, name: string) => c.search({ collection_name: name, data: [1, 1, 0, 0], limit: 3, output_fields: ['id'] } as never);
    const query = (c: MilvusClient, name: string) => c.query({ collection_name: name, filter: 'id < 3', output_fields: ['id'] } as never);
    const insert = (c: MilvusClient, name: string) => c.insert({ collection_name: name, data: [{ id: 100, v: [0, 0, 0, 1] }] } as never);

    assert.equal(code(await search(bob, 'docs')), 1401);
    assert.equal(code(await root.createRole({ roleName: 'ro' })), 0);
    assert.equal(code(await root.addUserToRole({ username: 'bob', roleName: 'ro' })), 0);

    // CollectionReadOnly on default.docs: Search, Query, DescribeCollection there; not Insert; not other.
    assert.equal(code(await root.grantPrivilegeV2({ role: 'ro', privilege: 'CollectionReadOnly', db_name: 'default', collection_name: 'docs' } as never)), 0);
    assert.equal(code(await search(bob, 'docs')), 0);
    assert.equal(code(await query(bob, 'docs')), 0);
    assert.equal(code(await bob.getLoadState({ collection_name: 'docs' } as never)), 0);
    assert.equal(code(await insert(bob, 'docs')), 1401, 'CollectionReadOnly has no Insert');
    assert.equal(code(await search(bob, 'other')), 1401, 'the grant names one collection');
    assert.equal(code(await bob.createCollection({ collection_name: 'mine', dimension: 4 } as never).catch((e: unknown) => e)), 1401);

    // A custom group with Insert, granted on every collection of the database.
    assert.equal(code(await root.createPrivilegeGroup({ group_name: 'writers' } as never)), 0);
    assert.equal(code(await root.addPrivilegesToGroup({ group_name: 'writers', privileges: ['Insert', 'Upsert'] } as never)), 0);
    assert.equal(code(await root.grantPrivilegeV2({ role: 'ro', privilege: 'writers', db_name: 'default', collection_name: '*' } as never)), 0);
    assert.equal(code(await insert(bob, 'other')), 0, 'the custom group grants Insert everywhere in default');
    assert.equal(code(await search(bob, 'other')), 1401, 'but not Search');
    assert.equal(code(await root.removePrivilegesFromGroup({ group_name: 'writers', privileges: ['Insert'] } as never)), 0);
    assert.equal(code(await insert(bob, 'other')), 1401, 'removing a privilege from a granted group applies at once');
    assert.equal(code(await root.addPrivilegesToGroup({ group_name: 'writers', privileges: ['Insert'] } as never)), 0);

    // Cluster level: ClusterReadOnly lets bob list resource groups and databases, not create them.
    assert.equal(code(await bob.listResourceGroups()), 1401);
    assert.equal(code(await root.grantPrivilegeV2({ role: 'ro', privilege: 'ClusterReadOnly', db_name: '*', collection_name: '*' } as never)), 0);
    assert.equal(code(await bob.listResourceGroups()), 0);
    assert.equal(code(await bob.describeResourceGroup({ resource_group: '__default_resource_group' } as never)), 0);
    assert.equal(code(await bob.listDatabases()), 0);
    assert.equal(code(await bob.listPrivilegeGroups()), 0);
    assert.equal(code(await bob.createResourceGroup({ resource_group: 'bobs' } as never)), 1401);
    assert.equal(code(await bob.backupRBAC()), 1401, 'BackupRBAC is ClusterAdmin');
    assert.equal(code(await bob.createPrivilegeGroup({ group_name: 'bobs' } as never)), 1401);
    assert.equal(code(await bob.getMetric({ request: { metric_type: 'system_info' } } as never)), 0, 'GetMetrics needs no privilege');

    // REST with the same user: the same grants.
    const http = new HttpClient({ endpoint: `http://${served.restAddress}`, username: 'bob', password: 'bob-pw-12' } as ConstructorParameters<typeof HttpClient>[0]);
    assert.equal(((await http.search({ collectionName: 'docs', data: [[1, 1, 0, 0]], limit: 2 } as never)) as St).code, 0);
    assert.equal(((await http.search({ collectionName: 'other', data: [[1, 1, 0, 0]], limit: 2 } as never)) as St).code, 1401);
    assert.equal(((await http.insert({ collectionName: 'other', data: [{ id: 101, v: [0, 1, 0, 1] }] } as never)) as St).code, 0);
    const restGroups = await fetch(`http://${served.restAddress}/v2/vectordb/privilege_groups/create`, {
      method: 'POST',
      headers: { Authorization: 'Bearer bob:bob-pw-12', 'Content-Type': 'application/json' },
      body: JSON.stringify({ privilegeGroupName: 'viaRest' }),
    });
    assert.equal(((await restGroups.json()) as St).code, 1401, 'CreatePrivilegeGroup over REST needs the privilege too');

    // Root: resource group and backup, then a restart keeps groups, grants and resource groups.
    assert.equal(code(await root.createResourceGroup({ resource_group: 'rg_keep' } as never)), 0);
    const backup = (await root.backupRBAC()) as unknown as { status: St; RBAC_meta: { privilege_groups: { group_name: string }[]; grants: unknown[] } };
    assert.equal(backup.status.code, 0);
    assert.deepEqual(backup.RBAC_meta.privilege_groups.map((g) => g.group_name), ['writers']);
    assert.equal(backup.RBAC_meta.grants.length, 3);

    await root.closeConnection();
    await bob.closeConnection();
    await served.stop({ keepData: true });
    served = await startServe(['--auth'], { dataDir: served.dataDir });
    root = sdk('root', 'Milvus');
    bob = sdk('bob', 'bob-pw-12');
    for (const name of ['docs', 'other']) await root.loadCollection({ collection_name: name } as never);
    assert.equal(code(await search(bob, 'docs')), 0, 'the built-in group grant persisted');
    assert.equal(code(await insert(bob, 'other')), 0, 'the custom group and its privileges persisted');
    assert.deepEqual(((await root.listResourceGroups()) as unknown as { resource_groups: string[] }).resource_groups, ['__default_resource_group', 'rg_keep']);

    // Revoke everything; the group can be dropped once no role uses it.
    assert.equal(code(await root.dropPrivilegeGroup({ group_name: 'writers' } as never)), 1100);
    for (const [p, db] of [['CollectionReadOnly', 'default'], ['writers', 'default'], ['ClusterReadOnly', '*']] as const) {
      const coll = p === 'CollectionReadOnly' ? 'docs' : '*';
      assert.equal(code(await root.revokePrivilegeV2({ role: 'ro', privilege: p, db_name: db, collection_name: coll } as never)), 0, `revoke ${p}`);
    }
    assert.equal(code(await search(bob, 'docs')), 1401);
    assert.equal(code(await root.dropPrivilegeGroup({ group_name: 'writers' } as never)), 0);
    assert.equal(code(await root.dropResourceGroup({ resource_group: 'rg_keep' } as never)), 0);
  } finally {
    await root.closeConnection();
    await bob?.closeConnection();
    assert.equal(await served.stop(), 0);
  }
});
