/**
 * The one `MilvusClient` type: the embedded client and the SDK-backed client for a server address have
 * the same method names (checked by `npm run typecheck`), and `new MilvusClient(...)` is typed as that
 * one interface whatever the address.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MilvusClient, type MilvusClientInterface, type RemoteMilvusClient } from '../../src/index.js';
import { MilvusClient as EmbeddedMilvusClient } from '../../src/client/milvus-client.js';

/** `true` only when the two key sets are equal in the direction that matters: every method on both. */
type MissingRemotely = Exclude<keyof MilvusClientInterface, keyof RemoteMilvusClient>;
const everyMethodIsRemoteToo: [MissingRemotely] extends [never] ? true : MissingRemotely = true;
const sameType: MilvusClient = new MilvusClient({ address: ':memory:' });

test('the embedded client and the server client share one interface', async () => {
  assert.equal(everyMethodIsRemoteToo, true);
  assert.ok(sameType instanceof MilvusClient);
  assert.ok(sameType instanceof EmbeddedMilvusClient);
  assert.equal((await sameType.listCollections()).status.error_code, 'Success');
  await sameType.close();
});
