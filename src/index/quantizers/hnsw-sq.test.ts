// HNSW_SQ: recall vs exact per sq_type and metric, refinement, filters and deletes, params, files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Bitset } from '../../core/bitset.js';
import { DataType, type MetricType } from '../../core/data-type.js';
import { MilvusError } from '../../core/errors.js';
import { registerIndexFamily, resolveSearchParams, resolveVectorIndexSpec } from '../index.js';
import { readIndexFile } from '../kernels/index-file.js';
import { clusteredColumn, columnFromF32, queriesFrom, recallAt } from '../kernels/testing.js';
import { bruteForceSearch, denseScore } from '../reference/brute-force.js';
import { quantizerFamilies } from './families.js';
import { hnswSqFamily, quantizeRows } from './hnsw-sq.js';

for (const f of quantizerFamilies) registerIndexFamily(f);

const N = 4000;
const DIM = 24;
const col = clusteredColumn(DataType.FloatVector, N, DIM, 31, 40);
const q = queriesFrom(col, Array.from({ length: 60 }, (_, i) => (i * 613 + 5) % N));

function spec(metric: MetricType, params: Record<string, unknown>) {
  return resolveVectorIndexSpec({ dataType: DataType.FloatVector, dim: DIM, name: 'v' }, 'HNSW_SQ', metric, { M: 16, efConstruction: 100, ...params });
}

for (const sq of ['SQ6', 'SQ8', 'BF16', 'FP16']) {
  for (const metric of ['L2', 'IP', 'COSINE'] as const) {
    test(`HNSW_SQ ${sq} ${metric}: recall vs FLAT, with a 30% filter and deletes`, async () => {
      const idx = await hnswSqFamily.build(spec(metric, { sq_type: sq }), col, N);
      const min = sq === 'SQ6' ? 0.75 : 0.9;
      const half = new Bitset(N);
      for (let i = 0; i < N; i += 3) half.set(i);
      for (const allow of [null, half]) {
        const got = idx.search(q, { metric, k: 10, allow, params: { ef: 64 } });
        const r = recallAt(got, bruteForceSearch(col, N, q, { metric, k: 10, allow }), 10);
        assert.ok(r >= min, `recall ${r}`);
        if (allow) for (const id of got.ids) if (id >= 0) assert.ok(allow.get(id));
      }
    });
  }
}

test('refine with FLAT re-ranks SQ6 candidates to exact scores and better recall', async () => {
  const truth = bruteForceSearch(col, N, q, { metric: 'L2', k: 10, allow: null });
  const plain = await hnswSqFamily.build(spec('L2', { sq_type: 'SQ6' }), col, N);
  const refined = await hnswSqFamily.build(spec('L2', { sq_type: 'SQ6', refine: true, refine_type: 'FLAT' }), col, N);
  const a = recallAt(plain.search(q, { metric: 'L2', k: 10, allow: null, params: { ef: 64 } }), truth, 10);
  const hits = refined.search(q, { metric: 'L2', k: 10, allow: null, params: { ef: 64, refine_k: 3 } });
  const b = recallAt(hits, truth, 10);
  assert.ok(b >= a && b >= 0.95, `refined ${b} vs plain ${a}`);
  for (let i = 0; i < q.nq; i++) if (hits.ids[i * 10] === truth.ids[i * 10]) assert.ok(Math.abs(hits.scores[i * 10]! - truth.scores[i * 10]!) < 1e-3);
  const bytes = refined.serialize();
  const { spec: s, payload } = readIndexFile(bytes);
  const back = hnswSqFamily.load(s, payload);
  const again = back.search(q, { metric: 'L2', k: 10, allow: null, params: { ef: 64, refine_k: 3 } });
  assert.deepEqual(again.ids, hits.ids);
});

test('HNSW_SQ parameters: ranges, enums, refine_type required, ef >= limit', () => {
  assert.deepEqual(spec('L2', {}).params, { M: 16, efConstruction: 100, sq_type: 'SQ8', refine: 'false' });
  const bad = (p: Record<string, unknown>, name: string): void => {
    assert.throws(() => spec('L2', p), (e: unknown) => e instanceof MilvusError && e.code === 1100 && e.message.includes(`"${name}"`));
  };
  bad({ sq_type: 'SQ4' }, 'sq_type');
  bad({ M: 1 }, 'M');
  bad({ M: 4096 }, 'M');
  bad({ refine: true }, 'refine_type');
  bad({ refine: true, refine_type: 'INT4' }, 'refine_type');
  const s = spec('IP', {});
  assert.equal(resolveSearchParams(s, {}, 50).ef, 50);
  assert.throws(() => resolveSearchParams(s, { ef: 5 }, 10), (e: unknown) => e instanceof MilvusError && e.message.includes('"ef"'));
  assert.throws(() => resolveSearchParams(s, { refine_k: 0.5 }, 10), (e: unknown) => e instanceof MilvusError && e.message.includes('"refine_k"'));
});

