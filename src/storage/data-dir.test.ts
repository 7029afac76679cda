import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { Column } from '../core/column.js';
import { DataType } from '../core/data-type.js';
import { ErrorCode, MilvusError } from '../core/errors.js';
import { DataDir, type DataDirOptions } from './data-dir.js';
import { addCollection, checkRowValues, liveRows, makeBatch } from './testing.js';

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'elanus-storage-'));
  dirs.push(d);
  return d;
}

const range = (a: number, b: number): bigint[] => Array.from({ length: b - a }, (_, i) => BigInt(a + i));

async function reopen(dd: DataDir, opts: DataDirOptions = {}): Promise<DataDir> {
  await dd.close();
  return DataDir.open(dd.path, opts);
}

test('writes survive a restart from the WAL alone (growing data), all column types intact', async () => {
  const dir = tempDir();
  let dd = await DataDir.open(dir);
  const meta = addCollection(dd.catalog);
  await dd.commit();
  const st = dd.store(meta);
  const part = meta.partitions[0]!.id;
  await st.insert(part, makeBatch(meta.schema, range(0, 100)), 100);
  assert.equal(await st.deletePks([5n, 7n, 1000n]), 2);
  await st.upsert(part, makeBatch(meta.schema, [10n, 11n], 3), 2);
  dd = await reopen(dd);
  const m2 = dd.catalog.collections[0]!;
  assert.equal(m2.schema.fields.find((f) => f.name === 'n')!.defaultValue, 9007199254740993n, 'bigint default survives');
  const s2 = await dd.loadStore(m2);
  const rows = liveRows(s2);
  assert.equal(rows.size, 98);
  assert.ok(!rows.has(5n) && !rows.has(7n));
  assert.equal(rows.get(10n), 3);
  assert.equal(rows.get(12n), 0);
  assert.equal(checkRowValues(s2), null);
  await dd.close();
});

test('flush seals into segment files; released collections keep no sealed data; load brings it back', async () => {
  const dir = tempDir();
  let dd = await DataDir.open(dir, { store: { autoCompact: false } });
  const meta = addCollection(dd.catalog, 8);
  await dd.commit();
  const st = await dd.loadStore(meta);
  const part = meta.partitions[0]!.id;
  await st.insert(part, makeBatch(meta.schema, range(0, 500)), 500);
  const sealed = await st.flush();
  assert.equal(sealed.length, 1);
  assert.ok(st.flushState(sealed));
  await st.deletePks([1n, 2n]);
  await st.insert(part, makeBatch(meta.schema, range(500, 600)), 100);
  dd = await reopen(dd, { store: { autoCompact: false } });
  const m2 = dd.catalog.collections[0]!;
  const s2 = dd.store(m2);
  assert.equal(s2.rowCount, 598, 'row count known while released');
  assert.ok(
    s2.segments().every((s) => !s.sealed),
    'only growing segments resident while released',
  );
  // Deletes work on a released collection (pk lookup reads the file).
  assert.equal(await s2.deletePks([3n, 550n]), 2);
  await s2.load();
  const rows = liveRows(s2);
  assert.equal(rows.size, 596);
  for (const pk of [1n, 2n, 3n, 550n]) assert.ok(!rows.has(pk));
  assert.equal(checkRowValues(s2), null);
  const sealedBytes = (): number => s2.allSegments().reduce((n, s) => n + (s.sealed ? s.memoryBytes() : 0), 0);
  const loadedBytes = sealedBytes();
  s2.release();
  assert.ok(sealedBytes() < 200, `released sealed memory ${sealedBytes()} vs loaded ${loadedBytes}`);
  await dd.close();
});

