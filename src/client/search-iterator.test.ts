/** Search iterators through the embedded client: every row once, in score order, ties across pages, limits, filters, errors. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MilvusClient, DataType } from '../index.js';
import { bruteForce, randomVectors } from '../../test/support/data.js';

const DIM = 8;
const N = 900;
const base = randomVectors(N, DIM, 21);
// 40 copies of one vector: their scores tie exactly, so pages must split a run of equal scores.
for (let i = 500; i < 540; i++) base[i] = base[499]!.slice();

async function setup(metric: 'L2' | 'IP', indexType: string): Promise<MilvusClient> {
  const c = new MilvusClient({ address: ':memory:', sealRows: 300 });
  await c.createCollection({
    collection_name: 'it',
    fields: [
      { name: 'id', data_type: DataType.Int64, is_primary_key: true },
      { name: 'cat', data_type: DataType.Int64 },
      { name: 'v', data_type: DataType.FloatVector, dim: DIM },
    ],
  });
  for (let i = 0; i < N; i += 150) await c.insert({ collection_name: 'it', data: base.slice(i, i + 150).map((v, j) => ({ id: i + j, cat: (i + j) % 3, v })) });
  await c.createIndex({ collection_name: 'it', field_name: 'v', index_type: indexType, metric_type: metric, params: indexType === 'HNSW' ? { M: 16, efConstruction: 100 } : {} });
  assert.equal((await c.loadCollection({ collection_name: 'it' })).code, 0);
  return c;
}

async function drain(it: AsyncIterable<Record<string, unknown>[]>): Promise<{ pages: number[]; hits: Record<string, unknown>[] }> {
  const pages: number[] = [];
  const hits: Record<string, unknown>[] = [];
  for await (const page of it) {
    pages.push(page.length);
    hits.push(...page);
  }
  return { pages, hits };
}

for (const [metric, indexType] of [['L2', 'FLAT'], ['IP', 'FLAT'], ['L2', 'HNSW']] as const) {
  test(`search iterator ${metric} ${indexType}: every row exactly once, in score order, ties split across pages`, async () => {
    const c = await setup(metric, indexType);
    const q = base[499]!;
    const { pages, hits } = await drain(await c.searchIterator({ collection_name: 'it', data: q, batchSize: 7, output_fields: ['id'] }));
    assert.equal(hits.length, N);
    assert.equal(new Set(hits.map((h) => String(h.id))).size, N, 'no row twice');
    assert.ok(pages.every((n, i) => n === 7 || i === pages.length - 1), `pages ${pages.join(',')}`);
    const scores = hits.map((h) => Number(h.score));
    for (let i = 1; i < scores.length; i++) assert.ok(metric === 'L2' ? scores[i]! >= scores[i - 1]! : scores[i]! <= scores[i - 1]!, `score order at ${i}`);
    // The scores are the exact ones, and the first hits are the exact top (the 41 tied copies first for L2).
    const truth = bruteForce(base, q, metric, N);
    const want = new Map(truth.map(([i, s]) => [String(i), s]));
    for (const h of hits) assert.ok(Math.abs(Number(h.score) - want.get(String(h.id))!) <= 1e-4 * Math.max(1, Math.abs(Number(h.score))));
    if (metric === 'L2') {
      const tied = new Set(Array.from({ length: 41 }, (_, i) => String(499 + i)));
      assert.deepEqual(new Set(hits.slice(0, 41).map((h) => String(h.id))), tied);
    }
    await c.close();
  });
}

test('search iterator: limit, filter and external filter', async () => {
  const c = await setup('L2', 'FLAT');
  const q = base[10]!;
  const limited = await drain(await c.searchIterator({ collection_name: 'it', data: q, batchSize: 30, limit: 100, output_fields: ['id'] }));
  assert.deepEqual(limited.pages, [30, 30, 30, 10]);
  const truth = bruteForce(base, q, 'L2', N);
  assert.deepEqual(limited.hits.map((h) => Number(h.id)), truth.slice(0, 100).map(([i]) => i));
  const filtered = await drain(await c.searchIterator({ collection_name: 'it', data: q, batchSize: 50, filter: 'cat == 1', output_fields: ['cat'] }));
  assert.equal(filtered.hits.length, N / 3);
  assert.ok(filtered.hits.every((h) => Number(h.cat) === 1));
  const even = await drain(await c.searchIterator({ collection_name: 'it', data: q, batchSize: 50, limit: 100, external_filter_fn: (h) => Number(h.id) % 2 === 0 }));
  assert.ok(even.hits.every((h) => Number(h.id) % 2 === 0));
  assert.equal(even.pages.length, 2);
  await c.close();
});

test('search iterator errors: bad token, several query vectors, offset, grouping', async () => {
  const c = await setup('L2', 'FLAT');
  const q = base[1]!;
  const page = (params: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
    c.search({ collection_name: 'it', data: q, limit: 5, params: { iterator: true, search_iter_v2: true, ...params }, ...extra });
  const first = await page({});
  assert.equal(first.status.code, 0);
  const token = (first as { search_iterator_v2_results?: { token: string } }).search_iterator_v2_results?.token;
  assert.ok(token);
  const second = await page({ search_iter_id: token });
  assert.equal(second.status.code, 0);
  assert.equal(new Set([...(first.results as Record<string, unknown>[]), ...(second.results as Record<string, unknown>[])].map((h) => h.id)).size, 10);
  const bad = await page({ search_iter_id: 'not-a-token' });
  assert.equal(bad.status.code, 1100);
  assert.match(bad.status.reason, /search_iter_id/);
  assert.equal((await c.search({ collection_name: 'it', data: [q, base[2]!], limit: 5, params: { iterator: true, search_iter_v2: true } })).status.code, 1100);
  assert.match((await page({}, { offset: 3 })).status.reason, /offset/);
  assert.match((await page({}, { group_by_field: 'cat' })).status.reason, /group/);
  // Without search_iter_v2 (the older client-side iterator) it is an ordinary search.
  const plain = await c.search({ collection_name: 'it', data: q, limit: 5, params: { iterator: true } });
  assert.equal(plain.status.code, 0);
  assert.equal((plain as { search_iterator_v2_results?: unknown }).search_iterator_v2_results, undefined);
  await c.close();
});
