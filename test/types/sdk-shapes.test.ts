/**
 * Compile-time check that request objects typed with the official SDK's own types are accepted by the
 * embedded client, so code moves between the two by changing the import. (Typechecked by
 * `npm run typecheck`; the runtime test only confirms the calls behave.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type {
  CreateCollectionReq,
  CreateIndexSimpleReq,
  DeleteByIdsReq,
  GetReq,
  InsertReq,
  QueryReq,
  SearchSimpleReq,
  LoadCollectionReq,
  ReleaseLoadCollectionReq,
  CreatePartitionReq,
  CreateAliasReq,
} from '@zilliz/milvus2-sdk-node';
import { MilvusClient, DataType } from '../../src/index.js';

test('SDK-typed requests work unchanged against the embedded client', async () => {
  const client = new MilvusClient({ address: ':memory:' });
  const create: CreateCollectionReq = {
    collection_name: 'typed',
    fields: [
      { name: 'id', data_type: DataType.Int64, is_primary_key: true, autoID: false },
      { name: 'vec', data_type: DataType.FloatVector, dim: 4 },
      { name: 'tag', data_type: DataType.VarChar, max_length: 8 },
    ],
  };
  assert.equal((await client.createCollection(create)).error_code, 'Success');
  const part: CreatePartitionReq = { collection_name: 'typed', partition_name: 'p' };
  assert.equal((await client.createPartition(part)).code, 0);
  const alias: CreateAliasReq = { collection_name: 'typed', alias: 'typed_alias' };
  assert.equal((await client.createAlias(alias)).code, 0);
  const insert: InsertReq = { collection_name: 'typed', data: [{ id: 1, vec: [1, 0, 0, 0], tag: 'a' }, { id: 2, vec: [0, 1, 0, 0], tag: 'b' }] };
  assert.equal((await client.insert(insert)).insert_cnt, '2');
  const index: CreateIndexSimpleReq = { collection_name: 'typed', field_name: 'vec', index_type: 'FLAT', metric_type: 'IP' };
  assert.equal((await client.createIndex(index)).code, 0);
  const load: LoadCollectionReq = { collection_name: 'typed' };
  assert.equal((await client.loadCollection(load)).code, 0);
  const search: SearchSimpleReq = { collection_name: 'typed_alias', data: [1, 0, 0, 0], limit: 1, filter: 'tag == "a"', output_fields: ['tag'], params: { nprobe: 10 } };
  const res = await client.search(search);
  assert.deepEqual(res.results, [{ id: '1', tag: 'a', score: 1 }]);
  const query: QueryReq = { collection_name: 'typed', filter: 'id > 0', output_fields: ['tag'] };
  assert.equal((await client.query(query)).data.length, 2);
  const get: GetReq = { collection_name: 'typed', ids: [2], output_fields: ['tag'] };
  assert.deepEqual((await client.get(get)).data, [{ id: '2', tag: 'b' }]);
  const del: DeleteByIdsReq = { collection_name: 'typed', ids: [1] };
  assert.equal((await client.delete(del)).delete_cnt, '1');
  const release: ReleaseLoadCollectionReq = { collection_name: 'typed' };
  assert.equal((await client.releaseCollection(release)).code, 0);
  await client.close();
});