test('size-threshold seals, compaction merges small segments and drops deleted rows; old files removed', async () => {
  const dir = tempDir();
  const opts: DataDirOptions = { store: { sealRows: 100, autoCompact: false } };
  let dd = await DataDir.open(dir, opts);
  const meta = addCollection(dd.catalog);
  await dd.commit();
  const st = await dd.loadStore(meta);
  const part = meta.partitions[0]!.id;
  for (let i = 0; i < 6; i++) {
    await st.insert(part, makeBatch(meta.schema, range(i * 30, i * 30 + 30)), 30);
    await st.flush();
  }
  await st.deletePks(range(0, 20));
  assert.equal(st.allSegments().length, 6);
  const merges = await st.compact();
  assert.ok(merges >= 1);
  assert.ok(st.allSegments().length < 6);
  assert.equal(liveRows(st).size, 160);
  assert.equal(checkRowValues(st), null);
  const segFiles = readdirSync(join(dir, 'collections', String(meta.id))).filter((f) => f.endsWith('.seg'));
  assert.equal(segFiles.length, st.allSegments().length, `files: ${segFiles.join(',')}`);
  await st.deletePks([25n]);
  dd = await reopen(dd, opts);
  const s2 = await dd.loadStore(dd.catalog.collections[0]!);
  const rows = liveRows(s2);
  assert.equal(rows.size, 159);
  assert.ok(!rows.has(25n) && !rows.has(0n) && rows.has(179n));
  await dd.close();
});

test('a second opener gets a clear lock error; the lock is released on close', async () => {
  const dir = tempDir();
  const dd = await DataDir.open(dir);
  await assert.rejects(DataDir.open(dir), (e: unknown) => e instanceof MilvusError && e.code === ErrorCode.DataDirLocked && /locked/.test(e.message));
  await dd.close();
  const again = await DataDir.open(dir);
  await again.close();
});

test('concurrent writers share group commits and all land', async () => {
  const dir = tempDir();
  let dd = await DataDir.open(dir);
  const meta = addCollection(dd.catalog, 4, { rich: false });
  await dd.commit();
  const st = dd.store(meta);
  const part = meta.partitions[0]!.id;
  await Promise.all(Array.from({ length: 50 }, (_, i) => st.insert(part, makeBatch(meta.schema, [BigInt(i)]), 1)));
  dd = await reopen(dd);
  assert.equal(liveRows(await dd.loadStore(dd.catalog.collections[0]!)).size, 50);
  await dd.close();
});

test('auto-id watermark and segment ids are never reissued after a crash-like reopen', async () => {
  const dir = tempDir();
  let dd = await DataDir.open(dir);
  const meta = addCollection(dd.catalog, 4, { autoId: true, rich: false });
  await dd.commit();
  const st = dd.store(meta);
  // The engine hands out ids without committing the watermark (worst case); replay must repair it.
  await st.insert(meta.partitions[0]!.id, makeBatch(meta.schema, [41n, 42n]), 2);
  const segId = st.allSegments()[0]!.id;
  dd = await reopen(dd);
  assert.equal(dd.catalog.collections[0]!.nextAutoId, '43');
  assert.ok(dd.allocId() > segId);
  await dd.close();
});

test('truncate and drop partition are durable; index files round-trip and go with their segment', async () => {
  const dir = tempDir();
  let dd = await DataDir.open(dir, { store: { autoCompact: false } });
  const meta = addCollection(dd.catalog, 4, { rich: false });
  const p2 = dd.allocId();
  meta.partitions.push({ id: p2, name: 'p2', createdAt: 0 });
  await dd.commit();
  const st = dd.store(meta);
  const p1 = meta.partitions[0]!.id;
  await st.insert(p1, makeBatch(meta.schema, range(0, 10)), 10);
  await st.insert(p2, makeBatch(meta.schema, range(10, 20)), 10);
  const [segA] = await st.flush();
  await dd.saveIndexFile(meta.id, segA!, 'vec_idx', Uint8Array.from([1, 2, 3]));
  assert.deepEqual(await dd.readIndexFile(meta.id, segA!, 'vec_idx'), Buffer.from([1, 2, 3]));
  await st.insert(p2, makeBatch(meta.schema, range(20, 25)), 5);
  await st.dropPartition(p2);
  meta.partitions.pop();
  await dd.commit();
  dd = await reopen(dd);
  let s2 = await dd.loadStore(dd.catalog.collections[0]!);
  assert.deepEqual([...liveRows(s2).keys()].sort((a, b) => Number(a - b)), range(0, 10));
  assert.deepEqual(await dd.readIndexFile(meta.id, segA!, 'vec_idx'), Buffer.from([1, 2, 3]));
  await s2.truncate();
  dd = await reopen(dd);
  s2 = await dd.loadStore(dd.catalog.collections[0]!);
  assert.equal(s2.rowCount, 0);
  assert.equal(await dd.readIndexFile(meta.id, segA!, 'vec_idx'), undefined);
  await dd.dropStore(meta.id);
  dd.catalog.collections.length = 0;
  await dd.commit();
  assert.ok(!existsSync(join(dir, 'collections', String(meta.id))));
  await dd.close();
});

