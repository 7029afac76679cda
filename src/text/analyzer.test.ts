// Analyzer outputs against the examples Milvus documents for each tokenizer, filter and built-in
// analyzer (milvus.io/docs/<name>-tokenizer.md, <name>-filter.md, <name>-analyzer.md), plus refusals.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MilvusError } from '../core/errors.js';
import { buildAnalyzer, tokenHash } from './index.js';

const run = (params: unknown, text: string): string[] => buildAnalyzer(params).analyze(text).map((t) => t.token);
const SCALE = 'The Milvus vector database is built for scale!';

test('standard tokenizer, standard analyzer, lowercase (documented examples)', () => {
  assert.deepEqual(run({ tokenizer: 'standard' }, SCALE), ['The', 'Milvus', 'vector', 'database', 'is', 'built', 'for', 'scale']);
  assert.deepEqual(run({ tokenizer: 'standard', filter: ['lowercase'] }, SCALE), ['the', 'milvus', 'vector', 'database', 'is', 'built', 'for', 'scale']);
  assert.deepEqual(run({ type: 'standard' }, SCALE), ['the', 'milvus', 'vector', 'database', 'is', 'built', 'for', 'scale']);
  assert.deepEqual(run(undefined, SCALE), run({ type: 'standard' }, SCALE), 'standard is the default');
  assert.deepEqual(run({ type: 'standard', stop_words: ['of'] }, 'The list of words'), ['the', 'list', 'words']);
  assert.deepEqual(run({ tokenizer: 'standard', filter: ['lowercase'] }, 'The Lowercase Filter Ensures Uniformity In Text Processing.'), ['the', 'lowercase', 'filter', 'ensures', 'uniformity', 'in', 'text', 'processing']);
});

test('english analyzer: lowercase + Snowball stemmer + _english_ stop words', () => {
  assert.deepEqual(run({ type: 'english' }, SCALE), ['milvus', 'vector', 'databas', 'built', 'scale']);
  assert.deepEqual(run({ tokenizer: 'standard', filter: [{ type: 'stemmer', language: 'english' }] }, 'running runs'), ['run', 'run']);
  assert.deepEqual(run({ type: 'english', stop_words: ['a', 'an', 'the'] }, 'the vector is a database'), ['vector', 'is', 'databas']);
});

test('whitespace tokenizer splits on spaces only', () => {
  assert.deepEqual(run({ tokenizer: 'whitespace' }, SCALE), ['The', 'Milvus', 'vector', 'database', 'is', 'built', 'for', 'scale!']);
  assert.deepEqual(run({ tokenizer: 'whitespace', filter: ['lowercase'] }, 'Hello  World'), ['hello', 'world']);
});

test('jieba tokenizer and the chinese analyzer', () => {
  assert.deepEqual(run({ tokenizer: 'jieba' }, '你好!世界。'), ['你好', '!', '世界', '。'], 'punctuation stays as tokens');
  const exact = run({ tokenizer: { type: 'jieba', mode: 'exact', hmm: true } }, '中华人民共和国');
  const search = run({ tokenizer: { type: 'jieba', mode: 'search' } }, '中华人民共和国');
  assert.deepEqual(exact, ['中华人民共和国']);
  assert.ok(search.includes('中华') && search.includes('共和国') && search.includes('中华人民共和国'), `search mode adds sub-words: ${search.join('|')}`);
  assert.deepEqual(run({ type: 'chinese' }, 'Milvus 是一个向量数据库！'), run({ tokenizer: 'jieba', filter: ['cnalphanumonly'] }, 'Milvus 是一个向量数据库！'));
  assert.ok(!run({ type: 'chinese' }, '你好!世界。').includes('!'), 'cnalphanumonly drops punctuation');
  const custom = run({ tokenizer: { type: 'jieba', dict: ['_default_', '向量数据库'], mode: 'exact' } }, '向量数据库');
  assert.deepEqual(custom, ['向量数据库'], 'custom dictionary words are kept whole');
});