test('quantizeRows: SQ8 error within half a step, FP16/BF16 round to nearest representable', () => {
  const rows = Float32Array.from({ length: 40 }, (_, i) => Math.sin(i) * 10);
  const orig = rows.slice();
  quantizeRows(rows, 8, 5, 'SQ8');
  for (let i = 0; i < 40; i++) assert.ok(Math.abs(rows[i]! - orig[i]!) <= 20 / 255);
  const h = orig.slice();
  quantizeRows(h, 8, 5, 'BF16');
  for (let i = 0; i < 40; i++) assert.ok(Math.abs(h[i]! - orig[i]!) <= Math.abs(orig[i]!) / 128);
});

for (const sq of ['SQ6', 'SQ8']) {
  for (const metric of ['L2', 'IP', 'COSINE'] as const) {
    test(`HNSW_SQ ${sq} ${metric}: the Wasm u8-code kernels score exactly the decoded rows (TS reference)`, async () => {
      // COSINE quantizes the unit-length rows.
      const decoded = (col.data as Float32Array).slice();
      if (metric === 'COSINE') {
        for (let r = 0; r < N; r++) {
          const norm = Math.sqrt(denseScore('IP', decoded, r * DIM, decoded, r * DIM, DIM));
          for (let d = 0; d < DIM; d++) decoded[r * DIM + d]! /= norm;
        }
      }
      quantizeRows(decoded, N, DIM, sq);
      const decodedCol = columnFromF32(DataType.FloatVector, decoded, DIM);
      const idx = await hnswSqFamily.build(spec(metric, { sq_type: sq }), col, N);
      // Graph walk: every hit's score is the reference distance from the query to its decoded row.
      const got = idx.search(q, { metric, k: 10, allow: null, params: { ef: 64 } });
      for (let i = 0; i < q.nq; i++) {
        for (let j = 0; j < 10; j++) {
          const id = got.ids[i * 10 + j]!;
          const want = denseScore(metric, q.data as Float32Array, i * DIM, decoded, id * DIM, DIM);
          assert.ok(Math.abs(got.scores[i * 10 + j]! - want) <= 1e-4 * Math.max(1, Math.abs(want)), `q${i} #${j}: ${got.scores[i * 10 + j]} vs ${want}`);
        }
      }
      // 1% filter: the exact scan over the codes equals brute force over the decoded rows.
      const few = new Bitset(N);
      for (let i = 0; i < N; i += 100) few.set(i);
      const exact = idx.search(q, { metric, k: 10, allow: few, params: { ef: 64 } });
      const truth = bruteForceSearch(decodedCol, N, q, { metric, k: 10, allow: few });
      assert.deepEqual(Array.from(exact.ids), Array.from(truth.ids));
    });
  }
}

test('HNSW_SQ holds compact rows — SQ8 under half, FP16/BF16 about half the memory of HNSW — and its files round-trip', async () => {
  const dim = 256;
  const n = 2000;
  const big = clusteredColumn(DataType.FloatVector, n, dim, 7, 20);
  const params = { M: 16, efConstruction: 64 };
  const field = { dataType: DataType.FloatVector, dim, name: 'v' } as const;
  const hnsw = await (await import('../hnsw/hnsw-family.js')).hnswFamily.build(resolveVectorIndexSpec(field, 'HNSW', 'L2', params), big, n);
  const hnswFile = hnsw.serialize().length;
  const bq = queriesFrom(big, [3, 500, 1999]);
  for (const [sq, metric, maxShare] of [['SQ8', 'L2', 0.5], ['FP16', 'COSINE', 0.65], ['BF16', 'IP', 0.65]] as const) {
    const idx = await hnswSqFamily.build(resolveVectorIndexSpec(field, 'HNSW_SQ', metric, { ...params, sq_type: sq }), big, n);
    assert.ok(idx.memoryBytes() < maxShare * hnsw.memoryBytes(), `${sq}: ${idx.memoryBytes()} B vs HNSW ${hnsw.memoryBytes()} B`);
    const file = idx.serialize();
    assert.ok(file.length < maxShare * hnswFile, `${sq}: the index file holds compact rows, not floats`);
    const opts = { metric, k: 5, allow: null, params: { ef: 32 } };
    const before = idx.search(bq, opts);
    const { spec: s, payload } = readIndexFile(file);
    const back = hnswSqFamily.load(s, payload);
    const after = back.search(bq, opts);
    assert.deepEqual(Array.from(after.ids), Array.from(before.ids));
    assert.deepEqual(Array.from(after.scores), Array.from(before.scores));
    assert.throws(() => hnswSqFamily.load(s, payload.subarray(0, payload.length - 4)), (e: unknown) => e instanceof MilvusError && e.message.includes('HNSW_SQ'));
    idx.dispose();
    back.dispose();
  }
  hnsw.dispose();
});
