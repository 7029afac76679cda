/**
 * `elanus serve --auth` and `--tls-cert/--tls-key`: credentials are checked on every call (gRPC
 * UNAUTHENTICATED otherwise), users can be created, listed, re-passworded and deleted, and a deleted
 * user is locked out at once. TLS uses a self-signed certificate made here with openssl.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { MilvusClient } from '@zilliz/milvus2-sdk-node';
import { startServe, type ServedProcess } from './spawn-server.js';
import { basicAuth, rawClient, type RawClient } from './raw-client.js';

let served: ServedProcess;
let raw: RawClient;

before(async () => {
  served = await startServe(['--auth']);
  raw = rawClient(served.address);
});

after(async () => {
  raw?.close();
  assert.equal(await served?.stop(), 0);
});

function sdk(username: string, password: string): MilvusClient {
  return new MilvusClient({ address: served.address, username, password, logLevel: 'error' } as ConstructorParameters<typeof MilvusClient>[0]);
}

async function unauthenticated(p: Promise<unknown>): Promise<void> {
  await assert.rejects(p, (err: { code?: number; message?: string }) => {
    assert.equal(err.code, grpc.status.UNAUTHENTICATED, String(err.message));
    return true;
  });
}

test('auth: no credentials and wrong passwords are rejected with UNAUTHENTICATED', async () => {
  await unauthenticated(raw.call('ShowCollections'));
  await unauthenticated(raw.call('Connect'));
  await unauthenticated(raw.call('ShowCollections', {}, basicAuth('root', 'wrong')));
  await unauthenticated(raw.call('ShowCollections', {}, basicAuth('nobody', 'Milvus')));
  await unauthenticated(raw.call('ShowCollections', {}, { authorization: 'not base64 at all' }));
  const ok = await raw.call('ShowCollections', {}, basicAuth('root', 'Milvus'));
  assert.equal(ok.status?.code, 0);

  const bad = sdk('root', 'wrong-password');
  await unauthenticated(bad.connectPromise);
  await assert.rejects(bad.showCollections(), /UNAUTHENTICATED|authentication failed/i);
  await bad.closeConnection();
});

test('auth: users through the official SDK; a deleted user is locked out', async () => {
  const root = sdk('root', 'Milvus');
  await root.connectPromise;
  assert.equal((await root.createUser({ username: 'alice', password: 'alice-pw-1' })).error_code, 'Success');
  assert.deepEqual([...(await root.listUsers()).usernames].sort(), ['alice', 'root']);

  const alice = sdk('alice', 'alice-pw-1');
  assert.equal((await alice.showCollections()).status.error_code, 'Success');

  const upd = await root.updateUser({ username: 'alice', oldPassword: 'alice-pw-1', newPassword: 'alice-pw-2' });
  assert.equal(upd.error_code, 'Success', upd.reason);
  await unauthenticated(raw.call('ShowCollections', {}, basicAuth('alice', 'alice-pw-1')));
  assert.equal((await raw.call('ShowCollections', {}, basicAuth('alice', 'alice-pw-2'))).status?.code, 0);

  assert.equal((await root.deleteUser({ username: 'alice' })).error_code, 'Success');
  await unauthenticated(raw.call('ShowCollections', {}, basicAuth('alice', 'alice-pw-2')));
  await assert.rejects(alice.showCollections(), /UNAUTHENTICATED|authentication failed/i);
  assert.deepEqual((await root.listUsers()).usernames, ['root']);
  await alice.closeConnection();
  await root.closeConnection();
});

test('auth: users survive a restart (stored hashed in the catalog)', async () => {
  const root = sdk('root', 'Milvus');
  assert.equal((await root.createUser({ username: 'carol', password: 'carol-pw-1' })).error_code, 'Success');
  await root.closeConnection();
  assert.equal(await served.stop({ keepData: true }), 0);
  const catalog = readCatalogText(served.dataDir);
  assert.ok(!catalog.includes('carol-pw-1'), 'password stored in clear text');
  served = await startServe(['--auth'], { dataDir: served.dataDir });
  raw.close();
  raw = rawClient(served.address);
  assert.equal((await raw.call('ShowCollections', {}, basicAuth('carol', 'carol-pw-1'))).status?.code, 0);
});

function readCatalogText(dir: string): string {
  const out = execFileSync('sh', ['-c', `cat "${dir}"/* "${dir}"/*/* 2>/dev/null || true`], { maxBuffer: 64 << 20 });
  return out.toString('latin1');
}

test('TLS: a client trusting the certificate connects; a plaintext client does not', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'elanus-tls-'));
  const key = join(dir, 'key.pem');
  const cert = join(dir, 'cert.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1'], { stdio: 'ignore' });
  const tls = await startServe(['--tls-cert', cert, '--tls-key', key]);
  try {
    const client = new MilvusClient({ address: tls.address, tls: { rootCertPath: cert, serverName: 'localhost' }, logLevel: 'error' } as ConstructorParameters<typeof MilvusClient>[0]);
    const v = await client.getVersion();
    assert.match(String(v.version), /^v2\./);
    assert.equal((await client.showCollections()).status.error_code, 'Success');
    await client.closeConnection();

    const secure = rawClient(tls.address, { creds: grpc.credentials.createSsl(readFileSync(cert)), options: { 'grpc.ssl_target_name_override': 'localhost' } });
    assert.equal((await secure.call('CheckHealth')).isHealthy, true);
    secure.close();

    const plain = rawClient(tls.address, { options: { 'grpc.initial_reconnect_backoff_ms': 50 } });
    await assert.rejects(plain.call('CheckHealth', {}, {}), (err: { code?: number }) => err.code === grpc.status.UNAVAILABLE);
    plain.close();
  } finally {
    await tls.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
