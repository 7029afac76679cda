/**
 * Decay rerankers (Milvus 2.6 `function_score` / `rerank` with params.reranker = "decay") for search
 * and hybrid search. Each hit's relevance score is normalised so that higher is better, then
 * multiplied by a decay of one field's distance from `origin`
 * (https://milvus.io/docs/decay-ranker-overview.md; Milvus internal/util/function/rerank/decay_function.go).
 *
 * Normalisation (toGreaterScore): IP, COSINE and BM25 scores are kept; distances (L2, HAMMING, JACCARD)
 * become 1 − 2·atan(score)/π. In a hybrid search a hit's base score is the maximum of its normalised
 * scores over the search requests; its decay is computed once from the field value.
 *
 * With d = max(0, |value − origin| − offset):
 *   gauss:  exp(d² · ln(decay) / scale²)          (= exp(−d²/(2σ²)), σ² = −scale²/(2·ln decay))
 *   exp:    exp(ln(decay) / scale · d)
 *   linear: max(decay, 1 − (1 − decay)/scale · d)  (Milvus floors the line at `decay`, as its source does)
 * decay defaults to 0.5 and offset to 0. Ties are broken by primary key, ascending (as Milvus sorts).
 *
 * Fields: Int8/16/32/64, Float, Double, and TIMESTAMPTZ. A TIMESTAMPTZ value is its UTC microseconds
 * since the epoch (how Milvus stores it), so `scale` and `offset` are microseconds and `origin` is
 * either an ISO 8601 timestamp with a zone or a number of UTC microseconds. Nullable fields are refused,
 * as Milvus refuses them ("function input field cannot be nullable").
 *
 * The functions arrive as the SDK builds them (params an object) or as gRPC carries them (params a
 * key/value list); both are read here.
 */
import { DataType } from '../../core/data-type.js';
import { invalidParam } from '../../core/errors.js';
import type { FieldSchema } from '../../core/schema.js';
import type { Hit } from '../requests.js';
import { parseIsoTimestamptz, timestamptzValue } from '../temporal-spatial.js';

export interface DecaySpec {
  field: string;
  fn: 'gauss' | 'exp' | 'linear';
  origin: number;
  scale: number;
  offset: number;
  decay: number;
  /** The field is a TIMESTAMPTZ: hit values are ISO strings, read as UTC microseconds. */
  timestamptz: boolean;
}

const NUMERIC = new Set<DataType>([DataType.Int8, DataType.Int16, DataType.Int32, DataType.Int64, DataType.Float, DataType.Double, DataType.Timestamptz]);

function paramsOf(v: unknown): Record<string, unknown> {
  if (Array.isArray(v)) {
    const out: Record<string, unknown> = {};
    for (const kv of v as { key?: unknown; value?: unknown }[]) if (typeof kv?.key === 'string') out[kv.key] = kv.value;
    return out;
  }
  return v && typeof v === 'object' ? (v as Record<string, unknown>) : {};
}

function num(name: string, v: unknown, dflt?: number): number {
  if ((v === undefined || v === null || v === '') && dflt !== undefined) return dflt;
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  if (!Number.isFinite(n)) throw invalidParam(`function_score.params.${name}`, `must be a number, got ${JSON.stringify(v)}`);
  return n;
}

/** A TIMESTAMPTZ origin: an ISO 8601 timestamp with a zone, or UTC microseconds. */
function timeOrigin(v: unknown): number {
  if (typeof v === 'string' && !/^\s*-?\d+(\.\d+)?\s*$/.test(v)) return Number(parseIsoTimestamptz(v, 'function_score.params.origin'));
  return num('origin', v);
}

/**
 * Reads the decay reranker from the request's functions (undefined when there are none). Anything
 * other than one decay function on a numeric or TIMESTAMPTZ field is refused with 1100 naming the rule.
 */
