/**
 * Soak (`npm run bench -- soak [--minutes N]`, default 30; never part of a plain `npm run bench`):
 * 8 official-SDK clients run a mix of insert, upsert, delete, search, query, flush and compaction
 * against one real `elanus serve` process. Each client owns a bounded key space (SPACE keys) and
 * keeps a model of it (key → version): inserts take keys that are not live, and once CAP keys are
 * live an insert turns into a delete of as many, so the collection settles at a steady size after
 * the first minutes and any later growth of the server's memory is a leak, not data. (An unbounded
 * workload — fresh keys forever — measures the data, not the server: 2.9M rows in 28 minutes.)
 * At the end every collection row is read back and compared with the models: lost rows
 * (acknowledged, absent), phantom rows (absent from the model, present) and stale versions are
 * counted. Every minute it prints throughput, live rows, the server's RSS and V8 heap (from its
 * /metrics) and errors; at the end p50/p99 per call. Targets: RSS within 10% over the last two
 * thirds of the run (the last 20 minutes of 30), 0 lost or phantom rows, 0 untyped errors (a
 * failure that is not a Milvus status). `SOAK_HEAP_SNAPSHOTS=1` also writes a V8 heap snapshot of
 * the server at the end of the first third and at the end (for leak hunting; in the data dir).
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MilvusClient as SdkClient } from '@zilliz/milvus2-sdk-node';
import { DataType } from '../src/core/data-type.js';
import { startServe } from '../test/server/spawn-server.js';

const DIM = 32;
const CLIENTS = 8;
const KEYS_PER_CLIENT = 1_000_000;
/** Keys each client cycles through, and how many of them may be live at once. */
const SPACE = 20_000;
const CAP = 16_000;

type St = { code?: number; reason?: string };
const status = (r: unknown): St => (r as { status?: St }).status ?? (r as St);

const OPS = ['insert', 'upsert', 'delete', 'search', 'query', 'flush', 'compact'] as const;
type Op = (typeof OPS)[number];
/** Cumulative weights (of 100) for picking an op. */
const MIX: [Op, number][] = [
  ['insert', 30],
  ['upsert', 50],
  ['delete', 60],
  ['search', 85],
  ['query', 97],
  ['flush', 99],
  ['compact', 100],
];

function vec(pk: number, ver: number): number[] {
  const v = new Array<number>(DIM);
  for (let d = 0; d < DIM; d++) v[d] = Math.sin(pk * 0.37 + d * 1.3 + ver);
  return v;
}

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

/** V8 heap used and external memory of the server, in MB, from its Prometheus /metrics. */
async function serverMemory(metricsAddress: string | undefined): Promise<{ heap: string; external: string }> {
  if (!metricsAddress) return { heap: '?', external: '?' };
  try {
    const text = await (await fetch(`http://${metricsAddress}/metrics`)).text();
    const read = (name: string): string => {
      const m = new RegExp(`^${name} (\\S+)`, 'm').exec(text);
      return m ? (Number(m[1]) / 2 ** 20).toFixed(0) : '?';
    };
    return { heap: read('nodejs_heap_size_used_bytes'), external: read('nodejs_external_memory_bytes') };
  } catch {
    return { heap: '?', external: '?' };
  }
}

function pct(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((sorted.length - 1) * p))]! : NaN;
}

