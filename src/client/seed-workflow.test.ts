/**
 * The seed's workflow end to end through the embedded client: create → insert 10k random vectors →
 * index → load → search nq=5 limit=10 with L2, IP and COSINE, checked against an independent brute
 * force → search one partition → release → search fails with 101.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MilvusClient, DataType } from '../index.js';
import { bruteForce, randomVectors } from '../../test/support/data.js';

const DIM = 32;
const N = 10_000;

for (const metric of ['L2', 'IP', 'COSINE'] as const) {
  test(`seed workflow with ${metric}`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'elanus-seed-'));
    const client = new MilvusClient({ address: dir });
    try {
      const name = 'seed_' + metric.toLowerCase();
      let st = await client.createCollection({
        collection_name: name,
        fields: [
          { name: 'id', data_type: DataType.Int64, is_primary_key: true },
          { name: 'example_field', data_type: DataType.FloatVector, dim: DIM },
          { name: 'tag', data_type: DataType.VarChar, max_length: 16 },
        ],
      });
      assert.equal(st.error_code, 'Success', st.reason);
      st = await client.createPartition({ collection_name: name, partition_name: 'p1' });
      assert.equal(st.code, 0, st.reason);
      const vectors = randomVectors(N, DIM, 42);
      const rows = vectors.map((v, i) => ({ id: i, example_field: v, tag: i % 2 ? 'odd' : 'even' }));
      const half = N / 2;
      const ins1 = await client.insert({ collection_name: name, data: rows.slice(0, half) });
      assert.equal(ins1.status.code, 0, ins1.status.reason);
      assert.equal(ins1.insert_cnt, String(half));
      const ins2 = await client.insert({ collection_name: name, partition_name: 'p1', data: rows.slice(half) });
      assert.equal(ins2.status.code, 0, ins2.status.reason);
      st = await client.createIndex({ collection_name: name, field_name: 'example_field', index_type: 'FLAT', metric_type: metric });
      assert.equal(st.code, 0, st.reason);
      st = await client.loadCollection({ collection_name: name });
      assert.equal(st.code, 0, st.reason);
      const stats = await client.getCollectionStatistics({ collection_name: name });
      assert.equal(stats.data.row_count, String(N));

      const queries = vectors.slice(0, 5);
      const res = await client.search({ collection_name: name, data: queries, anns_field: 'example_field', limit: 10, params: { nprobe: 10 } });
      assert.equal(res.status.code, 0, res.status.reason);
      const results = res.results as Record<string, unknown>[][];
      assert.equal(results.length, 5);
      queries.forEach((q, qi) => {
        const expected = bruteForce(vectors, q, metric, 10);
        const got = results[qi]!;
        assert.equal(got.length, 10);
        assert.deepEqual(got.map((h) => Number(h.id)), expected.map((e) => e[0]));
        got.forEach((h, j) => assert.ok(Math.abs((h.score as number) - expected[j]![1]) < 1e-3 * Math.max(1, Math.abs(expected[j]![1])), `score ${h.score} vs ${expected[j]![1]}`));
      });
      if (metric === 'L2') assert.equal(results[0]![0]!.id, '0');

      // One partition only: every hit comes from p1 (ids >= half) and matches brute force over p1.
      const inP1 = await client.search({ collection_name: name, data: queries[0]!, limit: 10, partition_names: ['p1'] });
      assert.equal(inP1.status.code, 0, inP1.status.reason);
      const p1Expected = bruteForce(vectors.slice(half), queries[0]!, metric, 10).map((e) => e[0] + half);
      assert.deepEqual((inP1.results as Record<string, unknown>[]).map((h) => Number(h.id)), p1Expected);

      st = await client.releaseCollection({ collection_name: name });
      assert.equal(st.code, 0);
      const after = await client.search({ collection_name: name, data: queries[0]!, limit: 10 });
      assert.equal(after.status.code, 101);
      assert.match(after.status.reason, /not loaded/);
    } finally {
      await client.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
