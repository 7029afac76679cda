// Nullable vector columns: every index family that builds over a segment holding null rows leaves
// them out (never returned, never counted in a top-k), keeps its recall against the exact search over
// the valid rows (with and without filters), reloads from its file against the segment's validity
// bitmap, and refuses a file that does not cover exactly the valid rows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Bitset } from '../core/bitset.js';
import type { SparseRow, VectorColumn } from '../core/column.js';
import { DataType, type MetricType } from '../core/data-type.js';
import { buildVectorIndex, exactSearch, loadVectorIndex, resolveVectorIndexSpec } from './index.js';
import { clusteredColumn, queriesFrom, recallAt, rng } from './kernels/testing.js';
import type { QueryVectors, SearchHits } from './types.js';

const N = 6000;
const DIM = 16;
const K = 10;

/** Every third row null (a placeholder of zeros stays in the data). */
function withNulls(col: VectorColumn, isNull: (r: number) => boolean): VectorColumn {
  const valid = new Uint8Array(N);
  for (let r = 0; r < N; r++) valid[r] = isNull(r) ? 0 : 1;
  if (col.type === DataType.SparseFloatVector) {
    const data = col.data.map((row, r) => (isNull(r) ? { indices: new Uint32Array(0), values: new Float32Array(0) } : row));
    return { ...col, data, valid };
  }
  const data = col.data.slice() as Float32Array;
  for (let r = 0; r < N; r++) if (isNull(r)) data.fill(0, r * DIM, (r + 1) * DIM);
  return { ...col, data, valid } as VectorColumn;
}

function validAllow(col: VectorColumn, filter: Bitset | null): Bitset {
  const b = new Bitset(N);
  for (let r = 0; r < N; r++) if (col.valid![r] === 1 && (filter === null || filter.get(r))) b.set(r);
  return b;
}

function noNullHits(hits: SearchHits, col: VectorColumn): void {
  for (const id of hits.ids) if (id >= 0) assert.equal(col.valid![id], 1, `row ${id} is null but was returned`);
}

function sparseColumn(): VectorColumn {
  const r = rng(7);
  const data: SparseRow[] = [];
  for (let i = 0; i < N; i++) {
    const nnz = 3 + Math.floor(r() * 6);
    const ix = new Set<number>();
    while (ix.size < nnz) ix.add(Math.floor(r() * 200));
    const indices = Uint32Array.from([...ix].sort((a, b) => a - b));
    data.push({ indices, values: Float32Array.from(indices, () => 0.1 + r()) });
  }
  return { type: DataType.SparseFloatVector, dim: 0, data, valid: null };
}

function filterOf(fraction: number, seed: number): Bitset {
  const r = rng(seed);
  const b = new Bitset(N);
  for (let i = 0; i < N; i++) if (r() < fraction) b.set(i);
  return b;
}

const DENSE: [string, Record<string, unknown>, MetricType, number][] = [
  ['HNSW', { M: 16, efConstruction: 128 }, 'L2', 0.9],
  ['HNSW', { M: 16, efConstruction: 128 }, 'COSINE', 0.9],
  ['IVF_FLAT', { nlist: 32 }, 'L2', 0.9],
  ['FLAT', {}, 'IP', 1],
];

