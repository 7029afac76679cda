/**
 * The seed's workflow on an embedded data directory: create a collection, insert vectors, index,
 * load, search, print ids and distances, release.
 *
 *   npm run demo [-- ./data-dir]
 */
import { MilvusClient, DataType } from '../src/index.js';

const dir = process.argv[2] ?? './elanus-data';
const client = new MilvusClient({ address: dir });
const name = 'demo';
const dim = 8;

await client.dropCollection({ collection_name: name });
await client.createCollection({
  collection_name: name,
  fields: [
    { name: 'id', data_type: DataType.Int64, is_primary_key: true, autoID: true },
    { name: 'example_field', data_type: DataType.FloatVector, dim },
  ],
});
const vectors = Array.from({ length: 1000 }, () => Array.from({ length: dim }, () => Math.random()));
const inserted = await client.insert({ collection_name: name, data: vectors.map((v) => ({ example_field: v })) });
console.log(`inserted ${inserted.insert_cnt} rows`);
await client.createIndex({ collection_name: name, field_name: 'example_field', index_type: 'IVF_FLAT', metric_type: 'L2', params: { nlist: 16 } });
await client.loadCollection({ collection_name: name });
const res = await client.search({
  collection_name: name,
  data: vectors.slice(0, 2),
  anns_field: 'example_field',
  limit: 5,
  params: { nprobe: 10 },
});
if (res.status.error_code !== 'Success') {
  console.error(res.status.reason);
  process.exit(1);
}
(res.results as { id: string; score: number }[][]).forEach((hits, q) => {
  console.log(`query ${q}: ids`, hits.map((h) => h.id));
  console.log(`query ${q}: distances`, hits.map((h) => h.score.toFixed(4)));
});
await client.releaseCollection({ collection_name: name });
await client.close();
