/**
 * `elanus import` through the real CLI reads Milvus's CSV and Numpy import files beside a
 * schema.json (creating the collection), all or nothing, as `bulkInsert` does.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MilvusClient } from '../../src/index.js';
import { npyFloat32Matrix, npyInt64, npyUnicode } from '../support/npy.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function cli(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'import', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const schema = {
  enable_dynamic_field: false,
  fields: [
    { name: 'id', data_type: 'Int64', is_primary_key: true },
    { name: 'v', data_type: 'FloatVector', dim: 2 },
    { name: 'title', data_type: 'VarChar', max_length: 16, nullable: true },
  ],
};

async function titles(data: string, collection: string): Promise<unknown[]> {
  const c = new MilvusClient({ address: data });
  try {
    await c.createIndex({ collection_name: collection, field_name: 'v', index_type: 'FLAT', metric_type: 'L2' });
    await c.loadCollection({ collection_name: collection });
    const q = await c.query({ collection_name: collection, filter: 'id >= 0', output_fields: ['id', 'title'] });
    return q.data.map((r) => [r['id'], r['title']]);
  } finally {
    await c.close();
  }
}

test('elanus import reads CSV (with --sep and --nullkey) and Numpy folders; a bad file imports nothing', async () => {
  const root = mkdtempSync(join(tmpdir(), 'elanus-import-formats-'));
  try {
    const data = join(root, 'data');
    const csvDir = join(root, 'csv');
    mkdirSync(csvDir);
    writeFileSync(join(csvDir, 'schema.json'), JSON.stringify(schema));
    writeFileSync(join(csvDir, 'a.csv'), 'id|v|title\n1|[0.5, 1]|one\n2|[2, 3]|-\n');
    const csv = cli(['--data', data, '--collection', 'c', '--in', csvDir, '--create', '--sep', '|', '--nullkey', '-']);
    assert.equal(csv.status, 0, csv.stderr);
    assert.equal(csv.stdout, 'imported 2 rows from 1 file(s) (collection created)\n');
    assert.match(csv.stderr, /^import: done, 2 rows in [\d.]+ s$/m, 'plain progress lines off a terminal');
    assert.deepEqual(await titles(data, 'c'), [['1', 'one'], ['2', null]]);

    const npDir = join(root, 'np');
    mkdirSync(join(npDir, 'part1'), { recursive: true });
    writeFileSync(join(npDir, 'schema.json'), JSON.stringify(schema));
    writeFileSync(join(npDir, 'part1', 'id.npy'), npyInt64([10, 11, 12]));
    writeFileSync(join(npDir, 'part1', 'v.npy'), npyFloat32Matrix([[1, 0], [0, 1], [1, 1]]));
    writeFileSync(join(npDir, 'part1', 'title.npy'), npyUnicode(['ten', 'eleven', 'twelve']));
    const np = cli(['--data', data, '--collection', 'n', '--in', npDir, '--create']);
    assert.equal(np.status, 0, np.stderr);
    assert.equal(np.stdout, 'imported 3 rows from 3 file(s) (collection created)\n');
    assert.deepEqual(await titles(data, 'n'), [['10', 'ten'], ['11', 'eleven'], ['12', 'twelve']]);

    writeFileSync(join(npDir, 'part1', 'v.npy'), npyFloat32Matrix([[1, 0, 0], [0, 1, 0], [1, 1, 0]]));
    const bad = cli(['--data', data, '--collection', 'n', '--in', npDir]);
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /^elanus: expected dim '2' for FloatVector field 'v', got dim '3': importing data failed$/m);
    assert.equal((await titles(data, 'n')).length, 3, 'nothing more imported');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
