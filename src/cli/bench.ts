/**
 * `elanus bench`: sizes a machine for a workload. Through the embedded MilvusClient (the same path
 * an application takes) it creates a collection of seeded clustered vectors in a scratch data
 * directory (or `--data`), and measures durable ingest, the background index build, load, search
 * latency and QPS one query at a time, and recall@k against an exact search of the same data.
 * The header goes to stdout first, progress to stderr (bars on a terminal, plain lines otherwise), then
 * the result table (or `--json`) to stdout.
 */
import { DataType, type MetricType } from '../core/data-type.js';
import { invalidParam, MilvusError } from '../core/errors.js';
import { exactSearch } from '../index/index.js';
import { gauss, rng } from '../index/kernels/testing.js';
import { makeTempDir, removeDir, storeSizing } from '../storage/index.js';
import { MilvusClient } from '../client/milvus-client.js';
import { progress as progressOf } from './progress.js';

export interface BenchOptions {
  /** Data directory; a scratch directory (removed afterwards) when absent. */
  data?: string;
  rows: number;
  dim: number;
  metric: MetricType;
  index: string;
  /** Index build parameters (JSON object). */
  params: Record<string, unknown>;
  /** Search parameters (JSON object), e.g. {"ef": 64} or {"nprobe": 16}. */
  search: Record<string, unknown>;
  queries: number;
  limit: number;
  /** Rows per insert call. */
  batch: number;
  seed: number;
  progress?: boolean;
  /** Segment max size in MB (Milvus `dataCoord.segment.maxSize`); the data directory's default when absent. */
  segmentMaxSize?: number;
  /** Seal proportion of the max size (Milvus `dataCoord.segment.sealProportion`). */
  sealProportion?: number;
  /** Rows per growing segment (overrides the size-based sealing, e.g. the old 100,000). */
  sealRows?: number;
}

/** The workload as run, and what was measured. */
export interface BenchResult extends Pick<BenchOptions, 'rows' | 'dim' | 'metric' | 'index' | 'params' | 'search' | 'limit' | 'queries'> {
  ingestRowsPerSec: number;
  /** Sealed segments searched (after compaction). */
  segments: number;
  /** The manual compaction after flush (merging the sealed segments), seconds. */
  compactSeconds: number;
  indexSeconds: number;
  loadSeconds: number;
  qps: number;
  p50Ms: number;
  p99Ms: number;
  /** Mean recall@limit over the queries checked against exact search. */
  recall: number;
  recallQueries: number;
}

const COLLECTION = 'elanus_bench';
/** Queries checked against exact search (enough for a stable mean, cheap to compute). */
const RECALL_QUERIES = 200;

/** n vectors around 64 seeded centres (clustered, like embeddings, unlike uniform noise). */
function clustered(n: number, dim: number, seed: number): Float32Array {
  const r = rng(seed);
  const centres = Float32Array.from({ length: 64 * dim }, () => gauss(r));
  const out = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) {
    const c = Math.floor(r() * 64) * dim;
    for (let d = 0; d < dim; d++) out[i * dim + d] = centres[c + d]! + 0.35 * gauss(r);
  }
  return out;
}

function check(opts: BenchOptions): void {
  const int = (name: string, v: number, min: number, max: number): void => {
    if (!Number.isInteger(v) || v < min || v > max) throw invalidParam(name, `must be an integer in [${min}, ${max}], got ${String(v)}`);
  };
  int('rows', opts.rows, 1, 100_000_000);
  int('dim', opts.dim, 1, 32768);
  int('queries', opts.queries, 1, 1_000_000);
  int('limit', opts.limit, 1, 16384);
  int('batch', opts.batch, 1, 1_000_000);
  if (!['L2', 'IP', 'COSINE'].includes(opts.metric)) throw invalidParam('metric', `must be L2, IP or COSINE, got ${opts.metric}`);
}


