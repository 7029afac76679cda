/**
 * Request size and shape bounds (issue 13), through the embedded client, the official SDK over gRPC
 * against a real `elanus serve` and the SDK's HttpClient over REST:
 * - nq above Milvus's `quotaAndLimits.limits.nq` (16384), in a search and in a hybrid search's
 *   sub-request, and a hybrid search of more than 1024 requests: the same 1100 code and message on
 *   every transport;
 * - a gRPC message above the server's `--max-recv-size` (Milvus's `proxy.grpc.serverMaxRecvSize`) is
 *   refused with RESOURCE_EXHAUSTED before it is read, a REST body above 4× it too, and the server
 *   goes on answering;
 * - the original bug: one gRPC search with a million tiny query vectors is refused on its count,
 *   without building a million vectors — the server's resident memory (its /metrics) and its peak
 *   resident memory grow by less than 100 MB (measured: ~16 MB; decoding the group first, as before,
 *   it grew by ~180 MB here).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HttpClient, MilvusClient as SdkClient } from '@zilliz/milvus2-sdk-node';
import { MilvusClient } from '../../src/index.js';
import { DataType } from '../../src/core/data-type.js';
import { startServe, type ServedProcess } from '../server/spawn-server.js';
import { rawClient } from '../server/raw-client.js';

type Res = Record<string, unknown>;
type Client = Record<string, (req?: unknown) => Promise<unknown>>;

const C = 'bounds';
const DIM = 2;
const MiB = 1024 * 1024;

let served: ServedProcess;
let small: ServedProcess;
let sdk: SdkClient;
let smallSdk: SdkClient;
let http: HttpClient;
let smallHttp: HttpClient;
let embedded: MilvusClient;
let embeddedDir: string;

const q = (i: number): number[] => [Math.cos(i), Math.sin(i)];
const many = (n: number): number[][] => Array.from({ length: n }, (_, i) => q(i));

async function ok(c: Client, method: string, req: unknown): Promise<void> {
  const r = (await c[method]!.call(c, req)) as Res;
  const s = (r['status'] ?? r) as Res;
  assert.equal(s['code'] ?? (s['error_code'] === 'Success' ? 0 : -1), 0, `${method}: ${JSON.stringify(r).slice(0, 300)}`);
}

async function seed(c: Client): Promise<void> {
  await ok(c, 'createCollection', { collection_name: C, fields: [{ name: 'id', data_type: DataType.Int64, is_primary_key: true }, { name: 'v', data_type: DataType.FloatVector, dim: DIM }] });
  await ok(c, 'insert', { collection_name: C, data: Array.from({ length: 20 }, (_, i) => ({ id: i, v: q(i) })) });
  await ok(c, 'createIndex', { collection_name: C, field_name: 'v', index_type: 'FLAT', metric_type: 'L2' });
  await ok(c, 'loadCollection', { collection_name: C });
}

before(async () => {
  [served, small] = await Promise.all([startServe([]), startServe(['--no-metrics', '--max-recv-size', '1MiB'])]);
  sdk = new SdkClient({ address: served.address, logLevel: 'error' } as ConstructorParameters<typeof SdkClient>[0]);
  smallSdk = new SdkClient({ address: small.address, logLevel: 'error' } as ConstructorParameters<typeof SdkClient>[0]);
  await Promise.all([sdk.connectPromise, smallSdk.connectPromise]);
  http = new HttpClient({ endpoint: `http://${served.restAddress!}` });
  smallHttp = new HttpClient({ endpoint: `http://${small.restAddress!}` });
  embeddedDir = mkdtempSync(join(tmpdir(), 'elanus-bounds-'));
  embedded = new MilvusClient({ address: embeddedDir });
  await seed(embedded as unknown as Client);
  await seed(sdk as unknown as Client);
  await seed(smallSdk as unknown as Client);
});

after(async () => {
  await sdk?.closeConnection();
  await smallSdk?.closeConnection();
  await embedded?.close();
  if (embeddedDir) rmSync(embeddedDir, { recursive: true, force: true });
  for (const s of [served, small]) {
    const code = await s?.stop();
    assert.equal(code, 0, `elanus serve exited with ${code}:\n${s?.output()}`);
  }
});

/** Code and message of a reply, whichever transport it came from. */
function outcome(r: Res): { code: unknown; message: unknown } {
  if ('message' in r && typeof r['code'] === 'number') return { code: r['code'], message: r['message'] };
  const s = (r['status'] ?? r) as Res;
  return { code: s['code'], message: s['reason'] };
}

