/**
 * Full-text search benchmark on a real corpus: Debian's package descriptions (`apt-cache dumpavail`,
 * generated at run time, never committed — tens of thousands of short English texts).
 *
 * 1. BM25 through the embedded client, as a user calls it: a VARCHAR with `enable_analyzer`
 *    (standard analyzer) → BM25 function → SparseFloatVector with SPARSE_INVERTED_INDEX; build time
 *    (insert + flush + index + load), single-client top-10 `search` QPS on 1,000 queries drawn from
 *    the corpus's words, memory (heap + array buffers retained after the build). Side by side, on the
 *    same texts and queries, the in-process engines a Node user could pick instead — MiniSearch,
 *    FlexSearch and Orama (installed into bench/anchors: `npm install --prefix bench/anchors`) — with
 *    their top-10 overlap with Elanus's.
 * 2. Sparse search: the segment's posting lists (SPARSE_INVERTED_INDEX) per `inverted_index_algo` and
 *    `drop_ratio_search`, metrics BM25 and IP, QPS and recall@10 against the exact sparse search.
 *
 *   node --expose-gc --import tsx bench/fts-bench.ts [--quick] [--docs=N] [--queries=N]
 *   npm run bench -- fts [--quick]
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type { SparseRow } from '../src/core/column.js';
import type { MetricType } from '../src/core/data-type.js';
import { MilvusError } from '../src/core/errors.js';
import { termFrequencies } from '../src/text/index.js';
import { debianDescriptionsByName } from '../test/support/debian-corpus.js';
import { sparseExactSearch } from '../src/index/sparse/exact.js';
import { PostingLists, type InvertedIndexAlgo } from '../src/index/sparse/posting-lists.js';
import type { SearchHits, SearchOptions } from '../src/index/types.js';
import { DataType, MilvusClient } from '../src/index.js';
import { buildAnalyzer } from '../src/text/index.js';

const ANCHORS = join(dirname(fileURLToPath(import.meta.url)), 'anchors');
const K = 10;
const ANALYZER = { type: 'standard' };

export interface FtsBenchOptions {
  quick?: boolean;
  docs?: number;
  queries?: number;
}

/** Every distinct package's description (short + long, continuation lines joined), by package name. */
export function debianDescriptions(limit: number): string[] {
  const byName = debianDescriptionsByName(4000);
  const names = [...byName.keys()].sort();
  if (names.length <= limit) return names.map((n) => byName.get(n)!);
  // an even spread over the whole archive, deterministic
  return Array.from({ length: limit }, (_, i) => byName.get(names[Math.floor((i * names.length) / limit)]!)!);
}

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s / 4294967296;
  };
}

/** Queries of 1–3 words (letters only, ≥ 3 long) taken from random documents, so each has hits. */
export function drawQueries(texts: readonly string[], n: number): string[] {
  const rnd = rng(20261207);
  const out: string[] = [];
  while (out.length < n) {
    const words = (texts[Math.floor(rnd() * texts.length)]!.toLowerCase().match(/[a-z]{3,}/g) ?? []);
    if (words.length === 0) continue;
    const len = 1 + Math.floor(rnd() * 3);
    out.push(Array.from({ length: len }, () => words[Math.floor(rnd() * words.length)]!).join(' '));
  }
  return out;
}

async function settle(): Promise<number> {
  const gc = (globalThis as { gc?: () => void }).gc;
  for (let i = 0; i < 3; i++) {
    gc?.();
    await new Promise((r) => setTimeout(r, 30));
  }
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers + m.external;
}

interface EngineRun {
  name: string;
  buildMs: number;
  memBytes: number;
  qps: number;
  top: number[][];
  note: string;
}

export interface Engine {
  name: string;
  note: string;
  build(texts: readonly string[]): Promise<void>;
  search(q: string): number[] | Promise<number[]>;
  close(): Promise<void>;
}

async function runEngine(e: Engine, texts: readonly string[], queries: readonly string[]): Promise<EngineRun> {
  const m0 = await settle();
  const t0 = performance.now();
  await e.build(texts);
  const buildMs = performance.now() - t0;
  const memBytes = (await settle()) - m0;
  // warm-up on the first 50 queries, then the whole list once, one query at a time
  for (const q of queries.slice(0, 50)) await e.search(q);
  const top: number[][] = [];
  const t1 = performance.now();
  for (const q of queries) top.push(await e.search(q));
  const qps = queries.length / ((performance.now() - t1) / 1000);
  await e.close();
  return { name: e.name, buildMs, memBytes, qps, top, note: e.note };
}