export function parseDecay(functions: readonly unknown[] | undefined, fields: readonly FieldSchema[]): DecaySpec | undefined {
  if (!functions || functions.length === 0) return undefined;
  if (functions.length > 1) throw invalidParam('function_score.functions', 'Elanus supports one rerank function per search');
  const f = (functions[0] ?? {}) as Record<string, unknown>;
  const p = paramsOf(f['params']);
  const reranker = String(p['reranker'] ?? '').toLowerCase();
  if (reranker !== 'decay') throw invalidParam('function_score.params.reranker', `only the decay reranker is supported by Elanus (model rerankers need a provider), got ${JSON.stringify(p['reranker'] ?? '')}`);
  const fn = String(p['function'] ?? '').toLowerCase();
  if (fn !== 'gauss' && fn !== 'exp' && fn !== 'linear') throw invalidParam('function_score.params.function', `must be gauss, exp or linear, got ${JSON.stringify(p['function'] ?? '')}`);
  const inputs = f['input_field_names'];
  if (!Array.isArray(inputs) || inputs.length !== 1 || typeof inputs[0] !== 'string') throw invalidParam('function_score.input_field_names', 'a decay reranker takes exactly one numeric field');
  const field = fields.find((x) => x.name === inputs[0] && !x.isDynamic);
  if (!field) throw invalidParam('function_score.input_field_names', `field "${String(inputs[0])}" does not exist`);
  if (!NUMERIC.has(field.dataType)) throw invalidParam('function_score.input_field_names', `the decay field "${field.name}" must be numeric (Int8, Int16, Int32, Int64, Float or Double) or Timestamptz`);
  if (field.nullable) throw invalidParam('function_score.input_field_names', `the decay field "${field.name}" is nullable; a rerank function's input field cannot be nullable`);
  const timestamptz = field.dataType === DataType.Timestamptz;
  const scale = num('scale', p['scale']);
  if (!(scale > 0)) throw invalidParam('function_score.params.scale', `must be greater than 0, got ${scale}`);
  const offset = num('offset', p['offset'], 0);
  if (offset < 0) throw invalidParam('function_score.params.offset', `must be 0 or more, got ${offset}`);
  const decay = num('decay', p['decay'], 0.5);
  if (!(decay > 0 && decay < 1)) throw invalidParam('function_score.params.decay', `must be between 0 and 1 (exclusive), got ${decay}`);
  const origin = timestamptz ? timeOrigin(p['origin']) : num('origin', p['origin']);
  return { field: field.name, fn, origin, scale, offset, decay, timestamptz };
}

/** The decay factor for one field value. */
export function decayFactor(s: DecaySpec, value: number): number {
  const d = Math.max(0, Math.abs(value - s.origin) - s.offset);
  if (s.fn === 'gauss') return Math.exp((d * d * Math.log(s.decay)) / (s.scale * s.scale));
  if (s.fn === 'exp') return Math.exp((Math.log(s.decay) / s.scale) * d);
  return Math.max(s.decay, 1 - ((1 - s.decay) / s.scale) * d);
}

/** Milvus's toGreaterScore: similarities kept, distances mapped into (0, 1] with higher better. */
export function greaterScore(score: number, metric: string): number {
  const m = metric.toUpperCase();
  if (m === 'IP' || m === 'COSINE' || m === 'BM25') return score;
  return 1 - (2 * Math.atan(score)) / Math.PI;
}

function fieldNumber(s: DecaySpec, v: unknown): number {
  if (s.timestamptz) return v === undefined || v === null ? NaN : Number(timestamptzValue(v, s.field));
  return Number(v ?? NaN);
}

function byScoreThenPk(a: Hit, b: Hit): number {
  if (b.score !== a.score) return b.score - a.score;
  return a.pk < b.pk ? -1 : a.pk > b.pk ? 1 : 0;
}

/**
 * Decay-reranks the hits of one or more searches (one entry per search request, each hits per query
 * and its metric): per query, every key's base score is its best normalised score, multiplied by the
 * decay of its field value; sorted best first. `dropField` removes the decay field from the hits.
 */
export function decayRerank(s: DecaySpec, searches: readonly { hits: Hit[][]; metric: string }[], dropField: boolean): Hit[][] {
  const nq = searches[0]?.hits.length ?? 0;
  const out: Hit[][] = [];
  for (let q = 0; q < nq; q++) {
    const best = new Map<string, Hit>();
    for (const r of searches) {
      for (const h of r.hits[q] ?? []) {
        const key = typeof h.pk === 'bigint' ? `i${h.pk}` : `s${h.pk}`;
        const score = greaterScore(h.score, r.metric);
        const cur = best.get(key);
        if (!cur || score > cur.score) best.set(key, { ...h, score, fields: cur?.fields ?? h.fields });
      }
    }
    const hits = [...best.values()].map((h) => {
      const v = fieldNumber(s, h.fields[s.field]);
      const fields = { ...h.fields };
      if (dropField) delete fields[s.field];
      return { ...h, score: Number.isFinite(v) ? h.score * decayFactor(s, v) : 0, fields };
    });
    out.push(hits.sort(byScoreThenPk));
  }
  return out;
}

/** The page [offset, offset + limit) of each query's reranked hits, scores rounded as Milvus rounds them (half up). */
export function decayPage(hits: Hit[][], offset: number, limit: number, roundDecimal: number): Hit[][] {
  const f = roundDecimal >= 0 ? 10 ** roundDecimal : 0;
  return hits.map((q) => q.slice(offset, offset + limit).map((h) => (f ? { ...h, score: Math.floor(h.score * f + 0.5) / f } : h)));
}