for (const [indexType, params, metric, minRecall] of DENSE) {
  test(`${indexType} ${metric} over a column with null rows: nulls never returned, recall vs exact over the valid rows, file round trip`, async () => {
    const col = withNulls(clusteredColumn(DataType.FloatVector, N, DIM, 11, 40), (r) => r % 3 === 0);
    const spec = resolveVectorIndexSpec({ dataType: DataType.FloatVector, dim: DIM, name: 'v' }, indexType, metric, params);
    const idx = await buildVectorIndex(spec, col, N);
    assert.equal(idx.rowCount, N);
    // queries are valid rows (a null row's placeholder of zeros has no COSINE direction)
    const q: QueryVectors = queriesFrom(col, Array.from({ length: 50 }, (_, i) => ((i * 7919 + 1) % (N / 3)) * 3 + 1));
    const search = { metric, k: K, params: indexType === 'HNSW' ? { ef: 64 } : indexType === 'IVF_FLAT' ? { nprobe: 8 } : {} };
    for (const [label, filter] of [['unfiltered', null], ['30% filter', filterOf(0.3, 3)]] as const) {
      const got = idx.search(q, { ...search, allow: filter });
      noNullHits(got, col);
      const truth = exactSearch(col, N, q, { ...search, allow: validAllow(col, filter) });
      const recall = recallAt(got, truth, K);
      assert.ok(recall >= minRecall, `${label}: recall ${recall.toFixed(3)} < ${minRecall}`);
      for (let j = 0; j < got.ids.length; j++) if (truth.ids[j]! >= 0) assert.ok(got.ids[j]! >= 0, `${label}: fewer than k hits although k valid rows qualify`);
    }
    const bytes = idx.serialize();
    const back = loadVectorIndex(bytes, col, N);
    assert.deepEqual(back.search(q, { ...search, allow: null }).ids, idx.search(q, { ...search, allow: null }).ids);
    // A file that does not cover exactly the valid rows is damaged: the engine rebuilds it.
    const other = withNulls(col, (r) => r % 3 === 0 || r === 1);
    assert.throws(() => loadVectorIndex(bytes, other, N), (e: { code?: number }) => e.code === 1002);
    idx.dispose();
    back.dispose();
  });
}

test('SPARSE_INVERTED_INDEX over a sparse column with null rows: nulls never returned, same hits as exact search', async () => {
  const col = withNulls(sparseColumn(), (r) => r % 4 === 0);
  const spec = resolveVectorIndexSpec({ dataType: DataType.SparseFloatVector, dim: 0, name: 's' }, 'SPARSE_INVERTED_INDEX', 'IP', {});
  const idx = await buildVectorIndex(spec, col, N);
  const rows = Array.from({ length: 20 }, (_, i) => i * 37 + 1);
  const q: QueryVectors = { type: DataType.SparseFloatVector, dim: 0, nq: rows.length, data: new Float32Array(0), sparse: rows.map((r) => col.data[r] as SparseRow) };
  for (const filter of [null, filterOf(0.5, 9)]) {
    const got = idx.search(q, { metric: 'IP', k: K, allow: filter });
    noNullHits(got, col);
    const truth = exactSearch(col, N, q, { metric: 'IP', k: K, allow: validAllow(col, filter) });
    assert.ok(recallAt(got, truth, K) >= 0.99);
  }
  const back = loadVectorIndex(idx.serialize(), col, N);
  assert.deepEqual(back.search(q, { metric: 'IP', k: K, allow: null }).ids, idx.search(q, { metric: 'IP', k: K, allow: null }).ids);
});

test('a segment whose vectors are all null: the index finds nothing and round-trips through its file', async () => {
  const col = withNulls(clusteredColumn(DataType.FloatVector, N, DIM, 5, 10), () => true);
  const spec = resolveVectorIndexSpec({ dataType: DataType.FloatVector, dim: DIM, name: 'v' }, 'HNSW', 'L2', {});
  const idx = await buildVectorIndex(spec, col, N);
  const q = queriesFrom(clusteredColumn(DataType.FloatVector, 10, DIM, 6, 2), [0, 1]);
  assert.ok(idx.search(q, { metric: 'L2', k: 5, allow: null }).ids.every((id) => id === -1));
  const back = loadVectorIndex(idx.serialize(), col, N);
  assert.ok(back.search(q, { metric: 'L2', k: 5, allow: null }).ids.every((id) => id === -1));
  // Rows where the file has none: refused as damaged.
  const some = withNulls(col, (r) => r !== 0);
  assert.throws(() => loadVectorIndex(idx.serialize(), some, N), (e: { code?: number }) => e.code === 1002);
});
