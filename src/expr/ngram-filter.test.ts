/**
 * NGRAM on VarChar: random strings and random `like` patterns, answered with no index and with NGRAM
 * indexes of several gram ranges, checked against an independent matcher (a plain recursive `like`
 * written here); and the build parameters refused as Milvus's NgramIndexChecker refuses them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DataType } from '../core/data-type.js';
import type { CollectionSchema } from '../core/schema.js';
import { buildScalarIndex, checkScalarIndexParams, resolveScalarIndexType } from '../index/scalar/index.js';
import { field } from './fixture.test.js';
import { compileFilter } from './index.js';
import { MemorySegment } from './memory-segment.js';

const schema: CollectionSchema = {
  name: 'docs', description: '', enableDynamicField: false,
  fields: [field('id', DataType.Int64, { isPrimaryKey: true }), field('title', DataType.VarChar, { nullable: true, maxLength: 64 })],
};

/** `like` by hand: % any run, _ one character, backslash escapes the next character. */
function like(s: string, p: string): boolean {
  const sc = [...s];
  const pc = [...p];
  const go = (i: number, j: number): boolean => {
    if (j === pc.length) return i === sc.length;
    const c = pc[j]!;
    if (c === '%') {
      for (let k = i; k <= sc.length; k++) if (go(k, j + 1)) return true;
      return false;
    }
    if (c === '_') return i < sc.length && go(i + 1, j + 1);
    const lit = c === '\\' && j + 1 < pc.length ? pc[j + 1]! : c;
    const step = c === '\\' && j + 1 < pc.length ? 2 : 1;
    return i < sc.length && sc[i] === lit && go(i + 1, j + step);
  };
  return go(0, 0);
}

test('NGRAM: random like patterns give the same rows as a scan and as the oracle, for several gram ranges', () => {
  let seed = 5;
  const rnd = (n: number): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return Math.floor((seed / 4294967296) * n);
  };
  const alphabet = 'abcab_%dé';
  const word = (len: number): string => Array.from({ length: len }, () => alphabet[rnd(alphabet.length)]!).join('');
  const titles = Array.from({ length: 600 }, (_, i) => (i % 37 === 5 ? null : word(rnd(12))));
  const rows = titles.map((title, i) => ({ id: BigInt(i), title }));
  const segs = [{ label: 'no index', seg: MemorySegment.fromRows(schema, rows) }];
  for (const [lo, hi] of [[1, 1], [2, 3], [3, 5]] as const) {
    const seg = MemorySegment.fromRows(schema, rows);
    seg.setScalarIndex('title', buildScalarIndex('NGRAM', seg.column('title')!, rows.length, { min_gram: lo, max_gram: String(hi) }));
    segs.push({ label: `NGRAM ${lo}-${hi}`, seg });
  }
  const patterns = ['%abc%', 'ab%', '%ca', 'a_c%', '%a%b%c%', '%éd%', 'abcab', '%\\%%', '%\\_a%', '_', '%', '%dd%c_a%', 'b%ab%ba'];
  for (let k = 0; k < 60; k++) {
    const p = word(1 + rnd(5));
    patterns.push(`%${p.replace(/\\/g, '')}%`, `${p}%`, `%${p}`);
  }
  for (const p of patterns) {
    const text = `title like ${JSON.stringify(p)}`;
    const want = titles.flatMap((t, i) => (t !== null && like(t, p) ? [i] : []));
    for (const { label, seg } of segs) {
      assert.deepEqual([...compileFilter(text, schema).evaluate(seg).indices()], want, `${text} [${label}]`);
      assert.deepEqual([...compileFilter(`not (${text})`, schema).evaluate(seg).indices()], titles.flatMap((t, i) => (t !== null && !like(t, p) ? [i] : [])), `not ${text} [${label}]`);
    }
  }
});

test('NGRAM: only on VarChar, and min_gram / max_gram checked as Milvus checks them', () => {
  assert.equal(resolveScalarIndexType('NGRAM', schema.fields[1]!), 'NGRAM');
  assert.throws(() => resolveScalarIndexType('NGRAM', schema.fields[0]!), /NGRAM cannot index field "id" of type Int64 \(primary key\); NGRAM supports VarChar/);
  const bad: [Record<string, unknown>, RegExp][] = [
    [{}, /Ngram index must specify both min_gram and max_gram: invalid parameter/],
    [{ min_gram: 2 }, /must specify both min_gram and max_gram/],
    [{ min_gram: 'two', max_gram: 3 }, /min_gram for Ngram index must be an integer, got: two/],
    [{ min_gram: 2, max_gram: 2.5 }, /max_gram for Ngram index must be an integer, got: 2.5/],
    [{ min_gram: 3, max_gram: 2 }, /invalid min_gram or max_gram value for Ngram index, min_gram: 3, max_gram: 2/],
    [{ min_gram: 0, max_gram: 2 }, /invalid min_gram or max_gram value/],
  ];
  for (const [params, re] of bad) assert.throws(() => checkScalarIndexParams('NGRAM', params), (e: { code?: number; message: string }) => e.code === 1100 && re.test(e.message), JSON.stringify(params));
  checkScalarIndexParams('NGRAM', { min_gram: '2', max_gram: '4' });
});