export async function run(opts: { quick: boolean }): Promise<void> {
  const argv = process.argv.slice(2);
  const mi = argv.indexOf('--minutes');
  const minutes = mi >= 0 ? Number(argv[mi + 1]) : opts.quick ? 2 : 30;
  if (!Number.isFinite(minutes) || minutes <= 0) throw new RangeError(`--minutes must be a positive number, got ${argv[mi + 1]}`);
  const snapshots = process.env.SOAK_HEAP_SNAPSHOTS === '1';
  const snapDir = snapshots ? mkdtempSync(join(tmpdir(), 'elanus-soak-heap-')) : '';
  const served = await startServe(['--no-rest'], snapshots ? { nodeArgs: ['--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${snapDir}`] } : {});
  const pid = served.child.pid!;
  console.log(`soak: ${CLIENTS} SDK clients, ${minutes} min against elanus serve (pid ${pid}) at ${served.address}; machine load ${readFileSync('/proc/loadavg', 'utf8').trim()}`);
  const admin = new SdkClient({ address: served.address, logLevel: 'error' } as ConstructorParameters<typeof SdkClient>[0]);
  await admin.createCollection({
    collection_name: 'soak',
    fields: [
      { name: 'id', data_type: DataType.Int64, is_primary_key: true },
      { name: 'ver', data_type: DataType.Int64 },
      { name: 'v', data_type: DataType.FloatVector, dim: DIM },
    ],
  } as never);
  await admin.createIndex({ collection_name: 'soak', field_name: 'v', index_type: 'HNSW', metric_type: 'L2', params: { M: 16, efConstruction: 64 } } as never);
  await admin.loadCollection({ collection_name: 'soak' } as never);

  const lat = new Map<Op, number[]>(OPS.map((o) => [o, []]));
  const typedErrors = new Map<number, number>();
  let untyped = 0;
  /** What the untyped failures were (first line of each message, by op), for the report. */
  const untypedWhy = new Map<string, number>();
  let ops = 0;
  const end = Date.now() + minutes * 60_000;
  const rss: number[] = [];
  const liveRows = new Array<number>(CLIENTS).fill(0);

  const client = async (c: number): Promise<Map<number, number>> => {
    const sdk = new SdkClient({ address: served.address, logLevel: 'error' } as ConstructorParameters<typeof SdkClient>[0]);
    const model = new Map<number, number>(); // pk → version
    const live: number[] = [];
    const liveSet = new Set<number>();
    let cursor = 0;
    /** The next `n` keys of this client's space that are not live (cycling). */
    const freeKeys = (n: number): number[] => {
      const out: number[] = [];
      while (out.length < n) {
        const id = c * KEYS_PER_CLIENT + cursor;
        cursor = (cursor + 1) % SPACE;
        if (!liveSet.has(id) && !out.includes(id)) out.push(id);
      }
      return out;
    };
    const forget = (pks: number[]): void => {
      for (const id of pks) {
        model.delete(id);
        liveSet.delete(id);
      }
      const gone = new Set(pks);
      for (let i = live.length - 1; i >= 0; i--) if (gone.has(live[i]!)) live.splice(i, 1);
    };
    let seed = c * 7919 + 1;
    const rand = (): number => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const pick = (): number => live[Math.floor(rand() * live.length)]!;
    while (Date.now() < end) {
      liveRows[c] = live.length;
      const r = rand() * 100;
      let op = MIX.find(([, w]) => r < w)![0];
      if (op === 'insert' && live.length + 50 > CAP) op = 'delete';
      const t0 = performance.now();
      let res: unknown;
      let apply: (() => void) | undefined;
      try {
        switch (op) {
          case 'insert': {
            const pks = freeKeys(50);
            res = await sdk.insert({ collection_name: 'soak', data: pks.map((id) => ({ id, ver: 0, v: vec(id, 0) })) } as never);
            apply = () => pks.forEach((id) => (model.set(id, 0), live.push(id), liveSet.add(id)));
            break;
          }
          case 'upsert': {
            if (live.length === 0) continue;
            const pks = [...new Set(Array.from({ length: 10 }, pick))];
            const vers = pks.map((id) => model.get(id)! + 1);
            res = await sdk.upsert({ collection_name: 'soak', data: pks.map((id, i) => ({ id, ver: vers[i], v: vec(id, vers[i]!) })) } as never);
            apply = () => pks.forEach((id, i) => model.set(id, vers[i]!));
            break;
          }
          case 'delete': {
            if (live.length < 100) continue;
            const pks = [...new Set(Array.from({ length: live.length + 50 > CAP ? 50 : 5 }, pick))];
            res = await sdk.delete({ collection_name: 'soak', filter: `id in [${pks.join(',')}]` } as never);
            apply = () => forget(pks);
            break;
          }
          case 'search':
            res = await sdk.search({ collection_name: 'soak', data: [vec(Math.floor(rand() * 1e6), 0)], limit: 10, params: { ef: 32 } } as never);
            break;
          case 'query':
            if (live.length === 0) continue;
            res = await sdk.query({ collection_name: 'soak', filter: `id in [${[pick(), pick(), pick()].join(',')}]`, output_fields: ['id', 'ver'] } as never);
            break;
          case 'flush':
            res = await sdk.flush({ collection_names: ['soak'] } as never);
            break;
          case 'compact':
            res = await sdk.compact({ collection_name: 'soak' } as never);
            break;
        }
        const st = status(res);
        if (st.code === 0 || st.code === undefined) apply?.();
        else typedErrors.set(st.code, (typedErrors.get(st.code) ?? 0) + 1);
      } catch (err) {
        untyped++;
        const why = `${op}: ${(err instanceof Error ? err.message : String(err)).split('\n')[0]!.slice(0, 160)}`;
        untypedWhy.set(why, (untypedWhy.get(why) ?? 0) + 1);
      }
      lat.get(op)!.push(performance.now() - t0);
      ops++;
    }
    await sdk.closeConnection();
    return model;
  };

  const t0 = Date.now();
  let lastOps = 0;
  let tick = 0;
  const ticker = setInterval(() => {
    const mb = rssMb(pid);
    rss.push(mb);
    tick++;
    const min = (Date.now() - t0) / 60_000;
    const opsNow = ops;
    void serverMemory(served.metricsAddress).then((m) => {
      console.log(`  ${min.toFixed(1)} min: ${((opsNow - lastOps) / 60).toFixed(0)} ops/s, live rows ${liveRows.reduce((a, b) => a + b, 0)}, server RSS ${mb.toFixed(0)} MB, heap used ${m.heap} MB, external ${m.external} MB, errors typed ${[...typedErrors.values()].reduce((a, b) => a + b, 0)} untyped ${untyped}`);
      lastOps = opsNow;
    });
    if (snapshots && tick === Math.max(1, Math.round(minutes / 3))) process.kill(pid, 'SIGUSR2');
  }, 60_000);
  const models = await Promise.all(Array.from({ length: CLIENTS }, (_, c) => client(c)));
  clearInterval(ticker);

  // Verify contents against the models.
  let lost = 0;
  let phantom = 0;
  let stale = 0;
  let expected = 0;
  for (const [c, model] of models.entries()) {
    expected += model.size;
    const seen = new Map<number, number>();
    const it = await admin.queryIterator({ collection_name: 'soak', filter: `id >= ${c * KEYS_PER_CLIENT} and id < ${(c + 1) * KEYS_PER_CLIENT}`, output_fields: ['id', 'ver'], batchSize: 5000 } as never);
    for await (const page of it as AsyncIterable<{ id: string; ver: string }[]>) for (const r of page) seen.set(Number(r.id), Number(r.ver));
    for (const [id, ver] of model) {
      const got = seen.get(id);
      if (got === undefined) lost++;
      else if (got !== ver) stale++;
    }
    for (const id of seen.keys()) if (!model.has(id)) phantom++;
  }
  console.log(`\nverified ${expected} rows against the models: lost ${lost}, phantom ${phantom}, stale versions ${stale}`);
  for (const [why, n] of untypedWhy) console.log(`  untyped ×${n}: ${why}`);
  console.log(`ops ${ops} in ${minutes} min (${(ops / (minutes * 60)).toFixed(0)} ops/s); errors: untyped ${untyped}, typed ${JSON.stringify(Object.fromEntries(typedErrors))}`);
  console.log('\n| call | count | p50 ms | p99 ms |\n|---|---:|---:|---:|');
  for (const op of OPS) {
    const s = lat.get(op)!.sort((a, b) => a - b);
    console.log(`| ${op} | ${s.length} | ${pct(s, 0.5).toFixed(2)} | ${pct(s, 0.99).toFixed(2)} |`);
  }
  const tail = rss.slice(Math.floor(rss.length / 3));
  if (tail.length > 1) {
    const lo = Math.min(...tail);
    const hi = Math.max(...tail);
    console.log(`\nserver RSS per minute (MB): ${rss.map((x) => x.toFixed(0)).join(' ')}`);
    console.log(`last two thirds: ${lo.toFixed(0)}–${hi.toFixed(0)} MB (${(((hi - lo) / lo) * 100).toFixed(1)}% spread; target ≤ 10%)`);
    // A leak is a trend, a merge in flight is a spike: the least-squares slope over the same minutes
    // and the median of their first and second halves tell the two apart.
    const n = tail.length;
    const mx = (n - 1) / 2;
    const my = tail.reduce((a, b) => a + b, 0) / n;
    let num = 0;
    let den = 0;
    tail.forEach((y, x) => {
      num += (x - mx) * (y - my);
      den += (x - mx) ** 2;
    });
    const median = (xs: number[]): number => {
      const t = [...xs].sort((a, b) => a - b);
      return t.length % 2 ? t[(t.length - 1) / 2]! : (t[t.length / 2 - 1]! + t[t.length / 2]!) / 2;
    };
    const half = Math.floor(n / 2);
    console.log(`trend over them: ${(num / den).toFixed(2)} MB/min; median ${median(tail.slice(0, half)).toFixed(0)} MB (first half) → ${median(tail.slice(half)).toFixed(0)} MB (second half)`);
  }
  if (snapshots) {
    process.kill(pid, 'SIGUSR2');
    await new Promise((r) => setTimeout(r, 20_000));
    console.log(`heap snapshots in ${snapDir}`);
  }
  await admin.closeConnection();
  await served.stop();
}

if (import.meta.url === `file://${process.argv[1]}`) await run({ quick: process.argv.includes('--quick') });
