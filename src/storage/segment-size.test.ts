import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { ErrorCode, MilvusError } from '../core/errors.js';
import { DataDir, type DataDirOptions } from './data-dir.js';
import { checkSegmentSizing, estimateRowBytes, segmentLimits } from './segment-size.js';
import { addCollection, checkRowValues, liveRows, makeBatch, testSchema } from './testing.js';

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'elanus-segsize-'));
  dirs.push(d);
  return d;
}

const range = (a: number, b: number): bigint[] => Array.from({ length: b - a }, (_, i) => BigInt(a + i));

async function until(cond: () => boolean, what: string): Promise<void> {
  const end = Date.now() + 20_000;
  while (!cond()) {
    assert.ok(Date.now() < end, what);
    await new Promise((r) => setTimeout(r, 10));
  }
}

test("row size is estimated as Milvus's EstimateSizePerRecord; default limits are 1024 MB × 0.12", () => {
  // id Int64 (8) + FloatVector(128) (512)
  const plain = testSchema(128, { rich: false });
  assert.equal(estimateRowBytes(plain), 520);
  const lim = segmentLimits(plain, { segmentMaxSize: 1024, sealProportion: 0.12 });
  assert.equal(lim.maxRows, Math.floor((1024 * 1024 * 1024) / 520));
  assert.equal(lim.sealRows, Math.floor(lim.maxRows * 0.12));
  // + VarChar(64) 64, Int32 4, Int64 8, JSON 512, Array 512, sparse 512
  assert.equal(estimateRowBytes(testSchema(4)), 8 + 16 + 64 + 4 + 8 + 512 * 3);
  assert.deepEqual(segmentLimits(plain, { sealRows: 77, segmentMaxSize: 1024, sealProportion: 0.12 }), { sealRows: 77, maxRows: 77 });
  for (const bad of [{ segmentMaxSize: 0 }, { segmentMaxSize: -1 }, { sealProportion: 1.5 }, { sealProportion: 0 }, { sealRows: 0 }, { sealRows: 2.5 }]) {
    assert.throws(
      () => checkSegmentSizing(bad),
      (e: unknown) => e instanceof MilvusError && e.code === ErrorCode.ParameterInvalid && e.message.includes(Object.keys(bad)[0]!),
      JSON.stringify(bad),
    );
  }
});

test('growing segments seal by size; auto compaction merges three small sealed segments (not two) into one, deletes applied, durable', async () => {
  const dir = tempDir();
  // Rows of 8 + 32 bytes: max 0.02 MB → 524 rows, sealed at 0.25 → 131 rows.
  const opts: DataDirOptions = { store: { segmentMaxSize: 0.02, sealProportion: 0.25 } };
  let dd = await DataDir.open(dir, opts);
  const meta = addCollection(dd.catalog, 8, { rich: false });
  await dd.commit();
  const st = await dd.loadStore(meta);
  assert.deepEqual(st.limits(), { maxRows: 524, sealRows: 131 });
  const part = meta.partitions[0]!.id;
  const sealed = (): number => st.allSegments().filter((s) => s.sealed && s.durable).length;
  // The batch that reaches 131 rows is the segment's last: batches of 10 seal at 140.
  for (let i = 0; i < 280; i += 10) await st.insert(part, makeBatch(meta.schema, range(i, i + 10)), 10);
  await until(() => sealed() === 2, 'two segments sealed at 140 rows each');
  assert.deepEqual(st.allSegments().filter((s) => s.sealed).map((s) => s.rowCount), [140, 140]);
  // Two small segments are not worth a merge yet (Milvus: at least 3, or 85% of the max size).
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(sealed(), 2);
  await st.deletePks(range(0, 5));
  await st.insert(part, makeBatch(meta.schema, range(280, 300)), 20);
  await st.flush();
  await until(() => st.allSegments().length === 1 && st.allSegments()[0]!.rowCount === 295, 'the three sealed segments merged into one of 295 live rows');
  await until(() => readdirSync(join(dir, 'collections', String(meta.id))).filter((f) => f.endsWith('.seg')).length === 1, 'source files removed');
  assert.equal(liveRows(st).size, 295);
  assert.equal(checkRowValues(st), null);
  dd = await (async () => {
    await dd.close();
    return DataDir.open(dir, opts);
  })();
  const s2 = await dd.loadStore(dd.catalog.collections[0]!);
  assert.equal(s2.allSegments().length, 1);
  const rows = liveRows(s2);
  assert.equal(rows.size, 295);
  assert.ok(!rows.has(0n) && rows.has(5n) && rows.has(299n));
  await dd.close();
});
