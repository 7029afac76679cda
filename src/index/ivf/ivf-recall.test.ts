// Recall of every IVF type × metric against the exact search (brute force) on seeded clustered
// data: unfiltered, with 10% and 1% filters, with deletes; nprobe monotonicity and clamping; other
// element types; serialize/load round trip.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Bitset } from '../../core/bitset.js';
import type { VectorColumn } from '../../core/column.js';
import { DataType, type MetricType } from '../../core/data-type.js';
import { clusteredColumn, queriesFrom, recallAt, rng } from '../kernels/testing.js';
import { readIndexFile } from '../kernels/index-file.js';
import { bruteForceSearch } from '../reference/brute-force.js';
import type { VectorIndex, VectorIndexSpec } from '../registry.js';
import type { QueryVectors } from '../types.js';
import { ivfFamilies } from './families.js';
import type { IvfIndex } from './ivf-index.js';

const N = 12000;
const DIM = 32;
const K = 10;
const NLIST = 64;

const dense = new Map<DataType, VectorColumn>();
function column(type: DataType): VectorColumn {
  let c = dense.get(type);
  if (!c) dense.set(type, (c = clusteredColumn(type, N, DIM, 21, 60)));
  return c;
}

function queries(col: VectorColumn, nq = 100): QueryVectors {
  return queriesFrom(col, Array.from({ length: nq }, (_, i) => (i * 7919 + 13) % N));
}

async function build(indexType: string, type: DataType, metric: MetricType, params: Record<string, unknown> = {}): Promise<VectorIndex> {
  const fam = ivfFamilies.find((f) => f.indexType === indexType)!;
  const spec: VectorIndexSpec = { indexType, metricType: metric, params: { nlist: NLIST, ...params }, dataType: type, dim: DIM };
  return fam.build(spec, column(type), N);
}

function randomAllow(fraction: number, seed: number): Bitset {
  const r = rng(seed);
  const b = new Bitset(N);
  for (let i = 0; i < N; i++) if (r() < fraction) b.set(i);
  return b;
}

/** [indexType, extra params, minimum recall@10 at nprobe 16 of 64] — what each type's parameters promise here. */
const TYPES: [string, Record<string, unknown>, number][] = [
  ['IVF_FLAT', {}, 0.95],
  ['IVF_SQ8', {}, 0.9],
  ['IVF_PQ', { m: 16, nbits: 8 }, 0.6],
];

for (const [indexType, params, minRecall] of TYPES) {
  for (const metric of ['L2', 'IP', 'COSINE'] as const) {
    test(`${indexType} ${metric}: recall vs FLAT unfiltered, 10% and 1% filters, deletes`, async () => {
      const col = column(DataType.FloatVector);
      const idx = await build(indexType, DataType.FloatVector, metric, params);
      const q = queries(col);
      const cases: [string, Bitset | null][] = [
        ['unfiltered', null],
        ['10% filter', randomAllow(0.1, 5)],
        ['50% filter', randomAllow(0.5, 4)],
        ['1% filter', randomAllow(0.01, 6)],
      ];
      const deleted = randomAllow(0.2, 7);
      cases.push(['20% deleted', Bitset.full(N).andNot(deleted)]);
      for (const [name, allow] of cases) {
        const got = idx.search(q, { metric, k: K, allow, params: { nprobe: 16 } });
        const truth = bruteForceSearch(col, N, q, { metric, k: K, allow });
        const r = recallAt(got, truth, K);
        assert.ok(r >= minRecall, `${name}: recall ${r.toFixed(3)} < ${minRecall}`);
        if (allow) for (const id of got.ids) if (id >= 0) assert.ok(allow.get(id), `${name}: returned row ${id} that is filtered out or deleted`);
      }
    });
  }
}

for (const metric of ['HAMMING', 'JACCARD'] as const) {
  test(`BIN_IVF_FLAT ${metric}: recall vs BIN_FLAT unfiltered, 10% and 1% filters, deletes`, async () => {
    const col = clusteredColumn(DataType.BinaryVector, N, 128, 23, 60);
    const fam = ivfFamilies.find((f) => f.indexType === 'BIN_IVF_FLAT')!;
    const idx = await fam.build({ indexType: 'BIN_IVF_FLAT', metricType: metric, params: { nlist: NLIST }, dataType: DataType.BinaryVector, dim: 128 }, col, N);
    const q = queries(col);
    for (const allow of [null, randomAllow(0.1, 8), randomAllow(0.01, 9), Bitset.full(N).andNot(randomAllow(0.2, 10))]) {
      const got = idx.search(q, { metric, k: K, allow, params: { nprobe: 16 } });
      const truth = bruteForceSearch(col, N, q, { metric, k: K, allow });
      // Binary distances tie a lot: compare the k-th score (a tie-proof recall) as well as ids.
      let ok = 0;
      for (let i = 0; i < q.nq; i++) if (got.scores[i * K + K - 1]! <= truth.scores[i * K + K - 1]! + 1e-6) ok++;
      assert.ok(ok / q.nq >= 0.9, `k-th score matches exact for only ${ok} of ${q.nq} queries`);
      if (allow) for (const id of got.ids) if (id >= 0) assert.ok(allow.get(id));
    }
  });
}

