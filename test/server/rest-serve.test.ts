/** `elanus serve` also serves the RESTful v2 API: the SDK's HttpClient against a real server process. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HttpClient, MilvusClient } from '@zilliz/milvus2-sdk-node';
import { startServe } from './spawn-server.js';

type Res = Record<string, unknown> & { code: number };

test('REST and gRPC on one served data directory see the same collections', async () => {
  const served = await startServe(['--auth']);
  try {
    assert.ok(served.restAddress, served.output());
    const http = new HttpClient({ endpoint: `http://${served.restAddress}`, token: 'root:Milvus' });
    let r = (await http.createCollection({ collectionName: 'both', dimension: 2 })) as unknown as Res;
    assert.equal(r.code, 0, JSON.stringify(r));
    r = (await http.insert({ collectionName: 'both', data: [{ id: 1, vector: [1, 0] }, { id: 2, vector: [0, 1] }] })) as unknown as Res;
    assert.equal(r.code, 0, JSON.stringify(r));
    const grpc = new MilvusClient({ address: served.address, username: 'root', password: 'Milvus' });
    const hits = await grpc.search({ collection_name: 'both', data: [1, 0.1], limit: 1 });
    assert.equal(hits.status.error_code, 'Success', hits.status.reason);
    assert.equal(String(hits.results[0]!.id), '1');
    const s = (await http.search({ collectionName: 'both', data: [[0, 1]], limit: 1, outputFields: ['id'] })) as unknown as Res & { data: { id: unknown; distance: number }[] };
    assert.equal(s.code, 0, JSON.stringify(s));
    assert.equal(String(s.data[0]!.id), '2');
    await grpc.closeConnection();
    const anonymous = new HttpClient({ endpoint: `http://${served.restAddress}` });
    await assert.rejects(anonymous.listCollections({}), /401|authenticated/);
  } finally {
    await served.stop();
  }
});
