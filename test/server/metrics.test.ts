/**
 * The operations port of a real `elanus serve`: Prometheus /metrics counts gRPC and REST requests by
 * method and status code, and reports collection rows and load state; /healthz answers OK; logs are
 * JSON lines on stderr.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HttpClient, MilvusClient as SdkClient } from '@zilliz/milvus2-sdk-node';
import { DataType } from '../../src/core/data-type.js';
import { startServe } from './spawn-server.js';

/** The value of one sample line (`name{labels} value`), or undefined. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    const body = line.slice(name.length + 1, line.lastIndexOf('}'));
    const got = Object.fromEntries([...body.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([k, v]) => got[k] === v)) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}

test('serve exposes /metrics (requests by transport, method and code; collection rows and load state) and /healthz; logs are JSON', async () => {
  const served = await startServe();
  const sdk = new SdkClient({ address: served.address, logLevel: 'error' } as ConstructorParameters<typeof SdkClient>[0]);
  try {
    assert.ok(served.metricsAddress);
    const base = `http://${served.metricsAddress}`;
    const health = await fetch(`${base}/healthz`);
    assert.equal(health.status, 200);
    assert.equal(await health.text(), 'OK');

    await sdk.createCollection({ collection_name: 'm', fields: [{ name: 'id', data_type: DataType.Int64, is_primary_key: true }, { name: 'v', data_type: DataType.FloatVector, dim: 4 }] } as never);
    await sdk.insert({ collection_name: 'm', data: Array.from({ length: 30 }, (_, i) => ({ id: i, v: [i, 1, 0, 1] })) } as never);
    await sdk.createIndex({ collection_name: 'm', field_name: 'v', index_type: 'FLAT', metric_type: 'L2' } as never);
    await sdk.loadCollection({ collection_name: 'm' } as never);
    for (let i = 0; i < 3; i++) await sdk.search({ collection_name: 'm', data: [1, 1, 0, 1], limit: 3 } as never);
    await sdk.describeCollection({ collection_name: 'nope' } as never);
    const http = new HttpClient({ endpoint: `http://${served.restAddress}` });
    await http.query({ collectionName: 'm', filter: 'id < 5', outputFields: ['id'] });

    const res = await fetch(`${base}/metrics`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /text\/plain/);
    const text = await res.text();
    assert.equal(sample(text, 'elanus_requests_total', { transport: 'grpc', method: 'Search', code: '0' }), 3);
    assert.ok((sample(text, 'elanus_requests_total', { transport: 'grpc', method: 'DescribeCollection', code: '100' }) ?? 0) >= 1);
    assert.equal(sample(text, 'elanus_requests_total', { transport: 'rest', method: 'entities/query', code: '0' }), 1);
    assert.equal(sample(text, 'elanus_request_duration_seconds_count', { transport: 'grpc', method: 'Search' }), 3);
    assert.equal(sample(text, 'elanus_collection_rows', { db: 'default', collection: 'm' }), 30);
    assert.equal(sample(text, 'elanus_collection_loaded', { db: 'default', collection: 'm' }), 1);
    assert.match(text, /^process_resident_memory_bytes \d+/m);
    assert.match(text, /^elanus_collections 1$/m);

    const logLine = served.output().split('\n').find((l) => l.includes('"msg":"serving"'));
    assert.ok(logLine, `a JSON "serving" log line on stderr:\n${served.output()}`);
    assert.equal((JSON.parse(logLine) as { grpc: string }).grpc, served.address);
  } finally {
    await sdk.closeConnection();
    assert.equal(await served.stop(), 0);
  }
});
