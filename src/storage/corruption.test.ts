import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { ErrorCode, MilvusError } from '../core/errors.js';
import { DataDir } from './data-dir.js';
import { addCollection, liveRows, makeBatch } from './testing.js';

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const range = (a: number, b: number): bigint[] => Array.from({ length: b - a }, (_, i) => BigInt(a + i));

/** A data directory holding one collection: rows 0..99 sealed (pk 3 deleted), rows 100..129 only in the WAL. */
async function fixture(): Promise<{ dir: string; collId: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'elanus-corrupt-'));
  dirs.push(dir);
  const dd = await DataDir.open(dir, { store: { autoCompact: false } });
  const meta = addCollection(dd.catalog, 16);
  await dd.commit();
  const st = dd.store(meta);
  const p = meta.partitions[0]!.id;
  await st.insert(p, makeBatch(meta.schema, range(0, 100)), 100);
  await st.flush();
  await st.deletePks([3n]);
  await st.flush();
  for (let i = 100; i < 130; i += 10) await st.insert(p, makeBatch(meta.schema, range(i, i + 10)), 10);
  await dd.close();
  return { dir, collId: meta.id };
}

function flip(path: string, at: number): void {
  const b = readFileSync(path);
  b[at] = b[at]! ^ 0x5a;
  writeFileSync(path, b);
}

function walWithRecords(dir: string): string {
  const files = readdirSync(join(dir, 'wal')).map((f) => join(dir, 'wal', f));
  return files.reduce((a, b) => (statSync(a).size >= statSync(b).size ? a : b));
}

function corrupted(file: string): (e: unknown) => boolean {
  return (e: unknown) => e instanceof MilvusError && e.code === ErrorCode.DataCorrupted && e.message.includes(file);
}

test('a flipped byte in a WAL record in the middle is a clear error naming the file', async () => {
  const { dir } = await fixture();
  const wal = walWithRecords(dir);
  flip(wal, 24 + 16 + 40); // inside the first record's payload
  await assert.rejects(DataDir.open(dir), corrupted(wal));
});

test('a flipped byte in the last WAL record is corruption too, not a torn tail', async () => {
  const { dir } = await fixture();
  const wal = walWithRecords(dir);
  flip(wal, statSync(wal).size - 3);
  await assert.rejects(DataDir.open(dir), corrupted(wal));
});

test('a flipped byte in a WAL record length is corruption, never a silently truncated tail', async () => {
  const { dir } = await fixture();
  const wal = walWithRecords(dir);
  flip(wal, 24 + 1); // the first record's length: it now runs past the end of the file
  await assert.rejects(DataDir.open(dir), corrupted(wal));
});

test('a torn WAL tail is truncated: earlier records survive and the directory opens cleanly', async () => {
  const { dir, collId } = await fixture();
  const wal = walWithRecords(dir);
  truncateSync(wal, statSync(wal).size - 7);
  let dd = await DataDir.open(dir);
  const meta = dd.catalog.collections.find((c) => c.id === collId)!;
  const rows = liveRows(await dd.loadStore(meta));
  assert.equal(rows.size, 99 + 20);
  assert.ok(rows.has(119n) && !rows.has(120n) && !rows.has(3n));
  await dd.close();
  dd = await DataDir.open(dir);
  assert.equal(dd.store(dd.catalog.collections[0]!).rowCount, 119);
  await dd.close();
});

test('a flipped byte in a segment file fails load naming the file; no rows from it are served', async () => {
  const { dir, collId } = await fixture();
  const cdir = join(dir, 'collections', String(collId));
  const seg = join(cdir, readdirSync(cdir).find((f) => f.endsWith('.seg'))!);
  flip(seg, 64 + 200); // inside the first (vector or pk) section
  const dd = await DataDir.open(dir);
  const meta = dd.catalog.collections[0]!;
  await assert.rejects(dd.loadStore(meta), corrupted(seg));
  const st = dd.store(meta);
  assert.ok(st.segments().every((s) => !s.sealed), 'no sealed segment is resident after a failed load');
  await dd.close();
});

test('a flipped byte in the manifest fails open naming the manifest', async () => {
  const { dir } = await fixture();
  const manifest = join(dir, 'MANIFEST');
  flip(manifest, 40);
  await assert.rejects(DataDir.open(dir), corrupted(manifest));
});

test('a flipped byte in a delete file fails naming the file (deleted rows never reappear silently)', async () => {
  const { dir, collId } = await fixture();
  const cdir = join(dir, 'collections', String(collId));
  const del = join(cdir, readdirSync(cdir).find((f) => f.endsWith('.del'))!);
  flip(del, 48);
  await assert.rejects(DataDir.open(dir), corrupted(del));
});
