import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Bitset } from '../../core/bitset.js';
import { DataType, type MetricType } from '../../core/data-type.js';
import { bruteForceSearch } from '../reference/brute-force.js';
import type { SearchHits } from '../types.js';
import { exactSearch } from '../index.js';
import { clusteredColumn, queriesFrom, rng } from './testing.js';
import { VectorInstance, vectorKernelVariant } from './vector-instance.js';

const cases: [DataType, MetricType[]][] = [
  [DataType.FloatVector, ['L2', 'IP', 'COSINE']],
  [DataType.Float16Vector, ['L2', 'IP', 'COSINE']],
  [DataType.BFloat16Vector, ['L2', 'IP', 'COSINE']],
  [DataType.Int8Vector, ['L2', 'IP', 'COSINE']],
  [DataType.BinaryVector, ['HAMMING', 'JACCARD']],
];

/** Same hits as the reference: scores equal within float tolerance; ids equal except among tied scores. */
function assertSameHits(got: SearchHits, want: SearchHits, what: string): void {
  assert.equal(got.ids.length, want.ids.length, what);
  for (let i = 0; i < want.ids.length; i++) {
    const w = want.scores[i]!;
    const g = got.scores[i]!;
    if (want.ids[i] === -1) {
      assert.equal(got.ids[i], -1, `${what}: slot ${i} should be empty`);
      continue;
    }
    const tol = 1e-4 * Math.max(1, Math.abs(w));
    assert.ok(Math.abs(g - w) <= tol, `${what}: score ${i} got ${g} want ${w}`);
  }
  // Ids: as sets per query, allowing swaps among near-equal scores at the k boundary.
  for (let q = 0; q < want.nq; q++) {
    const ws = [...want.ids.subarray(q * want.k, (q + 1) * want.k)].filter((x) => x >= 0);
    const gs = new Set(got.ids.subarray(q * got.k, (q + 1) * got.k));
    const last = want.scores[q * want.k + ws.length - 1]!;
    for (let j = 0; j < ws.length; j++) {
      const s = want.scores[q * want.k + j]!;
      if (Math.abs(s - last) <= 1e-4 * Math.max(1, Math.abs(last))) continue;
      assert.ok(gs.has(ws[j]!), `${what}: query ${q} misses id ${ws[j]}`);
    }
  }
}

test(`kernels run the ${vectorKernelVariant()} Wasm build`, () => {
  assert.ok(['simd', 'relaxed'].includes(vectorKernelVariant()));
});

test('Wasm exact search matches the reference for every type, metric, odd dims, filters and ranges', () => {
  for (const [type, metrics] of cases) {
    const dims = type === DataType.BinaryVector ? [8, 24, 136] : [1, 3, 17, 33, 130];
    for (const dim of dims) {
      const n = 300;
      const col = clusteredColumn(type, n, dim, dim * 7 + type, 5);
      const q = queriesFrom(col, [0, 7, 150, 299]);
      const r = rng(dim);
      const allow = Bitset.fromIndices(n, Array.from({ length: n }, (_, i) => i).filter(() => r() < 0.3));
      for (const metric of metrics) {
        for (const k of [1, 10, 400]) {
          const what = `type ${type} dim ${dim} ${metric} k=${k}`;
          assertSameHits(exactSearch(col, n, q, { metric, k, allow: null }), bruteForceSearch(col, n, q, { metric, k, allow: null }), what);
          assertSameHits(exactSearch(col, n, q, { metric, k, allow }), bruteForceSearch(col, n, q, { metric, k, allow }), `${what} filtered`);
          assertSameHits(exactSearch(col, 200, q, { metric, k, allow }), bruteForceSearch(col, 200, q, { metric, k, allow }), `${what} prefix`);
        }
        // Range: take radius/range_filter from the reference's own score distribution.
        const all = bruteForceSearch(col, n, q, { metric, k: n, allow: null });
        const s = [...all.scores.subarray(0, n)];
        // Bounds halfway between neighbouring scores, so float rounding cannot flip a boundary row.
        const mid = (from: number): number => {
          let i = from;
          while (i + 1 < s.length && Math.abs(s[i]! - s[i + 1]!) < 1e-3) i++;
          return i + 1 < s.length ? (s[i]! + s[i + 1]!) / 2 : NaN;
        };
        const a = mid(Math.floor(n * 0.1));
        const b = mid(Math.floor(n * 0.6));
        const range = { radius: b, rangeFilter: a };
        if (Number.isNaN(a) || Number.isNaN(b)) continue; // too few distinct scores (e.g. COSINE at dim 1)
        assertSameHits(
          exactSearch(col, n, q, { metric, k: 50, allow: null, range }),
          bruteForceSearch(col, n, q, { metric, k: 50, allow: null, range }),
          `type ${type} dim ${dim} ${metric} range`,
        );
      }
    }
  }
});

test('exact search mirrors appended rows of a growing column', () => {
  const col = clusteredColumn(DataType.FloatVector, 500, 16, 3);
  const q = queriesFrom(col, [1, 499]);
  for (const rows of [10, 100, 101, 500]) {
    assertSameHits(exactSearch(col, rows, q, { metric: 'L2', k: 5, allow: null }), bruteForceSearch(col, rows, q, { metric: 'L2', k: 5, allow: null }), `rows ${rows}`);
  }
});

test('distance kernels agree with scalar arithmetic', () => {
  const inst = new VectorInstance();
  const r = rng(9);
  for (const dim of [1, 5, 16, 31, 64, 100]) {
    const a = Float32Array.from({ length: dim }, () => r() * 2 - 1);
    const b = Float32Array.from({ length: dim }, () => r() * 2 - 1);
    const pa = inst.alloc(dim * 4);
    const pb = inst.alloc(dim * 4);
    inst.f32(pa, dim).set(a);
    inst.f32(pb, dim).set(b);
    let l2 = 0;
    let ip = 0;
    for (let i = 0; i < dim; i++) {
      l2 += (a[i]! - b[i]!) ** 2;
      ip += a[i]! * b[i]!;
    }
    assert.ok(Math.abs(inst.x.l2F32(pa, pb, dim) - l2) < 1e-4);
    assert.ok(Math.abs(inst.x.ipF32(pa, pb, dim) - ip) < 1e-4);
    const ia = Int8Array.from({ length: dim }, () => Math.floor(r() * 256) - 128);
    const ib = Int8Array.from({ length: dim }, () => Math.floor(r() * 256) - 128);
    inst.i8(pa, dim).set(ia);
    inst.i8(pb, dim).set(ib);
    let il2 = 0;
    let iip = 0;
    for (let i = 0; i < dim; i++) {
      il2 += (ia[i]! - ib[i]!) ** 2;
      iip += ia[i]! * ib[i]!;
    }
    assert.equal(inst.x.l2I8(pa, pb, dim), il2);
    assert.equal(inst.x.ipI8(pa, pb, dim), iip);
  }
});

