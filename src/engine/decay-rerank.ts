/**
 * Decay rerankers (Milvus 2.6 `function_score` / `rerank` with params.reranker = "decay"): each hit's
 * relevance score is multiplied by a decay of one numeric field's distance from `origin`
 * (https://milvus.io/docs/decay-ranker-overview.md, gaussian-decay.md, exponential-decay.md,
 * linear-decay.md). With d = max(0, |value − origin| − offset):
 *   gauss:  exp(−d² / (2σ²)), σ² = −scale² / (2·ln decay)
 *   exp:    exp(ln(decay) / scale · d)
 *   linear: max(0, (s − d) / s), s = scale / (1 − decay)
 * decay defaults to 0.5 and offset to 0. The functions arrive as the SDK builds them (params an
 * object) or as gRPC carries them (params a key/value list); both are read here.
 */
import { DataType } from '../core/data-type.js';
import { invalidParam } from '../core/errors.js';
import type { FieldSchema } from '../core/schema.js';
import type { Hit } from './requests.js';

export interface DecaySpec {
  field: string;
  fn: 'gauss' | 'exp' | 'linear';
  origin: number;
  scale: number;
  offset: number;
  decay: number;
}

const NUMERIC = new Set<DataType>([DataType.Int8, DataType.Int16, DataType.Int32, DataType.Int64, DataType.Float, DataType.Double]);

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

/**
 * Reads the decay reranker from the request's functions (undefined when there are none). Anything
 * other than one decay function on a numeric field is refused with 1100 naming the rule.
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
  const field = fields.find((x) => x.name === inputs[0]);
  if (!field) throw invalidParam('function_score.input_field_names', `field "${String(inputs[0])}" does not exist`);
  if (!NUMERIC.has(field.dataType)) throw invalidParam('function_score.input_field_names', `the decay field "${field.name}" must be numeric (Int8, Int16, Int32, Int64, Float or Double)`);
  const scale = num('scale', p['scale']);
  if (!(scale > 0)) throw invalidParam('function_score.params.scale', `must be greater than 0, got ${scale}`);
  const offset = num('offset', p['offset'], 0);
  if (offset < 0) throw invalidParam('function_score.params.offset', `must be 0 or more, got ${offset}`);
  const decay = num('decay', p['decay'], 0.5);
  if (!(decay > 0 && decay < 1)) throw invalidParam('function_score.params.decay', `must be between 0 and 1 (exclusive), got ${decay}`);
  return { field: field.name, fn, origin: num('origin', p['origin']), scale, offset, decay };
}

/** The decay factor for one field value. */
export function decayFactor(s: DecaySpec, value: number): number {
  const d = Math.max(0, Math.abs(value - s.origin) - s.offset);
  if (s.fn === 'gauss') return Math.exp(-(d * d) / (2 * (-(s.scale * s.scale) / (2 * Math.log(s.decay)))));
  if (s.fn === 'exp') return Math.exp((Math.log(s.decay) / s.scale) * d);
  const span = s.scale / (1 - s.decay);
  return Math.max(0, (span - d) / span);
}

/** Multiplies each hit's score by its decay and re-sorts best first; `keep` = output fields to leave on hits. */
export function applyDecay(s: DecaySpec, hits: Hit[][], dropField: boolean): Hit[][] {
  return hits.map((q) =>
    q
      .map((h) => {
        const v = Number(h.fields[s.field] ?? NaN);
        const score = Number.isFinite(v) ? h.score * decayFactor(s, v) : 0;
        const fields = { ...h.fields };
        if (dropField) delete fields[s.field];
        return { ...h, score, fields };
      })
      .sort((a, b) => b.score - a.score),
  );
}
