/** Helpers for the storage fault tests: an engine over a temp data directory and its visible rows. */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataType } from '../../src/core/data-type.js';
import { Engine } from '../../src/engine/engine.js';

export const DIM = 4;

export function tempDir(tag: string): string {
  return mkdtempSync(join(tmpdir(), `elanus-${tag}-`));
}

export async function openEngine(dir: string, extra: { reserveBytes?: number } = {}): Promise<Engine> {
  return Engine.open({ dataDir: dir, recoverMs: 10, onBackgroundError: () => undefined, ...extra });
}

export function vec(id: number, ver = 0): number[] {
  return [id, ver, 1, 0];
}

/** Creates collection `name` (id Int64 pk, v FloatVector 4, FLAT index) and loads it. */
export async function makeCollection(e: Engine, name: string): Promise<void> {
  await e.catalog.createCollection({
    collection_name: name,
    fields: [
      { name: 'id', data_type: DataType.Int64, is_primary_key: true },
      { name: 'v', data_type: DataType.FloatVector, dim: DIM },
    ],
  } as never);
  await e.indexes.createIndex({ collection_name: name, field_name: 'v', index_type: 'FLAT', metric_type: 'L2' } as never);
  await e.loads.loadCollection({ collection_name: name });
}

/** Every visible row as `id → v` (query), plus the row count statistic, plus ids a search finds. */
export async function visible(e: Engine, name: string): Promise<{ rows: Map<number, number[]>; count: number; searched: number[] }> {
  const got = await e.search.query({ collection_name: name, filter: 'id >= 0', output_fields: ['id', 'v'], limit: 16384 } as never);
  const rows = new Map<number, number[]>();
  for (const r of got) rows.set(Number(r.id), Array.from(r.v as number[]));
  const count = e.catalog.getCollectionStatistics({ collection_name: name }).rowCount;
  const s = await e.search.search({ collection_name: name, data: [vec(0)], limit: 16384, output_fields: ['id'] } as never);
  const searched = s.hits[0]!.map((h) => Number(h.pk)).sort((a, b) => a - b);
  return { rows, count, searched };
}

/** The rows `model` says are there: same ids, same vectors, count and search agree. */
export function expected(model: Map<number, number[]>): { rows: Map<number, number[]>; count: number; searched: number[] } {
  return { rows: new Map([...model].sort((a, b) => a[0] - b[0])), count: model.size, searched: [...model.keys()].sort((a, b) => a - b) };
}

export function sorted(v: { rows: Map<number, number[]>; count: number; searched: number[] }): typeof v {
  return { ...v, rows: new Map([...v.rows].sort((a, b) => a[0] - b[0])) };
}

export async function until(cond: () => boolean, what: string, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
