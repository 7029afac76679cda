// The sparse inverted index against the exact sparse search on seeded Zipf-like data: every
// inverted_index_algo (and SPARSE_WAND), IP and BM25 scoring, unfiltered / 10% / 1% filters and
// deletes, range search, drop_ratio_search; payload round trip and corruption.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Bitset } from '../../core/bitset.js';
import type { SparseRow, VectorColumn } from '../../core/column.js';
import { DataType, type MetricType } from '../../core/data-type.js';
import { MilvusError } from '../../core/errors.js';
import { rng } from '../kernels/rng.js';
import { readIndexFile } from '../kernels/index-file.js';
import { loadVectorIndex, resolveVectorIndexSpec, resolveSearchParams, exactSearch } from '../index.js';
import type { VectorIndex, VectorIndexSpec } from '../registry.js';
import type { QueryVectors, SearchOptions } from '../types.js';
import { sparseFamilies } from './sparse-family.js';
import { scoreRow } from './scoring.js';

const N = 6000;
const VOCAB = 3000;
const K = 10;

function randomRow(r: () => number, terms: number, tf: boolean): SparseRow {
  const m = new Map<number, number>();
  while (m.size < terms) {
    // Zipf-ish: small ids are frequent, as words are
    const t = Math.floor(VOCAB * r() ** 3);
    m.set(t, tf ? 1 + Math.floor(r() * 4) : Math.round(r() * 1000) / 1000 + 0.001);
  }
  const ix = [...m.keys()].sort((a, b) => a - b);
  return { indices: Uint32Array.from(ix), values: Float32Array.from(ix, (i) => m.get(i)!) };
}

function column(seed: number, tf: boolean): VectorColumn {
  const r = rng(seed);
  const data = Array.from({ length: N }, () => randomRow(r, 5 + Math.floor(r() * 40), tf));
  return { type: DataType.SparseFloatVector, dim: 0, data, valid: null };
}

const ipCol = column(7, false);
const tfCol = column(8, true);

function queries(seed: number, nq: number): QueryVectors {
  const r = rng(seed);
  const sparse = Array.from({ length: nq }, () => randomRow(r, 2 + Math.floor(r() * 12), false));
  return { type: DataType.SparseFloatVector, dim: 0, nq, data: new Float32Array(0), sparse };
}

function spec(indexType: string, metric: MetricType, params: Record<string, unknown> = {}): VectorIndexSpec {
  return resolveVectorIndexSpec({ dataType: DataType.SparseFloatVector, dim: 0, name: 'sv' }, indexType, metric, params);
}

async function build(s: VectorIndexSpec, col: VectorColumn): Promise<VectorIndex> {
  return sparseFamilies.find((f) => f.indexType === s.indexType)!.build(s, col, N);
}

function allowFraction(fraction: number, seed: number): Bitset {
  const r = rng(seed);
  const b = new Bitset(N);
  for (let i = 0; i < N; i++) if (r() < fraction) b.set(i);
  return b;
}

function recall(got: Int32Array, want: Int32Array, nq: number, k: number): number {
  let hit = 0;
  let total = 0;
  for (let q = 0; q < nq; q++) {
    const w = new Set<number>();
    for (let j = 0; j < k; j++) if (want[q * k + j]! >= 0) w.add(want[q * k + j]!);
    total += w.size;
    for (let j = 0; j < k; j++) if (w.has(got[q * k + j]!)) hit++;
  }
  return total === 0 ? 1 : hit / total;
}

const BM25 = { k1: 1.2, b: 0.75, avgdl: 0 };
BM25.avgdl = (tfCol.data as SparseRow[]).reduce((s: number, d) => s + d.values.reduce((a, v) => a + v, 0), 0) / N;

const cases: [string, MetricType, Record<string, unknown>][] = [
  ['SPARSE_INVERTED_INDEX', 'IP', { inverted_index_algo: 'TAAT_NAIVE' }],
  ['SPARSE_INVERTED_INDEX', 'IP', { inverted_index_algo: 'DAAT_WAND' }],
  ['SPARSE_INVERTED_INDEX', 'IP', { inverted_index_algo: 'DAAT_MAXSCORE' }],
  ['SPARSE_WAND', 'IP', {}],
  ['SPARSE_INVERTED_INDEX', 'BM25', { inverted_index_algo: 'TAAT_NAIVE' }],
  ['SPARSE_INVERTED_INDEX', 'BM25', { inverted_index_algo: 'DAAT_WAND' }],
  ['SPARSE_INVERTED_INDEX', 'BM25', {}],
];

