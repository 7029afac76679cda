/**
 * `elanus bench` as a user runs it: a real CLI process on a scratch data directory (or --data),
 * printing the table or JSON; recall is measured against an exact search of the same rows.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MilvusClient } from '../../src/index.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function cli(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'bench', '--no-progress', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('bench prints ingest, index build, load, latency, QPS and recall; recall follows the search parameters', () => {
  const table = cli(['--rows', '4000', '--dim', '24', '--queries', '120', '--index', 'HNSW', '--params', '{"M": 16, "efConstruction": 100}', '--search', '{"ef": 64}']);
  assert.equal(table.status, 0, table.stderr);
  assert.match(table.stdout, /elanus bench: 4,000 × 24 \(L2\), HNSW \{"M":16,"efConstruction":100\}, search \{"ef":64\}, limit 10/);
  for (const re of [/\| ingest \(durable, 10,000 rows per insert\) \| [\d,]+ rows\/s \|/, /\| index build .*\| \d+\.\d\d s \|/, /\| load \| \d+\.\d\d s \|/, /QPS, p50 \d+\.\d{3} ms, p99 \d+\.\d{3} ms/, /\| recall@10 vs exact search \(120 queries\) \| (0\.9\d+|1\.0000) \|/]) {
    assert.match(table.stdout, re);
  }
  // IVF with one probed list of 64 misses neighbours; probing every list is exact.
  const run = (nprobe: number): { recall: number; qps: number; rows: number } => {
    const r = cli(['--rows', '4000', '--dim', '24', '--queries', '100', '--index', 'IVF_FLAT', '--params', '{"nlist": 64}', '--search', `{"nprobe": ${nprobe}}`, '--json']);
    assert.equal(r.status, 0, r.stderr);
    return JSON.parse(r.stdout) as { recall: number; qps: number; rows: number };
  };
  const one = run(1);
  const all = run(64);
  assert.equal(all.rows, 4000);
  assert.equal(all.recall, 1);
  assert.ok(one.recall < 0.99, `nprobe=1 recall ${one.recall}`);
  assert.ok(one.qps > 0 && all.qps > 0);
});

test('bench on a given data directory leaves it as it was; bad options fail clearly', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'elanus-bench-test-'));
  try {
    const r = cli(['--data', dir, '--rows', '500', '--dim', '8', '--queries', '20', '--index', 'FLAT', '--json']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout) as { recall: number }).recall, 1);
    const c = new MilvusClient({ address: dir });
    assert.deepEqual((await c.showCollections()).data, [], 'the bench collection is dropped afterwards');
    await c.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const metric = cli(['--rows', '10', '--metric', 'HAMMING']);
  assert.notEqual(metric.status, 0);
  assert.match(metric.stderr, /metric.*must be L2, IP or COSINE/);
  const params = cli(['--params', 'nlist=4']);
  assert.notEqual(params.status, 0);
  assert.match(params.stderr, /--params.*must be a JSON object/);
  const index = cli(['--rows', '10', '--dim', '4', '--index', 'NOPE']);
  assert.notEqual(index.status, 0);
  assert.match(index.stderr, /index_type/);
});

test('bench end to end for every float index type (index files written on flush, read back on load): recall as promised', () => {
  const cases: [string, string, string, string, number][] = [
    ['IVF_SQ8', 'L2', '{"nlist": 32}', '{"nprobe": 32}', 0.9],
    ['IVF_PQ', 'L2', '{"nlist": 16, "m": 12, "nbits": 8}', '{"nprobe": 16}', 0.5],
    ['HNSW_SQ', 'COSINE', '{"M": 16, "efConstruction": 100, "sq_type": "SQ8", "refine": true, "refine_type": "FLAT"}', '{"ef": 64, "refine_k": 2}', 0.9],
    ['HNSW', 'IP', '{"M": 16, "efConstruction": 100}', '{"ef": 64}', 0.9],
    ['AUTOINDEX', 'COSINE', '{}', '{}', 0.9],
  ];
  for (const [index, metric, params, search, min] of cases) {
    const r = cli(['--rows', '3000', '--dim', '24', '--queries', '60', '--index', index, '--metric', metric, '--params', params, '--search', search, '--json']);
    assert.equal(r.status, 0, `${index}: ${r.stderr}`);
    const out = JSON.parse(r.stdout) as { recall: number; index: string };
    assert.ok(out.recall >= min, `${index} ${metric}: recall ${out.recall} < ${min}`);
  }
});
