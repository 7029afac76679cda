/**
 * Per-segment search budgets (`npm run bench -- segments`, `--quick` for 50k rows; also runnable
 * alone: `node --import tsx bench/segments-bench.ts [--quick] [--rows N] [--queries N] [--segments 1,4,16,64]`).
 *
 * A collection's sealed segments each carry their own HNSW graph and a search walks every one of
 * them for the full top-k (k exact across segments, as Milvus reduces). Walking each with the full
 * `ef` multiplies the work by the segment count; this measures how far the per-segment ef can drop
 * before recall falls below the one-segment recall. 200k × 128 clustered rows (bench/datasets.ts),
 * split in insert order into 1, 4, 16 and 64 segments (as sealing splits them), HNSW with the default
 * build parameters, k = 10, one query at a time (nq = 1) as a client sends them:
 * - a sweep of fixed per-segment ef values at each segment count (recall@10, QPS);
 * - QPS as 1 / the median query time, by wall clock and by CPU time of the bench process, the
 *   choices measured interleaved query by query so that a busy machine slows them alike;
 * - the rule the engine applies (src/engine/search/segment-budget.ts) against the full ef, at ef 64 and 128.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataType } from '../src/core/data-type.js';
import { segmentSearchParams } from '../src/engine/search/segment-budget.js';
import { buildVectorIndex, loadVectorIndex, resolveVectorIndexSpec, type VectorIndex, type VectorIndexSpec } from '../src/index/index.js';
import { synthetic, type Dataset } from './datasets.js';

const K = 10;

interface Split {
  segments: number;
  indexes: { idx: VectorIndex; first: number; rows: number }[];
  buildS: number;
}

async function split(ds: Dataset, spec: VectorIndexSpec, segments: number): Promise<Split> {
  const per = Math.ceil(ds.n / segments);
  const indexes: Split['indexes'] = [];
  const t0 = performance.now();
  for (let first = 0; first < ds.n; first += per) {
    const rows = Math.min(per, ds.n - first);
    const col = { type: DataType.FloatVector, dim: ds.dim, data: ds.base.subarray(first * ds.dim, (first + rows) * ds.dim), valid: null } as const;
    // Built graphs are cached beside the dataset (re-runs skip the build; the build time is the first run's).
    const file = join(ds.dir, `hnsw-${segments}-${first}-${JSON.stringify(spec.params).replace(/\W/g, '')}.idx`);
    let idx: VectorIndex;
    if (existsSync(file)) idx = loadVectorIndex(readFileSync(file));
    else {
      idx = await buildVectorIndex(spec, col, rows);
      writeFileSync(file, idx.serialize());
    }
    indexes.push({ idx, first, rows });
  }
  return { segments, indexes, buildS: (performance.now() - t0) / 1000 };
}

/** The merged top-K of query `q` with `params[i]` for segment i, into `found`. */
function searchOne(ds: Dataset, s: Split, q: number, params: Record<string, unknown>[], found: Int32Array): void {
  const query = { type: DataType.FloatVector, dim: ds.dim, nq: 1, data: ds.queries.subarray(q * ds.dim, (q + 1) * ds.dim) } as const;
  const ids: number[] = [];
  const scores: number[] = [];
  s.indexes.forEach((x, i) => {
    const h = x.idx.search(query, { metric: 'L2', k: K, allow: null, params: params[i]! });
    for (let j = 0; j < h.k; j++) {
      if (h.ids[j]! < 0) break;
      ids.push(x.first + h.ids[j]!);
      scores.push(h.scores[j]!);
    }
  });
  const order = ids.map((_, i) => i).sort((a, b) => scores[a]! - scores[b]!);
  for (let j = 0; j < K; j++) found[q * K + j] = ids[order[j]!] ?? -1;
}

function recallOf(ds: Dataset, found: Int32Array, nq: number): number {
  let hit = 0;
  for (let q = 0; q < nq; q++) {
    const want = new Set(ds.gt.subarray(q * ds.gtK, q * ds.gtK + K));
    for (let j = 0; j < K; j++) if (want.has(found[q * K + j]!)) hit++;
  }
  return hit / (nq * K);
}

interface Measured {
  recall: number;
  /** 1 / the median query time, by wall clock and by CPU time of this process. */
  qps: number;
  cpuQps: number;
}

/**
 * recall@K and QPS of several per-segment parameter choices, measured interleaved (query q under
 * every choice before query q + 1, the first of them rotating), so that a busy machine slows all
 * of them alike.
 */
