/** Index files on disk: used again after a restart, and rebuilt (not trusted, not fatal) when damaged. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MilvusClient, DataType } from '../index.js';
import { randomVectors } from '../../test/support/data.js';

const vectors = randomVectors(1500, 16, 3);

async function indexedSegments(c: MilvusClient): Promise<string[]> {
  const info = await c.getQuerySegmentInfo({ collectionName: 'docs' });
  assert.equal(info.status.code, 0, info.status.reason);
  return info.infos.filter((s) => s['state'] === 'Sealed').map((s) => String(s['index_name']));
}

for (const [type, params] of [['IVF_FLAT', { nlist: 16 }], ['HNSW_SQ', { M: 8, efConstruction: 64, sq_type: 'SQ8', refine: true, refine_type: 'FLAT' }]] as const) {
  test(`${type} index files are used after a restart, and a damaged one is rebuilt`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'elanus-idxfiles-'));
    try {
      let c = new MilvusClient({ address: dir, sealRows: 500 });
      await c.createCollection({ collection_name: 'docs', fields: [{ name: 'id', data_type: DataType.Int64, is_primary_key: true }, { name: 'v', data_type: DataType.FloatVector, dim: 16 }] });
      // Three inserts of 500 rows: three sealed segments.
      for (let i = 0; i < 1500; i += 500) await c.insert({ collection_name: 'docs', data: vectors.slice(i, i + 500).map((v, j) => ({ id: i + j, v })) });
      await c.flush({ collection_names: ['docs'] });
      assert.equal((await c.createIndex({ collection_name: 'docs', field_name: 'v', index_type: type, metric_type: 'L2', params })).code, 0);
      assert.equal((await c.loadCollection({ collection_name: 'docs' })).code, 0);
      assert.deepEqual(await indexedSegments(c), ['v', 'v', 'v']);
      const search = () => c.search({ collection_name: 'docs', data: vectors[42]!, limit: 5, params: { nprobe: 4, ef: 32 } });
      const before = (await search()).results;
      await c.close();

      c = new MilvusClient({ address: dir, sealRows: 500 });
      assert.equal((await c.loadCollection({ collection_name: 'docs' })).code, 0);
      assert.deepEqual(await indexedSegments(c), ['v', 'v', 'v'], 'every sealed segment serves its index read back from disk');
      assert.equal((await c.describeIndex({ collection_name: 'docs' })).index_descriptions[0]!['state'], 'Finished');
      assert.deepEqual((await search()).results, before);
      await c.close();

      // Damage one index file: the load reports it, rebuilds the index and writes a good file again.
      const colDir = join(dir, 'collections', readdirSync(join(dir, 'collections'))[0]!);
      const idxFile = join(colDir, readdirSync(colDir).find((f) => f.endsWith('.idx'))!);
      const good = readFileSync(idxFile);
      const bad = Buffer.from(good);
      bad[Math.floor(bad.length / 2)]! ^= 0xff;
      writeFileSync(idxFile, bad);
      c = new MilvusClient({ address: dir, sealRows: 500 });
      assert.equal((await c.loadCollection({ collection_name: 'docs' })).code, 0);
      assert.deepEqual(await indexedSegments(c), ['v', 'v', 'v']);
      assert.deepEqual((await search()).results, before);
      await c.close();
      assert.ok(readFileSync(idxFile).equals(good), 'the rebuilt index file is the deterministic original again');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