test('filters: asciifolding, alphanumonly, cnalphanumonly, cncharonly, length, stop, decompounder, regex (documented examples)', () => {
  assert.deepEqual(run({ tokenizer: 'standard', filter: ['asciifolding'] }, 'Café Möller serves crème brûlée and piñatas.'), ['Cafe', 'Moller', 'serves', 'creme', 'brulee', 'and', 'pinatas']);
  assert.deepEqual(run({ tokenizer: 'standard', filter: ['alphanumonly'] }, 'Milvus 2.0 @ Scale! #AI #Vector_Databasé'), ['Milvus', '2', '0', 'Scale', 'AI', 'Vector']);
  assert.deepEqual(run({ tokenizer: 'whitespace', filter: ['cnalphanumonly'] }, 'Milvus 是 LF AI & Data 基金会 的项目'), ['Milvus', '是', 'LF', 'AI', 'Data', '基金会', '的项目']);
  assert.deepEqual(run({ tokenizer: 'whitespace', filter: ['cncharonly'] }, 'Milvus 是 数据库 2.0'), ['是', '数据库']);
  assert.deepEqual(run({ tokenizer: 'standard', filter: [{ type: 'length', max: 10 }] }, 'The length filter allows control over token length requirements for text processing.'), ['The', 'length', 'filter', 'allows', 'control', 'over', 'token', 'length', 'for', 'text', 'processing']);
  assert.deepEqual(run({ tokenizer: 'standard', filter: [{ type: 'stop', stop_words: ['of', 'to', '_english_'] }] }, 'The stop filter allows control over common stop words for text processing.'), ['The', 'stop', 'filter', 'allows', 'control', 'over', 'common', 'stop', 'words', 'text', 'processing']);
  assert.deepEqual(run({ tokenizer: 'standard', filter: [{ type: 'decompounder', word_list: ['dampf', 'schiff', 'fahrt', 'brot', 'backen', 'automat'] }] }, 'dampfschifffahrt brotbackautomat'), ['dampf', 'schiff', 'fahrt', 'brotbackautomat']);
  assert.deepEqual(run({ tokenizer: 'standard', filter: [{ type: 'regex', expr: '^(?!test)' }] }, 'testItem apple testCase banana'), ['apple', 'banana']);
  assert.deepEqual(run({ tokenizer: 'whitespace', filter: ['removepunct'] }, 'hello , world !'), ['hello', 'world']);
});

test('token details: UTF-8 byte offsets and positions; hash is CRC-32 of the token', () => {
  const t = buildAnalyzer({ tokenizer: 'standard' }).analyze('né vector');
  assert.deepEqual(t, [
    { token: 'né', startOffset: 0, endOffset: 3, position: 0 },
    { token: 'vector', startOffset: 4, endOffset: 10, position: 1 },
  ]);
  assert.equal(tokenHash('hello'), 0x3610a686);
  assert.ok(tokenHash('x'.repeat(300)) === tokenHash('x'.repeat(100)), 'only the first 100 bytes count');
});

test('bad analyzer_params are refused with 1100 naming the key', () => {
  const bad = (p: unknown, re: RegExp): void => assert.throws(() => buildAnalyzer(p), (e: unknown) => e instanceof MilvusError && e.code === 1100 && re.test(e.message), JSON.stringify(p));
  bad({ type: 'klingon' }, /analyzer_params\.type.*standard, english, chinese/);
  bad({ tokenizer: 'nope' }, /analyzer_params\.tokenizer.*unknown tokenizer "nope"/);
  bad({ tokenizer: 'icu' }, /icu tokenizer is not supported/);
  bad({ tokenizer: 'standard', filter: ['uppercase'] }, /filter\[0\].*unknown filter "uppercase"/);
  bad({ tokenizer: 'standard', filter: [{ type: 'stemmer', language: 'elvish' }] }, /filter\[0\]\.language/);
  bad({ tokenizer: 'standard', filter: [{ type: 'length', max: 'long' }] }, /filter\[0\]\.max/);
  bad({ tokenizer: 'standard', filter: [{ type: 'regex', expr: '(' }] }, /filter\[0\]\.expr/);
  bad({ tokenizer: { type: 'jieba', mode: 'fast' } }, /tokenizer\.mode/);
  bad('{not json', /not valid JSON/);
  bad({ filter: ['lowercase'] }, /needs a tokenizer/);
});
