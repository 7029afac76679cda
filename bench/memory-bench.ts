/**
 * Load/release memory: RSS and heap before load, after load (segments + HNSW indexes resident) and
 * after release, for 100k × 128 vectors. Run with `node --expose-gc --import tsx bench/memory-bench.ts`
 * (npm run bench passes --expose-gc).
 */
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

export async function run(opts: { rows?: number } = {}): Promise<void> {
  const rows = opts.rows ?? 100_000;
  const dim = 128;
  const c = new MilvusClient({ address: ':memory:', sealRows: 50_000 });
  await c.createCollection({ collection_name: 'mem', fields: [{ name: 'id', data_type: DataType.Int64, is_primary_key: true }, { name: 'v', data_type: DataType.FloatVector, dim }] });
  for (let i = 0; i < rows; i += 10_000) {
    const batch = Array.from({ length: Math.min(10_000, rows - i) }, (_, j) => ({ id: i + j, v: Array.from({ length: dim }, () => Math.random()) }));
    await c.insert({ collection_name: 'mem', data: batch });
  }
  await c.flush({ collection_names: ['mem'] });
  await c.createIndex({ collection_name: 'mem', field_name: 'v', index_type: 'HNSW', metric_type: 'L2', params: { M: 16, efConstruction: 64 } });
  const before = await settle();
  await c.loadCollection({ collection_name: 'mem' });
  const loaded = await settle();
  await c.releaseCollection({ collection_name: 'mem' });
  const released = await settle();
  console.log(`\nLoad/release memory (${rows} × ${dim}, HNSW M=16), MiB`);
  console.log('| phase    |    rss | arrayBuffers |');
  console.log('|----------|--------|--------------|');
  for (const [name, m] of [['before', before], ['loaded', loaded], ['released', released]] as const) {
    console.log(`| ${name.padEnd(8)} | ${mb(m.rss)} | ${mb(m.arrayBuffers).padStart(12)} |`);
  }
  await c.close();
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
