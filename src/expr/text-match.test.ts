/**
 * The text_match / phrase_match rows of the expression table, over their own text dataset: every
 * filter is checked against a brute-force oracle that tokenises each row with the field's analyzer
 * and evaluates the match directly on that row's tokens (no index), also combined with and/or/not
 * and other fields, on fresh indexes and on indexes that caught up with rows in steps.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DataType } from '../core/data-type.js';
import type { CollectionSchema } from '../core/schema.js';
import { buildAnalyzer } from '../text/index.js';
import { MatchIndex } from '../text/match-index.js';
import { phraseMatches, textMatches } from '../../test/support/text-oracle.js';
import { field } from './fixture.test.js';
import { compileFilter } from './index.js';
import { MemorySegment } from './memory-segment.js';

const ENGLISH = JSON.stringify({ type: 'english' });
const schema: CollectionSchema = {
  name: 'docs',
  description: '',
  enableDynamicField: false,
  fields: [
    field('id', DataType.Int64, { isPrimaryKey: true }),
    field('n', DataType.Int64),
    field('doc', DataType.VarChar, { maxLength: 512, typeParams: { enable_analyzer: 'true', enable_match: 'true' } }),
    field('en', DataType.VarChar, { maxLength: 512, typeParams: { enable_analyzer: 'true', enable_match: 'true', analyzer_params: ENGLISH } }),
    field('opt', DataType.VarChar, { maxLength: 512, nullable: true, typeParams: { enable_analyzer: 'true', enable_match: 'true' } }),
    field('vec', DataType.FloatVector, { dim: 2 }),
  ],
};

const WORDS = ['machine', 'learning', 'deep', 'Robotics', 'model', 'data', 'the', 'of', 'search', 'vector', 'fast', 'Learning'];
let seed = 12345;
function rand(k: number): number {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return Math.floor(seed / 65536) % k;
}
function sentence(len: number): string {
  return Array.from({ length: len }, () => WORDS[rand(WORDS.length)]!).join(rand(4) === 0 ? ', ' : ' ');
}

interface Row { id: bigint; n: bigint; doc: string; en: string; opt: string | null }
const FIXED = [
  'machine learning boosts efficiency',
  'machine deep learning models',
  'learning machine',
  'deep models of machine and learning',
  'a b b x c',
  '',
  'the machine is learning',
];
const ROWS: Row[] = Array.from({ length: 160 }, (_, i) => ({
  id: BigInt(i + 1),
  n: BigInt(i % 7),
  doc: i < FIXED.length ? FIXED[i]! : sentence(1 + rand(9)),
  en: i < FIXED.length ? FIXED[i]! : sentence(1 + rand(9)),
  opt: i % 5 === 2 ? null : sentence(rand(6)),
}));

const params = (fieldName: 'doc' | 'en' | 'opt'): unknown => schema.fields.find((f) => f.name === fieldName)!.typeParams['analyzer_params'];
/** Three-valued: a null text is unknown; else the brute-force oracle (test/support/text-oracle.ts). */
function textOracle(fieldName: 'doc' | 'en' | 'opt', q: string, msm = 1): (r: Row) => boolean | null {
  return (r) => (r[fieldName] === null ? null : textMatches(params(fieldName), r[fieldName], q, msm));
}
function phraseOracle(fieldName: 'doc' | 'en' | 'opt', q: string, slop = 0): (r: Row) => boolean | null {
  return (r) => (r[fieldName] === null ? null : phraseMatches(params(fieldName), r[fieldName], q, slop));
}

type T3 = boolean | null;
const and3 = (...xs: T3[]): T3 => (xs.includes(false) ? false : xs.includes(null) ? null : true);
const or3 = (...xs: T3[]): T3 => (xs.includes(true) ? true : xs.includes(null) ? null : false);
const not3 = (x: T3): T3 => (x === null ? null : !x);

