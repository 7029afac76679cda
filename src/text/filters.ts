/**
 * Token filters of Milvus's analyzer model, each a name or `{type, ...}` (milvus.io/docs/*-filter.md):
 *   lowercase, asciifolding (non-ASCII letters to their ASCII equivalents), alphanumonly (keep tokens of
 *   ASCII letters and digits only), cnalphanumonly (Han characters, ASCII letters, digits), cncharonly
 *   (Han only), removepunct (drop tokens made only of punctuation), length {max} (drop tokens longer
 *   than max characters), stop {stop_words: [... "_english_"]}, stemmer {language} (Snowball, through
 *   the snowball-stemmers package), decompounder {word_list} (split a token only when the list covers
 *   all of it, longest match first), regex {expr} (keep tokens the expression matches).
 */
import snowball from 'snowball-stemmers';
import { invalidParam } from '../core/errors.js';
import type { Token } from './analyzer.js';
import { ENGLISH_STOP_WORDS } from './stop-words.js';

export type TokenFilter = (tokens: Token[]) => Token[];

const keep = (pred: (s: string) => boolean): TokenFilter => (ts) => ts.filter((t) => pred(t.token));
const map = (fn: (s: string) => string): TokenFilter => (ts) => ts.map((t) => ({ ...t, token: fn(t.token) }));

/** Letters without an NFKD decomposition to ASCII. */
const FOLD: Record<string, string> = {
  ß: 'ss', æ: 'ae', Æ: 'AE', ø: 'o', Ø: 'O', œ: 'oe', Œ: 'OE', đ: 'd', Đ: 'D', ł: 'l', Ł: 'L', þ: 'th', Þ: 'TH', ð: 'd', Ð: 'D', ı: 'i', ŋ: 'n', Ŋ: 'N', ħ: 'h', Ħ: 'H', ŧ: 't', Ŧ: 'T', ſ: 's', '‘': "'", '’': "'", '“': '"', '”': '"', '–': '-', '—': '-',
};

const isAscii = (s: string): boolean => [...s].every((c) => c.charCodeAt(0) < 0x80);

function asciiFold(s: string): string {
  if (isAscii(s)) return s;
  let out = '';
  for (const ch of s) {
    if (ch.charCodeAt(0) < 0x80) {
      out += ch;
      continue;
    }
    const table = FOLD[ch];
    if (table !== undefined) {
      out += table;
      continue;
    }
    const stripped = ch.normalize('NFKD').replace(/\p{M}/gu, '');
    out += stripped !== '' && isAscii(stripped) ? stripped : ch;
  }
  return out;
}

const STEMMER_LANGUAGES = ['arabic', 'danish', 'dutch', 'english', 'finnish', 'french', 'german', 'greek', 'hungarian', 'italian', 'norwegian', 'portuguese', 'romanian', 'russian', 'spanish', 'swedish', 'tamil', 'turkish'];

function only(p: Record<string, unknown>, what: string, keys: string[]): void {
  for (const k of Object.keys(p)) if (k !== 'type' && !keys.includes(k)) throw invalidParam(`${what}.${k}`, `is not a parameter of the ${String(p.type)} filter${keys.length ? ` (allowed: ${keys.join(', ')})` : ''}`);
}

function stringList(v: unknown, what: string): string[] {
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) throw invalidParam(what, 'must be a list of strings');
  return v as string[];
}

function stopFilter(p: Record<string, unknown>, what: string): TokenFilter {
  only(p, what, ['stop_words']);
  const raw = typeof p.stop_words === 'string' ? [p.stop_words] : stringList(p.stop_words ?? [], `${what}.stop_words`);
  const words = new Set<string>();
  for (const w of raw) {
    if (w === '_english_') ENGLISH_STOP_WORDS.forEach((x) => words.add(x));
    else if (/^_[a-z]+_$/.test(w)) throw invalidParam(`${what}.stop_words`, `the stop word list ${w} is not supported by Elanus; allowed: _english_`);
    else words.add(w);
  }
  return keep((s) => !words.has(s));
}

