/** Per-segment ef budgets: √share of the requested ef, floored, never above it nor below k. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { segmentSearchParams } from './segment-budget.js';
import type { VectorIndexSpec } from '../../index/index.js';

const hnsw = { indexType: 'HNSW', metricType: 'L2', dataType: 101, dim: 8, params: {} } as unknown as VectorIndexSpec;
const ivf = { ...hnsw, indexType: 'IVF_FLAT' } as VectorIndexSpec;

test('one segment (or all rows in one) keeps the requested params', () => {
  const p = { ef: 64 };
  assert.equal(segmentSearchParams(hnsw, p, 10, 1000, 1000), p);
  assert.equal(segmentSearchParams(hnsw, p, 10, 0, 0), p);
});

test('ef scales with the square root of the segment share, floored at 16 and at k', () => {
  assert.deepEqual(segmentSearchParams(hnsw, { ef: 64 }, 10, 250, 1000), { ef: 32 });
  assert.deepEqual(segmentSearchParams(hnsw, { ef: 64 }, 10, 1, 16), { ef: 16 });
  assert.deepEqual(segmentSearchParams(hnsw, { ef: 64 }, 10, 1, 64), { ef: 16 });
  assert.deepEqual(segmentSearchParams(hnsw, { ef: 128, other: 1 }, 10, 1, 4), { ef: 64, other: 1 });
  assert.deepEqual(segmentSearchParams(hnsw, { ef: 200 }, 100, 1, 16), { ef: 100 });
  assert.deepEqual(segmentSearchParams(hnsw, { ef: 12 }, 10, 1, 16), { ef: 12 });
  assert.deepEqual(segmentSearchParams(hnsw, { ef: 64 }, 10, 999, 1000), { ef: 64 });
});

test('indexes without ef keep their params', () => {
  const p = { nprobe: 16 };
  assert.equal(segmentSearchParams(ivf, p, 10, 1, 16), p);
});
