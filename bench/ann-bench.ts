/**
 * ANN benchmark: for each dataset (Fashion-MNIST 60k×784 from Debian's dataset-fashion-mnist, the
 * first 1000 test images as queries; synthetic 200k×128 clustered), every registered index type with
 * a parameter sweep — recall@10, QPS (single thread, one query at a time), build seconds, index
 * memory — next to anchors run on the same files: hnswlib (M=16, ef_construction=200) and FAISS
 * (IndexFlatL2, IndexIVFFlat, IndexIVFScalarQuantizer, IndexHNSWFlat) via Debian's python3, and
 * hnswlib compiled here with -O3 -march=native from Debian's libhnswlib-dev headers (the stretch anchor).
 * Ratios compare each side's QPS at exactly a recall target, interpolated along its sweep ("at equal recall").
 *
 * FAISS IVF trains with our k-means budget unless --faiss-default-training.
 *
 *   node --import tsx bench/ann-bench.ts [--quick] [--no-anchors] [--dataset=fashion|synthetic] [--faiss-default-training]
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DataType } from '../src/core/data-type.js';
import { buildVectorIndex, resolveSearchParams, resolveVectorIndexSpec, type VectorIndex } from '../src/index/index.js';
import { vectorKernelVariant } from '../src/index/kernels/vector-instance.js';
import { getIndexFamily } from '../src/index/registry.js';
import type { QueryVectors } from '../src/index/types.js';
import { fashionMnist, synthetic, type Dataset } from './datasets.js';

export interface AnnBenchOptions {
  /** Fashion-MNIST only, 200 queries, shorter sweeps. */
  quick?: boolean;
  /** Run the Python anchors (default true). */
  anchors?: boolean;
  datasets?: ('fashion' | 'synthetic')[];
  /** FAISS IVF k-means: 'matched' (our budget: 12 iterations, <= 64 points a centroid; default) or FAISS's own defaults. */
  faissTraining?: 'matched' | 'default';
  /** Where dataset files and ground truth are cached. */
  cacheDir?: string;
  log?: (line: string) => void;
}

export interface BenchRow {
  dataset: string;
  system: string;
  index: string;
  params: string;
  recall: number;
  qps: number;
  buildS: number;
  memoryBytes: number;
}

const K = 10;
const PY = '/usr/bin/python3';
const ANCHORS = join(dirname(fileURLToPath(import.meta.url)), 'anchors');
const HNSWLIB_HEADER = '/usr/include/hnswlib/hnswlib.h';

interface Plan {
  index: string;
  build: Record<string, unknown>;
  sweep: { label: string; params: Record<string, unknown> }[];
  /** Queries to time (FLAT is slow: fewer). */
  nq?: number;
}

function plans(ds: Dataset, quick: boolean): Plan[] {
  const efs = quick ? [10, 16, 32, 64, 128] : [10, 12, 16, 24, 32, 48, 64, 96, 128, 200];
  const nlist = ds.n >= 150_000 ? 1024 : 512;
  const nprobes = quick ? [2, 8, 32] : [1, 2, 4, 8, 16, 32, 64];
  const out: Plan[] = [
    { index: 'FLAT', build: {}, sweep: [{ label: '', params: {} }], nq: quick ? 50 : 200 },
    { index: 'HNSW', build: { M: 16, efConstruction: 200 }, sweep: efs.map((ef) => ({ label: `ef=${ef}`, params: { ef } })) },
  ];
  const ivfSweep = nprobes.map((nprobe) => ({ label: `nprobe=${nprobe}`, params: { nprobe } }));
  out.push({ index: 'IVF_FLAT', build: { nlist }, sweep: ivfSweep });
  out.push({ index: 'IVF_SQ8', build: { nlist }, sweep: ivfSweep });
  const m = ds.dim % 16 === 0 ? ds.dim / 16 : ds.dim % 8 === 0 ? ds.dim / 8 : 1;
  out.push({ index: 'IVF_PQ', build: { nlist, m, nbits: 8 }, sweep: ivfSweep });
  out.push({ index: 'HNSW_SQ', build: { M: 16, efConstruction: 200 }, sweep: efs.map((ef) => ({ label: `ef=${ef}`, params: { ef } })) });
  return out.filter((p) => getIndexFamily(p.index) !== undefined);
}