for (const [type, metric, params] of cases) {
  test(`${type} ${metric} ${JSON.stringify(params)}: exact top-${K} (recall 1.0) unfiltered, filtered 10%/1%, with deletes`, async () => {
    const s = spec(type, metric, params);
    const col = metric === 'BM25' ? tfCol : ipCol;
    const idx = await build(s, col);
    const q = queries(99, 60);
    const bm25 = metric === 'BM25' ? BM25 : undefined;
    const searchParams = resolveSearchParams(s, {}, K);
    const deleted = allowFraction(0.85, 5); // 15% of rows deleted
    for (const allow of [null, allowFraction(0.1, 1), allowFraction(0.01, 2), deleted]) {
      const opts: SearchOptions = { metric, k: K, allow, params: searchParams, bm25 };
      const got = idx.search(q, opts);
      const want = exactSearch(col, N, q, opts);
      assert.equal(recall(got.ids, want.ids, q.nq, K), 1, `recall with ${allow ? allow.count() : N} allowed rows`);
      for (let i = 0; i < got.ids.length; i++) {
        if (got.ids[i]! < 0) continue;
        assert.ok(Math.abs(got.scores[i]! - want.scores[i]!) <= 1e-5 * Math.max(1, Math.abs(want.scores[i]!)), `score ${got.scores[i]} vs ${want.scores[i]}`);
        if (allow) assert.ok(allow.get(got.ids[i]!), 'returned a row outside the allow set');
      }
    }
    // the scores are the documented formula
    const one = idx.search(q, { metric, k: 1, allow: null, params: searchParams, bm25 });
    const row = one.ids[0]!;
    assert.ok(Math.abs(one.scores[0]! - scoreRow(q.sparse![0]!, col.data[row] as SparseRow, bm25)) < 1e-4);
    // round trip through the index file
    const loaded = loadVectorIndex(idx.serialize());
    assert.deepEqual(loaded.search(q, { metric, k: K, allow: null, params: searchParams, bm25 }).ids, idx.search(q, { metric, k: K, allow: null, params: searchParams, bm25 }).ids);
  });
}

test('range search (radius < score <= range_filter) equals the exact search; drop_ratio_search drops the smallest query values', async () => {
  const s = spec('SPARSE_INVERTED_INDEX', 'IP');
  const idx = await build(s, ipCol);
  const q = queries(3, 20);
  const range = { radius: 0.2, rangeFilter: 0.9 };
  const opts: SearchOptions = { metric: 'IP', k: 50, allow: null, range, params: resolveSearchParams(s, {}, 50) };
  const got = idx.search(q, opts);
  const want = exactSearch(ipCol, N, q, opts);
  assert.deepEqual(got.ids, want.ids);
  for (let i = 0; i < got.ids.length; i++) if (got.ids[i]! >= 0) assert.ok(got.scores[i]! > 0.2 && got.scores[i]! <= 0.9);
  // drop_ratio_search 0.5 on a 4-term query keeps the 2 largest values
  const query: SparseRow = { indices: Uint32Array.from([1, 2, 3, 4]), values: Float32Array.from([0.9, 0.1, 0.05, 0.8]) };
  const one: QueryVectors = { type: DataType.SparseFloatVector, dim: 0, nq: 1, data: new Float32Array(0), sparse: [query] };
  const kept: QueryVectors = { ...one, sparse: [{ indices: Uint32Array.from([1, 4]), values: Float32Array.from([0.9, 0.8]) }] };
  const p = resolveSearchParams(s, { drop_ratio_search: 0.5 }, K);
  assert.deepEqual(idx.search(one, { metric: 'IP', k: K, allow: null, params: p }).ids, idx.search(kept, { metric: 'IP', k: K, allow: null, params: resolveSearchParams(s, {}, K) }).ids);
});

test('build/search parameters are validated like Milvus (1100 naming the parameter)', () => {
  const bad = (f: () => unknown, re: RegExp): void => {
    assert.throws(f, (e: unknown) => e instanceof MilvusError && e.code === 1100 && re.test(e.message));
  };
  bad(() => spec('SPARSE_INVERTED_INDEX', 'L2'), /metric_type.*allowed: IP, BM25/);
  bad(() => spec('SPARSE_INVERTED_INDEX', 'IP', { inverted_index_algo: 'FAST' }), /inverted_index_algo.*DAAT_MAXSCORE, DAAT_WAND, TAAT_NAIVE/);
  bad(() => spec('SPARSE_INVERTED_INDEX', 'IP', { drop_ratio_build: 1 }), /drop_ratio_build/);
  bad(() => resolveSearchParams(spec('SPARSE_WAND', 'IP'), { drop_ratio_search: 1.5 }, 10), /drop_ratio_search/);
  bad(() => resolveVectorIndexSpec({ dataType: DataType.FloatVector, dim: 4, name: 'v' }, 'SPARSE_INVERTED_INDEX', 'IP', {}), /does not support FloatVector/);
  const auto = resolveVectorIndexSpec({ dataType: DataType.SparseFloatVector, dim: 0, name: 'sv' }, 'AUTOINDEX', '', {});
  assert.equal(auto.indexType, 'SPARSE_INVERTED_INDEX');
  assert.equal(auto.metricType, 'IP');
});

test('the posting-list payload carries magic, version and checksum; a flipped byte is DataCorrupted', async () => {
  const idx = await build(spec('SPARSE_INVERTED_INDEX', 'IP'), ipCol);
  const file = idx.serialize();
  const { payload } = readIndexFile(file);
  assert.equal(new DataView(payload.buffer, payload.byteOffset).getUint32(0, true), 0x53505253);
  const { PostingLists } = await import('./posting-lists.js');
  const broken = payload.slice();
  broken[100] = broken[100]! ^ 0xff;
  assert.throws(() => PostingLists.load(broken), (e: unknown) => e instanceof MilvusError && e.code === 1002 && /checksum/.test(e.message));
});