test('the in-memory data directory still works without files', async () => {
  const dd = await DataDir.open(null, { store: { sealRows: 10 } });
  const meta = addCollection(dd.catalog, 4);
  const st = dd.store(meta);
  await st.insert(meta.partitions[0]!.id, makeBatch(meta.schema, range(0, 25)), 25);
  await st.deletePks([1n]);
  assert.equal(st.rowCount, 24);
  await st.flush();
  dd.releaseStore(meta.id);
  assert.equal(liveRows(st).size, 24);
  // Compaction merges in memory too: small flushed segments of 4 rows → fewer segments, same live rows.
  for (let i = 100; i < 116; i += 4) {
    await st.insert(meta.partitions[0]!.id, makeBatch(meta.schema, range(i, i + 4)), 4);
    await st.flush();
  }
  await st.deletePks([2n]);
  const sealedBefore = st.allSegments().filter((s) => s.sealed).length;
  assert.ok((await st.compact()) >= 1);
  assert.ok(st.allSegments().filter((s) => s.sealed).length < sealedBefore);
  assert.equal(liveRows(st).size, 23 + 16);
  await dd.close();
});

test('the catalog round-trips exactly (schemas, partitions, aliases, indexes, users, bigint values); 50 collections open lazily', async () => {
  const dir = tempDir();
  let dd = await DataDir.open(dir, { store: { autoCompact: false } });
  const metas = Array.from({ length: 50 }, () => addCollection(dd.catalog, 8, { rich: false }));
  const m0 = metas[0]!;
  m0.aliases.push('a0');
  m0.indexes.push({ indexID: 7, indexName: 'vec_idx', fieldName: 'vec', indexType: 'HNSW', metricType: 'L2', params: { M: 16, big: 2n ** 63n - 1n }, createdAt: 1 });
  m0.properties['collection.ttl.seconds'] = '60';
  dd.catalog.users.push({ name: 'u', passwordHash: 'scrypt$a$b', createdAt: 2 });
  dd.catalog.databases.push({ id: dd.allocId(), name: 'db2', createdAt: 3, properties: { k: 'v' } });
  await dd.commit();
  for (const m of metas) {
    const st = dd.store(m);
    await st.insert(m.partitions[0]!.id, makeBatch(m.schema, range(0, 20)), 20);
    await st.flush();
  }
  const before = structuredClone(dd.catalog);
  dd = await reopen(dd);
  assert.deepEqual(dd.catalog, before);
  for (const m of dd.catalog.collections) {
    const st = dd.store(m);
    assert.equal(st.rowCount, 20);
    assert.ok(st.allSegments().every((s) => !s.resident), 'nothing loaded until loadStore');
  }
  await dd.close();
});

