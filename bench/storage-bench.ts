/**
 * Storage benchmark (`npm run bench -- storage`, `--quick` for smaller sizes; also runnable alone:
 * `node --import tsx bench/storage-bench.ts [--quick]`).
 *
 * - Durable ingest rows/s at dim 128 and 768, batches of 1, 100 and 10,000 rows: every batch is
 *   acknowledged only after its WAL record is fdatasync'd. Batches of 1 are also run with 32
 *   concurrent writers to show group commit.
 * - Open time and load time for 1M rows of dim 128 (sealed into segment files).
 * Target: >= 100,000 rows/s at dim 128 in batches of 10,000.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unexpected } from '../src/core/errors.js';
import { DataDir } from '../src/storage/data-dir.js';
import { addCollection, makeBatch } from '../src/storage/testing.js';

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

async function ingest(dim: number, batch: number, rows: number, writers = 1): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'elanus-bench-'));
  try {
    const dd = await DataDir.open(dir);
    const meta = addCollection(dd.catalog, dim, { rich: false });
    await dd.commit();
    const st = dd.store(meta);
    const part = meta.partitions[0]!.id;
    const batches = Math.max(1, Math.floor(rows / batch));
    // Pre-built batches so the measurement is storage, not test-data generation.
    const pool = Array.from({ length: Math.min(batches, 8) }, (_, i) => makeBatch(meta.schema, Array.from({ length: batch }, (_, j) => BigInt(i * batch + j))));
    let next = 0;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: writers }, async () => {
        while (next < batches) {
          const i = next++;
          await st.insert(part, pool[i % pool.length]!, batch);
        }
      }),
    );
    const secs = (performance.now() - t0) / 1000;
    await dd.close();
    return (batches * batch) / secs;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function openAndLoad(total: number, dim: number): Promise<{ ingest: number; open: number; load: number; openWal: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'elanus-bench-'));
  try {
    let dd = await DataDir.open(dir);
    const meta = addCollection(dd.catalog, dim, { rich: false });
    await dd.commit();
    let st = dd.store(meta);
    const part = meta.partitions[0]!.id;
    const batch = 10_000;
    const t0 = performance.now();
    for (let i = 0; i < total; i += batch) {
      const pks = Array.from({ length: batch }, (_, j) => BigInt(i + j));
      await st.insert(part, makeBatch(meta.schema, pks), batch);
    }
    await st.flush();
    const ingestSecs = (performance.now() - t0) / 1000;
    await dd.close();
    let t = performance.now();
    dd = await DataDir.open(dir);
    const open = performance.now() - t;
    t = performance.now();
    st = await dd.loadStore(dd.catalog.collections[0]!);
    const load = performance.now() - t;
    if (st.rowCount !== total) throw unexpected(`loaded ${st.rowCount} rows, expected ${total}`);
    // Same data left in the WAL only (no flush): open replays it.
    const meta2 = addCollection(dd.catalog, dim, { rich: false });
    await dd.commit();
    const st2 = dd.store(meta2);
    const walRows = Math.min(total, 200_000);
    for (let i = 0; i < walRows; i += batch) {
      await st2.insert(meta2.partitions[0]!.id, makeBatch(meta2.schema, Array.from({ length: batch }, (_, j) => BigInt(i + j))), batch);
    }
    await dd.close();
    t = performance.now();
    dd = await DataDir.open(dir, { store: { sealRows: 1_000_000 } });
    const openWal = performance.now() - t;
    await dd.close();
    return { ingest: total / ingestSecs, open, load, openWal };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function run(opts: { quick: boolean }): Promise<void> {
  const scale = opts.quick ? 0.2 : 1;
  console.log('| dim | batch | writers | durable rows/s |');
  console.log('|---|---|---|---|');
  for (const dim of [128, 768]) {
    for (const [batch, rows, writers] of [
      [1, 300, 1],
      [1, 3_000, 32],
      [100, 30_000, 1],
      [10_000, dim === 128 ? 300_000 : 100_000, 1],
    ] as const) {
      const r = await ingest(dim, batch, Math.max(batch, Math.round(rows * scale)), writers);
      console.log(`| ${dim} | ${fmt(batch)} | ${writers} | ${fmt(r)} |`);
    }
  }
  const total = opts.quick ? 200_000 : 1_000_000;
  const r = await openAndLoad(total, 128);
  console.log(`\n${fmt(total)} rows, dim 128: ingest+flush ${fmt(r.ingest)} rows/s; open ${r.open.toFixed(0)} ms; load ${r.load.toFixed(0)} ms`);
  console.log(`open replaying ${fmt(Math.min(total, 200_000))} rows from the WAL: ${r.openWal.toFixed(0)} ms`);
}

if (import.meta.url === `file://${process.argv[1]}`) await run({ quick: process.argv.includes('--quick') });
