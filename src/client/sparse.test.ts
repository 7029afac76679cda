/**
 * Sparse vectors end to end in the embedded client: every input encoding, SPARSE_INVERTED_INDEX on
 * sealed segments (posting-list files) next to growing rows, filters and deletes, results equal to an
 * exact scan written here; the same after compaction and after a restart that reads the index files.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MilvusClient, DataType } from '../index.js';
import { rng } from '../index/kernels/rng.js';

const N = 7000;
type Sparse = Map<number, number>;

function makeRows(): { id: number; cat: number; sv: Sparse }[] {
  const r = rng(12);
  return Array.from({ length: N }, (_, id) => {
    const sv: Sparse = new Map();
    const terms = 3 + Math.floor(r() * 20);
    while (sv.size < terms) sv.set(Math.floor(2000 * r() ** 2), Math.round(r() * 100) / 100 + 0.01);
    return { id, cat: id % 4, sv };
  });
}
const all = makeRows();

/** The four SDK encodings plus [index, value] pairs, in turn. */
function encode(id: number, sv: Sparse): unknown {
  const e = [...sv.entries()];
  switch (id % 5) {
    case 0:
      return Object.fromEntries(e);
    case 1:
      return e.map(([index, value]) => ({ index, value }));
    case 2:
      return { indices: e.map((p) => p[0]), values: e.map((p) => p[1]) };
    case 3:
      return e;
    default: {
      const dense: number[] = [];
      for (const [i, v] of e) dense[i] = v;
      return dense;
    }
  }
}

function exact(q: Sparse, k: number, keep: (row: { id: number; cat: number }) => boolean): { id: string; score: number }[] {
  const scored: { id: number; score: number }[] = [];
  for (const row of all) {
    if (!keep(row)) continue;
    let s = 0;
    let shared = false;
    for (const [t, w] of q) {
      const v = row.sv.get(t);
      if (v !== undefined) {
        shared = true;
        s += w * Math.fround(v);
      }
    }
    if (shared) scored.push({ id: row.id, score: Math.fround(s) });
  }
  scored.sort((a, b) => b.score - a.score || a.id - b.id);
  return scored.slice(0, k).map((h) => ({ id: String(h.id), score: h.score }));
}

const queries: Sparse[] = [new Map([[3, 1], [10, 0.5], [700, 2]]), new Map([[1, 0.2], [2, 0.3], [50, 1], [1999, 1]]), new Map([[0, 1]])];

test('sparse vectors: encodings in and out, indexed search equals an exact scan with filters and deletes, after compaction and restart', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'elanus-sparse-'));
  const deleted = new Set<number>();
  try {
    let c = new MilvusClient({ address: dir, sealRows: 3000 });
    const st = await c.createCollection({
      collection_name: 'sp',
      fields: [
        { name: 'id', data_type: DataType.Int64, is_primary_key: true },
        { name: 'cat', data_type: DataType.Int32 },
        { name: 'sv', data_type: DataType.SparseFloatVector },
      ],
    });
    assert.equal(st.code, 0, st.reason);
    for (let i = 0; i < N; i += 1000) {
      const res = await c.insert({ collection_name: 'sp', data: all.slice(i, i + 1000).map((r) => ({ id: r.id, cat: r.cat, sv: encode(r.id, r.sv) })) });
      assert.equal(res.status.code, 0, res.status.reason);
    }
    assert.equal((await c.createIndex({ collection_name: 'sp', field_name: 'sv', index_type: 'SPARSE_INVERTED_INDEX', metric_type: 'IP', params: { inverted_index_algo: 'DAAT_MAXSCORE' } })).code, 0);
    assert.equal((await c.loadCollection({ collection_name: 'sp' })).code, 0);
    const info = await c.getQuerySegmentInfo({ collectionName: 'sp' });
    assert.deepEqual(info.infos.filter((x) => x['state'] === 'Sealed').map((x) => String(x['index_name'])), ['sv', 'sv'], 'two sealed segments serve the sparse index');
    const got = await c.query({ collection_name: 'sp', filter: 'id in [0, 1, 2, 3, 4]', output_fields: ['id', 'sv'] });
    for (const row of got.data) {
      const want = all[Number(row['id'])]!.sv;
      assert.deepEqual(row['sv'], Object.fromEntries([...want].sort((a, b) => a[0] - b[0]).map(([k, v]) => [String(k), Math.fround(v)])), `row ${String(row['id'])} round trips`);
    }
    const check = async (label: string): Promise<void> => {
      for (const [qi, q] of queries.entries()) {
        for (const [filter, keep] of [
          [undefined, () => true],
          ['cat != 3', (r: { cat: number }) => r.cat !== 3],
          ['cat == 1', (r: { cat: number }) => r.cat === 1],
        ] as const) {
          const res = await c.search({ collection_name: 'sp', data: Object.fromEntries(q), limit: 10, filter, output_fields: ['id'] });
          assert.equal(res.status.code, 0, res.status.reason);
          const want = exact(q, 10, (r) => !deleted.has(r.id) && keep(r as { cat: number }));
          const hits = (res.results as Record<string, unknown>[]).map((h) => ({ id: String(h['id']), score: h['score'] as number }));
          assert.deepEqual(hits.map((h) => h.id), want.map((h) => h.id), `${label}: query ${qi} filter ${filter ?? '-'}`);
          hits.forEach((h, j) => assert.ok(Math.abs(h.score - want[j]!.score) < 1e-5, `${label}: score ${h.score} vs ${want[j]!.score}`));
        }
      }
    };
    await check('indexed');
    const del = all.filter((r) => r.id % 7 === 0 || r.sv.has(0)).map((r) => r.id).slice(0, 900);
    for (const id of del) deleted.add(id);
    assert.equal((await c.delete({ collection_name: 'sp', ids: del })).status.code, 0);
    await check('after deletes');
    await c.flush({ collection_names: ['sp'] });
    const comp = await c.compact({ collection_name: 'sp' });
    assert.equal(comp.status.code, 0, comp.status.reason);
    for (let i = 0; i < 100; i++) {
      const s = await c.getCompactionState({ compactionID: comp.compactionID });
      if (s.state === 'Completed' || (s.state as unknown) === 2) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    await check('after compaction');
    await c.close();

    c = new MilvusClient({ address: dir, sealRows: 3000 });
    assert.equal((await c.loadCollection({ collection_name: 'sp' })).code, 0);
    const colDir = join(dir, 'collections', readdirSync(join(dir, 'collections'))[0]!);
    assert.ok(readdirSync(colDir).some((f) => f.endsWith('.idx')), 'posting lists are persisted as index files');
    await check('after restart');
    await c.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
