/**
 * Roles and privileges on a real `elanus serve --auth`, through the official SDK (gRPC) and its
 * HttpClient (REST): a user may do what its roles (and `public`) were granted, nothing else, and
 * gets PrivilegeNotPermitted (1401) for the rest; grants and roles survive a restart.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HttpClient, MilvusClient } from '@zilliz/milvus2-sdk-node';
import { DataType } from '../../src/core/data-type.js';
import { startServe } from './spawn-server.js';

type St = { code?: number; error_code?: string; reason?: string };
const code = (r: unknown): number | undefined => ((r as { status?: St }).status ?? (r as St)).code;

test('RBAC: grants decide what a user may do over gRPC and REST; public may describe; changes apply at once and persist', async () => {
  let served = await startServe(['--auth']);
  const sdk = (username: string, password: string): MilvusClient =>
    new MilvusClient({ address: served.address, username, password, logLevel: 'error' } as ConstructorParameters<typeof MilvusClient>[0]);
  let root = sdk('root', 'Milvus');
  assert.equal(code(await root.createUser({ username: 'alice', password: 'alice-pw-1' })), 0);
  let alice = sdk('alice', 'alice-pw-1');
  try {
    for (const name of ['docs', 'other']) {
      assert.equal(code(await root.createCollection({ collection_name: name, fields: [{ name: 'id', data_type: DataType.Int64, is_primary_key: true }, { name: 'v', data_type: DataType.FloatVector, dim: 4 }] } as never)), 0);
      await root.insert({ collection_name: name, data: Array.from({ length: 20 }, (_, i) => ({ id: i, v: [i, 1, 0, 0] })) } as never);
      await root.createIndex({ collection_name: name, field_name: 'v', index_type: 'FLAT', metric_type: 'L2' } as never);
      await root.loadCollection({ collection_name: name } as never);
    }
    const search = (c: MilvusClient, name: string) => c.search({ collection_name: name, data: [1, 1, 0, 0], limit: 3 } as never);

    // Nothing granted yet: only what public may do.
    assert.equal(code(await search(alice, 'docs')), 1401);
    assert.match(((await search(alice, 'docs')) as { status: St }).status.reason ?? '', /Search.*Collection docs/);
    assert.equal(code(await alice.describeCollection({ collection_name: 'docs' } as never)), 0, 'public may DescribeCollection');
    assert.equal(code(await alice.describeIndex({ collection_name: 'docs' } as never)), 0, 'public may see index details');
    assert.equal(code(await alice.createCollection({ collection_name: 'mine', dimension: 4 } as never).catch((e: unknown) => e)), 1401);
    assert.equal(code(await alice.listRoles()), 1401);

    // A role with Search on one collection.
    assert.equal(code(await root.createRole({ roleName: 'reader' })), 0);
    assert.equal(code(await root.grantPrivilege({ roleName: 'reader', object: 'Collection' as never, objectName: 'docs', privilegeName: 'Search' })), 0);
    assert.equal(code(await root.addUserToRole({ username: 'alice', roleName: 'reader' })), 0);
    assert.equal(code(await search(alice, 'docs')), 0);
    assert.equal(((await search(alice, 'docs')) as { results: unknown[] }).results.length, 3);
    assert.equal(code(await search(alice, 'other')), 1401, 'the grant names one collection');
    assert.equal(code(await root.createAlias({ collection_name: 'docs', alias: 'docs_alias' })), 0);
    assert.equal(code(await search(alice, 'docs_alias')), 0, 'an alias is checked as its collection');
    assert.equal(code(await alice.insert({ collection_name: 'docs', data: [{ id: 99, v: [0, 0, 0, 1] }] } as never)), 1401);
    const user = (await root.describeUser({ username: 'alice' })) as { results: { roles: { name: string }[] }[] };
    assert.deepEqual(user.results[0]!.roles.map((r) => r.name).sort(), ['public', 'reader']);
    const grants = (await root.listGrants({ roleName: 'reader' } as never)) as { entities: { object: { name: string }; object_name: string; grantor: { privilege: { name: string } } }[] };
    assert.deepEqual(grants.entities.map((e) => [e.object.name, e.object_name, e.grantor.privilege.name]), [['Collection', 'docs', 'Search']]);
    const roles = (await root.listRoles()) as { results: { role: { name: string }; users: { name: string }[] }[] };
    assert.deepEqual(roles.results.find((r) => r.role.name === 'reader')!.users.map((x) => x.name), ['alice']);

    // A job's state is authorised on the job's collection.
    assert.equal(code(await root.grantPrivilege({ roleName: 'reader', object: 'Collection' as never, objectName: 'docs', privilegeName: 'Import' })), 0);
    const rowsFile = join(served.dataDir, '..', `rbac-import-${process.pid}.json`);
    writeFileSync(rowsFile, JSON.stringify({ rows: [{ id: 500, v: [5, 5, 5, 5] }] }));
    const job = (await alice.bulkInsert({ collection_name: 'docs', files: [rowsFile] } as never)) as unknown as { tasks: string[] };
    assert.equal(code(job), 0);
    assert.equal(code(await alice.getImportState({ task: job.tasks[0]! } as never)), 0);
    assert.equal(code(await alice.bulkInsert({ collection_name: 'other', files: [rowsFile] } as never)), 1401);
    rmSync(rowsFile, { force: true });

    // The 2.5 grant API: Insert on every collection of the database.
    assert.equal(code(await root.grantPrivilegeV2({ role: 'reader', privilege: 'Insert', db_name: 'default', collection_name: '*' } as never)), 0);
    assert.equal(code(await alice.insert({ collection_name: 'other', data: [{ id: 99, v: [0, 0, 0, 1] }] } as never)), 0);
    assert.equal(code(await root.grantPrivilege({ roleName: 'reader', object: 'Collection' as never, objectName: 'docs', privilegeName: 'NoSuchPrivilege' })), 1100);

    // REST with the same user: same rules.
    const http = new HttpClient({ endpoint: `http://${served.restAddress}`, username: 'alice', password: 'alice-pw-1' } as ConstructorParameters<typeof HttpClient>[0]);
    assert.equal(((await http.search({ collectionName: 'docs', data: [[1, 1, 0, 0]], limit: 2 } as never)) as St).code, 0);
    assert.equal(((await http.query({ collectionName: 'docs', filter: 'id < 3', outputFields: ['id'] })) as St).code, 1401);
    assert.equal(((await http.createCollection({ collectionName: 'viaRest', dimension: 4 })) as St).code, 1401);

    // Users may always change their own password; dropping a role with grants needs them revoked.
    assert.equal(code(await alice.updateUser({ username: 'alice', oldPassword: 'alice-pw-1', newPassword: 'alice-pw-2' })), 0);
    await alice.closeConnection();
    alice = sdk('alice', 'alice-pw-2');
    assert.equal(code(await alice.updateUser({ username: 'root', oldPassword: 'Milvus', newPassword: 'hacked!!' })), 1401);
    assert.equal(code(await root.dropRole({ roleName: 'reader' })), 1100);

    // Restart: roles, memberships and grants are in the catalog.
    await root.closeConnection();
    await alice.closeConnection();
    await served.stop({ keepData: true });
    served = await startServe(['--auth'], { dataDir: served.dataDir });
    root = sdk('root', 'Milvus');
    alice = sdk('alice', 'alice-pw-2');
    await root.loadCollection({ collection_name: 'docs' } as never);
    assert.equal(code(await search(alice, 'docs')), 0);
    assert.equal(code(await search(alice, 'other')), 1401);
    assert.equal(code(await root.revokePrivilege({ roleName: 'reader', object: 'Collection' as never, objectName: 'docs', privilegeName: 'Search' })), 0);
    assert.equal(code(await search(alice, 'docs')), 1401, 'a revoke applies at once');
    assert.equal(code(await root.revokePrivilege({ roleName: 'reader', object: 'Collection' as never, objectName: 'docs', privilegeName: 'Import' })), 0);
    assert.equal(code(await root.removeUserFromRole({ username: 'alice', roleName: 'reader' })), 0);
    assert.equal(code(await root.revokePrivilegeV2({ role: 'reader', privilege: 'Insert', db_name: 'default', collection_name: '*' } as never)), 0);
    assert.equal(code(await root.dropRole({ roleName: 'reader' })), 0);
    assert.equal(((await root.hasRole({ roleName: 'reader' })) as { hasRole: boolean }).hasRole, false);
  } finally {
    await root.closeConnection();
    await alice.closeConnection();
    assert.equal(await served.stop(), 0);
  }
});