function timeQueries(idx: VectorIndex, ds: Dataset, nq: number, params: Record<string, unknown>): { recall: number; qps: number } {
  const spec = idx.spec;
  const sp = resolveSearchParams(spec, params, K);
  const found = new Int32Array(nq * K);
  const t0 = performance.now();
  for (let i = 0; i < nq; i++) {
    const q: QueryVectors = { type: DataType.FloatVector, dim: ds.dim, nq: 1, data: ds.queries.subarray(i * ds.dim, (i + 1) * ds.dim) };
    const h = idx.search(q, { metric: 'L2', k: K, allow: null, params: sp });
    found.set(h.ids, i * K);
  }
  const dt = (performance.now() - t0) / 1000;
  let hit = 0;
  for (let i = 0; i < nq; i++) {
    const want = new Set(ds.gt.subarray(i * ds.gtK, i * ds.gtK + K));
    for (let j = 0; j < K; j++) if (want.has(found[i * K + j]!)) hit++;
  }
  return { recall: hit / (nq * K), qps: nq / dt };
}

async function ours(ds: Dataset, quick: boolean, log: (s: string) => void): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const col = { type: DataType.FloatVector, dim: ds.dim, data: ds.base, valid: null } as const;
  for (const p of plans(ds, quick)) {
    const spec = resolveVectorIndexSpec({ dataType: DataType.FloatVector, dim: ds.dim, name: 'v' }, p.index, 'L2', p.build);
    const t0 = performance.now();
    const idx = await buildVectorIndex(spec, col, ds.n);
    const buildS = (performance.now() - t0) / 1000;
    const mem = idx.memoryBytes();
    log(`  elanus ${p.index} ${JSON.stringify(p.build)} built in ${buildS.toFixed(1)} s, ${(mem / 2 ** 20).toFixed(1)} MiB`);
    for (const s of p.sweep) {
      const { recall, qps } = timeQueries(idx, ds, Math.min(p.nq ?? ds.nq, ds.nq), s.params);
      const params = [Object.entries(p.build).map(([k, v]) => `${k}=${String(v)}`).join(','), s.label].filter(Boolean).join(',');
      rows.push({ dataset: ds.name, system: 'elanus', index: p.index, params, recall, qps, buildS, memoryBytes: mem });
    }
    idx.dispose();
  }
  return rows;
}

/**
 * The stretch anchor: hnswlib from Debian's libhnswlib-dev headers compiled here with
 * `g++ -O3 -march=native` (bench/anchors/hnswlib_native.cpp), cached beside the dataset files.
 * Undefined (and said) when g++ or the headers are missing.
 */
function nativeHnswlib(root: string, log: (s: string) => void): string | undefined {
  if (!existsSync(HNSWLIB_HEADER)) {
    log(`  ${HNSWLIB_HEADER} not found (apt-get install -y libhnswlib-dev): native hnswlib anchor skipped`);
    return undefined;
  }
  const bin = join(root, 'hnswlib_native');
  const r = spawnSync('g++', ['-O3', '-march=native', '-std=c++17', '-o', bin, join(ANCHORS, 'hnswlib_native.cpp')], { encoding: 'utf8' });
  if (r.status !== 0) {
    log(`  g++ could not build the native hnswlib anchor: ${(r.stderr || r.error?.message || '').trim().split('\n').slice(-2).join(' | ')}`);
    return undefined;
  }
  return bin;
}

function anchor(ds: Dataset, script: string, args: Record<string, string | number>, log: (s: string) => void, program = PY): BenchRow[] {
  const argv = [...(program === PY ? [join(ANCHORS, script)] : []), `--dir=${ds.dir}`, `--dim=${ds.dim}`, `--k=${K}`, ...Object.entries(args).map(([k, v]) => `--${k}=${v}`)];
  const r = spawnSync(program, argv, { cwd: ANCHORS, encoding: 'utf8', maxBuffer: 1 << 24, env: { ...process.env, OMP_NUM_THREADS: '1' } });
  if (r.status !== 0) {
    log(`  anchor ${script} ${JSON.stringify(args)} failed: ${(r.stderr || r.error?.message || '').trim().split('\n').slice(-3).join(' | ')}`);
    return [];
  }
  const rows: BenchRow[] = [];
  for (const line of r.stdout.split('\n')) {
    if (!line.trim().startsWith('{')) continue;
    const o = JSON.parse(line) as { system: string; index: string; params: string; recall: number; qps: number; build_s: number; memory_bytes: number };
    rows.push({ dataset: ds.name, system: o.system, index: o.index, params: o.params, recall: o.recall, qps: o.qps, buildS: o.build_s, memoryBytes: o.memory_bytes });
  }
  for (const name of new Set(rows.map((x) => x.index))) {
    const f = rows.find((x) => x.index === name)!;
    log(`  ${f.system} ${f.index} built in ${f.buildS.toFixed(1)} s, ${(f.memoryBytes / 2 ** 20).toFixed(1)} MiB`);
  }
  return rows;
}

