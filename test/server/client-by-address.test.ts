/**
 * The one `MilvusClient` of `import { MilvusClient } from 'elanus'` with a network address talks to that
 * server (a real `elanus serve --auth` process) through the official SDK: list, create, insert, search
 * with `token`, `username`/`password`, `host:port` and `http://host:port`; the same code on a local
 * directory gives the same answers. Ambiguous addresses are refused (1100) instead of becoming a
 * directory named `127.0.0.1:19530`.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MilvusClient as SdkMilvusClient } from '@zilliz/milvus2-sdk-node';
import { MilvusClient, MilvusError, DataType, type MilvusClientInterface } from '../../src/index.js';
import { parseClientAddress } from '../../src/client/address.js';
import { MilvusClient as EmbeddedMilvusClient } from '../../src/client/milvus-client.js';
import { startServe, type ServedProcess } from './spawn-server.js';

let served: ServedProcess;

before(async () => {
  served = await startServe(['--auth']);
});

after(async () => {
  assert.equal(await served?.stop(), 0);
});

const DIM = 4;
const rows = Array.from({ length: 50 }, (_, i) => ({ id: i, tag: `t${i % 3}`, vec: [Math.cos(i), Math.sin(i), i / 50, 1] }));

/** The same calls, whatever the client is. */
async function workflow(client: MilvusClientInterface, name: string): Promise<{ names: string[]; ids: string[]; filtered: string[] }> {
  const create = await client.createCollection({
    collection_name: name,
    fields: [
      { name: 'id', data_type: DataType.Int64, is_primary_key: true },
      { name: 'tag', data_type: DataType.VarChar, max_length: 8 },
      { name: 'vec', data_type: DataType.FloatVector, dim: DIM },
    ],
  });
  assert.equal(create.error_code, 'Success', create.reason);
  const ins = await client.insert({ collection_name: name, data: rows });
  assert.equal(ins.status.error_code, 'Success', ins.status.reason);
  assert.equal(Number(ins.insert_cnt), rows.length);
  assert.equal((await client.createIndex({ collection_name: name, field_name: 'vec', index_type: 'FLAT', metric_type: 'L2' })).error_code, 'Success');
  assert.equal((await client.loadCollection({ collection_name: name })).error_code, 'Success');
  const list = await client.listCollections();
  assert.equal(list.status.error_code, 'Success');
  const names = list.data.map((c) => c.name);
  const hit = await client.search({ collection_name: name, data: rows[7]!.vec, limit: 3, output_fields: ['tag'] });
  assert.equal(hit.status.error_code, 'Success', hit.status.reason);
  const filtered = await client.search({ collection_name: name, data: rows[7]!.vec, limit: 3, filter: 'tag == "t0"' });
  const ids = (r: { results: unknown }): string[] => (r.results as { id: unknown }[]).map((h) => String(h.id));
  return { names, ids: ids(hit), filtered: ids(filtered) };
}

