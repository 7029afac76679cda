/**
 * `elanus export` / `elanus import` over real data directories: the Milvus row-based JSON import
 * format on disk (top-level `rows`, exact Int64 literals, deleted rows absent, dynamic keys on top),
 * and a round trip into a fresh directory that queries back row for row.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { MilvusClient, DataType } from '../../src/index.js';
import { exportCollection } from '../../src/cli/export.js';
import { importCollection, parseJsonExact } from '../../src/cli/import.js';

const run = promisify(execFile);
const BIG = '9007199254740993'; // 2^53 + 1: not representable as a double

function vector(i: number): number[] {
  return [Math.sin(i), Math.cos(i), i / 7, -i / 3];
}

/** `objectJson`: every JSON value an object (what Milvus's Parquet BulkWriter accepts). */
async function build(dir: string, objectJson = false): Promise<void> {
  const c = new MilvusClient({ address: dir });
  try {
    const created = await c.createCollection({
      collection_name: 'items',
      enable_dynamic_field: true,
      fields: [
        { name: 'id', data_type: DataType.Int64, is_primary_key: true },
        { name: 'title', data_type: DataType.VarChar, max_length: 64 },
        { name: 'score', data_type: DataType.Double, nullable: true },
        { name: 'info', data_type: DataType.JSON },
        { name: 'tags', data_type: DataType.Array, element_type: DataType.Int64, max_capacity: 4 },
        { name: 'v', data_type: DataType.FloatVector, dim: 4 },
      ],
    });
    assert.equal(created.code, 0, created.reason);
    const row = (i: number, id: string): Record<string, unknown> => ({
      id,
      title: `t${i} "quoted" 12345678901234567890`,
      score: i % 3 === 0 ? null : i / 4,
      info: !objectJson && i === 5 ? '"42"' : !objectJson && i === 7 ? 'plain text' : { n: i, nested: { s: `x${i}` } },
      tags: i === 1 ? [BIG, '-3'] : [String(i)],
      v: vector(i),
      ...(i % 2 === 0 ? { color: `c${i}` } : { size: i }),
    });
    const sealed = Array.from({ length: 30 }, (_, i) => row(i, i === 1 ? BIG : String(i * 10 - 50)));
    assert.equal((await c.insert({ collection_name: 'items', data: sealed })).status.code, 0);
    assert.equal((await c.flush({ collection_names: ['items'] })).status.code, 0);
    const growing = Array.from({ length: 10 }, (_, i) => row(100 + i, String(1000 + i)));
    assert.equal((await c.insert({ collection_name: 'items', data: growing })).status.code, 0);
    assert.equal((await c.delete({ collection_name: 'items', ids: ['-30', '1003'] })).status.code, 0);
  } finally {
    await c.close();
  }
}

async function queryAll(dir: string): Promise<Record<string, unknown>[]> {
  const c = new MilvusClient({ address: dir });
  try {
    await c.createIndex({ collection_name: 'items', field_name: 'v', index_type: 'FLAT', metric_type: 'L2' });
    assert.equal((await c.loadCollection({ collection_name: 'items' })).code, 0);
    const r = await c.query({ collection_name: 'items', filter: '', limit: 1000, output_fields: ['*'] });
    assert.equal(r.status.code, 0, r.status.reason);
    return r.data as Record<string, unknown>[];
  } finally {
    await c.close();
  }
}

