/**
 * Mutual TLS (`elanus serve --tls-cert --tls-key --tls-ca`, Milvus's tlsMode 2): the server requires a
 * client certificate signed by the given CA. Certificates are made here with openssl; clients are
 * the official SDK.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MilvusClient } from '@zilliz/milvus2-sdk-node';
import { startServe } from './spawn-server.js';

function openssl(args: string[]): void {
  execFileSync('openssl', args, { stdio: 'ignore' });
}

/** A CA and a certificate it signs (server: with localhost / 127.0.0.1 names). */
function makeCa(dir: string, name: string): { key: string; cert: string } {
  const key = join(dir, `${name}-ca.key`);
  const cert = join(dir, `${name}-ca.pem`);
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', `/CN=${name} test CA`]);
  return { key, cert };
}

function signed(dir: string, ca: { key: string; cert: string }, name: string, server: boolean): { key: string; cert: string } {
  const key = join(dir, `${name}.key`);
  const csr = join(dir, `${name}.csr`);
  const cert = join(dir, `${name}.pem`);
  const ext = join(dir, `${name}.ext`);
  writeFileSync(ext, server ? 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' : 'extendedKeyUsage=clientAuth\n');
  openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', csr, '-subj', `/CN=${name}`]);
  openssl(['x509', '-req', '-in', csr, '-CA', ca.cert, '-CAkey', ca.key, '-CAcreateserial', '-out', cert, '-days', '1', '-extfile', ext]);
  return { key, cert };
}

test('mutual TLS: a client certificate signed by --tls-ca connects; none, or one from another CA, is refused', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'elanus-mtls-'));
  const ca = makeCa(dir, 'trusted');
  const rogueCa = makeCa(dir, 'rogue');
  const server = signed(dir, ca, 'server', true);
  const client = signed(dir, ca, 'client', false);
  const rogue = signed(dir, rogueCa, 'rogue-client', false);
  const served = await startServe(['--tls-cert', server.cert, '--tls-key', server.key, '--tls-ca', ca.cert, '--no-rest']);
  const sdk = (tls: Record<string, unknown>): MilvusClient =>
    new MilvusClient({ address: served.address, tls: { rootCertPath: ca.cert, serverName: 'localhost', ...tls }, logLevel: 'error', timeout: 5000 } as ConstructorParameters<typeof MilvusClient>[0]);
  try {
    assert.match(served.output(), /mutual TLS/);
    const good = sdk({ privateKeyPath: client.key, certChainPath: client.cert });
    assert.match(String((await good.getVersion()).version), /^v2\./);
    assert.equal((await good.showCollections()).status.error_code, 'Success');
    await good.closeConnection();

    for (const [what, tls] of [
      ['no client certificate', {}],
      ['a certificate from another CA', { privateKeyPath: rogue.key, certChainPath: rogue.cert }],
    ] as const) {
      const bad = sdk(tls);
      // The SDK connects in its constructor; that connection is refused too.
      const connecting = (bad as unknown as { connectPromise?: Promise<unknown> }).connectPromise;
      const connected = await (connecting ?? Promise.resolve()).then(
        () => 'connected',
        (e: unknown) => `refused: ${String(e)}`,
      );
      assert.match(connected, /^refused/, `${what}: the connection`);
      const outcome = await bad.showCollections().then(
        (r) => `answered ${r.status.error_code}`,
        (e: unknown) => `refused: ${String(e)}`,
      );
      assert.match(outcome, /^refused/, `${what}: ${outcome}`);
      await bad.closeConnection().catch(() => undefined);
    }
  } finally {
    await served.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('--tls-ca without a server certificate is refused with a message', async () => {
  await assert.rejects(startServe(['--tls-ca', '/nonexistent-ca.pem']), /--tls-ca needs --tls-cert and --tls-key/);
});
