// Wasm IVF kernels vs the plain-TS reference (reference.ts) over the same built model: every codec,
// odd dimensions, wide PQ codes, allow bitsets and range bounds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Bitset } from '../../core/bitset.js';
import { DataType, type MetricType } from '../../core/data-type.js';
import { clusteredColumn, queriesFrom, rng } from '../kernels/testing.js';
import type { VectorIndexSpec } from '../registry.js';
import { normalizeRows } from '../kernels/dense-rows.js';
import { ivfFamilies } from './families.js';
import type { IvfIndex } from './ivf-index.js';
import { referenceIvfSearch } from './reference.js';

async function build(indexType: string, type: DataType, metric: MetricType, dim: number, n: number, params: Record<string, unknown>): Promise<{ idx: IvfIndex; col: ReturnType<typeof clusteredColumn> }> {
  const fam = ivfFamilies.find((f) => f.indexType === indexType)!;
  const spec: VectorIndexSpec = { indexType, metricType: metric, params, dataType: type, dim };
  const col = clusteredColumn(type, n, dim, 11, 20);
  return { idx: (await fam.build(spec, col, n)) as IvfIndex, col };
}

function compare(idx: IvfIndex, col: ReturnType<typeof clusteredColumn>, metric: MetricType, nprobe: number, allow: Bitset | null, tol: number, abs = 0): void {
  const rows = Array.from({ length: 40 }, (_, i) => (i * 131 + 7) % idx.rowCount);
  const q = queriesFrom(col, rows);
  const k = 10;
  const got = idx.search(q, { metric, k, allow, params: { nprobe } });
  let qdata: Float32Array | Uint8Array = q.data as Float32Array | Uint8Array;
  if (q.data instanceof Float32Array && metric === 'COSINE') {
    qdata = q.data.slice();
    normalizeRows(qdata, q.dim);
  }
  const ref = referenceIvfSearch(idx.model(), metric, qdata, q.nq, k, nprobe, allow);
  let same = 0;
  for (let i = 0; i < q.nq * k; i++) {
    const s = ref.scores[i]!;
    const g = got.scores[i]!;
    if (Number.isFinite(s)) assert.ok(Math.abs(s - g) <= tol * Math.max(1, Math.abs(s)) + abs, `score ${g} vs reference ${s} at ${i}`);
    else assert.equal(got.ids[i], -1);
    if (got.ids[i] === ref.ids[i]) same++;
  }
  // Ties and last-bit rounding may swap neighbours; nearly every slot must agree.
  assert.ok(same >= 0.95 * q.nq * k, `only ${same} of ${q.nq * k} ids agree`);
}

// SQ8 L2 is computed as |r|² - 2·r·x̂ + |x̂|² with the query quantized to i16: an absolute error around
// 1e-4·|r|² (here |r|² ~ 600), far below SQ8's own quantization error, so near-zero scores differ slightly.
const cases: { type: string; dim: number; params: Record<string, unknown>; tol: number; abs?: number }[] = [
  { type: 'IVF_FLAT', dim: 37, params: { nlist: 16 }, tol: 1e-4 },
  { type: 'IVF_SQ8', dim: 37, params: { nlist: 16 }, tol: 2e-3, abs: 5e-2 },
  { type: 'IVF_PQ', dim: 36, params: { nlist: 8, m: 12, nbits: 5 }, tol: 1e-4 },
  { type: 'IVF_PQ', dim: 18, params: { nlist: 8, m: 3, nbits: 10 }, tol: 1e-4 },
];

for (const c of cases) {
  for (const metric of ['L2', 'IP', 'COSINE'] as const) {
    test(`${c.type} ${JSON.stringify(c.params)} dim ${c.dim} ${metric}: Wasm matches the TS reference`, async () => {
      const { idx, col } = await build(c.type, DataType.FloatVector, metric, c.dim, 1500, c.params);
      const r = rng(3);
      const allow = new Bitset(idx.rowCount);
      for (let i = 0; i < idx.rowCount; i++) if (r() < 0.5) allow.set(i);
      compare(idx, col, metric, 3, null, c.tol, c.abs);
      compare(idx, col, metric, 4, allow, c.tol, c.abs);
    });
  }
}

for (const metric of ['HAMMING', 'JACCARD'] as const) {
  test(`BIN_IVF_FLAT dim 72 ${metric}: Wasm matches the TS reference`, async () => {
    const { idx, col } = await build('BIN_IVF_FLAT', DataType.BinaryVector, metric, 72, 1500, { nlist: 16 });
    const allow = new Bitset(idx.rowCount);
    for (let i = 0; i < idx.rowCount; i += 3) allow.set(i);
    compare(idx, col, metric, 3, null, 1e-6);
    compare(idx, col, metric, 5, allow, 1e-6);
  });
}

test('range bounds: only scores inside (radius, range_filter] are returned', async () => {
  const { idx, col } = await build('IVF_FLAT', DataType.FloatVector, 'L2', 37, 1500, { nlist: 16 });
  const q = queriesFrom(col, [5, 9]);
  const all = idx.search(q, { metric: 'L2', k: 50, allow: null, params: { nprobe: 16 } });
  const radius = all.scores[20]!;
  const rangeFilter = all.scores[3]!;
  const got = idx.search(q, { metric: 'L2', k: 50, allow: null, params: { nprobe: 16 }, range: { radius, rangeFilter } });
  for (let i = 0; i < got.ids.length; i++) {
    if (got.ids[i] === -1) continue;
    assert.ok(got.scores[i]! >= rangeFilter && got.scores[i]! < radius);
  }
  assert.ok(got.ids[0]! >= 0);
});