export function elanus(params: Record<string, unknown> = {}): Engine {
  const dir = mkdtempSync(join(tmpdir(), 'elanus-fts-'));
  let c: MilvusClient;
  let segments = 0;
  const name = 'debian';
  return {
    name: 'Elanus',
    get note() {
      return `${segments} sealed segment(s), BM25 k1=1.2 b=0.75, standard analyzer, SPARSE_INVERTED_INDEX ${(params['inverted_index_algo'] as string | undefined) ?? 'DAAT_MAXSCORE'}`;
    },
    async build(texts) {
      c = new MilvusClient({ address: dir });
      const st = await c.createCollection({
        collection_name: name,
        fields: [
          { name: 'id', data_type: DataType.Int64, is_primary_key: true },
          { name: 'text', data_type: DataType.VarChar, max_length: 8192, enable_analyzer: true, analyzer_params: ANALYZER },
          { name: 'sparse', data_type: DataType.SparseFloatVector },
        ],
        functions: [{ name: 'bm25', type: 'BM25', input_field_names: ['text'], output_field_names: ['sparse'], params: {} }],
      } as never);
      if (st.code !== 0) throw new MilvusError(st.code, st.reason);
      for (let i = 0; i < texts.length; i += 5000) {
        const data = texts.slice(i, i + 5000).map((text, j) => ({ id: i + j, text }));
        const r = await c.insert({ collection_name: name, data });
        if (r.status.code !== 0) throw new MilvusError(r.status.code, r.status.reason);
      }
      await c.flush({ collection_names: [name] });
      await c.createIndex({ collection_name: name, field_name: 'sparse', index_type: 'SPARSE_INVERTED_INDEX', metric_type: 'BM25', params });
      while ((await c.describeIndex({ collection_name: name })).index_descriptions[0]?.state !== 'Finished') await new Promise((r) => setTimeout(r, 20));
      await c.loadCollection({ collection_name: name });
      const info = await c.getQuerySegmentInfo({ collectionName: name });
      segments = info.infos.length;
    },
    async search(q) {
      const r = await c.search({ collection_name: name, anns_field: 'sparse', data: q, limit: K, output_fields: [] });
      return (r.results as Record<string, unknown>[]).map((h) => Number(h['id']));
    },
    async close() {
      await c.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

interface MiniSearchLike {
  addAll(docs: { id: number; text: string }[]): void;
  search(q: string): { id: number }[];
}
interface FlexIndexLike {
  add(id: number, text: string): void;
  search(q: string, opts: { limit: number; suggest: boolean }): number[];
}
interface OramaLike {
  create(o: { schema: Record<string, string> }): unknown;
  insertMultiple(db: unknown, docs: { id: string; text: string }[], batch?: number): unknown;
  search(db: unknown, p: { term: string; limit: number; properties: string[]; exact: boolean }): { hits: { id: string }[] } | Promise<{ hits: { id: string }[] }>;
}

function anchorRequire(): NodeJS.Require | null {
  const pkg = join(ANCHORS, 'package.json');
  if (!existsSync(join(ANCHORS, 'node_modules'))) return null;
  return createRequire(pkg);
}

function anchorEngines(): { engines: Engine[]; missing: string[] } {
  const req = anchorRequire();
  const engines: Engine[] = [];
  const missing: string[] = [];
  const load = <T>(id: string): T | null => {
    try {
      return req ? (req(id) as T) : null;
    } catch {
      return null;
    }
  };
  const ms = load<{ default?: new (o: unknown) => MiniSearchLike } & (new (o: unknown) => MiniSearchLike)>('minisearch');
  if (ms) {
    const MiniSearch = ms.default ?? ms;
    let idx: MiniSearchLike;
    engines.push({
      name: 'MiniSearch',
      note: `${version('minisearch')}, BM25+ (its default), OR`,
      build(texts) {
        idx = new MiniSearch({ fields: ['text'], storeFields: [] });
        idx.addAll(texts.map((text, id) => ({ id, text })));
        return Promise.resolve();
      },
      search: (q) => idx.search(q).slice(0, K).map((h) => h.id),
      close: () => Promise.resolve(),
    });
  } else missing.push('minisearch');
  const fx = load<{ Index: new (o: unknown) => FlexIndexLike }>('flexsearch');
  if (fx) {
    let idx: FlexIndexLike;
    engines.push({
      name: 'FlexSearch',
      note: `${version('flexsearch')}, Index tokenize strict + resolution 9, suggest (OR)`,
      build(texts) {
        idx = new fx.Index({ tokenize: 'strict', resolution: 9 });
        texts.forEach((t, i) => idx.add(i, t));
        return Promise.resolve();
      },
      search: (q) => idx.search(q, { limit: K, suggest: true }).map(Number),
      close: () => Promise.resolve(),
    });
  } else missing.push('flexsearch');
  const or = load<OramaLike>('@orama/orama');
  if (or) {
    let db: unknown;
    engines.push({
      name: 'Orama',
      note: `${version('@orama/orama')}, BM25 (its default), exact terms (no prefix), OR`,
      async build(texts) {
        db = or.create({ schema: { text: 'string' } });
        await or.insertMultiple(db, texts.map((text, i) => ({ id: String(i), text })), 5000);
      },
      async search(q) {
        const r = await or.search(db, { term: q, limit: K, properties: ['text'], exact: true });
        return r.hits.map((h) => Number(h.id));
      },
      close: () => Promise.resolve(),
    });
  } else missing.push('@orama/orama');
  return { engines, missing };
}

function version(pkg: string): string {
  try {
    return (JSON.parse(readFileSync(join(ANCHORS, 'node_modules', pkg, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return '?';
  }
}

/** Mean |A ∩ B| / |A| over queries (A = Elanus's top-10). */
function overlap(a: number[][], b: number[][]): number {
  let s = 0;
  let n = 0;
  for (let i = 0; i < a.length; i++) {
    if (a[i]!.length === 0) continue;
    const B = new Set(b[i]);
    s += a[i]!.filter((x) => B.has(x)).length / a[i]!.length;
    n++;
  }
  return n > 0 ? s / n : 0;
}

const mib = (b: number): string => (b / 2 ** 20).toFixed(0);

/** Sparse search on one segment's posting lists vs the exact scan: QPS and recall@10. */
function sparseTable(texts: readonly string[], queries: readonly string[], log: (s: string) => void): void {
  const analyzer = buildAnalyzer(ANALYZER);
  const rows = texts.map((t) => termFrequencies(analyzer, t));
  const t0 = performance.now();
  const lists = PostingLists.build(rows, rows.length);
  const buildMs = performance.now() - t0;
  const n = rows.length;
  let total = 0;
  for (let r = 0; r < n; r++) total += lists.rowLength[r]!;
  const bm25 = { k1: 1.2, b: 0.75, avgdl: total / n };
  const dfOf = new Map<number, number>();
  for (let i = 0; i < lists.dims.length; i++) dfOf.set(lists.dims[i]!, lists.offsets[i + 1]! - lists.offsets[i]!);
  const tfq = queries.map((q) => termFrequencies(analyzer, q));
  const bm25q: SparseRow[] = tfq.map((q) => ({
    indices: q.indices,
    values: Float32Array.from(q.values, (v, j) => {
      const df = dfOf.get(q.indices[j]!) ?? 0;
      return v * Math.log(1 + (n - df + 0.5) / (df + 0.5));
    }),
  }));
  const recall = (got: SearchHits, want: SearchHits): number => {
    let hit = 0;
    let all = 0;
    for (let qi = 0; qi < want.nq; qi++) {
      const w = new Set<number>();
      const wantScores: number[] = [];
      for (let j = 0; j < K; j++) {
        const id = want.ids[qi * K + j]!;
        if (id >= 0) {
          w.add(id);
          wantScores.push(want.scores[qi * K + j]!);
        }
      }
      all += w.size;
      // a hit is a returned id of the exact top-k, or one tied with the exact k-th score
      const kth = wantScores[wantScores.length - 1] ?? 0;
      for (let j = 0; j < w.size; j++) {
        const id = got.ids[qi * K + j]!;
        if (id >= 0 && (w.has(id) || (wantScores.length === K && Math.abs(got.scores[qi * K + j]! - kth) <= 1e-6 * Math.abs(kth)))) hit++;
      }
    }
    return all > 0 ? hit / all : 1;
  };
  const time = (f: () => SearchHits): { hits: SearchHits; qps: number } => {
    f();
    const t = performance.now();
    const hits = f();
    return { hits, qps: queries.length / ((performance.now() - t) / 1000) };
  };
  log(`\nSparse search on one segment (${n} rows, ${lists.dims.length} terms, ${lists.rows.length} postings; posting lists built in ${buildMs.toFixed(0)} ms), ${queries.length} queries one at a time, top-${K}`);
  log('| metric | search                         | drop_ratio_search |     QPS | recall@10 |');
  log('|--------|--------------------------------|-------------------|---------|-----------|');
  for (const [metric, qs, b] of [['BM25', bm25q, bm25], ['IP', tfq, undefined]] as const) {
    const base: SearchOptions = { metric: metric as MetricType, k: K, allow: null, ...(b ? { bm25: b } : {}) };
    const one = (qsList: readonly SparseRow[], run: (q: SparseRow) => SearchHits): SearchHits => {
      const ids = new Int32Array(qsList.length * K);
      const scores = new Float32Array(qsList.length * K);
      qsList.forEach((q, i) => {
        const h = run(q);
        ids.set(h.ids, i * K);
        scores.set(h.scores, i * K);
      });
      return { nq: qsList.length, k: K, ids, scores };
    };
    const exact = time(() => one(qs, (q) => sparseExactSearch(rows, n, [q], base)));
    log(`| ${metric.padEnd(6)} | ${'exact scan'.padEnd(30)} | ${'0'.padStart(17)} | ${exact.qps.toFixed(0).padStart(7)} | ${'1.000'.padStart(9)} |`);
    for (const algo of ['DAAT_MAXSCORE', 'DAAT_WAND', 'TAAT_NAIVE'] as InvertedIndexAlgo[]) {
      for (const drop of [0, 0.5]) {
        const opts: SearchOptions = { ...base, params: { drop_ratio_search: drop } };
        const r = time(() => one(qs, (q) => lists.search([q], opts, algo)));
        log(`| ${metric.padEnd(6)} | ${`SPARSE_INVERTED_INDEX ${algo}`.padEnd(30)} | ${String(drop).padStart(17)} | ${r.qps.toFixed(0).padStart(7)} | ${recall(r.hits, exact.hits).toFixed(3).padStart(9)} |`);
      }
    }
  }
}

export async function run(opts: FtsBenchOptions = {}): Promise<void> {
  const log = (s: string): void => console.log(s);
  const docs = opts.docs ?? (opts.quick ? 10_000 : 100_000);
  const nQueries = opts.queries ?? (opts.quick ? 300 : 1000);
  const texts = debianDescriptions(docs);
  if (texts.length < 1000) {
    log(`apt-cache dumpavail gave ${texts.length} package descriptions (run apt-get update first): skipped`);
    return;
  }
  const queries = drawQueries(texts, nQueries);
  const chars = texts.reduce((s, t) => s + t.length, 0);
  log(`\nBM25 full-text search: ${texts.length} Debian package descriptions (${(chars / 2 ** 20).toFixed(1)} MiB of text), ${queries.length} queries of 1–3 corpus words, top-${K}, one query at a time`);
  const { engines, missing } = anchorEngines();
  if (missing.length > 0) log(`  not installed (npm install --prefix bench/anchors): ${missing.join(', ')}`);
  const runs: EngineRun[] = [];
  for (const e of [elanus(), ...engines]) {
    try {
      runs.push(await runEngine(e, texts, queries));
    } catch (err) {
      log(`  ${e.name}: failed (${(err as Error).message.split('\n')[0]})`);
    }
  }
  const ref = runs.find((r) => r.name === 'Elanus');
  const fastest = Math.max(...runs.filter((r) => r.name !== 'Elanus').map((r) => r.qps));
  log('| engine     | build s | memory MiB |    QPS | top-10 overlap with Elanus | notes |');
  log('|------------|---------|------------|--------|----------------------------|-------|');
  for (const r of runs) {
    log(`| ${r.name.padEnd(10)} | ${(r.buildMs / 1000).toFixed(2).padStart(7)} | ${mib(r.memBytes).padStart(10)} | ${r.qps.toFixed(0).padStart(6)} | ${(ref ? overlap(ref.top, r.top) : 0).toFixed(3).padStart(26)} | ${r.note} |`);
  }
  if (ref && Number.isFinite(fastest)) log(`Elanus BM25 search QPS / fastest other: ${(ref.qps / fastest).toFixed(2)}× (target ≥ 1.0×)`);
  sparseTable(texts, queries, log);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const arg = (name: string): number | undefined => {
    const a = process.argv.find((x) => x.startsWith(`--${name}=`));
    return a ? Number(a.slice(name.length + 3)) : undefined;
  };
  await run({ quick: process.argv.includes('--quick'), docs: arg('docs'), queries: arg('queries') });
}
