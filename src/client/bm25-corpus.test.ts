/**
 * BM25 scores on a real corpus — Debian's package descriptions from `apt-cache dumpavail` (generated
 * here, never committed) — equal an independent implementation of Milvus's documented formula
 *   score = Σ_{t ∈ q} ln(1 + (N − df + 0.5)/(df + 0.5)) · tf·(k1+1) / (tf + k1·(1 − b + b·|d|/avgdl))
 * with k1 = 1.2, b = 0.75 over the live documents: top-10 ids and scores, after inserts (sealed and
 * growing segments), deletes, compaction and a restart. Tokens come from the collection's analyzer
 * (runAnalyzer); the statistics and scoring below are computed here from scratch.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MilvusClient, DataType } from '../index.js';
import { debianDescriptionsByName } from '../../test/support/debian-corpus.js';

const DOCS = 3000;
const K1 = 1.2;
const B = 0.75;
const ANALYZER = { type: 'english' };

function corpus(): string[] {
  const byName = debianDescriptionsByName(2000);
  const names = [...byName.keys()].sort();
  assert.ok(names.length >= DOCS, `apt-cache dumpavail gave ${names.length} package descriptions; run apt-get update first`);
  // every 7th package name in order: a spread over the whole archive, deterministic
  return Array.from({ length: DOCS }, (_, i) => byName.get(names[(i * 7) % names.length]!)!);
}

const QUERIES = ['python library for parsing xml', 'network monitoring tools', 'documentation files', 'gnome desktop theme', 'kernel module', 'fonts', 'perl module', 'development files for the library', 'command line utility to convert images', 'game'];

test('BM25 on Debian package descriptions: top-10 ids and scores equal the documented formula across inserts, deletes, compaction and restart', async () => {
  const texts = corpus();
  const dir = mkdtempSync(join(tmpdir(), 'elanus-bm25-'));
  try {
    let c = new MilvusClient({ address: dir, sealRows: 800 });
    const st = await c.createCollection({
      collection_name: 'debian',
      fields: [
        { name: 'id', data_type: DataType.Int64, is_primary_key: true },
        { name: 'text', data_type: DataType.VarChar, max_length: 8192, enable_analyzer: true, analyzer_params: ANALYZER },
        { name: 'sparse', data_type: DataType.SparseFloatVector },
      ],
      functions: [{ name: 'bm25', type: 'BM25', input_field_names: ['text'], output_field_names: ['sparse'], params: {} }],
    } as never);
    assert.equal(st.code, 0, st.reason);

    // the oracle's view of the documents: token lists from the analyzer, scored here
    const tokensOf = new Map<number, string[]>();
    const analyse = async (list: string[]): Promise<string[][]> => {
      const r = await c.runAnalyzer({ text: list, analyzer_params: ANALYZER });
      assert.equal(r.status.code, 0, r.status.reason);
      return r.results.map((x) => x.tokens.map((t) => t.token));
    };
    const live = new Set<number>();
    const insert = async (from: number, to: number): Promise<void> => {
      for (let i = from; i < to; i += 500) {
        const ids = Array.from({ length: Math.min(500, to - i) }, (_, j) => i + j);
        const res = await c.insert({ collection_name: 'debian', data: ids.map((id) => ({ id, text: texts[id]! })) });
        assert.equal(res.status.code, 0, res.status.reason);
        (await analyse(ids.map((id) => texts[id]!))).forEach((t, j) => tokensOf.set(ids[j]!, t));
        ids.forEach((id) => live.add(id));
      }
    };
    const oracle = async (q: string): Promise<{ id: number; score: number }[]> => {
      const [qt] = await analyse([q]);
      const docs = [...live];
      const n = docs.length;
      const avgdl = docs.reduce((s, id) => s + tokensOf.get(id)!.length, 0) / n;
      const df = new Map<string, number>();
      for (const id of docs) for (const t of new Set(tokensOf.get(id))) df.set(t, (df.get(t) ?? 0) + 1);
      const scored: { id: number; score: number }[] = [];
      for (const id of docs) {
        const toks = tokensOf.get(id)!;
        const tf = new Map<string, number>();
        for (const t of toks) tf.set(t, (tf.get(t) ?? 0) + 1);
        let s = 0;
        let hit = false;
        for (const t of qt!) {
          const f = tf.get(t);
          if (f === undefined) continue;
          hit = true;
          const d = df.get(t)!;
          const idf = Math.log(1 + (n - d + 0.5) / (d + 0.5));
          s += (idf * (f * (K1 + 1))) / (f + K1 * (1 - B + (B * toks.length) / avgdl));
        }
        if (hit) scored.push({ id, score: s });
      }
      return scored.sort((a, b) => b.score - a.score || a.id - b.id).slice(0, 10);
    };
    const check = async (label: string): Promise<void> => {
      for (const q of QUERIES) {
        const want = await oracle(q);
        const res = await c.search({ collection_name: 'debian', anns_field: 'sparse', data: q, limit: 10, output_fields: ['id'] });
        assert.equal(res.status.code, 0, res.status.reason);
        const got = (res.results as Record<string, unknown>[]).map((h) => ({ id: Number(h['id']), score: h['score'] as number }));
        assert.equal(got.length, want.length, `${label} "${q}": hit count`);
        const close = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-4 * Math.max(1, Math.abs(b));
        got.forEach((h, j) => {
          assert.ok(close(h.score, want[j]!.score), `${label} "${q}" rank ${j}: score ${h.score} vs ${want[j]!.score}`);
          // ids equal up to exact ties: the returned id has the oracle's score at this rank
          if (h.id !== want[j]!.id) assert.ok(close(want.find((w) => w.id === h.id)?.score ?? -1, want[j]!.score), `${label} "${q}" rank ${j}: id ${h.id} vs ${want[j]!.id}`);
        });
      }
    };

    await insert(0, 2000);
    assert.equal((await c.createIndex({ collection_name: 'debian', field_name: 'sparse', index_type: 'SPARSE_INVERTED_INDEX', metric_type: 'BM25', params: { inverted_index_algo: 'DAAT_MAXSCORE', bm25_k1: K1, bm25_b: B } })).code, 0);
    assert.equal((await c.loadCollection({ collection_name: 'debian' })).code, 0);
    await check('sealed');
    await insert(2000, DOCS);
    await check('sealed + growing');
    const del = [...live].filter((id) => id % 10 === 3 || id % 17 === 0);
    assert.equal((await c.delete({ collection_name: 'debian', ids: del })).status.code, 0);
    del.forEach((id) => live.delete(id));
    await check('after deletes');
    await c.flush({ collection_names: ['debian'] });
    const comp = await c.compact({ collection_name: 'debian' });
    assert.equal(comp.status.code, 0, comp.status.reason);
    for (let i = 0; i < 200; i++) {
      const s = await c.getCompactionState({ compactionID: comp.compactionID });
      if (s.state === 'Completed' || (s.state as unknown) === 2) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    await check('after compaction');
    await c.close();
    c = new MilvusClient({ address: dir, sealRows: 800 });
    assert.equal((await c.loadCollection({ collection_name: 'debian' })).code, 0);
    await check('after restart');
    await c.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