type Outcome = { code: unknown; message: unknown };

/** The same request through embedded, SDK gRPC and SDK REST. */
async function three(sdkMethod: string, req: Res, restMethod: string, body: Res): Promise<[Outcome, Outcome, Outcome]> {
  const e = outcome((await (embedded as unknown as Client)[sdkMethod]!(structuredClone(req))) as Res);
  const g = outcome((await (sdk as unknown as Client)[sdkMethod]!(structuredClone(req))) as Res);
  const r = outcome((await (http as unknown as Client)[restMethod]!(structuredClone(body))) as Res);
  return [e, g, r];
}

test('a search with nq = 16385 is refused with the same 1100 and message on every transport; 16384 is served', async () => {
  const [e, g, r] = await three('search', { collection_name: C, data: many(16385), limit: 1 }, 'search', { collectionName: C, data: many(16385), limit: 1 });
  assert.equal(e.code, 1100);
  assert.match(String(e.message), /invalid parameter "nq": must be in \[1, 16384\], got 16385/);
  assert.deepEqual(g, e, 'gRPC differs from embedded');
  assert.deepEqual(r, e, 'REST differs from embedded');
  const [e2, g2, r2] = await three('search', { collection_name: C, data: many(16384), limit: 1 }, 'search', { collectionName: C, data: many(16384), limit: 1 });
  assert.deepEqual([e2.code, g2.code, r2.code], [0, 0, 0]);
});

test('a hybrid search sub-request with nq = 16385, and more than 1024 sub-requests, are refused alike', async () => {
  const sub = (data: number[][]): Res => ({ data, anns_field: 'v', limit: 2 });
  const restSub = (data: number[][]): Res => ({ data, annsField: 'v', limit: 2 });
  const [e, g, r] = await three(
    'hybridSearch',
    { collection_name: C, data: [sub(many(16385)), sub(many(16385))], rerank: { strategy: 'rrf', params: { k: 60 } }, limit: 2 },
    'hybridSearch',
    { collectionName: C, search: [restSub(many(16385)), restSub(many(16385))], rerank: { strategy: 'rrf', params: { k: 60 } }, limit: 2 },
  );
  assert.equal(e.code, 1100);
  assert.match(String(e.message), /"nq": must be in \[1, 16384\], got 16385/);
  assert.deepEqual(g, e, 'gRPC differs from embedded');
  assert.deepEqual(r, e, 'REST differs from embedded');
  const subs = Array.from({ length: 1025 }, () => sub([q(1)]));
  const [e2, g2, r2] = await three(
    'hybridSearch',
    { collection_name: C, data: subs, rerank: { strategy: 'rrf', params: { k: 60 } }, limit: 2 },
    'hybridSearch',
    { collectionName: C, search: Array.from({ length: 1025 }, () => restSub([q(1)])), rerank: { strategy: 'rrf', params: { k: 60 } }, limit: 2 },
  );
  assert.equal(e2.code, 1100);
  assert.match(String(e2.message), /at most 1024 search requests, got 1025/);
  assert.deepEqual(g2, e2, 'gRPC differs from embedded');
  assert.deepEqual(r2, e2, 'REST differs from embedded');
});

test('a gRPC message above --max-recv-size is refused with RESOURCE_EXHAUSTED; a REST body above 4x it too; the server goes on', async () => {
  // ~2.4 MB of protobuf: 150,000 rows of an Int64 and two float32.
  const rows = Array.from({ length: 150_000 }, (_, i) => ({ id: 1000 + i, v: q(i) }));
  const err = await smallSdk.insert({ collection_name: C, data: rows }).then(
    () => null,
    (e: unknown) => e as { code?: number; details?: string; message?: string },
  );
  assert.ok(err, 'the oversize insert is refused');
  assert.equal(err.code, 8, `gRPC RESOURCE_EXHAUSTED: ${JSON.stringify(err)}`);
  assert.match(String(err.details ?? err.message), /Received message larger than max \(\d+ vs\.? 1048576\)/);
  // A search above the limit likewise: 150,000 query vectors are ~1.5 MB.
  const big = await smallSdk.search({ collection_name: C, data: many(150_000), limit: 1 }).then(
    (r) => ({ code: -1, details: JSON.stringify(r).slice(0, 200) }),
    (e: unknown) => e as { code?: number; details?: string },
  );
  assert.equal(big.code, 8, String(big.details));
  // REST: a 5 MB body is refused before it is parsed (fastify's body limit is 4 x 1 MiB here).
  const restBig = (await smallHttp.insert({ collectionName: C, data: rows.slice(0, 100_000).map((r) => ({ ...r, pad: 'x'.repeat(30) })) })) as unknown as Res;
  assert.notEqual(restBig['code'], 0);
  assert.match(String(restBig['message']), /too large/i);
  // Still healthy: nothing of the refused requests was stored, and calls below the limit are served.
  const count = (await smallSdk.query({ collection_name: C, filter: '', output_fields: ['count(*)'] })) as unknown as Res;
  assert.equal(String((count['data'] as Res[])[0]!['count(*)']), '20');
  const s = (await smallSdk.search({ collection_name: C, data: [q(3)], limit: 2 })) as unknown as Res;
  assert.equal((s['status'] as Res)['code'], 0);
  assert.equal((s['results'] as unknown[]).length, 2);
});

