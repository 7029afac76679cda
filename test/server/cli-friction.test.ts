/**
 * What a newcomer meets on the command line, through the real CLI: `export --data <typo>` says the
 * directory does not exist (and creates nothing); a port in use is one clear line naming the port and
 * the flag; index builds and loads log progress lines in `elanus serve`'s JSON log; `elanus bench`
 * prints its header first and plain progress lines when its output is not a terminal.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MilvusClient as SdkClient, DataType } from '@zilliz/milvus2-sdk-node';
import { startServe } from './spawn-server.js';
import { randomVectors } from '../support/data.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function cli(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

async function takenPort(): Promise<{ server: Server; port: number }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as { port: number }).port };
}

test('export --data <typo> says the directory does not exist and creates nothing', () => {
  const root = mkdtempSync(join(tmpdir(), 'elanus-export-typo-'));
  try {
    const typo = join(root, 'elanus-dta');
    const r = cli(['export', '--data', typo, '--collection', 'docs', '--out', join(root, 'out')]);
    assert.equal(r.status, 1);
    assert.equal(r.stderr, `elanus: data directory ${typo} does not exist\n`);
    assert.equal(existsSync(typo), false, 'no empty data directory is made');
    assert.equal(existsSync(join(root, 'out')), false);
    const notData = cli(['export', '--data', root, '--collection', 'docs', '--out', join(root, 'out')]);
    assert.equal(notData.status, 1);
    assert.match(notData.stderr, /is not an Elanus data directory/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('a gRPC, REST or metrics port in use is one clear line naming the port and the flag', async () => {
  const { server, port } = await takenPort();
  const data = mkdtempSync(join(tmpdir(), 'elanus-port-'));
  try {
    const grpc = cli(['serve', '--data', data, '--port', String(port), '--no-rest', '--no-metrics']);
    assert.equal(grpc.status, 1);
    assert.equal(grpc.stdout, '');
    assert.equal(grpc.stderr, `elanus: gRPC port 127.0.0.1:${port} is already in use (another elanus serve or Milvus?); stop it or choose another port with --port\n`);
    const rest = cli(['serve', '--data', data, '--port', '0', '--rest-port', String(port), '--no-metrics']);
    assert.equal(rest.status, 1);
    assert.equal(rest.stderr, `elanus: RESTful v2 API port 127.0.0.1:${port} is already in use (another elanus serve or Milvus?); stop it or choose another port with --rest-port (or --no-rest)\n`);
    const metrics = cli(['serve', '--data', data, '--port', '0', '--no-rest', '--metrics-port', String(port)]);
    assert.equal(metrics.status, 1);
    assert.match(metrics.stderr, /^elanus: metrics port 127\.0\.0\.1:\d+ is already in use .*--metrics-port \(or --no-metrics\)\n$/);
  } finally {
    server.close();
    rmSync(data, { recursive: true, force: true });
  }
});

test('elanus serve logs index build and load progress as JSON lines', async () => {
  const served = await startServe(['--no-rest', '--no-metrics']);
  const sdk = new SdkClient({ address: served.address, logLevel: 'error' } as ConstructorParameters<typeof SdkClient>[0]);
  try {
    await sdk.connectPromise;
    const dim = 16;
    assert.equal((await sdk.createCollection({ collection_name: 'logged', fields: [{ name: 'id', data_type: DataType.Int64, is_primary_key: true }, { name: 'v', data_type: DataType.FloatVector, dim }] })).error_code, 'Success');
    const vectors = randomVectors(3000, dim, 5);
    assert.equal((await sdk.insert({ collection_name: 'logged', data: vectors.map((v, id) => ({ id, v })) })).status.error_code, 'Success');
    await sdk.flush({ collection_names: ['logged'] });
    assert.equal((await sdk.createIndex({ collection_name: 'logged', field_name: 'v', index_type: 'HNSW', metric_type: 'L2', params: { M: 8, efConstruction: 64 } })).error_code, 'Success');
    assert.equal((await sdk.loadCollectionSync({ collection_name: 'logged' })).error_code, 'Success');
    const lines = served
      .output()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const builds = lines.filter((l) => l['task'] === 'index build' && l['collection'] === 'logged');
    assert.ok(builds.length >= 2, served.output());
    assert.deepEqual(builds[0], { ...builds[0], field: 'v', indexType: 'HNSW', rows: 3000, percent: 0, msg: 'index build 0%' });
    assert.equal(builds.at(-1)!['percent'], 100);
    const percents = builds.map((b) => b['percent'] as number);
    assert.deepEqual(percents, [...percents].sort((a, b) => a - b), 'percent only grows');
    const loads = lines.filter((l) => l['task'] === 'load' && l['collection'] === 'logged').map((l) => [l['stage'], l['percent'], l['msg']]);
    assert.deepEqual(loads, [
      ['started', 0, 'load started'],
      ['segments read', 50, 'load segments read'],
      ['loaded', 100, 'load loaded'],
    ]);
    assert.ok(lines.every((l) => typeof l['level'] === 'number' && typeof l['time'] === 'number'), 'pino JSON lines');
  } finally {
    await sdk.closeConnection();
    assert.equal(await served.stop(), 0);
  }
});

test('elanus bench prints its header first and plain progress lines when not on a terminal', () => {
  const r = cli(['bench', '--rows', '2000', '--dim', '8', '--queries', '50', '--index', 'FLAT', '--batch', '500']);
  assert.equal(r.status, 0, r.stderr);
  const out = r.stdout.split('\n');
  assert.equal(out[0], 'elanus bench: 2,000 × 8 (L2), FLAT {}, search {}, limit 10');
  assert.equal(out.filter((l) => l.startsWith('elanus bench:')).length, 1, 'the header once');
  assert.match(r.stdout, /\| recall@10 vs exact search \(50 queries\) \| 1\.0000 \|/);
  const err = r.stderr.split('\n').filter((l) => l !== '');
  assert.ok(!r.stderr.includes('\r') && !r.stderr.includes('\u001b['), 'no bar redraws or escapes in a log');
  assert.deepEqual(
    err.filter((l) => l.startsWith('insert: ')).map((l) => l.replace(/ in [\d.]+ s$/, '')),
    ['insert: 0% (0/2,000 rows)', 'insert: 20% (500/2,000 rows)', 'insert: 50% (1,000/2,000 rows)', 'insert: 70% (1,500/2,000 rows)', 'insert: done, 2,000 rows'],
  );
  assert.ok(err.some((l) => /^index build: done, 2,000 rows in [\d.]+ s$/.test(l)), r.stderr);
  assert.ok(err.some((l) => /^search: done, 50 queries in [\d.]+ s$/.test(l)), r.stderr);
});
