/**
 * What one search call costs (`npm run bench -- percall`, `--quick` for fewer calls; also runnable
 * alone: `node --import tsx bench/percall-bench.ts [--quick] [--dims 8,784] [--profile DIR]`).
 *
 * One client, one call at a time, nq=1 limit=10 on a small HNSW collection (so the ANN walk is a small
 * part of the call), at dims 8, 128 and 784, through the embedded `MilvusClient`, the official SDK
 * over gRPC to a real `elanus serve` process, and the SDK's `HttpClient` over REST, with the output
 * fields the SDK sends by default (none given: `*`, vectors included), `[]` (the primary key only),
 * an explicit scalar list and the vector named explicitly. Prints p50 and mean in µs per call.
 *
 * `--only embedded|grpc|rest` times one transport. `--profile DIR` runs the server under `node --cpu-prof` and writes its profile into DIR when the
 * bench stops it (open it in Chrome DevTools or speedscope).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HttpClient, MilvusClient as SdkClient } from '@zilliz/milvus2-sdk-node';
import { DataType } from '../src/core/data-type.js';
import { unexpected } from '../src/core/errors.js';
import { MilvusClient } from '../src/index.js';
import { randomVectors } from '../test/support/data.js';
import { startServe } from '../test/server/spawn-server.js';

interface SearchClient {
  search(req: Record<string, unknown>): Promise<unknown>;
}

/** The output-field variants, by label (undefined: the SDK's default). */
const VARIANTS: [string, (dim: number) => string[] | undefined][] = [
  ['default (*)', () => undefined],
  ['[]', () => []],
  ["['tag']", () => ['tag']],
  ["['tag','v']", () => ['tag', 'v']],
];

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length - 1) * p))]!;
}

async function setup(c: SdkClient | MilvusClient, name: string, dim: number, vectors: number[][]): Promise<void> {
  const ok = (r: unknown): void => {
    const x = r as { status?: { error_code: unknown; reason: string } };
    const s = x.status ?? (r as { error_code: unknown; reason: string });
    if (s.error_code !== 'Success') throw unexpected(`${name}: ${s.reason}`);
  };
  ok(
    await c.createCollection({
      collection_name: name,
      fields: [
        { name: 'id', data_type: DataType.Int64, is_primary_key: true },
        { name: 'tag', data_type: DataType.VarChar, max_length: 32 },
        { name: 'v', data_type: DataType.FloatVector, dim },
      ],
    } as never),
  );
  for (let i = 0; i < vectors.length; i += 1000) {
    ok(await c.insert({ collection_name: name, data: vectors.slice(i, i + 1000).map((v, j) => ({ id: i + j, tag: `t${(i + j) % 97}`, v })) } as never));
  }
  ok(await c.flush({ collection_names: [name] } as never));
  ok(await c.createIndex({ collection_name: name, field_name: 'v', index_type: 'HNSW', metric_type: 'L2', params: { M: 16, efConstruction: 100 } } as never));
  ok(await c.loadCollection({ collection_name: name } as never));
}

/** CPU seconds (user + system) a process has used so far, from /proc (NaN where there is none). */
function cpuSeconds(pid: number | undefined): number {
  if (pid === undefined) return NaN;
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = f.slice(f.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ 100)
  } catch {
    return NaN;
  }
}

interface Timing {
  p50: number;
  mean: number;
  /** CPU µs per call in the server process and in this (client) process. */
  serverCpu: number;
  clientCpu: number;
}

/**
 * µs per call (p50, mean) over `calls` sequential calls after a warm-up, and the CPU time per call of
 * both processes (robust to a busy machine, where wall-clock latency is not).
 */
async function time(client: SearchClient, make: (q: number[]) => Record<string, unknown>, queries: number[][], calls: number, check: (r: unknown) => void, serverPid?: number): Promise<Timing> {
  for (let i = 0; i < Math.min(300, calls); i++) check(await client.search(make(queries[i % queries.length]!)));
  const lat: number[] = [];
  const s0 = cpuSeconds(serverPid);
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < calls; i++) {
    const s = performance.now();
    const r = await client.search(make(queries[i % queries.length]!));
    lat.push(performance.now() - s);
    if (i === 0) check(r);
  }
  const total = performance.now() - t0;
  const c = process.cpuUsage(c0);
  const serverCpu = ((cpuSeconds(serverPid) - s0) / calls) * 1e6;
  lat.sort((a, b) => a - b);
  return { p50: percentile(lat, 0.5) * 1000, mean: (total / calls) * 1000, serverCpu, clientCpu: (c.user + c.system) / calls };
}

