/**
 * Load/release memory: RSS and heap before load, after load (segments + HNSW indexes resident) and
 * after release, for 100k × 128 vectors. Run with `node --expose-gc --import tsx bench/memory-bench.ts`
 * (npm run bench passes --expose-gc).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MilvusClient, DataType } from '../src/index.js';

function mb(n: number): string {
  return (n / 2 ** 20).toFixed(0).padStart(6);
}

async function settle(): Promise<NodeJS.MemoryUsage> {
  const gc = (globalThis as { gc?: () => void }).gc;
  for (let i = 0; i < 3; i++) {
    gc?.();
    await new Promise((r) => setTimeout(r, 50));
  }
  return process.memoryUsage();
}

export async function run(opts: { quick?: boolean; rows?: number } = {}): Promise<void> {
  const rows = opts.rows ?? (opts.quick ? 20_000 : 100_000);
  const dim = 128;
  const dir = mkdtempSync(join(tmpdir(), 'elanus-mem-'));
  let c = new MilvusClient({ address: dir, sealRows: 50_000 });
  await c.createCollection({ collection_name: 'mem', fields: [{ name: 'id', data_type: DataType.Int64, is_primary_key: true }, { name: 'v', data_type: DataType.FloatVector, dim }] });
  await c.createIndex({ collection_name: 'mem', field_name: 'v', index_type: 'HNSW', metric_type: 'L2', params: { M: 16, efConstruction: 64 } });
  for (let i = 0; i < rows; i += 10_000) {
    const batch = Array.from({ length: Math.min(10_000, rows - i) }, (_, j) => ({ id: i + j, v: Array.from({ length: dim }, () => Math.random()) }));
    await c.insert({ collection_name: 'mem', data: batch });
  }
  await c.flush({ collection_names: ['mem'] });
  // Index files are built in the background; wait until describeIndex reports them finished.
  while ((await c.describeIndex({ collection_name: 'mem' })).index_descriptions[0]?.state !== 'Finished') await new Promise((r) => setTimeout(r, 100));
  await c.close();
  c = new MilvusClient({ address: dir });
  await c.connectPromise;
  const before = await settle();
  const t0 = performance.now();
  await c.loadCollection({ collection_name: 'mem' });
  const loadMs = performance.now() - t0;
  const loaded = await settle();
  await c.releaseCollection({ collection_name: 'mem' });
  const released = await settle();
  console.log(`\nLoad/release memory (${rows} × ${dim}, HNSW M=16, reopened data directory; load took ${loadMs.toFixed(0)} ms), MiB`);
  console.log('| phase    |    rss | arrayBuffers |');
  console.log('|----------|--------|--------------|');
  for (const [name, m] of [['opened', before], ['loaded', loaded], ['released', released]] as const) {
    console.log(`| ${name.padEnd(8)} | ${mb(m.rss)} | ${mb(m.arrayBuffers).padStart(12)} |`);
  }
  await c.close();
  rmSync(dir, { recursive: true, force: true });
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