function measure(ds: Dataset, s: Split, nq: number, choices: ((rows: number) => Record<string, unknown>)[]): Measured[] {
  const params = choices.map((c) => s.indexes.map((x) => c(x.rows)));
  const found = choices.map(() => new Int32Array(nq * K));
  const wall = choices.map(() => new Float64Array(nq));
  const cpu = choices.map(() => new Float64Array(nq));
  for (let q = 0; q < nq; q++) {
    // The walk just before warms the caches for the next one on the same query: rotate who goes first.
    for (let i = 0; i < choices.length; i++) {
      const c = (q + i) % choices.length;
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      searchOne(ds, s, q, params[c]!, found[c]!);
      wall[c]![q] = performance.now() - t0;
      const u = process.cpuUsage(c0);
      cpu[c]![q] = (u.user + u.system) / 1000;
    }
  }
  // Medians: a preempted or GC-stalled query on a busy machine does not move them.
  const median = (a: Float64Array): number => Float64Array.from(a).sort()[a.length >> 1]!;
  return choices.map((_, c) => ({ recall: recallOf(ds, found[c]!, nq), qps: 1000 / Math.max(median(wall[c]!), 1e-6), cpuQps: 1000 / Math.max(median(cpu[c]!), 1e-3) }));
}

export async function run({ quick, rows, queries, segmentCounts = [1, 4, 16, 64] }: { quick: boolean; rows?: number; queries?: number; segmentCounts?: number[] }): Promise<void> {
  const n = rows ?? (quick ? 50_000 : 200_000);
  const nq = queries ?? (quick ? 300 : 1000);
  const ds = synthetic(join(tmpdir(), 'elanus-bench-data'), n, 128, nq, K);
  const spec = resolveVectorIndexSpec({ dataType: DataType.FloatVector, dim: ds.dim, name: 'v' }, 'HNSW', 'L2', {});
  console.log(`${n.toLocaleString('en-US')} × ${ds.dim} clustered (100 clusters), HNSW ${JSON.stringify(spec.params)}, k=${K}, nq=1 × ${nq} queries, split in insert order`);
  const sweep = [128, 64, 48, 40, 32, 24, 16, 10];
  const lines: string[] = [];
  const ruled: string[] = [];
  for (const segments of segmentCounts) {
    const s = await split(ds, spec, segments);
    console.log(`  ${segments} segment(s) of ${s.indexes[0]!.rows.toLocaleString('en-US')} rows built (or read from the cache) in ${s.buildS.toFixed(1)} s`);
    measure(ds, s, Math.min(100, nq), [() => ({ ef: 64 })]); // warm-up
    const swept = measure(ds, s, nq, sweep.map((ef) => () => ({ ef })));
    sweep.forEach((ef, i) => {
      const m = swept[i]!;
      lines.push(`${String(segments).padStart(8)} | ${String(ef).padStart(10)} | ${m.recall.toFixed(4)} | ${Math.round(m.qps).toString().padStart(6)} | ${Math.round(m.cpuQps).toString().padStart(6)}`);
    });
    for (const ef of [64, 128]) {
      const efs = new Set<number>();
      const [full, budget] = measure(ds, s, nq, [
        () => ({ ef }),
        (rows) => {
          const p = segmentSearchParams(spec, { ef }, K, rows, n);
          efs.add(p.ef as number);
          return p;
        },
      ]) as [Measured, Measured];
      ruled.push(
        `${String(segments).padStart(8)} | ${String(ef).padStart(3)} | ${[...efs].join('/').padStart(9)} | ${full.recall.toFixed(4)} | ${budget.recall.toFixed(4)} | ${Math.round(full.qps).toString().padStart(5)} → ${Math.round(budget.qps).toString().padStart(5)} (${(budget.qps / full.qps).toFixed(2)}x) | ${Math.round(full.cpuQps).toString().padStart(5)} → ${Math.round(budget.cpuQps).toString().padStart(5)} (${(budget.cpuQps / full.cpuQps).toFixed(2)}x)`,
      );
    }
    for (const x of s.indexes) x.idx.dispose();
  }
  console.log('segments | ef/segment | recall | QPS (wall) | QPS (per CPU second)');
  for (const l of lines) console.log(l);
  console.log('segments |  ef | budget ef | recall full ef | recall budget | QPS wall: full → budget | QPS per CPU s: full → budget');
  for (const l of ruled) console.log(l);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const argv = process.argv;
  const at = (flag: string): string | undefined => (argv.includes(flag) ? argv[argv.indexOf(flag) + 1] : undefined);
  await run({ quick: argv.includes('--quick'), ...(at('--rows') ? { rows: Number(at('--rows')) } : {}), ...(at('--queries') ? { queries: Number(at('--queries')) } : {}), ...(at('--segments') ? { segmentCounts: at('--segments')!.split(',').map(Number) } : {}) });
}
