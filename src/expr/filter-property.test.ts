/**
 * Property test: random well-typed filters over random rows give the same rows from the compiled
 * bitset evaluator — with no index and with each scalar index type — as the reference evaluator
 * below, which interprets the generated filter row by row with three-valued logic and shares no code
 * with src/expr.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DataType } from '../core/data-type.js';
import type { CollectionSchema } from '../core/schema.js';
import { buildScalarIndex, resolveScalarIndexType } from '../index/scalar/index.js';
import type { ScalarIndexType } from '../index/scalar/index.js';
import { field } from './fixture.test.js';
import { compileFilter } from './index.js';
import { MemorySegment } from './memory-segment.js';

const S: CollectionSchema = {
  name: 'prop',
  description: '',
  enableDynamicField: true,
  fields: [
    field('id', DataType.Int64, { isPrimaryKey: true }),
    field('i64', DataType.Int64, { nullable: true }),
    field('i32', DataType.Int32),
    field('i8', DataType.Int8, { nullable: true }),
    field('f64', DataType.Double, { nullable: true }),
    field('f32', DataType.Float),
    field('b', DataType.Bool, { nullable: true }),
    field('s', DataType.VarChar, { nullable: true }),
    field('arr', DataType.Array, { elementType: DataType.Int64, nullable: true }),
    field('words', DataType.Array, { elementType: DataType.VarChar }),
    field('j', DataType.JSON, { nullable: true }),
    field('$meta', DataType.JSON, { isDynamic: true }),
  ],
};

interface PRow {
  id: bigint; i64: number | null; i32: number; i8: number | null; f64: number | null; f32: number; b: boolean | null;
  s: string | null; arr: number[] | null; words: string[]; j: Record<string, unknown> | null; d?: unknown;
}

// ---------------- reference evaluator ----------------
type T3 = true | false | null;
const AND = (a: T3, b: T3): T3 => (a === false || b === false ? false : a === null || b === null ? null : true);
const OR = (a: T3, b: T3): T3 => (a === true || b === true ? true : a === null || b === null ? null : false);
const NOT = (a: T3): T3 => (a === null ? null : !a);
type Op = '==' | '!=' | '<' | '<=' | '>' | '>=';
function cmp(op: Op, a: number | string, b: number | string): boolean {
  switch (op) {
    case '==': return a === b;
    case '!=': return a !== b;
    case '<': return a < b;
    case '<=': return a <= b;
    case '>': return a > b;
    case '>=': return a >= b;
  }
}
function likeRe(p: string): RegExp {
  let re = '';
  for (const c of p) re += c === '%' ? '.*' : c === '_' ? '.' : c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${re}$`, 's');
}

interface Gen { text: string; ev: (r: PRow) => T3 }

/** A numeric value read from the row: undefined = null/missing. Float32 fields compare as float32. */
type NumField = { name: 'i64' | 'i32' | 'i8' | 'f64' | 'f32'; get: (r: PRow) => number | null };
const NUM_FIELDS: NumField[] = [
  { name: 'i64', get: (r) => r.i64 },
  { name: 'i32', get: (r) => r.i32 },
  { name: 'i8', get: (r) => r.i8 },
  { name: 'f64', get: (r) => r.f64 },
  { name: 'f32', get: (r) => r.f32 },
];
const lit = (f: NumField, x: number): number => (f.name === 'f32' ? Math.fround(x) : x);
const fmt = (x: number): string => (Number.isInteger(x) ? String(x) : x.toString());

const numLit = fc.oneof(fc.integer({ min: -6, max: 6 }), fc.constantFrom(-1.5, 0.1, 0.5, 2.25, 3.7));
const strLit: fc.Arbitrary<string> = fc.constantFrom('', 'a', 'ab', 'abc', 'b', 'ba', 'bab', 'c');
const op = fc.constantFrom<Op>('==', '!=', '<', '<=', '>', '>=');
const numField = fc.constantFrom(...NUM_FIELDS);

