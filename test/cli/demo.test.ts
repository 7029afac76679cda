/**
 * `npm run demo` as a newcomer runs it: in a scratch directory of its own (so an `elanus serve` on
 * ./elanus-data does not get in its way), printing the inserted count and the hits; a failed call
 * stops it with the call, code and reason, exit code 1.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MilvusClient } from '../../src/index.js';

const DEMO = fileURLToPath(new URL('../../examples/demo.ts', import.meta.url));

function demo(cwd: string, args: string[] = []): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', import.meta.resolve('tsx'), DEMO, ...args], { cwd, encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('npm run demo works beside a server holding ./elanus-data, in a scratch directory it removes; a failed call stops it clearly', async () => {
  const cwd = mkdtempSync(join(tmpdir(), 'elanus-demo-test-'));
  // What a running `elanus serve` does to ./elanus-data: holds its lock.
  const held = new MilvusClient({ address: join(cwd, 'elanus-data') });
  try {
    await held.connectPromise;
    assert.equal((await held.showCollections()).status.code, 0);
    const before = new Set(readdirSync(tmpdir()).filter((n) => n.startsWith('elanus-demo-') && !n.startsWith('elanus-demo-test-')));
    const ok = demo(cwd);
    assert.equal(ok.status, 0, ok.stderr);
    assert.match(ok.stdout, /^inserted 1000 rows$/m);
    assert.match(ok.stdout, /query 0: ids/);
    assert.match(ok.stdout, /query 1: distances/);
    const scratch = /data directory: (\S+) \(scratch, removed afterwards\)/.exec(ok.stdout)?.[1];
    assert.ok(scratch, ok.stdout);
    assert.equal(existsSync(scratch), false, 'the scratch directory is removed');
    assert.ok(!before.has(scratch.split('/').pop()!));

    // A directory that cannot be opened (here: the held one) fails at the first call, naming it.
    const failed = demo(cwd, [join(cwd, 'elanus-data')]);
    assert.equal(failed.status, 1);
    assert.match(failed.stderr, /^hasCollection failed \(code 2000\): .*lock/im);
    assert.doesNotMatch(failed.stdout, /inserted/);
  } finally {
    await held.close();
    rmSync(cwd, { recursive: true, force: true });
  }
});
