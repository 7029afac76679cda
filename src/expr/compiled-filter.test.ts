import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MilvusError } from '../core/errors.js';
import { buildScalarIndex } from '../index/scalar/index.js';
import { makeSegment, matchIds, ROWS, schema } from './fixture.test.js';
import { compileFilter, parseFilter } from './index.js';
import { MemorySegment } from './memory-segment.js';

test('compileFilter: cached by schema identity, text and params', () => {
  const a = compileFilter('age > 30', schema);
  assert.equal(compileFilter('age > 30', schema), a);
  assert.notEqual(compileFilter('age > 30', { ...schema }), a);
  const p1 = compileFilter('age > {x}', schema, { x: 1 });
  assert.equal(compileFilter('age > {x}', schema, { x: 1 }), p1);
  assert.notEqual(compileFilter('age > {x}', schema, { x: 2 }), p1);
  assert.equal(a.text, 'age > 30');
});

test('compileFilter: primaryKeys only when the whole filter is primary-key equality', () => {
  assert.deepEqual(compileFilter('id in [3, 1, 3]', schema).primaryKeys, [3n, 1n]);
  assert.deepEqual(compileFilter('id == 7 or id in [8]', schema).primaryKeys, [7n, 8n]);
  assert.deepEqual(compileFilter('id in {ids}', schema, { ids: [5, 6n] }).primaryKeys, [5n, 6n]);
  assert.equal(compileFilter('id in [1] and age > 3', schema).primaryKeys, undefined);
  assert.equal(compileFilter('id != 1', schema).primaryKeys, undefined);
  assert.equal(compileFilter('age > 1', schema).primaryKeys, undefined);
});

class CountingSegment extends MemorySegment {
  lookups = 0;
  override rowsOfPks(pks: readonly (bigint | string)[]): number[] {
    this.lookups++;
    return super.rowsOfPks(pks);
  }
}

test('compileFilter: primary-key filters use the segment primary-key lookup', () => {
  const base = makeSegment();
  const seg = new CountingSegment(base.rowCount, new Map(['id', 'age'].map((n) => [n, base.column(n)!])), 'id');
  const bits = compileFilter('id in [2, 4, 99] and age >= 0', schema).evaluate(seg);
  assert.equal(seg.lookups, 1);
  assert.deepEqual([...bits.indices()].map((r) => ROWS[r]!.id), [2n].filter((id) => ROWS[Number(id) - 1]!.age !== null).concat(ROWS[3]!.age !== null ? [4n] : []));
});

test('compileFilter: not keeps null rows out (Milvus applies validity after not)', () => {
  const seg = makeSegment();
  const all = matchIds(seg, 'age > 30 or not (age > 30)');
  assert.deepEqual(all, ROWS.filter((r) => r.age !== null).map((r) => Number(r.id)));
  assert.equal(matchIds(seg, 'not (age > 30) or age is null').length, ROWS.filter((r) => r.age === null || r.age <= 30).length);
});

test('compileFilter: an index built for a different row count is ignored, not trusted', () => {
  const seg = makeSegment();
  const col = seg.column('age')!;
  seg.setScalarIndex('age', buildScalarIndex('STL_SORT', col, 10));
  assert.deepEqual(matchIds(seg, 'age > 30'), ROWS.filter((r) => r.age !== null && r.age > 30).map((r) => Number(r.id)));
});

test('compileFilter: empty segment gives an empty bitset; blank text is an error', () => {
  const empty = MemorySegment.fromRows(schema, []);
  assert.equal(compileFilter('age > 1', schema).evaluate(empty).size, 0);
  assert.throws(() => compileFilter('', schema), (e: unknown) => e instanceof MilvusError && e.code === 1100);
});

test('parseFilter: the AST is deeply frozen and discriminated on kind', () => {
  const ast = parseFilter('a > 1 and b in [1, 2]');
  assert.equal(ast.kind, 'logical');
  assert.ok(Object.isFrozen(ast));
  if (ast.kind !== 'logical' || ast.right.kind !== 'in') throw new MilvusError(1100, 'unexpected shape');
  assert.ok(Object.isFrozen(ast.right.list));
  assert.throws(() => {
    (ast as { op: string }).op = 'or';
  }, TypeError);
});

test('compileFilter: long and/or chains compile (flattened); over-deep nesting is a 1100 error', () => {
  const seg = makeSegment();
  const chain = Array.from({ length: 5000 }, (_, i) => `age != ${i + 1000}`).join(' and ');
  assert.equal(compileFilter(chain, schema).evaluate(seg).count(), ROWS.filter((r) => r.age !== null).length);
  const ors = Array.from({ length: 3000 }, (_, i) => `id == ${i + 1}`).join(' or ');
  assert.equal(compileFilter(ors, schema).primaryKeys?.length, 3000);
  const deep = Array.from({ length: 3000 }, () => 'age').join(' + ') + ' > 1';
  assert.throws(() => compileFilter(deep, schema), (e: unknown) => e instanceof MilvusError && e.code === 1100 && /nested more than 400 levels/.test(e.message));
});
