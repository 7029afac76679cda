/** `elanus serve` from the command line: --port 0 prints the bound port, bad flags fail clearly, SIGINT exits 0. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { rawClient } from './raw-client.js';
import { startServe } from './spawn-server.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function cli(args: string[]): { status: number | null; out: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
  return { status: r.status, out: r.stdout + r.stderr };
}

test('serve --port 0 prints the address it bound, answers, and exits 0 on SIGINT', async () => {
  const served = await startServe();
  assert.notEqual(served.port, 0);
  const raw = rawClient(served.address);
  assert.equal((await raw.call('CheckHealth')).isHealthy, true);
  raw.close();
  assert.equal(await served.stop({ signal: 'SIGINT' }), 0);
  assert.match(served.output(), /received SIGINT, shutting down/);
});

test('bad arguments fail with a message', () => {
  const port = cli(['serve', '--port', '70000']);
  assert.notEqual(port.status, 0);
  assert.match(port.out, /--port.*must be an integer in \[0, 65535\]/);
  const tls = cli(['serve', '--port', '0', '--data', '/tmp/elanus-cli-never', '--tls-cert', 'x.pem']);
  assert.notEqual(tls.status, 0);
  assert.match(tls.out, /--tls-cert and --tls-key must be given together/);
  const help = cli(['serve', '--help']);
  assert.equal(help.status, 0);
  assert.match(help.out, /--data <dir>/);
});
