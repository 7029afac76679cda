/**
 * The lexical highlighter of Milvus 2.6.8 (milvus.io/docs/text-highlighter.md; Milvus
 * internal/proxy/highlighter.go): a post-processing step on the final hits of a search that wraps the
 * matched terms of text fields in tags and returns them as fragments, per hit and field:
 * `highlight: {<field>: {fragments: string[], scores: []}}` (lexical highlighting has no scores).
 *
 * Which terms: with `highlight_search_text`, the query text of a BM25 full-text search, on the BM25
 * function's input field (each query of the request highlights its own hits); with `queries`
 * (`highlight_query` in the Node SDK's type, which sends it under that name) `{type: "TextMatch",
 * field, text}` entries, on the named field for every query. Terms are the field's analyzer tokens:
 * a document token is highlighted when the analyzer gives the same token for it as for a query term
 * (so an english field highlights "running" for "run").
 *
 * Rendering: `pre_tags` / `post_tags` (JSON arrays of strings, default `<em>` / `</em>`; within one
 * fragment the i-th match takes tag i mod count, as Milvus's buildStringFragments). Fragments, in
 * Unicode code points as Milvus counts them: the first fragment starts `fragment_offset` (default 0)
 * characters before the first match and runs `fragment_size` (default 100) characters, stretched to
 * the end of a match it would cut; the next fragment starts at the first match after it, and so on,
 * up to `num_of_fragments` (default 5; 0 = the whole text as one fragment). A hit without a match
 * gets no fragments.
 *
 * Refusals (1100): the semantic highlighter (it needs a model service), an unknown type, empty tag
 * lists, a non-positive fragment_size, negative num_of_fragments / fragment_offset, malformed
 * queries, a query on a field that does not exist or has no analyzer, and highlighting in a hybrid
 * search (Milvus: "not support hybrid search with highlight now").
 */
import { DataType } from '../../core/data-type.js';
import { invalidParam } from '../../core/errors.js';
import type { CollectionSchema, FieldSchema } from '../../core/schema.js';
import { buildAnalyzer, type Analyzer } from '../../text/index.js';
import type { Hit } from '../requests.js';

const DEFAULT_FRAGMENT_SIZE = 100;
const DEFAULT_FRAGMENT_NUM = 5;
const WHERE = 'highlighter';

export interface HighlightQuery {
  type: 'TextMatch';
  field: string;
  text: string;
}

export interface LexicalHighlighter {
  preTags: string[];
  postTags: string[];
  fragmentSize: number;
  numOfFragments: number;
  fragmentOffset: number;
  searchText: boolean;
  queries: HighlightQuery[];
}

export interface HighlightData {
  fragments: string[];
  scores: number[];
}

/** The highlighter's params as one map, whatever the transport sent: key/value pairs, an object, or flat keys. */
function paramsOf(raw: Record<string, unknown>): Record<string, unknown> {
  const p = raw['params'];
  if (Array.isArray(p)) {
    const out: Record<string, unknown> = {};
    for (const kv of p as { key?: unknown; value?: unknown }[]) if (typeof kv?.key === 'string') out[kv.key] = kv.value;
    return out;
  }
  if (p && typeof p === 'object') return p as Record<string, unknown>;
  const { type: _t, ...rest } = raw;
  return rest;
}

function jsonValue(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  try {
    return JSON.parse(v) as unknown;
  } catch {
    return v;
  }
}

function tags(params: Record<string, unknown>, key: 'pre_tags' | 'post_tags', dflt: string): string[] {
  if (params[key] === undefined || params[key] === null) return [dflt];
  const v = jsonValue(params[key]);
  if (!Array.isArray(v) || !v.every((t) => typeof t === 'string')) throw invalidParam(`${WHERE}.${key}`, `must be a list of strings, got ${JSON.stringify(params[key])}`);
  if (v.length === 0) throw invalidParam(`${WHERE}.${key}`, 'cannot be an empty list');
  return v as string[];
}

function int(params: Record<string, unknown>, key: string, min: number, dflt: number): number {
  const raw = params[key];
  if (raw === undefined || raw === null || raw === '') return dflt;
  const n = typeof raw === 'number' ? raw : typeof raw === 'string' && /^-?\d+$/.test(raw.trim()) ? Number(raw) : NaN;
  if (!Number.isInteger(n) || n < min) throw invalidParam(`${WHERE}.${key}`, `invalid ${key}: ${String(raw)}`);
  return n;
}