function ok(st: { code: number; reason: string }, what: string): void {
  if (st.code !== 0) throw new MilvusError(st.code, `${what}: ${st.reason}`);
}

export async function runBench(opts: BenchOptions): Promise<BenchResult> {
  check(opts);
  const { rows, dim, metric, limit } = opts;
  const progress = opts.progress !== false;
  const scratch = opts.data === undefined ? await makeTempDir('elanus-bench-') : null;
  const client = new MilvusClient({ address: opts.data ?? scratch!, ...storeSizing(opts) });
  try {
    await client.connectPromise;
    const exists = await client.hasCollection({ collection_name: COLLECTION });
    if (exists.value) throw invalidParam('data', `collection "${COLLECTION}" already exists in ${opts.data}; drop it or use another directory`);
    ok(
      await client.createCollection({
        collection_name: COLLECTION,
        fields: [
          { name: 'id', data_type: DataType.Int64, is_primary_key: true },
          { name: 'v', data_type: DataType.FloatVector, dim },
        ],
      }),
      'create collection',
    );
    const data = clustered(rows + opts.queries, dim, opts.seed);

    // Durable ingest: every insert call returns once its WAL record is synced.
    const ingest = progressOf('insert', 'rows', progress);
    ingest?.start(rows, 0);
    const t0 = performance.now();
    for (let i = 0; i < rows; i += opts.batch) {
      const end = Math.min(rows, i + opts.batch);
      const batch = Array.from({ length: end - i }, (_, j) => ({ id: i + j, v: Array.from(data.subarray((i + j) * dim, (i + j + 1) * dim)) }));
      ok((await client.insert({ collection_name: COLLECTION, data: batch })).status, 'insert');
      ingest?.update(end);
    }
    const ingestRowsPerSec = rows / ((performance.now() - t0) / 1000);
    ingest?.stop();

    // Seal, merge the sealed segments (as a bulk load does before indexing), then build the index on
    // them in the background; follow its progress.
    ok((await client.flush({ collection_names: [COLLECTION] })).status, 'flush');
    const tc = performance.now();
    const comp = await client.compact({ collection_name: COLLECTION });
    ok(comp.status, 'compact');
    for (;;) {
      const s = await client.getCompactionState({ compactionID: comp.compactionID });
      ok(s.status, 'compaction state');
      if (s['state'] === 'Completed') break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const compactSeconds = (performance.now() - tc) / 1000;
    const t1 = performance.now();
    ok(await client.createIndex({ collection_name: COLLECTION, field_name: 'v', index_type: opts.index, metric_type: metric, params: opts.params }), 'create index');
    const build = progressOf('index build', 'rows', progress);
    build?.start(rows, 0);
    for (;;) {
      const d = await client.describeIndex({ collection_name: COLLECTION, field_name: 'v' });
      ok(d.status, 'describe index');
      const desc = d.index_descriptions[0] ?? {};
      build?.update(Number(desc['indexed_rows'] ?? 0));
      if (desc['state'] === 'Failed') throw new MilvusError(65535, `index build failed: ${String(desc['index_state_fail_reason'] ?? '')}`);
      if (Number(desc['pending_index_rows'] ?? 0) === 0 && Number(desc['indexed_rows'] ?? 0) >= Number(desc['total_rows'] ?? 0)) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const indexSeconds = (performance.now() - t1) / 1000;
    build?.stop();

    const t2 = performance.now();
    ok(await client.loadCollection({ collection_name: COLLECTION }), 'load');
    const loadSeconds = (performance.now() - t2) / 1000;
    const segInfo = await client.getQuerySegmentInfo({ collectionName: COLLECTION });
    ok(segInfo.status, 'segment info');
    const segments = segInfo.infos.length;

    // One query at a time, as an application serving requests does.
    const latencies: number[] = [];
    const found: string[][] = [];
    const searching = progressOf('search', 'queries', progress);
    searching?.start(opts.queries, 0);
    const t3 = performance.now();
    for (let q = 0; q < opts.queries; q++) {
      const vec = Array.from(data.subarray((rows + q) * dim, (rows + q + 1) * dim));
      const s = performance.now();
      const r = await client.search({ collection_name: COLLECTION, data: vec, limit, params: opts.search, output_fields: ['id'] });
      latencies.push(performance.now() - s);
      ok(r.status, 'search');
      if (q < RECALL_QUERIES) found.push((r.results as Record<string, unknown>[]).map((h) => String(h['id'])));
      if (q % 64 === 0) searching?.update(q);
    }
    const qps = opts.queries / ((performance.now() - t3) / 1000);
    searching?.update(opts.queries);
    searching?.stop();
    latencies.sort((a, b) => a - b);
    const pct = (p: number): number => latencies[Math.min(latencies.length - 1, Math.floor((latencies.length - 1) * p))]!;

    // Exact answers for the first queries, by the exact Wasm scan over the same rows.
    const nq = found.length;
    const truth = exactSearch({ type: DataType.FloatVector, dim, data: data.subarray(0, rows * dim), valid: null }, rows, { type: DataType.FloatVector, dim, nq, data: data.slice(rows * dim, (rows + nq) * dim) }, { metric, k: limit, allow: null });
    let hits = 0;
    let total = 0;
    for (let q = 0; q < nq; q++) {
      const want = new Set<string>();
      for (let j = 0; j < truth.k; j++) {
        const id = truth.ids[q * truth.k + j]!;
        if (id >= 0) want.add(String(id));
      }
      total += want.size;
      for (const id of found[q]!) if (want.has(id)) hits++;
    }
    await client.dropCollection({ collection_name: COLLECTION });
    return {
      rows,
      dim,
      metric,
      index: opts.index,
      params: opts.params,
      search: opts.search,
      limit,
      ingestRowsPerSec,
      segments,
      compactSeconds,
      indexSeconds,
      loadSeconds,
      queries: opts.queries,
      qps,
      p50Ms: pct(0.5),
      p99Ms: pct(0.99),
      recall: total === 0 ? 1 : hits / total,
      recallQueries: nq,
    };
  } finally {
    await client.close();
    if (scratch) await removeDir(scratch);
  }
}

const n = (x: number): string => Math.round(x).toLocaleString('en-US');

/** The workload in one line (printed before the work starts, and atop the table). */
export function benchHeader(r: Pick<BenchOptions, 'rows' | 'dim' | 'metric' | 'index' | 'params' | 'search' | 'limit'>): string {
  return `elanus bench: ${n(r.rows)} × ${r.dim} (${r.metric}), ${r.index} ${JSON.stringify(r.params)}, search ${JSON.stringify(r.search)}, limit ${r.limit}\n`;
}

/** The result as a small table (under the header line unless `header` is false). */
export function formatBench(r: BenchResult, batch: number, header = true): string {
  const lines = [
    ...(header ? [benchHeader(r).trimEnd()] : []),
    '| phase | result |',
    '|---|---|',
    `| ingest (durable, ${n(batch)} rows per insert) | ${n(r.ingestRowsPerSec)} rows/s |`,
    `| compaction (after flush) | ${r.compactSeconds.toFixed(2)} s → ${n(r.segments)} segment(s) |`,
    `| index build (background, after flush) | ${r.indexSeconds.toFixed(2)} s |`,
    `| load | ${r.loadSeconds.toFixed(2)} s |`,
    `| search, one query at a time (${n(r.queries)} queries) | ${n(r.qps)} QPS, p50 ${r.p50Ms.toFixed(3)} ms, p99 ${r.p99Ms.toFixed(3)} ms |`,
    `| recall@${r.limit} vs exact search (${r.recallQueries} queries) | ${r.recall.toFixed(4)} |`,
  ];
  return `${lines.join('\n')}\n`;
}
