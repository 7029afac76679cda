/** Shared by the crash-test child and parent: data directory options and the one test collection. */
import type { CollectionMeta } from '../../src/storage/catalog.js';
import type { DataDir, DataDirOptions } from '../../src/storage/data-dir.js';
import { addCollection } from '../../src/storage/testing.js';

/** Small thresholds so seals, compactions, WAL rotation and WAL checkpoints all happen in a short run. */
export const CRASH_DIR_OPTIONS: DataDirOptions = {
  store: { sealRows: 150, autoCompact: true, compactDeletedRatio: 0.2 },
  walFileBytes: 32 * 1024,
  walCheckpointBytes: 128 * 1024,
  onBackgroundError: (err) => process.stdout.write(`BGERROR ${err instanceof Error ? err.message : String(err)}\n`),
};

export async function ensureCollection(dd: DataDir): Promise<CollectionMeta> {
  const existing = dd.catalog.collections[0];
  if (existing) return existing;
  const meta = addCollection(dd.catalog, 8, { autoId: true });
  meta.partitions.push({ id: dd.allocId(), name: 'p2', createdAt: 0 });
  meta.nextAutoId = '1';
  await dd.commit();
  return meta;
}