type Case = [text: string, oracle: (r: Row) => T3, params?: Record<string, unknown>];
const CASES: Case[] = [
  ['text_match(doc, "machine")', textOracle('doc', 'machine')],
  ["TEXT_MATCH(doc, 'deep robotics')", textOracle('doc', 'deep robotics')],
  ['text_match(doc, "LEARNING")', textOracle('doc', 'LEARNING')],
  ['text_match(doc, "nothing-here zzz")', textOracle('doc', 'nothing-here zzz')],
  ['text_match(doc, "")', () => false],
  ['text_match(doc, "machine learning deep", minimum_should_match=2)', textOracle('doc', 'machine learning deep', 2)],
  ['text_match(doc, "machine learning deep", minimum_should_match=3)', textOracle('doc', 'machine learning deep', 3)],
  ['text_match(doc, "machine learning", MINIMUM_SHOULD_MATCH=5)', textOracle('doc', 'machine learning', 5)],
  ['text_match(doc, "machine machine", minimum_should_match=2)', textOracle('doc', 'machine machine', 2)],
  ['text_match(doc, {q})', textOracle('doc', 'vector fast'), { q: 'vector fast' }],
  ['text_match(en, "learns models")', textOracle('en', 'learns models')],
  ['text_match(en, "the")', () => false],
  ['text_match(opt, "data")', textOracle('opt', 'data')],
  ['not text_match(opt, "data")', (r) => not3(textOracle('opt', 'data')(r))],
  ['not text_match(doc, "machine")', (r) => not3(textOracle('doc', 'machine')(r))],
  ['text_match(doc, "machine") and n > 3', (r) => and3(textOracle('doc', 'machine')(r), r.n > 3n)],
  ['text_match(doc, "machine") or text_match(doc, "vector")', (r) => or3(textOracle('doc', 'machine')(r), textOracle('doc', 'vector')(r))],
  ['text_match(doc, "machine") and not text_match(doc, "learning")', (r) => and3(textOracle('doc', 'machine')(r), not3(textOracle('doc', 'learning')(r)))],
  ['(text_match(opt, "fast") or n == 0) and id < 100', (r) => and3(or3(textOracle('opt', 'fast')(r), r.n === 0n), r.id < 100n)],
  ['id in [1, 2, 3] and text_match(doc, "deep")', (r) => and3([1n, 2n, 3n].includes(r.id), textOracle('doc', 'deep')(r))],
  ['phrase_match(doc, "machine learning")', phraseOracle('doc', 'machine learning')],
  ['phrase_match(doc, "machine learning", 0)', phraseOracle('doc', 'machine learning', 0)],
  ['phrase_match(doc, "machine learning", 1)', phraseOracle('doc', 'machine learning', 1)],
  ['phrase_match(doc, "machine learning", 2)', phraseOracle('doc', 'machine learning', 2)],
  ['phrase_match(doc, "learning machine", 3)', phraseOracle('doc', 'learning machine', 3)],
  ['PHRASE_MATCH(doc, "deep model data", 2)', phraseOracle('doc', 'deep model data', 2)],
  ['phrase_match(doc, "a b c", 1)', phraseOracle('doc', 'a b c', 1)],
  ['phrase_match(doc, "a b c", 2)', phraseOracle('doc', 'a b c', 2)],
  ['phrase_match(doc, "search")', phraseOracle('doc', 'search')],
  ['phrase_match(doc, "vector vector", 4)', phraseOracle('doc', 'vector vector', 4)],
  ['phrase_match(doc, "data search vector", 10)', phraseOracle('doc', 'data search vector', 10)],
  ['phrase_match(en, "machine learning")', phraseOracle('en', 'machine learning')],
  ['phrase_match(en, "machine the learning")', phraseOracle('en', 'machine the learning')],
  ['phrase_match(en, "models of data", 1)', phraseOracle('en', 'models of data', 1)],
  ['phrase_match(opt, "fast data", 3)', phraseOracle('opt', 'fast data', 3)],
  ['not phrase_match(doc, "machine learning", 1)', (r) => not3(phraseOracle('doc', 'machine learning', 1)(r))],
  ['phrase_match(doc, "machine learning") or text_match(en, "vector")', (r) => or3(phraseOracle('doc', 'machine learning')(r), textOracle('en', 'vector')(r))],
  ['phrase_match(doc, {p}, {s}) and n != 2', (r) => and3(phraseOracle('doc', 'deep learning', 2)(r), r.n !== 2n), { p: 'deep learning', s: 2 }],
];

function segment(rows: readonly Row[]): MemorySegment {
  return MemorySegment.fromRows(schema, rows.map((r) => ({ ...r, vec: [0, 0] })));
}
function ids(seg: MemorySegment, text: string, params?: Record<string, unknown>): number[] {
  return [...compileFilter(text, schema, params).evaluate(seg).indices()].map((r) => Number(ROWS[r]!.id));
}

test(`text match table: ${CASES.length} text_match / phrase_match filters match the brute-force oracle`, () => {
  const seg = segment(ROWS);
  for (const [text, oracle, params] of CASES) {
    const expected = ROWS.filter((r) => oracle(r) === true).map((r) => Number(r.id));
    assert.ok(text.includes('""') || text.includes('zzz') || text.includes('=5') || text.includes('(en, "the")') || text.includes('"a b c", 1') || expected.length > 0, `vacuous: ${text}`);
    assert.deepEqual(ids(seg, text, params), expected, text);
    // the same again, answered from the index now kept with the segment
    assert.deepEqual(ids(seg, text, params), expected, `${text} (cached index)`);
  }
  // the table is not vacuous: the fixed rows match where the docs say they do
  const exact = ids(seg, 'phrase_match(doc, "machine learning")');
  assert.ok(exact.includes(1) && !exact.includes(2) && !exact.includes(3));
  const slop1 = ids(seg, 'phrase_match(doc, "machine learning", 1)');
  assert.ok(slop1.includes(1) && slop1.includes(2) && slop1.includes(4) && !slop1.includes(3), 'slop 1 lets one word in between (the docs\' "machine deep learning")');
  assert.ok(!ids(seg, 'phrase_match(doc, "machine learning", 2)').includes(3), 'tantivy keeps the order: "learning machine" needs more than a slop');
  assert.ok(ids(seg, 'phrase_match(doc, "a b c", 2)').includes(5));
  assert.ok(!ids(seg, 'phrase_match(doc, "a b c", 1)').includes(5), 'tantivy pairs greedily: a b b x c at slop 1 fails');
});

test('text match index: catching up with appended rows gives the answers of a fresh index', () => {
  const fresh = new MatchIndex(buildAnalyzer(undefined));
  fresh.extend(ROWS.map((r) => r.doc), null, ROWS.length);
  const stepped = new MatchIndex(buildAnalyzer(undefined));
  for (const n of [0, 1, 7, 50, 51, 120, ROWS.length]) stepped.extend(ROWS.map((r) => r.doc), null, n);
  assert.equal(stepped.rowCount, ROWS.length);
  assert.equal(stepped.termCount, fresh.termCount);
  for (const q of ['machine', 'deep learning', 'data vector search']) {
    for (const n of [10, ROWS.length]) {
      assert.deepEqual([...stepped.textMatch(q, 2, n).indices()], [...fresh.textMatch(q, 2, n).indices()], q);
      assert.deepEqual([...stepped.phraseMatch(q, 1, n).indices()], [...fresh.phraseMatch(q, 1, n).indices()], q);
    }
  }
});