function anchors(ds: Dataset, quick: boolean, train: string, root: string, log: (s: string) => void): BenchRow[] {
  if (!existsSync(PY)) {
    log(`  ${PY} not found: anchors skipped`);
    return [];
  }
  const efs = (quick ? [10, 16, 32, 64, 128] : [10, 12, 16, 24, 32, 48, 64, 96, 128, 200]).join(',');
  const nlist = ds.n >= 150_000 ? 1024 : 512;
  const nprobes = (quick ? [2, 8, 32] : [1, 2, 4, 8, 16, 32, 64]).join(',');
  const rows: BenchRow[] = [];
  rows.push(...anchor(ds, 'hnswlib_anchor.py', { M: 16, efc: 200, efs }, log));
  const native = nativeHnswlib(root, log);
  if (native) rows.push(...anchor(ds, 'hnswlib_native', { M: 16, efc: 200, efs }, log, native));
  rows.push(...anchor(ds, 'faiss_anchor.py', { kind: 'flat', nq: quick ? 50 : 200 }, log));
  rows.push(...anchor(ds, 'faiss_anchor.py', { kind: 'ivf', nlist, nprobes, train }, log));
  if (!quick && ds.n < 150_000) rows.push(...anchor(ds, 'faiss_anchor.py', { kind: 'hnsw', M: 16, efc: 200, efs }, log));
  return rows;
}

/**
 * QPS at exactly `target` recall: on the recall/QPS Pareto frontier of a sweep, interpolate linearly
 * between the two points that bracket the target (a sweep point exactly at or above it when it is
 * the first). Undefined when no point reaches the target.
 */
function qpsAt(rows: BenchRow[], target: number): number | undefined {
  const pts = [...rows].sort((a, b) => b.recall - a.recall || b.qps - a.qps);
  const frontier: BenchRow[] = [];
  for (const r of pts) if (!frontier.length || r.qps > frontier[frontier.length - 1]!.qps) frontier.push(r);
  // frontier: recall descending, QPS ascending.
  let above: BenchRow | undefined;
  for (const r of frontier) {
    if (r.recall >= target) {
      above = r;
      continue;
    }
    if (!above) return undefined;
    const t = (target - r.recall) / (above.recall - r.recall);
    return r.qps + t * (above.qps - r.qps);
  }
  return above?.qps;
}

const fmt = (x: number, d = 1): string => x.toFixed(d);
const pad = (s: string, n: number): string => (s.length >= n ? s : s + ' '.repeat(n - s.length));
const lpad = (s: string, n: number): string => (s.length >= n ? s : ' '.repeat(n - s.length) + s);

function table(rows: BenchRow[]): string {
  const lines = [
    `${pad('dataset', 20)} ${pad('system', 8)} ${pad('index', 9)} ${pad('params', 34)} ${lpad('recall@10', 9)} ${lpad('QPS', 9)} ${lpad('build s', 8)} ${lpad('mem MiB', 8)}`,
  ];
  for (const r of rows) {
    lines.push(
      `${pad(r.dataset, 20)} ${pad(r.system, 8)} ${pad(r.index, 9)} ${pad(r.params, 34)} ${lpad(fmt(r.recall, 4), 9)} ${lpad(fmt(r.qps, 0), 9)} ${lpad(fmt(r.buildS, 1), 8)} ${lpad(fmt(r.memoryBytes / 2 ** 20, 1), 8)}`,
    );
  }
  return lines.join('\n');
}

