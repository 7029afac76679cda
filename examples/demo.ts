/**
 * The seed's workflow on an embedded data directory: create a collection, insert vectors, index,
 * load, search, print ids and distances, release.
 *
 *   npm run demo                 # in a scratch directory of its own, removed afterwards
 *   npm run demo -- ./data-dir   # in a directory you choose (kept)
 *
 * Every call's status is checked: the first failure is printed with its code and the demo exits 1.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MilvusClient, DataType } from '../src/index.js';

interface Status {
  code: number;
  reason: string;
}

const given = process.argv[2];
const dir = given ?? mkdtempSync(join(tmpdir(), 'elanus-demo-'));
const client = new MilvusClient({ address: dir });
const name = 'demo';
const dim = 8;

/** Thrown by `check` once the failure is printed. */
class CallFailed extends Error {}

/** Stops the demo on the first failed call, naming it. */
function check(what: string, status: Status): void {
  if (status.code === 0) return;
  console.error(`${what} failed (code ${status.code}): ${status.reason}`);
  throw new CallFailed(what);
}

try {
  console.log(`data directory: ${dir}${given ? '' : ' (scratch, removed afterwards)'}`);
  const exists = await client.hasCollection({ collection_name: name });
  check('hasCollection', exists.status);
  if (exists.value) check('dropCollection', await client.dropCollection({ collection_name: name }));
  check(
    'createCollection',
    await client.createCollection({
      collection_name: name,
      fields: [
        { name: 'id', data_type: DataType.Int64, is_primary_key: true, autoID: true },
        { name: 'example_field', data_type: DataType.FloatVector, dim },
      ],
    }),
  );
  const vectors = Array.from({ length: 1000 }, () => Array.from({ length: dim }, () => Math.random()));
  const inserted = await client.insert({ collection_name: name, data: vectors.map((v) => ({ example_field: v })) });
  check('insert', inserted.status);
  console.log(`inserted ${inserted.insert_cnt} rows`);
  check('createIndex', await client.createIndex({ collection_name: name, field_name: 'example_field', index_type: 'IVF_FLAT', metric_type: 'L2', params: { nlist: 16 } }));
  check('loadCollection', await client.loadCollection({ collection_name: name }));
  const res = await client.search({
    collection_name: name,
    data: vectors.slice(0, 2),
    anns_field: 'example_field',
    limit: 5,
    params: { nprobe: 10 },
  });
  check('search', res.status);
  (res.results as { id: string; score: number }[][]).forEach((hits, q) => {
    console.log(`query ${q}: ids`, hits.map((h) => h.id));
    console.log(`query ${q}: distances`, hits.map((h) => h.score.toFixed(4)));
  });
  check('releaseCollection', await client.releaseCollection({ collection_name: name }));
} catch (err) {
  if (!(err instanceof CallFailed)) console.error(err instanceof Error ? err.message : String(err));
  process.exitCode = 1;
} finally {
  await client.close();
  if (!given) rmSync(dir, { recursive: true, force: true });
}