const leaf: fc.Arbitrary<Gen> = fc.oneof(
  // numeric comparison
  fc.tuple(numField, op, numLit, fc.boolean()).map(([f, o, x, flip]): Gen => {
    const flipped: Record<Op, Op> = { '==': '==', '!=': '!=', '<': '>', '<=': '>=', '>': '<', '>=': '<=' };
    return {
      text: flip ? `${fmt(x)} ${flipped[o]} ${f.name}` : `${f.name} ${o} ${fmt(x)}`,
      ev: (r) => { const v = f.get(r); return v === null ? null : cmp(o, v, lit(f, x)); },
    };
  }),
  // range
  fc.tuple(numField, numLit, numLit, fc.boolean(), fc.boolean()).map(([f, a, b, ia, ib]): Gen => ({
    text: `${fmt(a)} ${ia ? '<=' : '<'} ${f.name} ${ib ? '<=' : '<'} ${fmt(b)}`,
    ev: (r) => { const v = f.get(r); return v === null ? null : (ia ? v >= lit(f, a) : v > lit(f, a)) && (ib ? v <= lit(f, b) : v < lit(f, b)); },
  })),
  // in / not in
  fc.tuple(numField, fc.array(numLit, { maxLength: 6 }), fc.boolean()).map(([f, xs, neg]): Gen => ({
    text: `${f.name} ${neg ? 'not in' : 'in'} [${xs.map(fmt).join(', ')}]`,
    ev: (r) => { const v = f.get(r); if (v === null) return null; const hit = xs.some((x) => lit(f, x) === v); return neg ? !hit : hit; },
  })),
  fc.tuple(strLit, op).map(([x, o]): Gen => ({ text: `s ${o} "${x}"`, ev: (r) => (r.s === null ? null : cmp(o, r.s, x)) })),
  fc.tuple(fc.array(strLit, { maxLength: 5 }), fc.boolean()).map(([xs, neg]): Gen => ({
    text: `s ${neg ? 'not in' : 'in'} [${xs.map((x) => `'${x}'`).join(', ')}]`,
    ev: (r) => (r.s === null ? null : xs.includes(r.s) !== neg),
  })),
  fc.constantFrom('a%', '%b', '%b%', 'a_', '_', '%', 'ab', '_a%', '%a_b').map((p): Gen => ({
    text: `s like "${p}"`, ev: (r) => (r.s === null ? null : likeRe(p).test(r.s)),
  })),
  fc.boolean().map((v): Gen => ({ text: `b == ${v}`, ev: (r) => (r.b === null ? null : r.b === v) })),
  fc.constant<Gen>({ text: 'b', ev: (r) => r.b }),
  fc.tuple(fc.constantFrom('i64', 'i8', 'f64', 'b', 's', 'arr', 'j'), fc.boolean()).map(([name, neg]): Gen => ({
    text: `${name} is ${neg ? 'not ' : ''}null`,
    ev: (r) => ((r as unknown as Record<string, unknown>)[name] === null) !== neg,
  })),
  // arithmetic
  fc.tuple(fc.constantFrom('i32', 'i64', 'f64'), fc.constantFrom('+', '-', '*'), fc.integer({ min: -3, max: 3 }), op, fc.integer({ min: -8, max: 8 })).map(([name, a, k, o, x]): Gen => ({
    text: `${name} ${a} ${k} ${o} ${x}`,
    ev: (r) => {
      const v = (r as unknown as Record<string, number | null>)[name]!;
      if (v === null) return null;
      return cmp(o, a === '+' ? v + k : a === '-' ? v - k : v * k, x);
    },
  })),
  // arrays
  fc.integer({ min: -1, max: 6 }).map((k): Gen => ({ text: `array_contains(arr, ${k})`, ev: (r) => (r.arr === null ? null : r.arr.includes(k)) })),
  fc.tuple(fc.array(fc.integer({ min: 0, max: 6 }), { maxLength: 3 }), fc.boolean()).map(([ks, all]): Gen => ({
    text: `array_contains_${all ? 'all' : 'any'}(arr, [${ks.join(', ')}])`,
    ev: (r) => (r.arr === null ? null : all ? ks.every((k) => r.arr!.includes(k)) : ks.some((k) => r.arr!.includes(k))),
  })),
  fc.tuple(fc.array(strLit, { maxLength: 3 }), fc.constantFrom('one', 'all', 'any')).map(([ks, mode]): Gen => ({
    text: mode === 'one' ? `array_contains(words, "${ks[0] ?? 'a'}")` : `array_contains_${mode}(words, [${ks.map((k) => `"${k}"`).join(', ')}])`,
    ev: (r) => (mode === 'one' ? r.words.includes(ks[0] ?? 'a') : mode === 'all' ? ks.every((k) => r.words.includes(k)) : ks.some((k) => r.words.includes(k))),
  })),
  fc.tuple(op, fc.integer({ min: 0, max: 4 })).map(([o, k]): Gen => ({ text: `array_length(arr) ${o} ${k}`, ev: (r) => (r.arr === null ? null : cmp(o, r.arr.length, k)) })),
  fc.tuple(fc.integer({ min: 0, max: 3 }), op, fc.integer({ min: 0, max: 6 })).map(([i, o, k]): Gen => ({
    text: `arr[${i}] ${o} ${k}`,
    ev: (r) => (r.arr === null || i >= r.arr.length ? null : cmp(o, r.arr[i]!, k)),
  })),
  // JSON and dynamic field
  fc.tuple(fc.constantFrom('k', 'm'), op, fc.integer({ min: -2, max: 4 })).map(([key, o, k]): Gen => ({
    text: `j["${key}"] ${o} ${k}`,
    ev: (r) => { const v = r.j?.[key]; return typeof v === 'number' ? cmp(o, v, k) : null; },
  })),
  fc.constantFrom('k', 'm', 'z').map((key): Gen => ({ text: `exists j["${key}"]`, ev: (r) => r.j !== null && key in r.j })),
  fc.tuple(op, fc.integer({ min: -2, max: 4 })).map(([o, k]): Gen => ({ text: `d ${o} ${k}`, ev: (r) => (typeof r.d === 'number' ? cmp(o, r.d, k) : null) })),
  fc.constantFrom('a', 'b').map((x): Gen => ({ text: `$meta["d"] == "${x}"`, ev: (r) => (typeof r.d === 'string' ? r.d === x : null) })),
  fc.array(fc.integer({ min: 0, max: 70 }), { maxLength: 5 }).map((ks): Gen => ({
    text: `id in [${ks.join(', ')}]`, ev: (r) => ks.some((k) => BigInt(k) === r.id),
  })),
);