test('recall grows with nprobe and reaches exact at nprobe = nlist; nprobe > nlist behaves as nlist', async () => {
  const col = column(DataType.FloatVector);
  const q = queries(col);
  const truth = bruteForceSearch(col, N, q, { metric: 'L2', k: K, allow: null });
  for (const [indexType, params] of TYPES) {
    const idx = await build(indexType, DataType.FloatVector, 'L2', params);
    let prev = 0;
    for (const nprobe of [1, 2, 4, 8, 16, 32, 64]) {
      const r = recallAt(idx.search(q, { metric: 'L2', k: K, allow: null, params: { nprobe } }), truth, K);
      assert.ok(r >= prev - 0.01, `${indexType}: recall fell from ${prev} to ${r} at nprobe ${nprobe}`);
      prev = r;
    }
    if (indexType === 'IVF_FLAT') assert.equal(prev, 1);
    const all = idx.search(q, { metric: 'L2', k: K, allow: null, params: { nprobe: NLIST } });
    const over = idx.search(q, { metric: 'L2', k: K, allow: null, params: { nprobe: 65536 } });
    assert.deepEqual(over.ids, all.ids);
  }
});

test('filter plan: exact scan of the allowed rows at low selectivity, pre-filtered probe otherwise', async () => {
  const idx = (await build('IVF_FLAT', DataType.FloatVector, 'L2')) as IvfIndex;
  const opts = { metric: 'L2' as const, k: K, allow: null, params: { nprobe: 16 } };
  assert.deepEqual(idx.plan(opts, null), { nprobe: 16, exact: false });
  assert.deepEqual(idx.plan(opts, N / 100), { nprobe: NLIST, exact: true });
  assert.deepEqual(idx.plan(opts, N / 2), { nprobe: 16, exact: false });
  assert.deepEqual(idx.plan({ ...opts, params: {} }, null), { nprobe: 8, exact: false });
  assert.deepEqual(idx.plan({ ...opts, params: { nprobe: 1000 } }, null), { nprobe: NLIST, exact: true });
});

test('IVF_FLAT over Float16, BFloat16 and Int8 vectors', async () => {
  for (const type of [DataType.Float16Vector, DataType.BFloat16Vector, DataType.Int8Vector]) {
    const col = column(type);
    const idx = await build('IVF_FLAT', type, 'L2');
    const q = queries(col, 50);
    const r = recallAt(idx.search(q, { metric: 'L2', k: K, allow: null, params: { nprobe: 16 } }), bruteForceSearch(col, N, q, { metric: 'L2', k: K, allow: null }), K);
    assert.ok(r >= 0.95, `type ${type}: recall ${r}`);
  }
});

test('serialize/load round trip gives identical results; a flipped byte is detected', async () => {
  const col = column(DataType.FloatVector);
  const q = queries(col, 30);
  for (const [indexType, params] of TYPES) {
    const idx = await build(indexType, DataType.FloatVector, 'IP', params);
    const bytes = idx.serialize();
    const { spec, payload } = readIndexFile(bytes);
    const fam = ivfFamilies.find((f) => f.indexType === indexType)!;
    const back = fam.load(spec, payload);
    assert.equal(back.rowCount, N);
    const opts = { metric: 'IP' as const, k: K, allow: null, params: { nprobe: 8 } };
    const a = idx.search(q, opts);
    const b = back.search(q, opts);
    assert.deepEqual(b.ids, a.ids);
    assert.deepEqual(b.scores, a.scores);
    const bad = bytes.slice();
    bad[bad.length >> 1]! ^= 0x40;
    assert.throws(() => readIndexFile(bad), (e: { code?: number }) => e.code === 1002);
    idx.dispose();
    back.dispose();
  }
  const bcol = clusteredColumn(DataType.BinaryVector, 2000, 64, 3, 20);
  const bfam = ivfFamilies.find((f) => f.indexType === 'BIN_IVF_FLAT')!;
  const bidx = await bfam.build({ indexType: 'BIN_IVF_FLAT', metricType: 'JACCARD', params: { nlist: 16 }, dataType: DataType.BinaryVector, dim: 64 }, bcol, 2000);
  const file = readIndexFile(bidx.serialize());
  const bq = queriesFrom(bcol, [1, 2, 3]);
  const bopts = { metric: 'JACCARD' as const, k: 5, allow: null, params: { nprobe: 4 } };
  assert.deepEqual(bfam.load(file.spec, file.payload).search(bq, bopts), bidx.search(bq, bopts));
});

test('empty segment and all rows filtered out return no hits', async () => {
  const col = column(DataType.FloatVector);
  const fam = ivfFamilies.find((f) => f.indexType === 'IVF_SQ8')!;
  const empty = await fam.build({ indexType: 'IVF_SQ8', metricType: 'L2', params: { nlist: 8 }, dataType: DataType.FloatVector, dim: DIM }, col, 0);
  const q = queries(col, 3);
  assert.ok(empty.search(q, { metric: 'L2', k: 5, allow: null }).ids.every((i) => i === -1));
  const { spec, payload } = readIndexFile(empty.serialize());
  assert.equal(fam.load(spec, payload).rowCount, 0);
  const idx = await build('IVF_FLAT', DataType.FloatVector, 'L2');
  assert.ok(idx.search(q, { metric: 'L2', k: 5, allow: new Bitset(N) }).ids.every((i) => i === -1));
});
