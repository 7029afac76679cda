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

test("bulkInsert takes the files the official SDK's BulkWriter writes, JSON and Parquet, every field type round trip", async () => {
  const { BulkWriter } = await import('@zilliz/milvus2-sdk-node');
  const { f32ToF16 } = await import('../../src/index/reference/half.js');
  const dir = mkdtempSync(join(tmpdir(), 'elanus-bulkwriter-'));
  const schemaFields = [
    { name: 'id', data_type: DataType.Int64, is_primary_key: true },
    { name: 'v', data_type: DataType.FloatVector, dim: 4 },
    { name: 'title', data_type: DataType.VarChar, max_length: 32 },
    { name: 'info', data_type: DataType.JSON },
    { name: 'tags', data_type: DataType.Array, element_type: DataType.Int64, max_capacity: 4 },
    { name: 'small', data_type: DataType.Int8 },
    { name: 'score', data_type: DataType.Double },
    { name: 'flag', data_type: DataType.Bool },
    { name: 'b', data_type: DataType.BinaryVector, dim: 16 },
    { name: 'h', data_type: DataType.Float16Vector, dim: 4 },
    { name: 'n', data_type: DataType.Int32, nullable: true },
  ];
  const row = (i: number, parquet: boolean): Record<string, unknown> => {
    const half = [0.5, 1, -2, i];
    return {
      id: 9007199254740993n + BigInt(i),
      v: [i, 1, 2, 3],
      title: `t${i}`,
      info: { a: i, s: 'x' },
      tags: [i, i + 1],
      small: i - 3,
      score: i / 4,
      flag: i % 2 === 0,
      b: [i, 255],
      // The BulkWriter takes half vectors as floats for JSON and as their bytes for Parquet.
      h: parquet ? new Uint8Array(new Uint16Array(half.map(f32ToF16)).buffer) : half,
      n: i % 2 ? null : i,
      extra: `e${i}`,
    };
  };
  try {
    const c = new MilvusClient({ address: join(dir, 'data') });
    for (const format of ['json', 'parquet'] as const) {
      const writer = new BulkWriter({ schema: { enable_dynamic_field: true, fields: schemaFields }, format, localPath: join(dir, format) } as never);
      for (let i = 0; i < 6; i++) await writer.append(row(i, format === 'parquet'));
      const files = (await writer.close()).flat();
      assert.ok(files.every((f) => f.endsWith(format === 'json' ? '.json' : '.parquet')), files.join(','));
      const name = `from_${format}`;
      await c.createCollection({ collection_name: name, enable_dynamic_field: true, fields: schemaFields });
      await c.createIndex({ collection_name: name, field_name: 'v', index_type: 'FLAT', metric_type: 'L2' });
      await c.createIndex({ collection_name: name, field_name: 'b', index_type: 'BIN_FLAT', metric_type: 'HAMMING' });
      await c.createIndex({ collection_name: name, field_name: 'h', index_type: 'FLAT', metric_type: 'L2' });
      const st = await done(c, (await c.bulkInsert({ collection_name: name, files })).tasks[0]!);
      assert.equal(st['state'], 'ImportCompleted', JSON.stringify(st['infos']));
      await c.loadCollection({ collection_name: name });
      const got = await c.query({ collection_name: name, filter: 'id >= 0', output_fields: ['*'] });
      assert.equal(got.status.code, 0, got.status.reason);
      assert.equal(got.data.length, 6);
      const r3 = got.data.find((r) => r['id'] === String(9007199254740993n + 3n))!;
      assert.deepEqual(
        { v: r3['v'], title: r3['title'], info: r3['info'], tags: r3['tags'], small: r3['small'], score: r3['score'], flag: r3['flag'], b: r3['b'], h: r3['h'], n: r3['n'], meta: r3['$meta'] },
        { v: [3, 1, 2, 3], title: 't3', info: { a: 3, s: 'x' }, tags: ['3', '4'], small: 0, score: 0.75, flag: false, b: [3, 255], h: [0.5, 1, -2, 3], n: null, meta: { extra: 'e3' } },
        format,
      );
    }
    await c.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
