/**
 * Brute-force text_match / phrase_match for tests: each row is tokenised with the field's analyzer
 * (src/text's analyzers, tested on their own) and the match decided directly on that row's tokens,
 * without any index. The definitions are Milvus's (tantivy's) as written out below.
 */
import { buildAnalyzer } from '../../src/text/index.js';

function tokens(analyzerParams: unknown, text: string): { token: string; position: number }[] {
  return buildAnalyzer(analyzerParams).analyze(text);
}

/** text_match: at least max(1, msm) of the query's clauses (one per query token, repeats count) occur in the text. */
export function textMatches(analyzerParams: unknown, text: string | null, query: string, msm = 1): boolean {
  if (text === null) return false;
  const have = new Set(tokens(analyzerParams, text).map((t) => t.token));
  const clauses = tokens(analyzerParams, query).map((t) => t.token);
  return clauses.length > 0 && clauses.filter((c) => have.has(c)).length >= Math.max(1, msm);
}

/**
 * phrase_match: one query token or none → text_match. Otherwise shift each occurrence by
 * (maxOffset − the token's query offset); slop 0 → some shifted value common to all tokens; slop s →
 * walk the tokens in query order, each value r of the next token pairing with the largest not yet
 * used surviving value of the previous step in [r − s, r] (values below r − s are dropped for good).
 */
export function phraseMatches(analyzerParams: unknown, text: string | null, query: string, slop = 0): boolean {
  if (text === null) return false;
  const qt = tokens(analyzerParams, query);
  if (qt.length <= 1) return textMatches(analyzerParams, text, query);
  const at = new Map<string, number[]>();
  for (const t of tokens(analyzerParams, text)) at.set(t.token, [...(at.get(t.token) ?? []), t.position].sort((a, b) => a - b));
  const maxOff = Math.max(...qt.map((t) => t.position));
  const lists = qt.map((t) => (at.get(t.token) ?? []).map((p) => p + maxOff - t.position));
  if (lists.some((l) => l.length === 0)) return false;
  if (slop === 0) return lists[0]!.some((v) => lists.every((l) => l.includes(v)));
  let left = lists[0]!;
  for (const right of lists.slice(1)) {
    const kept: number[] = [];
    const pool = [...left];
    for (const rv of right) {
      const lo = Math.max(0, rv - slop);
      const candidates = pool.filter((l) => l >= lo && l <= rv);
      if (candidates.length === 0) {
        while (pool.length > 0 && pool[0]! < lo) pool.shift();
        continue;
      }
      pool.splice(0, pool.indexOf(Math.max(...candidates)) + 1);
      kept.push(rv);
    }
    left = kept;
    if (left.length === 0) return false;
  }
  return true;
}
