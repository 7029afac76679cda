/** Unit tests of the search pipeline's steps: plan (limits, range bounds), reduce (grouping), fuse (RRF, weighted). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DataType } from '../../core/data-type.js';
import { MilvusError } from '../../core/errors.js';
import { Engine } from '../engine.js';
import { checkLimit, splitSearchParams } from './plan.js';
import { fuse } from './fuse.js';
import type { Hit } from '../requests.js';

const spec = { indexType: 'FLAT', metricType: 'L2' as const, params: {}, dataType: DataType.FloatVector, dim: 4 };

function refusedWith(fn: () => unknown, field: RegExp): void {
  assert.throws(fn, (err: unknown) => err instanceof MilvusError && err.code === 1100 && field.test(err.message));
}

test('plan: limit and offset bounds name the field and the rule', () => {
  assert.deepEqual(checkLimit(undefined, undefined), { limit: 10, offset: 0 });
  refusedWith(() => checkLimit(0, 0), /limit/);
  refusedWith(() => checkLimit(16385, 0), /limit/);
  refusedWith(() => checkLimit(16000, 1000), /limit \+ offset/);
  refusedWith(() => checkLimit(10, -1), /offset/);
});

test('plan: range bounds come from params or the request, range_filter on the right side of radius', () => {
  const r = splitSearchParams(spec, JSON.stringify({ radius: 10, range_filter: 2 }), 10, {});
  assert.deepEqual(r.range, { radius: 10, rangeFilter: 2 });
  assert.equal(r.params.radius, undefined);
  assert.deepEqual(splitSearchParams(spec, {}, 10, { radius: 5 }).range, { radius: 5 });
  refusedWith(() => splitSearchParams(spec, { radius: 2, range_filter: 10 }, 10, {}), /range_filter/);
  refusedWith(() => splitSearchParams(spec, { range_filter: 1 }, 10, {}), /needs radius/);
  refusedWith(() => splitSearchParams(spec, '{bad', 10, {}), /params/);
});

const hit = (pk: number, score: number): Hit => ({ pk: BigInt(pk), score, fields: {} });

test('fuse: RRF sums 1/(k + rank) across searches; weighted sums weight × normalised score', () => {
  const a = { metric: 'IP', hits: [[hit(1, 0.9), hit(2, 0.5)]] };
  const b = { metric: 'L2', hits: [[hit(2, 0.1), hit(3, 0.4)]] };
  const rrf = fuse([a, b], { strategy: 'rrf', k: 60, weights: undefined }, 0, 10, -1)[0]!;
  assert.deepEqual(rrf.map((h) => Number(h.pk)), [2, 1, 3]);
  assert.ok(Math.abs(rrf[0]!.score - (1 / 62 + 1 / 61)) < 1e-12);
  const w = fuse([a, b], { strategy: 'weighted', k: 60, weights: [0.2, 0.8] }, 0, 2, 3)[0]!;
  const ip = (s: number): number => 0.5 + Math.atan(s) / Math.PI;
  const l2 = (s: number): number => 1 - (2 * Math.atan(s)) / Math.PI;
  const want = new Map([[1, 0.2 * ip(0.9)], [2, 0.2 * ip(0.5) + 0.8 * l2(0.1)], [3, 0.8 * l2(0.4)]]);
  const order = [...want].sort((x, y) => y[1] - x[1]).slice(0, 2);
  assert.deepEqual(w.map((h) => Number(h.pk)), order.map(([pk]) => pk));
  assert.equal(w[0]!.score, Math.round(order[0]![1] * 1000) / 1000);
});

test('execute + reduce: group_by_field returns group_size hits per group, groups in order of their best hit', async () => {
  const e = await Engine.open({ dataDir: null });
  await e.catalog.createCollection({ collection_name: 'g', fields: [{ name: 'id', data_type: DataType.Int64, is_primary_key: true }, { name: 'v', data_type: DataType.FloatVector, dim: 2 }, { name: 'cat', data_type: DataType.Int32 }] });
  await e.writes.insert({ collection_name: 'g', data: Array.from({ length: 30 }, (_, i) => ({ id: i, v: [i, 0], cat: i % 3 })) });
  await e.indexes.createIndex({ collection_name: 'g', field_name: 'v', index_type: 'FLAT', metric_type: 'L2' });
  await e.loads.loadCollection({ collection_name: 'g' });
  const r = await e.search.search({ collection_name: 'g', data: [[0, 0]], limit: 2, group_by_field: 'cat', group_size: 2, output_fields: ['cat'] });
  assert.deepEqual(r.hits[0]!.map((h) => Number(h.pk)), [0, 3, 1, 4]);
  const exact = await e.search.search({ collection_name: 'g', data: [[0, 0]], limit: 3, offset: 1, output_fields: [] });
  assert.deepEqual(exact.hits[0]!.map((h) => Number(h.pk)), [1, 2, 3]);
  await e.close();
});