test('by address with a token: list, create, insert, search run on the served process', async () => {
  const before = readdirSync('.');
  const client = new MilvusClient({ address: served.address, token: 'root:Milvus', logLevel: 'error' });
  assert.ok(client instanceof MilvusClient);
  assert.ok(client instanceof SdkMilvusClient, 'a server address is served by the official SDK client');
  assert.equal(client.address, served.address);
  await client.connectPromise;
  const remote = await workflow(client, 'by_address');
  assert.ok(remote.names.includes('by_address'));
  assert.equal(remote.ids[0], '7');
  for (const id of remote.filtered) assert.equal(Number(id) % 3, 0);

  // The collection lives in the served process: the SDK itself sees it, and nothing was created here.
  const sdk = new SdkMilvusClient({ address: served.address, username: 'root', password: 'Milvus', logLevel: 'error' });
  const described = await sdk.describeCollection({ collection_name: 'by_address' });
  assert.equal(described.status.error_code, 'Success', described.status.reason);
  assert.equal((await sdk.getCollectionStatistics({ collection_name: 'by_address' })).data.row_count, String(rows.length));
  await sdk.closeConnection();
  assert.deepEqual(readdirSync('.'), before);
  assert.equal(existsSync(served.address), false);

  // The same code on a local directory answers the same.
  const dir = mkdtempSync(join(tmpdir(), 'elanus-by-address-'));
  try {
    const local = new MilvusClient({ address: join(dir, 'data') });
    assert.ok(local instanceof MilvusClient);
    assert.ok(local instanceof EmbeddedMilvusClient);
    const embedded = await workflow(local, 'by_address');
    assert.deepEqual(embedded.names, ['by_address']);
    assert.deepEqual(embedded.ids, remote.ids);
    assert.deepEqual(embedded.filtered, remote.filtered);
    await local.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  assert.equal((await client.dropCollection({ collection_name: 'by_address' })).error_code, 'Success');
  await client.close();
});

test('by http:// URL with username/password, and the SDK positional form; wrong credentials fail as the SDK does', async () => {
  const port = served.address.split(':').pop();
  const viaUrl = new MilvusClient({ address: `http://127.0.0.1:${port}`, username: 'root', password: 'Milvus', logLevel: 'error' });
  const r = await workflow(viaUrl, 'by_url');
  assert.ok(r.names.includes('by_url'));
  assert.equal(r.ids[0], '7');

  const positional = new MilvusClient(served.address, false, 'root', 'Milvus');
  const shown = await positional.showCollections();
  assert.ok(shown.data.some((c) => c.name === 'by_url'));
  assert.equal((await positional.dropCollection({ collection_name: 'by_url' })).error_code, 'Success');
  await positional.close();
  await viaUrl.close();

  const wrong = new MilvusClient({ address: served.address, token: 'root:wrong', logLevel: 'error' });
  await assert.rejects(wrong.connectPromise, /UNAUTHENTICATED|authentication/i);
  await assert.rejects(wrong.showCollections(), /UNAUTHENTICATED|authentication/i);
  await wrong.close();
  // A client that fails to connect and is never called does not crash the process.
  const idle = new MilvusClient({ address: served.address, token: 'root:wrong', logLevel: 'error' });
  await new Promise((r) => setTimeout(r, 500));
  await idle.close();
});

test('ambiguous addresses are refused with 1100 naming both spellings; nothing is created', () => {
  const before = readdirSync('.');
  for (const address of ['data:v2', 'localhost:port', 'localhost:0', 'localhost:70000', ':memory', 'unix:/tmp/milvus.sock', 's3://bucket/dir', 'http://host:19530/path', 'http://:19530', ' ./data', 'C:\\elanus']) {
    assert.throws(
      () => new MilvusClient({ address }),
      (err: unknown) => {
        assert.ok(err instanceof MilvusError, String(err));
        assert.equal(err.code, 1100);
        assert.match(err.message, /invalid parameter "address"/);
        assert.match(err.message, /"\.\/.*"/, 'names the path spelling');
        assert.match(err.message, /host:port/, 'names the server spelling');
        return true;
      },
      address,
    );
  }
  assert.throws(() => new MilvusClient({ address: '' }), /invalid parameter "address"/);
  assert.throws(() => new MilvusClient({ address: '127.0.0.1:19530', sealRows: 10 }), /invalid parameter "sealRows": applies to a local data directory/);
  // The embedded class on its own refuses a server address instead of making a directory of it.
  assert.throws(() => new EmbeddedMilvusClient({ address: '127.0.0.1:19530' }), /is a Milvus server/);
  assert.deepEqual(readdirSync('.'), before);
});

test('address rule: paths, memory and servers', () => {
  const dir = (path: string) => ({ kind: 'directory', path });
  const server = (address: string) => ({ kind: 'server', address });
  assert.deepEqual(parseClientAddress(':memory:'), { kind: 'memory' });
  for (const p of ['./data', '../data', '.', '..', '/var/lib/elanus', 'data', 'my-db/v2', 'localhost', '127.0.0.1']) assert.deepEqual(parseClientAddress(p), dir(p));
  assert.deepEqual(parseClientAddress('./127.0.0.1:19530'), dir('./127.0.0.1:19530'), 'a directory with a colon is spelt as a path');
  assert.deepEqual(parseClientAddress('file:///tmp/elanus'), dir('/tmp/elanus'));
  assert.deepEqual(parseClientAddress('file:data'), dir(join(process.cwd(), 'data')));
  assert.deepEqual(parseClientAddress('C:\\elanus', 'win32'), dir('C:\\elanus'));
  assert.deepEqual(parseClientAddress('C:/elanus', 'win32'), dir('C:/elanus'));
  for (const a of ['localhost:19530', '127.0.0.1:19530', 'milvus:19530', 'in01-abc.zillizcloud.com:443', '[::1]:19530']) assert.deepEqual(parseClientAddress(a), server(a));
  assert.deepEqual(parseClientAddress('http://localhost:19530'), server('http://localhost:19530'));
  assert.deepEqual(parseClientAddress('https://in01-abc.zillizcloud.com'), server('https://in01-abc.zillizcloud.com'));
  assert.deepEqual(parseClientAddress('HTTPS://host:443/'), server('https://host:443'));
  assert.deepEqual(parseClientAddress('tcp://localhost:19530'), server('localhost:19530'));
  assert.deepEqual(parseClientAddress('grpc://localhost:19530'), server('localhost:19530'));
});
