/**
 * Segments sized by bytes and merged in the background (Milvus's dataCoord.segment.maxSize /
 * sealProportion and mix compaction): small sealed segments become one, whose index is built
 * before it is swapped in — searches never meet it unindexed — with deletes made meanwhile
 * applied; its index file is read back after a restart. Recall is checked against an exact scan.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MilvusClient, DataType } from '../index.js';
import { randomVectors } from '../../test/support/data.js';

const DIM = 16;
const N = 3 * 364;
const vectors = randomVectors(N + 20, DIM, 11);

function exactTop(q: number[], live: Set<number>, k: number): number[] {
  const d = [...live].map((id) => {
    let s = 0;
    for (let j = 0; j < DIM; j++) s += (vectors[id]![j]! - q[j]!) ** 2;
    return { id, s };
  });
  return d.sort((a, b) => a.s - b.s).slice(0, k).map((x) => x.id);
}

test('small sealed segments merge in the background into one that arrives indexed; deletes meanwhile applied; index file reused after restart', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'elanus-segcompact-'));
  // Rows of 8 + 64 bytes: max 0.1 MB → 1456 rows; sealed at 0.25 → 364 rows.
  const cfg = { address: dir, segmentMaxSize: 0.1, sealProportion: 0.25 };
  try {
    let c = new MilvusClient(cfg);
    await c.createCollection({ collection_name: 'docs', fields: [{ name: 'id', data_type: DataType.Int64, is_primary_key: true }, { name: 'v', data_type: DataType.FloatVector, dim: DIM }] });
    assert.equal((await c.createIndex({ collection_name: 'docs', field_name: 'v', index_type: 'HNSW', metric_type: 'L2', params: { M: 8, efConstruction: 64 } })).code, 0);
    assert.equal((await c.loadCollection({ collection_name: 'docs' })).code, 0);
    const segs = async (): Promise<Record<string, unknown>[]> => {
      const info = await c.getQuerySegmentInfo({ collectionName: 'docs' });
      assert.equal(info.status.code, 0, info.status.reason);
      return info.infos.filter((s) => s['state'] === 'Sealed');
    };
    const live = new Set<number>();
    for (let i = 0; i < N; i += 364) {
      assert.equal((await c.insert({ collection_name: 'docs', data: vectors.slice(i, i + 364).map((v, j) => ({ id: i + j, v })) })).status.code, 0);
      for (let j = i; j < i + 364; j++) live.add(j);
    }
    // Deletes while the merge runs (sealed at 364 rows each, the third seal starts the merge).
    const del = Array.from({ length: 30 }, (_, i) => i * 7);
    assert.equal((await c.delete({ collection_name: 'docs', ids: del })).status.code, 0);
    for (const id of del) live.delete(id);
    let seen = await segs();
    const sources = new Set(seen.map((s) => String(s['segmentID'])));
    const end = Date.now() + 60_000;
    while (seen.length !== 1 || sources.has(String(seen[0]!['segmentID']))) {
      // The merged segment is swapped in with its index: searches never meet it unindexed.
      for (const s of seen) if (!sources.has(String(s['segmentID']))) assert.equal(s['index_name'], 'v', `merged segment ${String(s['segmentID'])} indexed when it appears`);
      assert.ok(Date.now() < end, `merged into one segment (now ${seen.length})`);
      await new Promise((r) => setTimeout(r, 5));
      seen = await segs();
    }
    assert.equal(seen[0]!['index_name'], 'v', 'the merged segment is indexed when it appears');
    const d = (await c.describeIndex({ collection_name: 'docs' })).index_descriptions[0]!;
    assert.equal(Number(d['pending_index_rows']), 0);
    assert.equal(Number(d['indexed_rows']), N - del.length);

    const recall = async (): Promise<number> => {
      let hits = 0;
      for (let q = N; q < N + 20; q++) {
        const r = await c.search({ collection_name: 'docs', data: vectors[q]!, limit: 10, params: { ef: 64 }, output_fields: ['id'] });
        const got = (r.results as { id: string }[]).map((h) => Number(h.id));
        for (const id of got) assert.ok(live.has(id), `deleted id ${id} never returned`);
        const want = new Set(exactTop(vectors[q]!, live, 10));
        hits += got.filter((id) => want.has(id)).length;
      }
      return hits / 200;
    };
    const r1 = await recall();
    assert.ok(r1 >= 0.9, `recall@10 vs exact ${r1}`);
    await c.close();

    const colDir = join(dir, 'collections', readdirSync(join(dir, 'collections'))[0]!);
    const files = readdirSync(colDir);
    assert.equal(files.filter((f) => f.endsWith('.seg')).length, 1, files.join(','));
    assert.equal(files.filter((f) => f.endsWith('.idx')).length, 1, `only the merged segment's index file is left: ${files.join(',')}`);
    const segId = /^seg-(\d+)\.seg$/.exec(files.find((f) => f.endsWith('.seg'))!)![1]!;
    assert.ok(files.some((f) => f.startsWith(`idx-${segId}-`)), 'the index file belongs to the merged segment');

    c = new MilvusClient(cfg);
    assert.equal((await c.loadCollection({ collection_name: 'docs' })).code, 0);
    const after = await segs();
    assert.equal(after.length, 1);
    assert.equal(after[0]!['index_name'], 'v');
    assert.equal(await recall(), r1, 'the index read back from its file answers as before');
    await c.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