test('VarChar primary keys: deletes, upserts and pk lookups on sealed segments survive a restart', async () => {
  const dir = tempDir();
  let dd = await DataDir.open(dir, { store: { autoCompact: false } });
  const id = dd.allocId();
  const meta = addCollection(dd.catalog, 4, { rich: false });
  dd.catalog.collections.pop();
  const schema = structuredClone(meta.schema);
  schema.fields[0] = { ...schema.fields[0]!, dataType: DataType.VarChar, maxLength: 32 };
  const m = { ...meta, id, schema };
  dd.catalog.collections.push(m);
  await dd.commit();
  const st = dd.store(m);
  const part = m.partitions[0]!.id;
  const batch = (keys: string[], v: number): Map<string, Column> =>
    new Map<string, Column>([
      ['id', { type: DataType.VarChar, data: keys, valid: null }],
      ['vec', { type: DataType.FloatVector, dim: 4, data: new Float32Array(keys.length * 4).fill(v), valid: null }],
    ]);
  await st.insert(part, batch(['b', 'a', 'ü', 'c'], 1), 4);
  await st.flush();
  assert.equal(await st.deletePks(['a', 'zz']), 1);
  assert.equal(await st.upsert(part, batch(['c'], 2), 1), 1);
  dd = await reopen(dd);
  const s2 = await dd.loadStore(dd.catalog.collections[0]!);
  const live = new Map<string, number>();
  for (const seg of s2.segments()) {
    const keys = seg.column('id')!.data as string[];
    const vec = seg.column('vec')!.data as Float32Array;
    for (const r of seg.liveRows().indices()) live.set(keys[r]!, vec[r * 4]!);
  }
  assert.deepEqual([...live].sort(), [['b', 1], ['c', 2], ['ü', 1]]);
  assert.deepEqual(s2.allSegments().find((s) => s.sealed)!.rowsOfPks(['ü', 'b']), [0, 2]);
  await dd.close();
});

test('concurrent inserts, upserts, deletes, flushes, compactions and load/release: reopened state equals the acknowledged state', async () => {
  const dir = tempDir();
  const opts: DataDirOptions = { store: { sealRows: 64, autoCompact: true } };
  let dd = await DataDir.open(dir, opts);
  const meta = addCollection(dd.catalog, 8);
  const p2 = dd.allocId();
  meta.partitions.push({ id: p2, name: 'p2', createdAt: 0 });
  await dd.commit();
  const st = await dd.loadStore(meta);
  const parts = meta.partitions.map((p) => p.id);
  const ops: Promise<unknown>[] = [];
  let next = 0;
  for (let i = 0; i < 200; i++) {
    const part = parts[i % 2]!;
    const k = i % 7;
    if (k < 3) {
      const pks = range(next, next + 10);
      next += 10;
      ops.push(st.insert(part, makeBatch(meta.schema, pks), pks.length));
    } else if (k === 3) ops.push(st.upsert(part, makeBatch(meta.schema, [BigInt(i % (next + 1))], i), 1));
    else if (k === 4) ops.push(st.deletePks([BigInt((i * 7) % (next + 1)), BigInt((i * 13) % (next + 1))]));
    else if (k === 5) ops.push(i % 3 === 0 ? st.compact() : st.flush());
    else ops.push((async () => (i % 2 ? (dd.releaseStore(meta.id), await dd.loadStore(meta)) : undefined))());
  }
  await Promise.all(ops);
  await dd.loadStore(meta);
  const expected = liveRows(st);
  assert.equal(checkRowValues(st), null);
  dd = await reopen(dd, opts);
  const s2 = await dd.loadStore(dd.catalog.collections[0]!);
  assert.deepEqual(liveRows(s2), expected);
  assert.equal(checkRowValues(s2), null);
  await dd.close();
});

test('the WAL stays bounded: old files are dropped once their records are in sealed segments', async () => {
  const dir = tempDir();
  const opts: DataDirOptions = { walFileBytes: 16 * 1024, walCheckpointBytes: 64 * 1024, store: { sealRows: 1_000_000 } };
  let dd = await DataDir.open(dir, opts);
  const meta = addCollection(dd.catalog, 16, { rich: false });
  await dd.commit();
  const st = dd.store(meta);
  for (let i = 0; i < 100; i++) await st.insert(meta.partitions[0]!.id, makeBatch(meta.schema, range(i * 20, i * 20 + 20)), 20);
  await st.deletePks([5n]);
  dd = await reopen(dd, opts);
  const walBytes = readdirSync(join(dir, 'wal')).length * 16 * 1024;
  assert.ok(walBytes <= 160 * 1024, `WAL holds ${readdirSync(join(dir, 'wal')).length} files`);
  const s2 = await dd.loadStore(dd.catalog.collections[0]!);
  assert.equal(s2.rowCount, 1999);
  assert.ok(s2.allSegments().some((s) => s.sealed), 'the checkpoint sealed the growing data');
  await dd.close();
});