function sdkCheck(r: unknown): void {
  const x = r as { status: { error_code: string; reason: string }; results: unknown[] };
  if (x.status.error_code !== 'Success' || x.results.length !== 10) throw unexpected(`search failed: ${x.status.reason}`);
}

function restCheck(r: unknown): void {
  const x = r as { code: number; message?: string; data: unknown[] };
  if (x.code !== 0 || x.data.length !== 10) throw unexpected(`REST search failed: ${x.message ?? JSON.stringify(r).slice(0, 200)}`);
}

export async function run({ quick, dims = [8, 128, 784], profileDir, only }: { quick: boolean; dims?: number[]; profileDir?: string; only?: string }): Promise<void> {
  const n = quick ? 2_000 : 5_000;
  const calls = quick ? 500 : 2_000;
  const dir = mkdtempSync(join(tmpdir(), 'elanus-percall-'));
  const embedded = new MilvusClient({ address: dir });
  const served = await startServe([], profileDir ? { nodeArgs: ['--cpu-prof', '--cpu-prof-dir', profileDir] } : {});
  const sdk = new SdkClient({ address: served.address, logLevel: 'error' } as ConstructorParameters<typeof SdkClient>[0]);
  const http = new HttpClient({ endpoint: `http://${served.restAddress!}` });
  const table: string[] = [];
  try {
    for (const dim of dims) {
      const name = `pc${dim}`;
      const vectors = randomVectors(n, dim, 42);
      const queries = randomVectors(100, dim, 7);
      await setup(embedded, name, dim, vectors);
      await setup(sdk, name, dim, vectors);
      for (const [label, fields] of VARIANTS) {
        const out = fields(dim);
        const sdkReq = (q: number[]): Record<string, unknown> => ({ collection_name: name, data: q, limit: 10, params: { ef: 64 }, ...(out ? { output_fields: out } : {}) });
        const restReq = (q: number[]): Record<string, unknown> => ({ collectionName: name, data: [q], limit: 10, searchParams: { params: { ef: 64 } }, outputFields: out ?? ['*'] });
        const skipped = { p50: NaN, mean: NaN, serverCpu: NaN, clientCpu: NaN };
        const pid = served.child.pid;
        const e = only && only !== 'embedded' ? skipped : await time(embedded as unknown as SearchClient, sdkReq, queries, calls, sdkCheck);
        const g = only && only !== 'grpc' ? skipped : await time(sdk as unknown as SearchClient, sdkReq, queries, calls, sdkCheck, pid);
        const r = only && only !== 'rest' ? skipped : await time(http as unknown as SearchClient, restReq, queries, calls, restCheck, pid);
        const f = (x: Timing): string => `${x.p50.toFixed(0).padStart(5)} ${x.mean.toFixed(0).padStart(5)}`;
        const cpu = (x: Timing): string => `${x.serverCpu.toFixed(0).padStart(5)} ${x.clientCpu.toFixed(0).padStart(5)}`;
        table.push(`${String(dim).padStart(4)} | ${label.padEnd(12)} | ${f(e)} ${e.clientCpu.toFixed(0).padStart(5)} | ${f(g)} ${cpu(g)} | ${f(r)} ${cpu(r)}`);
      }
    }
    console.log(`${n} rows (sealed), HNSW M=16 ef=64, nq=1 limit=10, ${calls} sequential calls per cell; µs per call:`);
    console.log('p50 and mean latency, then CPU per call (server process, then client process; the embedded client is both)');
    console.log(' dim | output       | embedded: p50  mean   cpu | gRPC (SDK): p50 mean  srv   cli | REST (SDK): p50 mean  srv   cli');
    for (const line of table) console.log(line);
  } finally {
    await sdk.closeConnection();
    await embedded.close();
    await served.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const argv = process.argv;
  const at = (flag: string): string | undefined => (argv.includes(flag) ? argv[argv.indexOf(flag) + 1] : undefined);
  const dims = at('--dims')?.split(',').map(Number);
  await run({ quick: argv.includes('--quick'), ...(dims ? { dims } : {}), ...(at('--profile') ? { profileDir: at('--profile')! } : {}), ...(at('--only') ? { only: at('--only')! } : {}) });
}
