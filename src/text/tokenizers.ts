/**
 * Tokenizers of Milvus's analyzer model:
 *   standard    maximal runs of Unicode alphanumeric characters (letters and digits of any script):
 *               "Milvus 2.0 @ Scale!" → Milvus, 2, 0, Scale — as Milvus's documented examples split;
 *   whitespace  runs of non-whitespace characters;
 *   jieba       Chinese segmentation through @node-rs/jieba: `mode` "search" (default, jieba's
 *               cut_for_search: long words also yield their dictionary sub-words) or "exact";
 *               `hmm` (default true); `dict` ["_default_"] (jieba's dictionary) plus custom words, or
 *               only custom words without "_default_". Punctuation stays as tokens (Milvus documents
 *               "你好!世界。" → 你好, !, 世界, 。); pure whitespace pieces are dropped.
 */
import { Jieba } from '@node-rs/jieba';
import { dict as jiebaDict } from '@node-rs/jieba/dict.js';
import { invalidParam } from '../core/errors.js';
import type { Token } from './analyzer.js';

export interface Tokenizer {
  tokenize(text: string): Token[];
}

const enc = new TextEncoder();

/** UTF-8 length of a JS string without allocating. */
function utf8Length(s: string, from = 0, to = s.length): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < to) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/** Tokens of every match of `re` (global, unicode) in `text`, offsets in UTF-8 bytes. */
function regexTokens(text: string, re: RegExp): Token[] {
  const out: Token[] = [];
  let byte = 0;
  let last = 0;
  for (const m of text.matchAll(re)) {
    const at = m.index;
    byte += utf8Length(text, last, at);
    const len = utf8Length(m[0]);
    out.push({ token: m[0], startOffset: byte, endOffset: byte + len, position: out.length });
    byte += len;
    last = at + m[0].length;
  }
  return out;
}

const standard: Tokenizer = { tokenize: (t) => regexTokens(t, /[\p{Alphabetic}\p{N}]+/gu) };
const whitespace: Tokenizer = { tokenize: (t) => regexTokens(t, /\S+/gu) };

const jiebaInstances = new Map<string, Jieba>();

function jiebaFor(words: readonly string[], withDefault: boolean): Jieba {
  const key = `${withDefault ? 1 : 0}:${words.join('\u0000')}`;
  let j = jiebaInstances.get(key);
  if (!j) {
    j = withDefault ? Jieba.withDict(jiebaDict) : new Jieba();
    if (words.length) j.loadDict(enc.encode(words.map((w) => `${w} 100000`).join('\n')));
    jiebaInstances.set(key, j);
  }
  return j;
}

class JiebaTokenizer implements Tokenizer {
  constructor(
    private readonly jieba: Jieba,
    private readonly search: boolean,
    private readonly hmm: boolean,
  ) {}
  tokenize(text: string): Token[] {
    const out: Token[] = [];
    let byte = 0;
    for (const word of this.jieba.cut(text, this.hmm)) {
      const len = utf8Length(word);
      if (word.trim() !== '') {
        if (this.search && [...word].length > 2) {
          // cut_for_search: the dictionary sub-words of a long word, then the word itself
          for (const part of this.jieba.cutForSearch(word, this.hmm)) {
            const at = word.indexOf(part);
            const start = byte + utf8Length(word, 0, Math.max(0, at));
            out.push({ token: part, startOffset: start, endOffset: start + utf8Length(part), position: out.length });
          }
        } else out.push({ token: word, startOffset: byte, endOffset: byte + len, position: out.length });
      }
      byte += len;
    }
    return out;
  }
}

function jieba(p: Record<string, unknown>, what: string): Tokenizer {
  for (const k of Object.keys(p)) if (!['type', 'dict', 'mode', 'hmm'].includes(k)) throw invalidParam(`${what}.${k}`, 'is not a jieba tokenizer parameter (allowed: dict, mode, hmm)');
  const dict = p.dict ?? ['_default_'];
  if (!Array.isArray(dict) || !dict.every((w) => typeof w === 'string')) throw invalidParam(`${what}.dict`, 'must be a list of words ("_default_" for jieba\'s dictionary)');
  const mode = p.mode ?? 'search';
  if (mode !== 'search' && mode !== 'exact') throw invalidParam(`${what}.mode`, `must be "search" or "exact", got ${JSON.stringify(mode)}`);
  const hmm = p.hmm ?? true;
  if (typeof hmm !== 'boolean') throw invalidParam(`${what}.hmm`, `must be a boolean, got ${JSON.stringify(hmm)}`);
  const words = (dict as string[]).filter((w) => w !== '_default_');
  return new JiebaTokenizer(jiebaFor(words, (dict as string[]).includes('_default_')), mode === 'search', hmm);
}

const NOT_OFFLINE = new Set(['icu', 'lindera', 'language_identifier', 'char_group']);

export function buildTokenizer(spec: unknown, what: string): Tokenizer {
  const p: Record<string, unknown> = typeof spec === 'string' ? { type: spec } : spec && typeof spec === 'object' && !Array.isArray(spec) ? (spec as Record<string, unknown>) : {};
  const type = p.type;
  if (typeof type !== 'string') throw invalidParam(what, `must be a tokenizer name or {type, ...}, got ${JSON.stringify(spec)}`);
  switch (type) {
    case 'standard':
    case 'whitespace':
      for (const k of Object.keys(p)) if (k !== 'type') throw invalidParam(`${what}.${k}`, `is not a parameter of the ${type} tokenizer`);
      return type === 'standard' ? standard : whitespace;
    case 'jieba':
      return jieba(p, what);
    default:
      if (NOT_OFFLINE.has(type)) throw invalidParam(what, `the ${type} tokenizer is not supported by Elanus; allowed: standard, whitespace, jieba`);
      throw invalidParam(what, `unknown tokenizer "${type}"; allowed: standard, whitespace, jieba`);
  }
}
