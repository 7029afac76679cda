import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Bitset } from '../../core/bitset.js';
import { DataType, type MetricType } from '../../core/data-type.js';
import { MilvusError } from '../../core/errors.js';
import { buildVectorIndex, exactSearch, loadVectorIndex, resolveSearchParams, resolveVectorIndexSpec } from '../index.js';
import { clusteredColumn, queriesFrom, recallAt, rng } from '../kernels/testing.js';
import { denseScore } from '../reference/brute-force.js';
import { bf16ToF32, f16ToF32 } from '../reference/half.js';

const N = 20_000;
const DIM = 32;
const NQ = 200;
const col = clusteredColumn(DataType.FloatVector, N + NQ, DIM, 1);
const q = queriesFrom(col, Array.from({ length: NQ }, (_, i) => N + i));
const spec = resolveVectorIndexSpec({ dataType: DataType.FloatVector, dim: DIM, name: 'v' }, 'HNSW', 'L2', { M: 16, efConstruction: 200 });
const built = buildVectorIndex(spec, col, N);

function randomAllow(n: number, fraction: number, seed: number): Bitset {
  const r = rng(seed);
  const b = new Bitset(n);
  for (let i = 0; i < n; i++) if (r() < fraction) b.set(i);
  return b;
}

test('HNSW ef=64 reaches recall@10 >= 0.95 on 20k×32 clustered vectors (L2)', async () => {
  const idx = await built;
  const truth = exactSearch(col, N, q, { metric: 'L2', k: 10, allow: null });
  const params = resolveSearchParams(spec, { ef: 64 }, 10);
  const got = idx.search(q, { metric: 'L2', k: 10, allow: null, params });
  assert.ok(recallAt(got, truth, 10) >= 0.95, `recall ${recallAt(got, truth, 10)}`);
  // Higher ef never hurts much and reaches ~exact.
  const hi = idx.search(q, { metric: 'L2', k: 10, allow: null, params: { ef: 256 } });
  assert.ok(recallAt(hi, truth, 10) >= 0.99);
});

test('HNSW with filters (30%, 5%, 1% pass) and deletes keeps recall and returns only allowed rows', async () => {
  const idx = await built;
  const deleted = randomAllow(N, 0.1, 5);
  for (const [fraction, seed] of [[0.3, 1], [0.05, 2], [0.01, 3], [1, 4]] as const) {
    const allow = fraction === 1 ? Bitset.full(N) : randomAllow(N, fraction, seed);
    allow.andNot(deleted);
    const truth = exactSearch(col, N, q, { metric: 'L2', k: 10, allow });
    const got = idx.search(q, { metric: 'L2', k: 10, allow, params: { ef: 64 } });
    for (const id of got.ids) assert.ok(id === -1 || allow.get(id), `row ${id} is not allowed`);
    const r = recallAt(got, truth, 10);
    assert.ok(r >= 0.95, `fraction ${fraction}: recall ${r}`);
  }
});

test('HNSW index file round-trips and corruption is detected', async () => {
  const idx = await built;
  const bytes = idx.serialize();
  const again = loadVectorIndex(bytes);
  assert.equal(again.rowCount, N);
  const a = idx.search(q, { metric: 'L2', k: 10, allow: null, params: { ef: 32 } });
  const b = again.search(q, { metric: 'L2', k: 10, allow: null, params: { ef: 32 } });
  assert.deepEqual(b.ids, a.ids);
  assert.deepEqual(b.scores, a.scores);
  const bad = bytes.slice();
  bad[bad.length >> 1]! ^= 0x40;
  assert.throws(() => loadVectorIndex(bad), (e: unknown) => e instanceof MilvusError && e.code === 1002 && /checksum/.test(e.message));
  assert.throws(() => loadVectorIndex(bytes.subarray(0, 10)), (e: unknown) => e instanceof MilvusError && e.code === 1002);
  again.dispose();
});

test('HNSW on every dense type × metric (odd dim) reaches recall >= 0.95 against FLAT', async () => {
  const n = 4000;
  const dim = 23;
  for (const type of [DataType.FloatVector, DataType.Float16Vector, DataType.BFloat16Vector, DataType.Int8Vector]) {
    const c = clusteredColumn(type, n + 50, dim, 11 + type, 20);
    const qs = queriesFrom(c, Array.from({ length: 50 }, (_, i) => n + i));
    for (const metric of ['L2', 'IP', 'COSINE'] as MetricType[]) {
      const s = resolveVectorIndexSpec({ dataType: type, dim, name: 'v' }, 'HNSW', metric, { M: 12, efConstruction: 80 });
      const idx = await buildVectorIndex(s, c, n);
      const flat = await buildVectorIndex(resolveVectorIndexSpec({ dataType: type, dim, name: 'v' }, 'FLAT', metric, {}), c, n);
      const truth = flat.search(qs, { metric, k: 10, allow: null });
      const got = idx.search(qs, { metric, k: 10, allow: null, params: { ef: 96 } });
      const r = recallAt(got, truth, 10);
      assert.ok(r >= 0.95, `type ${type} ${metric}: recall ${r}`);
      // Scores are Milvus scores: identical ids carry the FLAT score.
      for (let i = 0; i < 10; i++) {
        const j = [...truth.ids.subarray(0, 10)].indexOf(got.ids[i]!);
        if (j >= 0) assert.ok(Math.abs(got.scores[i]! - truth.scores[j]!) <= 1e-3 * Math.max(1, Math.abs(truth.scores[j]!)));
      }
      idx.dispose();
      flat.dispose();
    }
  }
});

