/**
 * One credential cache for gRPC and REST on a real `elanus serve --auth`: a sign-in cached on one
 * transport ends the moment the user is deleted or the password changes on the other (or the same);
 * a revoked grant is denied at once everywhere. Through the official SDK (gRPC) and its HttpClient.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HttpClient, MilvusClient } from '@zilliz/milvus2-sdk-node';
import { DataType } from '../../src/core/data-type.js';
import { startServe } from './spawn-server.js';

type St = { code?: number; reason?: string };
const code = (r: unknown): number | undefined => ((r as { status?: St }).status ?? (r as St)).code;
/** A REST call's Milvus code; HttpClient throws on HTTP 401, whose body carries the code. */
const restCode = (p: Promise<unknown>): Promise<number | undefined> =>
  p.then(code, (e: unknown) => Number(/"code":(\d+)/.exec(String((e as Error).message))?.[1] ?? -1));

test('deleting a user or changing a password on one transport ends its cached sign-ins on both at once; revoked grants too', async () => {
  const served = await startServe(['--auth']);
  const grpc = (username: string, password: string): MilvusClient =>
    new MilvusClient({ address: served.address, username, password, logLevel: 'error' } as ConstructorParameters<typeof MilvusClient>[0]);
  const rest = (username: string, password: string): HttpClient =>
    new HttpClient({ endpoint: `http://${served.restAddress}`, username, password } as ConstructorParameters<typeof HttpClient>[0]);
  const root = grpc('root', 'Milvus');
  const rootRest = rest('root', 'Milvus');
  const clients: MilvusClient[] = [root];
  try {
    await root.createCollection({ collection_name: 'docs', fields: [{ name: 'id', data_type: DataType.Int64, is_primary_key: true }, { name: 'v', data_type: DataType.FloatVector, dim: 4 }] } as never);
    await root.insert({ collection_name: 'docs', data: [{ id: 1, v: [1, 0, 0, 0] }] } as never);
    await root.createIndex({ collection_name: 'docs', field_name: 'v', index_type: 'FLAT', metric_type: 'L2' } as never);
    await root.loadCollection({ collection_name: 'docs' } as never);
    assert.equal(code(await root.createUser({ username: 'alice', password: 'alice-pw-1' })), 0);
    assert.equal(code(await root.createRole({ roleName: 'reader' })), 0);
    assert.equal(code(await root.grantPrivilege({ roleName: 'reader', object: 'Collection' as never, objectName: 'docs', privilegeName: 'Query' })), 0);
    assert.equal(code(await root.addUserToRole({ username: 'alice', roleName: 'reader' })), 0);

    // Signed in (and cached) on both transports.
    const aliceRest = rest('alice', 'alice-pw-1');
    const aliceGrpc = grpc('alice', 'alice-pw-1');
    clients.push(aliceGrpc);
    for (let i = 0; i < 3; i++) {
      assert.equal(await restCode(aliceRest.describeCollection({ collectionName: 'docs' })), 0, 'REST sign-in');
      assert.equal(code(await aliceGrpc.describeCollection({ collection_name: 'docs' })), 0, 'gRPC sign-in');
    }

    // A grant revoked over REST is denied over gRPC at once, and over REST.
    const gq = (c: MilvusClient) => c.query({ collection_name: 'docs', filter: 'id >= 0', output_fields: ['id'] } as never);
    const rq = (c: HttpClient) => c.query({ collectionName: 'docs', filter: 'id >= 0', outputFields: ['id'] });
    assert.equal(code(await gq(aliceGrpc)), 0);
    assert.equal(await restCode(rq(aliceRest)), 0);
    assert.equal(code(await rootRest.revokePrivilegeFromRole({ roleName: 'reader', objectType: 'Collection', objectName: 'docs', privilege: 'Query' } as never)), 0);
    assert.equal(code(await gq(aliceGrpc)), 1401, 'revoked over REST, denied over gRPC');
    assert.equal(await restCode(rq(aliceRest)), 1401);
    assert.equal(code(await root.grantPrivilege({ roleName: 'reader', object: 'Collection' as never, objectName: 'docs', privilegeName: 'Query' })), 0);
    assert.equal(await restCode(rq(aliceRest)), 0, 'a grant over gRPC applies over REST at once');

    // Password changed over gRPC: the old one stops working over REST at once.
    assert.equal(code(await root.updateUser({ username: 'alice', oldPassword: 'alice-pw-1', newPassword: 'alice-pw-2' } as never)), 0);
    assert.notEqual(await restCode(aliceRest.describeCollection({ collectionName: 'docs' })), 0, 'old password over REST after a gRPC change');
    assert.notEqual(code(await aliceGrpc.describeCollection({ collection_name: 'docs' }).catch((e: unknown) => ({ code: -1, e }))), 0, 'old password over gRPC');
    const alice2Rest = rest('alice', 'alice-pw-2');
    assert.equal(await restCode(alice2Rest.describeCollection({ collectionName: 'docs' })), 0);

    // Password changed over REST: the old one stops working over gRPC at once.
    const alice2Grpc = grpc('alice', 'alice-pw-2');
    clients.push(alice2Grpc);
    assert.equal(code(await alice2Grpc.describeCollection({ collection_name: 'docs' })), 0);
    assert.equal(code(await rootRest.updateUserPassword({ userName: 'alice', password: 'alice-pw-2', newPassword: 'alice-pw-3' })), 0);
    assert.notEqual(code(await alice2Grpc.describeCollection({ collection_name: 'docs' }).catch(() => ({ code: -1 }))), 0, 'old password over gRPC after a REST change');
    assert.notEqual(await restCode(alice2Rest.describeCollection({ collectionName: 'docs' })), 0);

    // User deleted over gRPC: gone over REST at once (and over gRPC).
    const alice3Rest = rest('alice', 'alice-pw-3');
    const alice3Grpc = grpc('alice', 'alice-pw-3');
    clients.push(alice3Grpc);
    assert.equal(await restCode(alice3Rest.describeCollection({ collectionName: 'docs' })), 0);
    assert.equal(code(await alice3Grpc.describeCollection({ collection_name: 'docs' })), 0);
    assert.equal(code(await root.deleteUser({ username: 'alice' })), 0);
    assert.notEqual(await restCode(alice3Rest.describeCollection({ collectionName: 'docs' })), 0, 'deleted over gRPC, refused over REST');
    assert.notEqual(code(await alice3Grpc.describeCollection({ collection_name: 'docs' }).catch(() => ({ code: -1 }))), 0);

    // Recreated with the same password over REST, deleted over REST: the gRPC sign-in ends.
    assert.equal(code(await rootRest.createUser({ userName: 'alice', password: 'alice-pw-3' })), 0);
    assert.equal(code(await root.addUserToRole({ username: 'alice', roleName: 'reader' })), 0);
    assert.equal(code(await alice3Grpc.describeCollection({ collection_name: 'docs' })), 0);
    assert.equal(code(await rootRest.dropUser({ userName: 'alice' })), 0);
    assert.notEqual(code(await alice3Grpc.describeCollection({ collection_name: 'docs' }).catch(() => ({ code: -1 }))), 0, 'deleted over REST, refused over gRPC');
  } finally {
    for (const c of clients) await c.closeConnection();
    await served.stop();
  }
});