function stemmerFilter(p: Record<string, unknown>, what: string): TokenFilter {
  only(p, what, ['language']);
  const lang = String(p.language ?? '').toLowerCase();
  if (!STEMMER_LANGUAGES.includes(lang)) throw invalidParam(`${what}.language`, `unknown stemmer language ${JSON.stringify(p.language)}; allowed: ${STEMMER_LANGUAGES.join(', ')}`);
  if (!snowball.algorithms().includes(lang)) throw invalidParam(`${what}.language`, `the ${lang} stemmer is not available in Elanus`);
  const stemmer = snowball.newStemmer(lang);
  return map((s) => stemmer.stem(s));
}

function decompounder(p: Record<string, unknown>, what: string): TokenFilter {
  only(p, what, ['word_list']);
  const list = stringList(p.word_list, `${what}.word_list`);
  const words = new Set(list);
  const maxLen = Math.max(0, ...list.map((w) => w.length));
  const split = (s: string): string[] | null => {
    const parts: string[] = [];
    let i = 0;
    while (i < s.length) {
      let found = 0;
      for (let l = Math.min(maxLen, s.length - i); l > 0; l--) {
        if (words.has(s.slice(i, i + l))) {
          found = l;
          break;
        }
      }
      if (found === 0) return null;
      parts.push(s.slice(i, i + found));
      i += found;
    }
    return parts;
  };
  return (ts) =>
    ts.flatMap((t) => {
      const parts = split(t.token);
      return parts && parts.length > 1 ? parts.map((x) => ({ ...t, token: x })) : [t];
    });
}

function regexFilter(p: Record<string, unknown>, what: string): TokenFilter {
  only(p, what, ['expr']);
  if (typeof p.expr !== 'string') throw invalidParam(`${what}.expr`, 'must be a regular expression string');
  let re: RegExp;
  try {
    re = new RegExp(p.expr, 'u');
  } catch {
    throw invalidParam(`${what}.expr`, `is not a valid regular expression: ${p.expr}`);
  }
  return keep((s) => re.test(s));
}

function lengthFilter(p: Record<string, unknown>, what: string): TokenFilter {
  only(p, what, ['max']);
  const max = Number(p.max);
  if (!Number.isInteger(max) || max < 1) throw invalidParam(`${what}.max`, `must be a positive integer, got ${JSON.stringify(p.max)}`);
  return keep((s) => [...s].length <= max);
}

const SIMPLE: Record<string, TokenFilter> = {
  lowercase: map((s) => s.toLowerCase()),
  asciifolding: map(asciiFold),
  alphanumonly: keep((s) => /^[A-Za-z0-9]+$/.test(s)),
  cnalphanumonly: keep((s) => /^[\p{Script=Han}A-Za-z0-9]+$/u.test(s)),
  cncharonly: keep((s) => /^\p{Script=Han}+$/u.test(s)),
  removepunct: keep((s) => !/^[\p{P}\p{S}]+$/u.test(s)),
};

const WITH_PARAMS: Record<string, (p: Record<string, unknown>, what: string) => TokenFilter> = {
  stop: stopFilter,
  stemmer: stemmerFilter,
  decompounder,
  regex: regexFilter,
  length: lengthFilter,
};

export function buildFilter(spec: unknown, what: string): TokenFilter {
  const p: Record<string, unknown> = typeof spec === 'string' ? { type: spec } : spec && typeof spec === 'object' && !Array.isArray(spec) ? (spec as Record<string, unknown>) : {};
  const type = p.type;
  if (typeof type !== 'string') throw invalidParam(what, `must be a filter name or {type, ...}, got ${JSON.stringify(spec)}`);
  const simple = SIMPLE[type];
  if (simple) {
    only(p, what, []);
    return simple;
  }
  const make = WITH_PARAMS[type];
  if (make) return make(p, what);
  throw invalidParam(what, `unknown filter "${type}"; allowed: ${[...Object.keys(SIMPLE), ...Object.keys(WITH_PARAMS)].join(', ')}`);
}