test('Float16/BFloat16 rows stay 16-bit in Wasm: about half the memory of f32 rows, scores equal the TS reference', async () => {
  const n = 2000;
  const dim = 256;
  const memory = (idx: { memoryBytes(): number }): number => idx.memoryBytes();
  const params = { M: 16, efConstruction: 64 };
  const f32 = await buildVectorIndex(resolveVectorIndexSpec({ dataType: DataType.FloatVector, dim, name: 'v' }, 'HNSW', 'L2', params), clusteredColumn(DataType.FloatVector, n, dim, 5, 20), n);
  for (const type of [DataType.Float16Vector, DataType.BFloat16Vector]) {
    const c = clusteredColumn(type, n + 10, dim, 5, 20);
    const decode = type === DataType.Float16Vector ? f16ToF32 : bf16ToF32;
    const rows = Float32Array.from(c.data as Uint16Array, (h) => decode(h));
    const qs = queriesFrom(c, Array.from({ length: 10 }, (_, i) => n + i));
    for (const metric of ['L2', 'IP', 'COSINE'] as MetricType[]) {
      const idx = await buildVectorIndex(resolveVectorIndexSpec({ dataType: type, dim, name: 'v' }, 'HNSW', metric, params), c, n);
      if (metric === 'L2') assert.ok(memory(idx) < 0.65 * memory(f32), `type ${type}: ${memory(idx)} B vs f32 ${memory(f32)} B`);
      const got = idx.search(qs, { metric, k: 10, allow: null, params: { ef: 64 } });
      for (let i = 0; i < qs.nq; i++) {
        for (let j = 0; j < 10; j++) {
          const id = got.ids[i * 10 + j]!;
          const want = denseScore(metric, qs.data as Float32Array, i * dim, rows, id * dim, dim);
          assert.ok(Math.abs(got.scores[i * 10 + j]! - want) <= 1e-4 * Math.max(1, Math.abs(want)), `type ${type} ${metric} q${i} #${j}: ${got.scores[i * 10 + j]} vs ${want}`);
        }
      }
      idx.dispose();
    }
  }
  f32.dispose();
});

test('HNSW parameters: ranges, defaults, ef below limit', () => {
  const field = { dataType: DataType.FloatVector, dim: 8, name: 'v' } as const;
  assert.deepEqual(resolveVectorIndexSpec(field, 'HNSW', 'L2', {}).params, { M: 30, efConstruction: 360 });
  assert.deepEqual(resolveVectorIndexSpec(field, 'HNSW', 'IP', { M: '8', efConstruction: 64 }).params, { M: 8, efConstruction: 64 });
  assert.throws(() => resolveVectorIndexSpec(field, 'HNSW', 'L2', { M: 1 }), /"M": must be in \[2, 2048\]/);
  assert.throws(() => resolveVectorIndexSpec(field, 'HNSW', 'L2', { efConstruction: 0 }), /efConstruction/);
  // A key HNSW does not use is ignored, as Milvus does; the keys it uses keep their ranges.
  assert.deepEqual(resolveVectorIndexSpec(field, 'HNSW', 'L2', { nlist: 4, M: 8 }).params, { M: 8, efConstruction: 360 });
  assert.throws(() => resolveVectorIndexSpec(field, 'HNSW', 'L2', { nlist: 4, M: 4096 }), (e: unknown) => e instanceof MilvusError && e.code === 1100 && /"M"/.test(e.message));
  const s = resolveVectorIndexSpec(field, 'HNSW', 'L2', {});
  assert.deepEqual(resolveSearchParams(s, {}, 10), { ef: 16 });
  assert.deepEqual(resolveSearchParams(s, {}, 100), { ef: 100 });
  assert.throws(() => resolveSearchParams(s, { ef: 5 }, 10), (e: unknown) => e instanceof MilvusError && e.code === 1100 && /ef/.test(e.message));
  assert.deepEqual(resolveSearchParams(s, { ef: 64, nprobe: 3 }, 10), { ef: 64 });
});

test('HNSW over 0, 1 and 2 rows searches and round-trips', async () => {
  const c = { type: DataType.FloatVector, dim: 4, data: new Float32Array([1, 2, 3, 4, 5, 6, 7, 8]), valid: null } as const;
  const s = resolveVectorIndexSpec({ dataType: DataType.FloatVector, dim: 4, name: 'v' }, 'HNSW', 'L2', {});
  const qv = { type: DataType.FloatVector, dim: 4, nq: 1, data: new Float32Array([1, 2, 3, 4]) };
  for (const [n, want] of [[0, [-1, -1, -1]], [1, [0, -1, -1]], [2, [0, 1, -1]]] as const) {
    const idx = await buildVectorIndex(s, c, n);
    assert.deepEqual([...idx.search(qv, { metric: 'L2', k: 3, allow: null, params: { ef: 16 } }).ids], want);
    assert.deepEqual([...loadVectorIndex(idx.serialize()).search(qv, { metric: 'L2', k: 3, allow: null, params: { ef: 16 } }).ids], want);
  }
});