function ratios(rows: BenchRow[]): string {
  const lines = [`${pad('dataset', 20)} ${pad('index', 9)} ${pad('vs', 21)} ${pad('recall>=', 8)} ${lpad('ours QPS', 9)} ${lpad('theirs', 9)} ${lpad('ratio', 6)}`];
  const pairs: [string, string, string][] = [
    ['HNSW', 'hnswlib', 'HNSW'],
    ['HNSW', 'hnswlib-native', 'HNSW'],
    ['HNSW', 'faiss', 'HNSW'],
    ['IVF_FLAT', 'faiss', 'IVF_FLAT'],
    ['IVF_SQ8', 'faiss', 'IVF_SQ8'],
    ['FLAT', 'faiss', 'FLAT'],
  ];
  for (const ds of [...new Set(rows.map((r) => r.dataset))]) {
    for (const [ourIdx, sys, theirIdx] of pairs) {
      const mine = rows.filter((r) => r.dataset === ds && r.system === 'elanus' && r.index === ourIdx);
      const theirs = rows.filter((r) => r.dataset === ds && r.system === sys && r.index === theirIdx);
      if (!mine.length || !theirs.length) continue;
      const targets = ourIdx === 'FLAT' ? [0.99] : [0.9, 0.95, 0.99];
      for (const t of targets) {
        const a = qpsAt(mine, t);
        const b = qpsAt(theirs, t);
        const ratio = a !== undefined && b !== undefined ? fmt(a / b, 2) + 'x' : '-';
        lines.push(`${pad(ds, 20)} ${pad(ourIdx, 9)} ${pad(`${sys} ${theirIdx}`, 21)} ${pad(String(t), 8)} ${lpad(a !== undefined ? fmt(a, 0) : '-', 9)} ${lpad(b !== undefined ? fmt(b, 0) : '-', 9)} ${lpad(ratio, 6)}`);
      }
      if (ourIdx === 'HNSW' && sys.startsWith('hnswlib')) {
        lines.push(`${pad(ds, 20)} ${pad('HNSW', 9)} build time ${fmt(mine[0]!.buildS)} s vs ${sys} ${fmt(theirs[0]!.buildS)} s = ${fmt(mine[0]!.buildS / theirs[0]!.buildS, 2)}x (target <= 1.5x)`);
        lines.push(`${pad(ds, 20)} ${pad('HNSW', 9)} memory ${fmt(mine[0]!.memoryBytes / 2 ** 20)} MiB vs ${sys} ${fmt(theirs[0]!.memoryBytes / 2 ** 20)} MiB (RSS growth) = ${fmt(mine[0]!.memoryBytes / theirs[0]!.memoryBytes, 2)}x (target <= 1.05x)`);
      }
    }
  }
  return lines.join('\n');
}

/** Copy bandwidth of this machine (read + write GB/s) and our FLAT scan rate, for the bandwidth claim. */
function bandwidth(rows: BenchRow[], sets: Dataset[]): string {
  const n = 1 << 26;
  const a = new Float32Array(n).fill(1);
  const b = new Float32Array(n);
  b.set(a);
  const t0 = performance.now();
  for (let i = 0; i < 3; i++) b.set(a);
  const copyGBs = (3 * 2 * n * 4) / ((performance.now() - t0) / 1000) / 1e9;
  const out = [`memory copy bandwidth (read+write): ${fmt(copyGBs)} GB/s`];
  for (const ds of sets) {
    const flat = rows.find((r) => r.dataset === ds.name && r.system === 'elanus' && r.index === 'FLAT');
    if (flat) out.push(`${ds.name}: elanus FLAT scans ${fmt((flat.qps * ds.n * ds.dim * 4) / 1e9)} GB/s of vectors (one query at a time)`);
  }
  return out.join('\n');
}

export async function run(opts: AnnBenchOptions = {}): Promise<BenchRow[]> {
  const quick = opts.quick ?? false;
  const log = opts.log ?? ((s: string) => console.log(s));
  const root = opts.cacheDir ?? join(tmpdir(), 'elanus-ann-bench');
  const which = opts.datasets ?? (quick ? ['fashion'] : ['fashion', 'synthetic']);
  log(`ANN benchmark (${quick ? 'quick' : 'full'}), kernels: ${vectorKernelVariant()} Wasm build, k=${K}, single thread, one query at a time`);
  const rows: BenchRow[] = [];
  const sets: Dataset[] = [];
  for (const w of which) {
    const t0 = performance.now();
    const ds = w === 'fashion' ? fashionMnist(root, quick ? 200 : 1000) : synthetic(root, 200_000, 128, quick ? 200 : 1000);
    sets.push(ds);
    log(`${ds.name}: ${ds.n} × ${ds.dim}, ${ds.nq} queries (data + ground truth ${fmt((performance.now() - t0) / 1000)} s)`);
    rows.push(...(await ours(ds, quick, log)));
    if (opts.anchors ?? true) rows.push(...anchors(ds, quick, opts.faissTraining ?? 'matched', root, log));
  }
  log('\n' + table(rows));
  log('\nQPS ratios at equal recall (each side\'s QPS at exactly that recall, interpolated on its sweep\'s recall/QPS frontier):\n' + ratios(rows));
  log('\n' + bandwidth(rows, sets));
  return rows;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const argv = process.argv.slice(2);
  const ds = argv.find((a) => a.startsWith('--dataset='))?.split('=')[1];
  await run({
    quick: argv.includes('--quick'),
    anchors: !argv.includes('--no-anchors'),
    faissTraining: argv.includes('--faiss-default-training') ? 'default' : 'matched',
    ...(ds ? { datasets: [ds as 'fashion' | 'synthetic'] } : {}),
  });
}
