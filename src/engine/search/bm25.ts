/**
 * BM25 full-text search (Milvus 2.6 full-text-search.md): a BM25 function turns the input text into a
 * sparse vector of term frequencies (term id = tokenHash(token)); a search by raw text analyses the
 * query the same way and scores every document with
 *   score(q, d) = Σ_{t ∈ q} IDF(t) · tf(t,d)·(k1+1) / (tf(t,d) + k1·(1 − b + b·|d|/avgdl))
 *   IDF(t) = ln(1 + (N − df(t) + 0.5) / (df(t) + 0.5))
 * (a query term repeated counts once per occurrence). N, avgdl and df are exact at search time: they
 * count the live rows (deletes excluded) of every segment the search covers, growing ones included,
 * so compaction (which only drops deleted rows) does not change them.
 */
import type { Bitset } from '../../core/bitset.js';
import type { SparseRow, VectorColumn } from '../../core/column.js';
import { invalidParam } from '../../core/errors.js';
import type { FieldSchema, CollectionSchema } from '../../core/schema.js';
import type { Segment } from '../../storage/index.js';
import { buildAnalyzer, termFrequencies, type Analyzer } from '../../text/index.js';
import { checkNq } from './query-vectors.js';


const analyzerCache = new WeakMap<CollectionSchema, Map<string, Analyzer>>();

/** The analyzer of the BM25 function whose output is `field` (built once per schema object). */
export function bm25AnalyzerFor(schema: CollectionSchema, field: FieldSchema): Analyzer {
  let byField = analyzerCache.get(schema);
  const cached = byField?.get(field.name);
  if (cached) return cached;
  const fn = (schema.functions ?? []).find((f) => f.outputFieldNames[0] === field.name);
  if (!fn) throw invalidParam('anns_field', `field "${field.name}" is not the output of a BM25 function`);
  const input = schema.fields.find((f) => f.name === fn.inputFieldNames[0])!;
  const analyzer = buildAnalyzer(input.typeParams['analyzer_params']);
  if (!byField) analyzerCache.set(schema, (byField = new Map()));
  byField.set(field.name, analyzer);
  return analyzer;
}

/** Query texts (one string or a list) → their term-frequency rows. */
export function textQueries(schema: CollectionSchema, field: FieldSchema, data: unknown): SparseRow[] {
  const texts = typeof data === 'string' ? [data] : Array.isArray(data) && data.length > 0 && data.every((x) => typeof x === 'string') ? (data as string[]) : null;
  if (!texts) throw invalidParam('data', `"${field.name}" is filled by a BM25 function: search it with query text (a string or a list of strings)`);
  checkNq(texts.length);
  const analyzer = bm25AnalyzerFor(schema, field);
  return texts.map((t) => termFrequencies(analyzer, t));
}

interface SegmentStats {
  version: string;
  docs: number;
  totalLength: number;
  /** term → rows containing it (all rows, deleted or not). */
  postings: Map<number, number[]>;
  rowLength: Float64Array;
  /** term → live rows containing it, filled as queries ask (valid for this version). */
  df: Map<number, number>;
}

const statsCache = new WeakMap<Segment, Map<string, SegmentStats>>();

function segmentStats(seg: Segment, field: string, liveRows: () => Bitset): SegmentStats {
  let byField = statsCache.get(seg);
  if (!byField) statsCache.set(seg, (byField = new Map()));
  const version = `${seg.rowCount}:${seg.liveCount}`;
  const cached = byField.get(field);
  if (cached && cached.version === version) return cached;
  const col = seg.column(field) as VectorColumn & { data: (SparseRow | undefined)[] };
  let postings = cached?.postings;
  let rowLength = cached?.rowLength;
  let from = 0;
  if (cached && cached.rowLength.length <= seg.rowCount && cached.version.split(':')[0] !== undefined) {
    from = Number(cached.version.split(':')[0]);
  } else {
    postings = new Map();
    rowLength = new Float64Array(0);
  }
  if (rowLength!.length < seg.rowCount) {
    const grown = new Float64Array(seg.rowCount);
    grown.set(rowLength!.subarray(0, Math.min(rowLength!.length, from)));
    rowLength = grown;
  }
  for (let r = from; r < seg.rowCount; r++) {
    const d = col.data[r];
    if (!d) continue;
    let len = 0;
    for (let j = 0; j < d.indices.length; j++) {
      const t = d.indices[j]!;
      let list = postings!.get(t);
      if (!list) postings!.set(t, (list = []));
      list.push(r);
      len += d.values[j]!;
    }
    rowLength![r] = len;
  }
  let docs = 0;
  let totalLength = 0;
  if (seg.liveCount === seg.rowCount) {
    docs = seg.rowCount;
    for (let r = 0; r < seg.rowCount; r++) totalLength += rowLength![r]!;
  } else {
    const live = liveRows();
    for (let r = 0; r < seg.rowCount; r++) {
      if (!live.get(r)) continue;
      docs++;
      totalLength += rowLength![r]!;
    }
  }
  const s: SegmentStats = { version, docs, totalLength, postings: postings!, rowLength: rowLength!, df: new Map() };
  byField.set(field, s);
  return s;
}

export interface Bm25Weights {
  avgdl: number;
  /** Query rows with each value multiplied by IDF(t). */
  weighted: SparseRow[];
}

/** Collection-wide N, avgdl and df over the live rows of `segments`; IDF-weighted queries. */
export function bm25Weights(segments: readonly Segment[], field: string, queries: readonly SparseRow[]): Bm25Weights {
  let docs = 0;
  let total = 0;
  const df = new Map<number, number>();
  const terms = new Set<number>();
  for (const q of queries) q.indices.forEach((t) => terms.add(t));
  for (const seg of segments) {
    if (seg.rowCount === 0) continue;
    let live: Bitset | undefined;
    const liveRows = (): Bitset => (live ??= seg.liveRows());
    const s = segmentStats(seg, field, liveRows);
    docs += s.docs;
    total += s.totalLength;
    const allLive = seg.liveCount === seg.rowCount;
    for (const t of terms) {
      let n = s.df.get(t);
      if (n === undefined) {
        const rows = s.postings.get(t);
        n = 0;
        if (rows && allLive) n = rows.length;
        else if (rows) {
          const l = liveRows();
          for (const r of rows) if (l.get(r)) n++;
        }
        s.df.set(t, n);
      }
      if (n > 0) df.set(t, (df.get(t) ?? 0) + n);
    }
  }
  const idf = (t: number): number => {
    const n = df.get(t) ?? 0;
    return Math.log(1 + (docs - n + 0.5) / (n + 0.5));
  };
  return {
    avgdl: docs > 0 ? total / docs : 0,
    weighted: queries.map((q) => ({ indices: q.indices, values: Float32Array.from(q.values, (v, j) => v * idf(q.indices[j]!)) })),
  };
}