/** The server's resident memory from its /metrics, and its peak from /proc (VmHWM), in bytes. */
async function memory(): Promise<{ rss: number; peak: number }> {
  const text = await (await fetch(`http://${served.metricsAddress!}/metrics`)).text();
  const rss = Number(/^process_resident_memory_bytes (\d+)/m.exec(text)?.[1]);
  const status = readFileSync(`/proc/${served.child.pid!}/status`, 'utf8');
  const peak = Number(/^VmHWM:\s+(\d+) kB/m.exec(status)?.[1]) * 1024;
  assert.ok(rss > 0 && peak > 0, 'memory figures read');
  return { rss, peak };
}

/** A PlaceholderGroup of `n` FloatVector values of `dim` zeros, built on the wire directly. */
function bigPlaceholder(n: number, dim: number): Buffer {
  const value = Buffer.concat([Buffer.from([0x1a, dim * 4]), Buffer.alloc(dim * 4)]);
  const values = Buffer.alloc(value.length * n);
  for (let i = 0; i < n; i++) value.copy(values, i * value.length);
  const head = Buffer.from([0x0a, 0x02, 0x24, 0x30, 0x10, 101]); // tag "$0", type FloatVector
  const inner = Buffer.concat([head, values]);
  const len: number[] = [];
  for (let l = inner.length; ; l = Math.floor(l / 128)) {
    if (l < 128) {
      len.push(l);
      break;
    }
    len.push((l & 0x7f) | 0x80);
  }
  return Buffer.concat([Buffer.from([0x0a, ...len]), inner]);
}

test('a gRPC search with a million tiny query vectors is refused on its count without growing the server by 100 MB', async () => {
  const raw = rawClient(served.address);
  try {
    const placeholder = bigPlaceholder(1_000_000, DIM);
    assert.ok(placeholder.length < 64 * MiB && placeholder.length > 9 * MiB, `a ${placeholder.length} byte group, under the default receive limit`);
    const before = await memory();
    const r = await raw.call('Search', { collection_name: C, placeholder_group: placeholder, nq: '1000000', dsl_type: 1, search_params: [{ key: 'anns_field', value: 'v' }, { key: 'topk', value: '1' }] });
    assert.equal(r.status?.code, 1100, JSON.stringify(r.status));
    assert.match(r.status!.reason, /"nq": must be in \[1, 16384\], got 1000000/);
    const afterwards = await memory();
    const grew = Math.max(afterwards.rss - before.rss, afterwards.peak - Math.max(before.peak, before.rss));
    assert.ok(grew < 100 * MiB, `the server grew by ${(grew / MiB).toFixed(1)} MB (rss ${(before.rss / MiB).toFixed(0)} → ${(afterwards.rss / MiB).toFixed(0)} MB, peak ${(before.peak / MiB).toFixed(0)} → ${(afterwards.peak / MiB).toFixed(0)} MB)`);
    process.stdout.write(`# nq=1e6 gRPC search: rss ${(before.rss / MiB).toFixed(1)} → ${(afterwards.rss / MiB).toFixed(1)} MB, peak ${(before.peak / MiB).toFixed(1)} → ${(afterwards.peak / MiB).toFixed(1)} MB\n`);
    // The same server still answers.
    const s = await raw.call('Search', { collection_name: C, placeholder_group: bigPlaceholder(1, DIM), nq: '1', dsl_type: 1, search_params: [{ key: 'anns_field', value: 'v' }, { key: 'topk', value: '1' }] });
    assert.equal(s.status?.code, 0, JSON.stringify(s.status));
  } finally {
    raw.close();
  }
});