test('export writes Milvus row-based JSON + schema.json; import into a fresh directory queries back row for row', async () => {
  const root = mkdtempSync(join(tmpdir(), 'elanus-export-'));
  try {
    const src = join(root, 'src');
    const out = join(root, 'out');
    await build(src);

    const res = await exportCollection({ data: src, collection: 'items', out, rowsPerFile: 16, progress: false });
    assert.equal(res.rows, 38);
    assert.deepEqual(readdirSync(out).sort(), ['rows-000001.json', 'rows-000002.json', 'rows-000003.json', 'schema.json']);

    const texts = res.files.map((f) => readFileSync(f, 'utf8'));
    assert.ok(texts.every((t) => t.startsWith('{"rows":[')));
    const all = texts.join('');
    assert.ok(all.includes(`"id":${BIG},`), 'the big Int64 primary key is an exact number literal');
    assert.ok(all.includes(`"tags":[${BIG},-3]`), 'Int64 array elements are exact number literals');
    assert.ok(!all.includes('$meta'), 'dynamic keys are top-level keys');
    const rows = texts.flatMap((t) => (JSON.parse(t) as { rows: Record<string, unknown>[] }).rows);
    assert.deepEqual(texts.map((t) => (JSON.parse(t) as { rows: unknown[] }).rows.length), [16, 16, 6]);
    const ids = rows.map((r) => r.id as number);
    assert.ok(!ids.includes(-30) && !ids.includes(1003), 'deleted rows (sealed and growing) are absent');
    assert.equal(typeof rows[0]!.id, 'number');
    const r2 = rows.find((r) => r.id === -50)!;
    assert.deepEqual(Object.keys(r2).sort(), ['color', 'id', 'info', 'score', 'tags', 'title', 'v']);
    assert.equal(r2.score, null);
    assert.deepEqual(r2.info, { n: 0, nested: { s: 'x0' } });
    assert.equal((rows.find((r) => r.id === -20)! as { size: number }).size, 3);
    // Primary-key order across sealed and growing segments (the big key sorts last).
    const exact = parseJsonExact(all.replaceAll(']}\n{"rows":[', ','), 'export') as { rows: { id: bigint | number }[] };
    const keys = exact.rows.map((r) => BigInt(r.id));
    assert.deepEqual(keys, [...keys].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    assert.equal(keys.at(-1), BigInt(BIG));

    const schema = JSON.parse(readFileSync(join(out, 'schema.json'), 'utf8')) as { collection_name: string; enable_dynamic_field: boolean; fields: Record<string, unknown>[] };
    assert.equal(schema.collection_name, 'items');
    assert.equal(schema.enable_dynamic_field, true);
    assert.deepEqual(schema.fields.map((f) => [f.name, f.data_type]), [['id', 'Int64'], ['title', 'VarChar'], ['score', 'Double'], ['info', 'JSON'], ['tags', 'Array'], ['v', 'FloatVector']]);
    assert.equal(schema.fields[0]!.is_primary_key, true);
    assert.equal(schema.fields[5]!.dim, 4);
    assert.equal(schema.fields[4]!.element_type, 'Int64');

    // The command line writes the same files.
    const out2 = join(root, 'out2');
    const cli = await run(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'export', '--data', src, '--collection', 'items', '--out', out2, '--rows-per-file', '16']);
    assert.match(cli.stdout, /exported 38 rows to 3 file\(s\)/);
    for (const name of readdirSync(out)) assert.equal(readFileSync(join(out2, name), 'utf8'), readFileSync(join(out, name), 'utf8'), name);

    const dst = join(root, 'dst');
    await assert.rejects(importCollection({ data: dst, collection: 'items', in: out, progress: false }), (e: { code?: number }) => e.code === 100);
    const imp = await importCollection({ data: dst, collection: 'items', in: out, create: true, progress: false });
    assert.deepEqual({ rows: imp.rows, files: imp.files.length, created: imp.created }, { rows: 38, files: 3, created: true });

    const before = await queryAll(src);
    const after = await queryAll(dst);
    assert.equal(before.length, 38);
    assert.deepEqual(after, before);
    assert.ok(after.some((r) => r.id === BIG && (r.tags as string[])[0] === BIG));
    assert.deepEqual(after.filter((r) => typeof r.info === 'string').map((r) => r.info), ['42', 'plain text'], 'string JSON values stay strings');

    // All or nothing: a bad row in the last file fails the import, naming it, and writes nothing.
    const last = join(out, readdirSync(out).filter((n) => n.startsWith('rows-')).sort().pop()!);
    writeFileSync(last, readFileSync(last, 'utf8').replace(/"title":"[^"]*"/, '"title":42'));
    const dst2 = join(root, 'dst2');
    await assert.rejects(importCollection({ data: dst2, collection: 'items', in: out, create: true, progress: false }), (e: { code?: number; message: string }) => e.code === 1100 && e.message.includes(last));
    assert.deepEqual(await queryAll(dst2), [], 'nothing from the good files either');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('export --format parquet writes what the SDK BulkWriter writes; import reads it back row for row', async () => {
  const root = mkdtempSync(join(tmpdir(), 'elanus-export-parquet-'));
  try {
    const src = join(root, 'src');
    const out = join(root, 'out');
    await build(join(root, 'strings'));
    await assert.rejects(exportCollection({ data: join(root, 'strings'), collection: 'items', out: join(root, 'x'), format: 'parquet', progress: false }), (e: { code?: number; message: string }) => e.code === 1100 && /--format json/.test(e.message));
    await build(src, true);
    const res = await exportCollection({ data: src, collection: 'items', out, format: 'parquet', progress: false });
    assert.equal(res.rows, 38);
    assert.ok(res.files.length >= 1 && res.files.every((f) => f.endsWith('.parquet')), res.files.join(','));
    assert.equal(readFileSync(res.files[0]!).subarray(0, 4).toString(), 'PAR1');
    const dst = join(root, 'dst');
    const imp = await importCollection({ data: dst, collection: 'items', in: out, create: true, progress: false });
    assert.equal(imp.rows, 38);
    assert.deepEqual(await queryAll(dst), await queryAll(src));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('import into a data directory held by another process fails with DataDirLocked (2000)', async () => {
  const root = mkdtempSync(join(tmpdir(), 'elanus-import-lock-'));
  try {
    const dir = join(root, 'data');
    const c = new MilvusClient({ address: dir });
    try {
      await c.listDatabases();
      await assert.rejects(importCollection({ data: dir, collection: 'items', in: root, create: true, progress: false }), (e: { code?: number; message: string }) => e.code === 2000 && /locked/.test(e.message));
    } finally {
      await c.close();
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('parseJsonExact keeps big integers exact and leaves strings and decimals alone', () => {
  const v = parseJsonExact('{"a":12345678901234567891,"b":"12345678901234567891","c":-9223372036854775808,"d":0.12345678901234567891,"e":"q\\"12345678901234567891","f":17}', 't') as Record<string, unknown>;
  assert.deepEqual(v, { a: 12345678901234567891n, b: '12345678901234567891', c: -9223372036854775808n, d: Number('0.12345678901234567891'), e: 'q"12345678901234567891', f: 17 });
});
