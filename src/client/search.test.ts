/** Search options through the embedded client: limit/offset, filters, output fields, range, group-by, errors. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MilvusClient, DataType } from '../index.js';
import { bruteForce, randomVectors } from '../../test/support/data.js';

const DIM = 8;
const base = randomVectors(600, DIM, 7);

async function setup(metric: 'L2' | 'IP' | 'COSINE' = 'L2'): Promise<MilvusClient> {
  const c = new MilvusClient({ address: ':memory:', sealRows: 250 });
  const st = await c.createCollection({
    collection_name: 's',
    fields: [
      { name: 'id', data_type: DataType.Int64, is_primary_key: true },
      { name: 'cat', data_type: DataType.Int64 },
      { name: 'name', data_type: DataType.VarChar, max_length: 20 },
      { name: 'v', data_type: DataType.FloatVector, dim: DIM },
      { name: 'w', data_type: DataType.FloatVector, dim: 2 },
    ],
  });
  assert.equal(st.code, 0, st.reason);
  const rows = base.map((v, i) => ({ id: i, cat: i % 5, name: `n${i}`, v, w: [i, 1] }));
  for (let i = 0; i < rows.length; i += 100) assert.equal((await c.insert({ collection_name: 's', data: rows.slice(i, i + 100) })).status.code, 0);
  await c.createIndex({ collection_name: 's', field_name: 'v', index_type: 'FLAT', metric_type: metric });
  await c.createIndex({ collection_name: 's', field_name: 'w', index_type: 'FLAT', metric_type: 'L2' });
  assert.equal((await c.loadCollection({ collection_name: 's' })).code, 0);
  return c;
}

const hits = (r: { results: unknown }): Record<string, unknown>[] => r.results as Record<string, unknown>[];

test('limit, offset and filters match brute force across sealed and growing segments', async () => {
  const c = await setup();
  const q = base[3]!;
  const all = bruteForce(base, q, 'L2', 600);
  const r = await c.search({ collection_name: 's', data: q, anns_field: 'v', limit: 7, offset: 5 });
  assert.deepEqual(hits(r).map((h) => Number(h.id)), all.slice(5, 12).map((x) => x[0]));
  const f = await c.search({ collection_name: 's', data: q, anns_field: 'v', limit: 5, filter: 'cat == 2 and id > 100', output_fields: ['cat', 'name'] });
  const expected = all.filter(([i]) => i % 5 === 2 && i > 100).slice(0, 5);
  assert.deepEqual(hits(f).map((h) => Number(h.id)), expected.map((x) => x[0]));
  for (const h of hits(f)) {
    assert.equal(h.cat, '2');
    assert.equal(h.name, `n${h.id}`);
  }
  const tmpl = await c.search({ collection_name: 's', data: q, anns_field: 'v', limit: 3, filter: 'cat == {c}', exprValues: { c: 4 } });
  for (const h of hits(tmpl)) assert.equal(Number(h.id) % 5, 4);
  await c.close();
});

test('round_decimal, range search, group-by', async () => {
  const c = await setup();
  const q = base[10]!;
  const all = bruteForce(base, q, 'L2', 600);
  // As the SDK 3.x sends it: round_decimal inside params (the SDK drops a top-level round_decimal).
  const rd = await c.search({ collection_name: 's', data: q, anns_field: 'v', limit: 3, params: { round_decimal: 2 } });
  for (const h of hits(rd)) assert.equal(h.score, Math.round((h.score as number) * 100) / 100);
  const radius = all[40]![1];
  const rangeFilter = all[20]![1];
  const rr = await c.search({ collection_name: 's', data: q, anns_field: 'v', limit: 100, params: { radius, range_filter: rangeFilter } });
  assert.equal(rr.status.code, 0, rr.status.reason);
  const expect = all.filter(([, s]) => s < radius && s >= rangeFilter).map((x) => x[0]);
  assert.deepEqual(hits(rr).map((h) => Number(h.id)), expect);
  const bad = await c.search({ collection_name: 's', data: q, anns_field: 'v', limit: 3, params: { radius: 1, range_filter: 2 } });
  assert.equal(bad.status.code, 1100);
  const g = await c.search({ collection_name: 's', data: q, anns_field: 'v', limit: 3, group_by_field: 'cat', group_size: 2, output_fields: ['cat'] });
  assert.equal(g.status.code, 0, g.status.reason);
  const groups = hits(g).map((h) => h.cat);
  assert.equal(groups.length, 6);
  assert.equal(new Set(groups).size, 3);
  const firstCats: string[] = [];
  for (const [i] of all) {
    const cat = String(i % 5);
    if (!firstCats.includes(cat)) firstCats.push(cat);
  }
  assert.deepEqual([...new Set(groups)], firstCats.slice(0, 3));
  await c.close();
});

test('search errors: limit range, metric mismatch, anns_field, dimension, missing collection', async () => {
  const c = await setup('IP');
  const q = base[0]!;
  const cases: [Record<string, unknown>, number, RegExp][] = [
    [{ anns_field: 'v', limit: 0 }, 1100, /limit.*\[1, 16384\]/],
    [{ anns_field: 'v', limit: 16385 }, 1100, /limit/],
    [{ anns_field: 'v', limit: 10, offset: 16380 }, 1100, /limit \+ offset/],
    [{ anns_field: 'v', limit: 10, metric_type: 'L2' }, 1100, /metric type not match/],
    // No anns_field: the SDK searches the first vector field (so does the embedded client).
    [{ limit: 10 }, 0, /^$/],
    [{ anns_field: 'v', limit: 10, data: [1, 2, 3] }, 1100, /dimension 3.*dim 8/],
    [{ anns_field: 'v', limit: 10, filter: 'nope > 1' }, 1100, /nope/],
    [{ anns_field: 'v', limit: 10, output_fields: ['nope'] }, 1100, /nope/],
    [{ anns_field: 'v', limit: 10, partition_names: ['nope'] }, 200, /nope/],
    [{ anns_field: 'v', limit: 10, group_by_field: 'v' }, 1100, /grouping/],
  ];
  for (const [extra, code, re] of cases) {
    const r = await c.search({ collection_name: 's', data: q, ...extra });
    assert.equal(r.status.code, code, `${JSON.stringify(extra)} → ${r.status.reason}`);
    assert.match(r.status.reason, re);
  }
  // As the SDK: an anns_field that is not a vector field of the collection throws before anything is sent.
  await assert.rejects(c.search({ collection_name: 's', data: q, anns_field: 'cat', limit: 10 }), /Target anns field not found/);
  const ok = await c.search({ collection_name: 's', data: q, anns_field: 'v', limit: 10, metric_type: 'IP' });
  assert.equal(ok.status.code, 0);
  assert.equal((await c.search({ collection_name: 'nope', data: q, limit: 1 })).status.code, 100);
  await c.close();
});

test('release frees index and segment memory', async () => {
  const c = new MilvusClient({ address: ':memory:', sealRows: 20_000 });
  await c.createCollection({ collection_name: 'm', fields: [{ name: 'id', data_type: DataType.Int64, is_primary_key: true }, { name: 'v', data_type: DataType.FloatVector, dim: 64 }] });
  const vs = randomVectors(40_000, 64, 3);
  for (let i = 0; i < vs.length; i += 5000) await c.insert({ collection_name: 'm', data: vs.slice(i, i + 5000).map((v, j) => ({ id: i + j, v })) });
  await c.createIndex({ collection_name: 'm', field_name: 'v', index_type: 'HNSW', metric_type: 'L2', params: { M: 16, efConstruction: 40 } });
  await c.loadCollection({ collection_name: 'm' });
  const r = await c.search({ collection_name: 'm', data: vs[5]!, limit: 1, params: { ef: 128 } });
  assert.equal(r.status.code, 0, r.status.reason);
  assert.equal(hits(r).length, 1);
  await c.releaseCollection({ collection_name: 'm' });
  const s = await c.search({ collection_name: 'm', data: vs[5]!, limit: 1 });
  assert.equal(s.status.code, 101);
  await c.close();
});

test('hybrid search fuses two vector fields with RRF and weighted ranking', async () => {
  const c = await setup();
  const q = base[42]!;
  const r = await c.hybridSearch({
    collection_name: 's',
    data: [
      { data: q, anns_field: 'v', limit: 20 },
      { data: [42, 1], anns_field: 'w', limit: 20 },
    ],
    rerank: { strategy: 'rrf', params: { k: 60 } },
    limit: 5,
    output_fields: ['name'],
  });
  assert.equal(r.status.code, 0, r.status.reason);
  const h = hits(r);
  assert.equal(h.length, 5);
  assert.equal(h[0]!.id, '42', 'first in both lists wins');
  assert.equal(h[0]!.name, 'n42');
  assert.ok(Math.abs((h[0]!.score as number) - 2 / 61) < 1e-9);
  const w = await c.hybridSearch({
    collection_name: 's',
    data: [
      { data: q, anns_field: 'v', limit: 20 },
      { data: [42, 1], anns_field: 'w', limit: 20 },
    ],
    rerank: { strategy: 'weighted', params: { weights: [1, 0] } },
    limit: 3,
  });
  const expected = bruteForce(base, q, 'L2', 3).map((x) => String(x[0]));
  assert.deepEqual(hits(w).map((x) => x.id), expected);
  const bad = await c.hybridSearch({ collection_name: 's', data: [{ data: q, anns_field: 'v' }], rerank: { strategy: 'weighted', params: { weights: [1, 2] } }, limit: 3 });
  assert.equal(bad.status.code, 1100);
  await c.close();
});