function bool(params: Record<string, unknown>, key: string): boolean {
  const v = params[key];
  if (v === undefined || v === null) return false;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string' && /^(true|1|t)$/i.test(v)) return true;
  if (typeof v === 'string' && /^(false|0|f)$/i.test(v)) return false;
  throw invalidParam(`${WHERE}.${key}`, `must be a boolean, got ${JSON.stringify(v)}`);
}

function queries(params: Record<string, unknown>): HighlightQuery[] {
  const raw = params['queries'] ?? params['highlight_query'];
  if (raw === undefined || raw === null) return [];
  const v = jsonValue(raw);
  if (!Array.isArray(v)) throw invalidParam(`${WHERE}.queries`, 'must be a JSON array of {type, field, text}');
  return v.map((q: unknown, i) => {
    if (!q || typeof q !== 'object' || Array.isArray(q)) throw invalidParam(`${WHERE}.queries[${i}]`, 'must be a JSON object');
    const o = q as Record<string, unknown>;
    for (const k of ['type', 'field', 'text']) if (typeof o[k] !== 'string') throw invalidParam(`${WHERE}.queries[${i}].${k}`, 'must be set to a string');
    if (o['type'] !== 'TextMatch') throw invalidParam(`${WHERE}.queries[${i}].type`, `invalid highlight query type: ${String(o['type'])} (TextMatch is the one Milvus has)`);
    return { type: 'TextMatch', field: o['field'] as string, text: o['text'] as string };
  });
}

/** The request's highlighter, validated; undefined when none was sent. */
export function parseHighlighter(raw: unknown): LexicalHighlighter | undefined {
  if (raw === undefined || raw === null || raw === '') return undefined;
  if (typeof raw !== 'object' || Array.isArray(raw)) throw invalidParam(WHERE, `must be an object, got ${JSON.stringify(raw)}`);
  const o = raw as Record<string, unknown>;
  const type = o['type'] ?? 0;
  if (type === 1 || (typeof type === 'string' && /^semantic$/i.test(type))) throw invalidParam(`${WHERE}.type`, 'the semantic highlighter needs a model service, which Elanus does not run; use the lexical highlighter (type 0)');
  if (!(type === 0 || (typeof type === 'string' && /^(lexical|0)$/i.test(type)))) throw invalidParam(`${WHERE}.type`, `unknown highlighter type ${JSON.stringify(type)}`);
  const params = paramsOf(o);
  return {
    preTags: tags(params, 'pre_tags', '<em>'),
    postTags: tags(params, 'post_tags', '</em>'),
    fragmentSize: int(params, 'fragment_size', 1, DEFAULT_FRAGMENT_SIZE),
    numOfFragments: int(params, 'num_of_fragments', 0, DEFAULT_FRAGMENT_NUM),
    fragmentOffset: int(params, 'fragment_offset', 0, 0),
    searchText: bool(params, 'highlight_search_text'),
    queries: queries(params),
  };
}

/** One field to highlight: its analyzer, whether the search text applies, and the TextMatch texts. */
interface FieldTask {
  field: FieldSchema;
  analyzer: Analyzer;
  searchText: boolean;
  texts: string[];
}

function analyzerOf(f: FieldSchema): Analyzer {
  if (f.dataType !== DataType.VarChar || f.typeParams['enable_analyzer'] !== 'true') {
    throw invalidParam(`${WHERE}.queries`, `field "${f.name}" cannot be highlighted: it is not a VarChar with enable_analyzer`);
  }
  return buildAnalyzer(f.typeParams['analyzer_params']);
}

/**
 * The fields a highlighter touches for a search on `anns` (a BM25 function output for a text
 * search); `[]` when nothing applies (e.g. highlight_search_text on a dense search).
 */
export function highlightTasks(h: LexicalHighlighter, schema: CollectionSchema, anns: FieldSchema): FieldTask[] {
  const tasks = new Map<string, FieldTask>();
  const task = (f: FieldSchema): FieldTask => {
    let t = tasks.get(f.name);
    if (!t) tasks.set(f.name, (t = { field: f, analyzer: analyzerOf(f), searchText: false, texts: [] }));
    return t;
  };
  if (h.searchText && anns.isFunctionOutput) {
    const fn = (schema.functions ?? []).find((x) => x.outputFieldNames[0] === anns.name);
    const input = fn ? schema.fields.find((f) => f.name === fn.inputFieldNames[0]) : undefined;
    if (input) task(input).searchText = true;
  }
  for (const q of h.queries) {
    const f = schema.fields.find((x) => x.name === q.field && !x.isDynamic);
    if (!f) throw invalidParam(`${WHERE}.queries`, `highlight field not found in schema: ${q.field}`);
    task(f).texts.push(q.text);
  }
  return [...tasks.values()];
}

