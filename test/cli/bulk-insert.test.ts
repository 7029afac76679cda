/** `elanus export` files imported back with bulkInsert (the Milvus move path); failures name the file and rows and write nothing. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MilvusClient, DataType } from '../../src/index.js';
import { exportCollection } from '../../src/cli/export.js';

const fields = [
  { name: 'id', data_type: DataType.Int64, is_primary_key: true },
  { name: 'v', data_type: DataType.FloatVector, dim: 4 },
  { name: 'big', data_type: DataType.Int64 },
];

async function done(c: MilvusClient, task: string): Promise<Record<string, unknown>> {
  for (;;) {
    const st = await c.getImportState({ task });
    assert.equal(st.status.code, 0, st.status.reason);
    if (st['state'] === 'ImportCompleted' || st['state'] === 'ImportFailed') return st;
    await new Promise((r) => setTimeout(r, 10));
  }
}

test('bulkInsert takes the files elanus export writes; a bad row fails the job naming file and rows, with nothing written', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'elanus-bulk-'));
  try {
    const src = join(dir, 'src');
    let c = new MilvusClient({ address: src });
    await c.createCollection({ collection_name: 'a', fields });
    const rows = Array.from({ length: 2500 }, (_, i) => ({ id: i, v: [i, 1, 0, -1], big: `${9007199254740993n + BigInt(i)}` }));
    assert.equal((await c.insert({ collection_name: 'a', data: rows })).status.code, 0);
    await c.close();
    const out = join(dir, 'export');
    await exportCollection({ data: src, collection: 'a', out, rowsPerFile: 1000, progress: false });
    const files = readdirSync(out).filter((f) => f.startsWith('rows-')).map((f) => join(out, f));
    assert.equal(files.length, 3);

    c = new MilvusClient({ address: join(dir, 'dst') });
    await c.createCollection({ collection_name: 'b', fields });
    await c.createIndex({ collection_name: 'b', field_name: 'v', index_type: 'FLAT', metric_type: 'L2' });
    const started = await c.bulkInsert({ collection_name: 'b', files });
    assert.equal(started.status.code, 0, started.status.reason);
    const st = await done(c, started.tasks[0]!);
    assert.equal(st['state'], 'ImportCompleted');
    assert.equal(st['row_count'], '2500');
    await c.loadCollection({ collection_name: 'b' });
    assert.equal((await c.count({ collection_name: 'b' })).data, 2500);
    const got = await c.get({ collection_name: 'b', ids: [2499], output_fields: ['big'] });
    assert.deepEqual(got.data, [{ id: '2499', big: `${9007199254740993n + 2499n}` }], 'Int64 beyond 2^53 arrives exact');

    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ rows: [{ id: 1, v: [1, 2, 3, 4], big: 1 }, { id: 2, v: [1, 2], big: 2 }] }));
    const failed = await done(c, (await c.bulkInsert({ collection_name: 'b', files: [files[0]!, bad] })).tasks[0]!);
    assert.equal(failed['state'], 'ImportFailed');
    const reason = (failed['infos'] as { key: string; value: string }[]).find((kv) => kv.key === 'failed_reason')!.value;
    assert.match(reason, /bad\.json \(rows 0\.\.1\)/);
    assert.match(reason, /dim/);
    assert.equal((await c.count({ collection_name: 'b' })).data, 2500, 'a failed job imports nothing, not even its good file');
    const listed = await c.listImportTasks({ collection_name: 'b' });
    assert.deepEqual(listed.tasks.map((t) => t['state']), ['ImportFailed', 'ImportCompleted']);
    assert.equal((await c.getImportState({ task: '42' })).status.code, 1100);
    await c.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