const expr: fc.Arbitrary<Gen> = fc.letrec<{ e: Gen }>((tie) => ({
  e: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.tuple(tie('e'), tie('e')).map(([a, b]): Gen => ({ text: `(${a.text}) and (${b.text})`, ev: (r) => AND(a.ev(r), b.ev(r)) })),
    fc.tuple(tie('e'), tie('e')).map(([a, b]): Gen => ({ text: `(${a.text}) || (${b.text})`, ev: (r) => OR(a.ev(r), b.ev(r)) })),
    tie('e').map((a): Gen => ({ text: `not (${a.text})`, ev: (r) => NOT(a.ev(r)) })),
  ),
})).e;

const nullable = <T>(a: fc.Arbitrary<T>): fc.Arbitrary<T | null> => fc.option(a, { freq: 5, nil: null });
const rowArb = fc.record({
  i64: nullable(fc.integer({ min: -5, max: 5 })),
  i32: fc.integer({ min: -5, max: 5 }),
  i8: nullable(fc.integer({ min: -5, max: 5 })),
  f64: nullable(fc.constantFrom(-1.5, 0, 0.1, 0.5, 2.25, 3.7, 5)),
  f32: fc.constantFrom(-1.5, 0, 0.1, 0.5, 2.25, 3.7).map(Math.fround),
  b: nullable(fc.boolean()),
  s: nullable(fc.constantFrom('', 'a', 'ab', 'abc', 'b', 'ba', 'bab', 'c', 'ca')),
  arr: nullable(fc.array(fc.integer({ min: 0, max: 6 }), { maxLength: 4 })),
  words: fc.array(fc.constantFrom('a', 'ab', 'b', 'c'), { maxLength: 3 }),
  j: nullable(fc.dictionary(fc.constantFrom('k', 'm'), fc.oneof(fc.integer({ min: -2, max: 4 }), fc.constant('x'), fc.constant(null)))),
  d: fc.option(fc.oneof(fc.integer({ min: -2, max: 4 }), fc.constantFrom('a', 'b')), { nil: undefined }),
});

function segments(rows: PRow[]): { label: string; seg: MemorySegment }[] {
  const plain = rows.map((r) => {
    const o: Record<string, unknown> = { ...r };
    if (r.d === undefined) delete o['d'];
    return o;
  });
  const out = [{ label: 'none', seg: MemorySegment.fromRows(S, plain) }];
  for (const type of ['INVERTED', 'STL_SORT', 'BITMAP', 'Trie', 'AUTOINDEX'] as const) {
    const seg = MemorySegment.fromRows(S, plain);
    for (const f of S.fields) {
      let t: ScalarIndexType;
      try {
        const r = resolveScalarIndexType(type, f);
        if (r === 'RTREE' || r === 'NGRAM') continue;
        t = r;
      } catch {
        continue;
      }
      seg.setScalarIndex(f.name, buildScalarIndex(t, seg.column(f.name)!, seg.rowCount));
    }
    out.push({ label: type, seg });
  }
  return out;
}

test('property: compiled evaluator (with and without each scalar index) equals the reference evaluator', () => {
  fc.assert(
    fc.property(fc.array(rowArb, { minLength: 1, maxLength: 80 }), fc.array(expr, { minLength: 1, maxLength: 4 }), (raw, exprs) => {
      const rows: PRow[] = raw.map((r, i) => ({ ...r, id: BigInt(i) }));
      const segs = segments(rows);
      for (const e of exprs) {
        const expected = rows.flatMap((r, i) => (e.ev(r) === true ? [i] : []));
        for (const { label, seg } of segs) {
          const got = [...compileFilter(e.text, S).evaluate(seg).indices()];
          assert.deepEqual(got, expected, `${e.text} [index: ${label}]`);
        }
      }
    }),
    { numRuns: Number(process.env.PROP_RUNS ?? 300), seed: Number(process.env.PROP_SEED ?? 20260425) },
  );
});