/** Code-point index of every UTF-8 byte offset that starts a character (and of the end). */
function byteToCodePoint(text: string): Map<number, number> {
  const m = new Map<number, number>();
  let bytes = 0;
  let cp = 0;
  for (const ch of text) {
    m.set(bytes, cp);
    const c = ch.codePointAt(0)!;
    bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
    cp++;
  }
  m.set(bytes, cp);
  return m;
}

/** Matched spans [start, end) in code points, ascending and not overlapping. */
function matchSpans(text: string, analyzer: Analyzer, terms: ReadonlySet<string>): [number, number][] {
  if (terms.size === 0 || text === '') return [];
  const tokens = analyzer.analyze(text).filter((t) => terms.has(t.token));
  if (tokens.length === 0) return [];
  const at = byteToCodePoint(text);
  const spans = tokens.map((t): [number, number] => [at.get(t.startOffset) ?? 0, at.get(t.endOffset) ?? 0]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const out: [number, number][] = [];
  for (const s of spans) {
    if (s[1] <= s[0]) continue;
    const last = out[out.length - 1];
    if (last && s[0] < last[1]) last[1] = Math.max(last[1], s[1]);
    else out.push([s[0], s[1]]);
  }
  return out;
}

/** The fragments of one text for its matched spans (see the header for the rules). */
export function fragmentsOf(text: string, spans: readonly [number, number][], h: LexicalHighlighter): string[] {
  if (spans.length === 0) return [];
  const cps = Array.from(text);
  const render = (start: number, end: number, inside: readonly [number, number][]): string => {
    let s = '';
    let cursor = start;
    inside.forEach(([a, b], i) => {
      s += cps.slice(cursor, a).join('') + h.preTags[i % h.preTags.length]! + cps.slice(a, b).join('') + h.postTags[i % h.postTags.length]!;
      cursor = b;
    });
    return s + cps.slice(cursor, end).join('');
  };
  if (h.numOfFragments === 0) return [render(0, cps.length, spans)];
  const out: string[] = [];
  let i = 0;
  let prevEnd = 0;
  while (i < spans.length && out.length < h.numOfFragments) {
    const start = Math.max(prevEnd, spans[i]![0] - h.fragmentOffset);
    let end = Math.min(cps.length, start + h.fragmentSize);
    let j = i;
    while (j < spans.length && spans[j]![0] < end) {
      end = Math.max(end, spans[j]![1]);
      j++;
    }
    out.push(render(start, end, spans.slice(i, j)));
    prevEnd = end;
    i = j;
  }
  return out;
}

/**
 * Adds `highlight` to every hit: for query i, the terms of `searchTexts[i]` (on the BM25 input
 * field) and of the TextMatch texts (on their fields). `textOf` reads a hit's field value.
 */
export function applyHighlight(h: LexicalHighlighter, tasks: readonly FieldTask[], hits: Hit[][], searchTexts: readonly string[] | undefined, textOf: (hit: Hit, field: string) => unknown): void {
  if (tasks.length === 0) return;
  const tokensOf = (a: Analyzer, texts: readonly string[]): Set<string> => new Set(texts.flatMap((t) => a.analyze(t).map((x) => x.token)));
  const fixed = tasks.map((t) => tokensOf(t.analyzer, t.texts));
  hits.forEach((q, qi) => {
    const terms = tasks.map((t, ti) => {
      if (!t.searchText || !searchTexts?.[qi]) return fixed[ti]!;
      const s = tokensOf(t.analyzer, [searchTexts[qi]]);
      for (const x of fixed[ti]!) s.add(x);
      return s;
    });
    for (const hit of q) {
      const out: Record<string, HighlightData> = {};
      tasks.forEach((t, ti) => {
        const v = textOf(hit, t.field.name);
        const text = typeof v === 'string' ? v : '';
        out[t.field.name] = { fragments: fragmentsOf(text, matchSpans(text, t.analyzer, terms[ti]!), h), scores: [] };
      });
      hit.highlight = out;
    }
  });
}
