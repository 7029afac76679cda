/** A data directory reopened by a new client comes back with everything the old one was told succeeded. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MilvusClient, DataType } from '../index.js';
import { bruteForce, randomVectors } from '../../test/support/data.js';

test('restart keeps schemas, partitions, aliases, databases, indexes, rows; collections come back released; auto-ids never reissued', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'elanus-restart-'));
  const vectors = randomVectors(3000, 16, 11);
  try {
    let c = new MilvusClient({ address: dir, sealRows: 1000 });
    assert.equal((await c.createDatabase({ db_name: 'other' })).code, 0);
    assert.equal(
      (await c.createCollection({
        collection_name: 'docs',
        enable_dynamic_field: true,
        fields: [
          { name: 'id', data_type: DataType.Int64, is_primary_key: true, autoID: true },
          { name: 'v', data_type: DataType.FloatVector, dim: 16 },
          { name: 'n', data_type: DataType.Int32, nullable: true },
        ],
      })).code,
      0,
    );
    await c.createPartition({ collection_name: 'docs', partition_name: 'archive' });
    await c.createAlias({ collection_name: 'docs', alias: 'current' });
    await c.createIndex({ collection_name: 'docs', field_name: 'v', index_type: 'HNSW', metric_type: 'L2', params: { M: 8, efConstruction: 64 } });
    const ins = await c.insert({ collection_name: 'docs', data: vectors.map((v, i) => ({ v, n: i % 7 === 0 ? null : i, extra: `e${i}` })) });
    const ids = (ins.IDs as { int_id: { data: string[] } }).int_id.data;
    await c.insert({ collection_name: 'docs', partition_name: 'archive', data: [{ v: vectors[0], n: -1 }] });
    await c.delete({ collection_name: 'docs', ids: [ids[1]!] });
    await c.loadCollection({ collection_name: 'docs' });
    const before = await c.search({ collection_name: 'docs', data: vectors[5]!, limit: 5, params: { ef: 64 } });
    assert.equal(before.status.code, 0, before.status.reason);
    await c.close();

    const files = readdirSync(join(dir, 'collections'), { recursive: true }).map(String);
    assert.ok(files.some((f) => f.endsWith('.idx')), `index files written: ${files.join(', ')}`);

    c = new MilvusClient({ address: dir, sealRows: 1000 });
    assert.deepEqual((await c.listDatabases()).db_names, ['default', 'other']);
    assert.equal((await c.describeAlias({ alias: 'current' })).collection, 'docs');
    assert.deepEqual((await c.showPartitions({ collection_name: 'docs' })).partition_names, ['_default', 'archive']);
    const schema = (await c.describeCollection({ collection_name: 'docs' })).schema as { fields: { name: string }[]; enable_dynamic_field: boolean };
    assert.deepEqual(schema.fields.map((f) => f.name), ['id', 'v', 'n']);
    assert.equal((await c.getLoadState({ collection_name: 'docs' })).state, 'LoadStateNotLoad');
    const idx = await c.describeIndex({ collection_name: 'docs' });
    assert.equal((idx.index_descriptions[0]!['params'] as { key: string; value: string }[]).find((p) => p.key === 'index_type')?.value, 'HNSW');
    assert.equal(idx.index_descriptions[0]!.state, 'Finished');
    assert.equal((await c.search({ collection_name: 'current', data: vectors[5]!, limit: 5 })).status.code, 101);
    assert.equal((await c.loadCollection({ collection_name: 'current' })).code, 0);
    assert.equal((await c.count({ collection_name: 'docs' })).data, 3000);
    const after = await c.search({ collection_name: 'docs', data: vectors[5]!, limit: 5, params: { ef: 64 } });
    assert.deepEqual(after.results, before.results);
    const gone = await c.get({ collection_name: 'docs', ids: [ids[1]!] });
    assert.deepEqual(gone.data, []);
    const row = await c.get({ collection_name: 'docs', ids: [ids[7]!], output_fields: ['n', 'extra'] });
    assert.deepEqual(row.data, [{ id: ids[7], n: null, $meta: { extra: 'e7' } }]);
    const more = await c.insert({ collection_name: 'docs', data: [{ v: vectors[1] }] });
    const newId = BigInt((more.IDs as { int_id: { data: string[] } }).int_id.data[0]!);
    assert.ok(newId > BigInt(ids[ids.length - 1]!) + 1n, 'no auto-id is reissued after a restart');
    // exact answer check on the reopened data
    const exact = bruteForce(vectors, vectors[9]!, 'L2', 3).map(([i]) => ids[i]).filter((x) => x !== ids[1]);
    const r = await c.search({ collection_name: 'docs', data: vectors[9]!, limit: 2, params: { ef: 200 }, partition_names: ['_default'] });
    assert.deepEqual((r.results as { id: string }[]).map((h) => h.id), exact.slice(0, 2));
    await c.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
