/**
 * Many clients at once against a real `elanus serve`: searches run while inserts stream, every answer
 * is right; SIGTERM lets in-flight calls finish and the data they wrote is there after a restart.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MilvusClient, DataType } from '@zilliz/milvus2-sdk-node';
import { randomVectors } from '../support/data.js';
import { startServe } from './spawn-server.js';

const DIM = 16;
type Config = ConstructorParameters<typeof MilvusClient>[0];

function client(address: string): MilvusClient {
  return new MilvusClient({ address, logLevel: 'error' } as Config);
}

async function createLoaded(c: MilvusClient, name: string): Promise<void> {
  const st = await c.createCollection({
    collection_name: name,
    fields: [
      { name: 'id', data_type: DataType.Int64, is_primary_key: true },
      { name: 'v', data_type: DataType.FloatVector, dim: DIM },
    ],
  });
  assert.equal(st.error_code, 'Success', st.reason);
  assert.equal((await c.createIndex({ collection_name: name, field_name: 'v', index_type: 'FLAT', metric_type: 'L2' })).error_code, 'Success');
  await c.loadCollection({ collection_name: name });
}

test('16 clients search while another streams inserts', async () => {
  const served = await startServe();
  const clients = Array.from({ length: 17 }, () => client(served.address));
  try {
    const writer = clients[16]!;
    await createLoaded(writer, 'busy');
    const base = randomVectors(200, DIM, 1);
    const ins = await writer.insert({ collection_name: 'busy', data: base.map((v, i) => ({ id: i, v })) });
    assert.equal(ins.status.error_code, 'Success');
    const batches = 20;
    const batchRows = 250;
    const stream = (async () => {
      for (let b = 0; b < batches; b++) {
        const vs = randomVectors(batchRows, DIM, 100 + b);
        const r = await writer.insert({ collection_name: 'busy', data: vs.map((v, i) => ({ id: 1000 + b * batchRows + i, v: v.map((x) => x + 10) })) });
        assert.equal(r.status.error_code, 'Success', r.status.reason);
      }
    })();
    const searches = clients.slice(0, 16).map(async (c, ci) => {
      for (let k = 0; k < 10; k++) {
        const qi = (ci * 10 + k) % base.length;
        const r = await c.search({ collection_name: 'busy', data: base[qi]!, limit: 3, output_fields: ['id'] });
        assert.equal(r.status.error_code, 'Success', r.status.reason);
        // the streamed rows are far away (+10 on every element): the query's own row stays first
        assert.equal((r.results as { id: string }[])[0]!.id, String(qi));
      }
    });
    await Promise.all([stream, ...searches]);
    const n = await writer.count({ collection_name: 'busy' });
    assert.equal(n.data, 200 + batches * batchRows);
  } finally {
    await Promise.all(clients.map((c) => c.closeConnection()));
    assert.equal(await served.stop(), 0);
  }
});

test('SIGTERM: acknowledged inserts are synced and there after a restart', async () => {
  let served = await startServe();
  const c = client(served.address);
  await createLoaded(c, 'durable');
  const vs = randomVectors(400, DIM, 9);
  const pending = Array.from({ length: 8 }, (_, b) => c.insert({ collection_name: 'durable', data: vs.slice(b * 50, b * 50 + 50).map((v, i) => ({ id: b * 50 + i, v })) }));
  const results = await Promise.all(pending.map((p) => p.then((r) => r.status.error_code)));
  const stopping = served.stop({ keepData: true });
  assert.deepEqual(results, Array(8).fill('Success'));
  assert.equal(await stopping, 0, served.output());
  await c.closeConnection();

  served = await startServe([], { dataDir: served.dataDir });
  const again = client(served.address);
  try {
    await again.loadCollection({ collection_name: 'durable' });
    assert.equal((await again.count({ collection_name: 'durable' })).data, 400);
  } finally {
    await again.closeConnection();
    assert.equal(await served.stop(), 0);
  }
});

test('SIGTERM while calls are being handled: they complete before the process exits', async () => {
  const served = await startServe();
  const c = client(served.address);
  await createLoaded(c, 'inflight');
  const vs = randomVectors(2000, DIM, 4);
  const big = c.insert({ collection_name: 'inflight', data: vs.map((v, i) => ({ id: i, v })) });
  // Give the request time to reach the server, then ask it to stop while the insert may still run.
  await new Promise((r) => setTimeout(r, 30));
  const stopping = served.stop({ keepData: false });
  const r = await big.catch((e: Error) => ({ status: { error_code: `rejected: ${e.message}` } }));
  assert.ok(r.status.error_code === 'Success' || String(r.status.error_code).includes('UNAVAILABLE'), JSON.stringify(r.status));
  assert.equal(await stopping, 0, served.output());
  await c.closeConnection();
});
