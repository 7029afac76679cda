/**
 * Milvus's analyzer model (2.6, milvus.io/docs/analyzer-overview.md and the tokenizer / filter pages):
 * `analyzer_params` is either a built-in analyzer `{type: 'standard' | 'english' | 'chinese',
 * stop_words?}` or a custom pipeline `{tokenizer, filter?: [...]}` where the tokenizer is a name or
 * `{type, ...}` and each filter a name or `{type, ...}`. `buildAnalyzer` validates the whole thing
 * once (1100 naming the offending key) and returns an `Analyzer` whose `analyze(text)` yields tokens
 * with UTF-8 byte offsets and positions, as RunAnalyzer reports them.
 *
 *   standard  = standard tokenizer + lowercase (+ stop with `stop_words`)
 *   english   = standard tokenizer + lowercase + stemmer(english) + stop(_english_ or `stop_words`)
 *   chinese   = jieba tokenizer + cnalphanumonly
 */
import { invalidParam } from '../core/errors.js';
import { buildFilter, type TokenFilter } from './filters.js';
import { buildTokenizer, type Tokenizer } from './tokenizers.js';

export interface Token {
  token: string;
  /** UTF-8 byte offsets into the analysed text. */
  startOffset: number;
  endOffset: number;
  /** Position of the token in the tokenizer's output (before filters drop any). */
  position: number;
}

export interface Analyzer {
  analyze(text: string): Token[];
}

const WHERE = 'analyzer_params';

function asObject(v: unknown, what: string): Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw invalidParam(what, `must be an object, got ${JSON.stringify(v)}`);
  return v as Record<string, unknown>;
}

/** `analyzer_params` as the SDKs send it: an object, or its JSON text (gRPC carries a string). */
export function parseAnalyzerParams(raw: unknown): Record<string, unknown> {
  if (raw === undefined || raw === null || raw === '') return { type: 'standard' };
  if (typeof raw === 'string') {
    try {
      return asObject(JSON.parse(raw), WHERE);
    } catch (e) {
      if (e instanceof SyntaxError) throw invalidParam(WHERE, `not valid JSON: ${raw}`);
      throw e;
    }
  }
  return asObject(raw, WHERE);
}

class Pipeline implements Analyzer {
  constructor(
    private readonly tokenizer: Tokenizer,
    private readonly filters: readonly TokenFilter[],
  ) {}
  analyze(text: string): Token[] {
    let tokens = this.tokenizer.tokenize(text);
    for (const f of this.filters) tokens = f(tokens);
    return tokens;
  }
}

const BUILT_IN: Record<string, (p: Record<string, unknown>) => { tokenizer: unknown; filter: unknown[] }> = {
  standard: (p) => ({ tokenizer: 'standard', filter: ['lowercase', ...(p.stop_words !== undefined ? [{ type: 'stop', stop_words: p.stop_words }] : [])] }),
  english: (p) => ({ tokenizer: 'standard', filter: ['lowercase', { type: 'stemmer', language: 'english' }, { type: 'stop', stop_words: p.stop_words ?? ['_english_'] }] }),
  chinese: () => ({ tokenizer: 'jieba', filter: ['cnalphanumonly'] }),
};

const cache = new Map<string, Analyzer>();

/** Validates `analyzer_params` and builds the analyzer (cached by its JSON). Throws 1100. */
export function buildAnalyzer(raw: unknown): Analyzer {
  const params = parseAnalyzerParams(raw);
  const key = JSON.stringify(params);
  const hit = cache.get(key);
  if (hit) return hit;
  let spec: { tokenizer: unknown; filter: unknown };
  if (params.type !== undefined) {
    const type = String(params.type);
    const make = BUILT_IN[type];
    if (!make) throw invalidParam(`${WHERE}.type`, `unknown built-in analyzer "${type}"; allowed: ${Object.keys(BUILT_IN).join(', ')}`);
    for (const k of Object.keys(params)) {
      if (k !== 'type' && !(k === 'stop_words' && type !== 'chinese')) throw invalidParam(`${WHERE}.${k}`, `is not a parameter of the ${type} analyzer`);
    }
    spec = make(params);
  } else {
    if (params.tokenizer === undefined) throw invalidParam(`${WHERE}.tokenizer`, 'a custom analyzer needs a tokenizer (or use type: standard | english | chinese)');
    for (const k of Object.keys(params)) if (k !== 'tokenizer' && k !== 'filter') throw invalidParam(`${WHERE}.${k}`, 'is not an analyzer parameter (allowed: type, tokenizer, filter)');
    spec = { tokenizer: params.tokenizer, filter: params.filter ?? [] };
  }
  if (!Array.isArray(spec.filter)) throw invalidParam(`${WHERE}.filter`, 'must be a list of filters');
  const analyzer = new Pipeline(
    buildTokenizer(spec.tokenizer, `${WHERE}.tokenizer`),
    spec.filter.map((f, i) => buildFilter(f, `${WHERE}.filter[${i}]`)),
  );
  if (cache.size > 256) cache.clear();
  cache.set(key, analyzer);
  return analyzer;
}
