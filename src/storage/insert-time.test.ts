import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { DataDir } from './data-dir.js';
import { expiryCutoff, TTL_PROPERTY } from './insert-time.js';
import { addCollection, makeBatch } from './testing.js';
import type { CollectionStore } from './collection-store.js';

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const range = (a: number, b: number): bigint[] => Array.from({ length: b - a }, (_, i) => BigInt(a + i));
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Primary keys of the rows live at `cutoff`, ascending. */
function visible(st: CollectionStore, cutoff: number): bigint[] {
  const out: bigint[] = [];
  for (const seg of st.segments()) {
    const ids = seg.column('id')!.data as BigInt64Array;
    for (const r of seg.liveRows(cutoff).indices()) out.push(ids[r]!);
  }
  return out.sort((a, b) => (a < b ? -1 : 1));
}

test('expiryCutoff: now − TTL for a positive TTL, 0 (nothing expires) otherwise', () => {
  assert.equal(expiryCutoff(undefined, 10_000), 0);
  assert.equal(expiryCutoff({}, 10_000), 0);
  assert.equal(expiryCutoff({ [TTL_PROPERTY]: '2' }, 10_000), 8_000);
  assert.equal(expiryCutoff({ [TTL_PROPERTY]: '0' }, 10_000), 0);
  assert.equal(expiryCutoff({ [TTL_PROPERTY]: '-1' }, 10_000), 0);
  assert.equal(expiryCutoff({ [TTL_PROPERTY]: 'abc' }, 10_000), 0);
});

test('rows keep their insert time through the WAL, sealing, restart and compaction; compaction drops expired rows', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'elanus-ts-'));
  dirs.push(dir);
  let dd = await DataDir.open(dir, { store: { sealRows: 1000, autoCompact: false } });
  const meta = addCollection(dd.catalog, 4, { rich: false });
  await dd.commit();
  let st = await dd.loadStore(meta);
  const part = meta.partitions[0]!.id;
  await st.insert(part, makeBatch(meta.schema, range(0, 10)), 10);
  await st.flush(); // rows 0..9 sealed
  await sleep(30);
  const between = Date.now();
  await sleep(30);
  await st.insert(part, makeBatch(meta.schema, range(10, 20)), 10);
  await st.flush(); // rows 10..19 sealed
  await st.upsert(part, makeBatch(meta.schema, range(5, 7), 1), 2); // rows 5 and 6 rewritten now, growing
  await st.insert(part, makeBatch(meta.schema, range(20, 25)), 5); // growing, WAL only
  const all = range(0, 25);
  assert.deepEqual(visible(st, 0), all);
  const newer = all.filter((k) => k >= 10n || k === 5n || k === 6n);
  assert.deepEqual(visible(st, between), newer, 'rows written before the cutoff are expired, upserted ones are new');
  for (const seg of st.segments()) if (seg.sealed) assert.ok(seg.insertTime(0) > 0);

  // Restart: sealed segments' times come from their files, growing rows' from the WAL.
  await dd.close();
  dd = await DataDir.open(dir, { store: { sealRows: 1000, autoCompact: false } });
  st = await dd.loadStore(dd.catalog.collections[0]!);
  assert.deepEqual(visible(st, 0), all);
  assert.deepEqual(visible(st, between), newer, 'the same after a restart');

  // Compaction with the TTL in force drops the expired rows (the first segment is all but gone).
  await st.flush();
  st.meta.properties[TTL_PROPERTY] = String((Date.now() - between) / 1000);
  const cutoff = st.expireBefore();
  assert.ok(cutoff >= between - 5 && cutoff <= Date.now());
  const before = st.allSegments().reduce((n, s) => n + s.rowCount, 0);
  assert.equal(before, 27);
  assert.ok((await st.compact()) >= 1);
  const rows = st.allSegments().reduce((n, s) => n + s.rowCount, 0);
  assert.equal(rows, newer.length, 'expired and deleted rows are gone from the segments');
  assert.deepEqual(visible(st, 0), newer, 'without the TTL only the unexpired rows are left');
  await dd.close();
  dd = await DataDir.open(dir, { store: { sealRows: 1000, autoCompact: false } });
  st = await dd.loadStore(dd.catalog.collections[0]!);
  assert.deepEqual(visible(st, 0), newer, 'and so after a restart');
  assert.deepEqual(visible(st, between), newer, 'the merged segment kept the insert times');
  await dd.close();
});
