import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Bitset } from './bitset.js';

test('bitset set/get/count/indices and logic', () => {
  const a = Bitset.fromIndices(70, [0, 5, 31, 32, 69]);
  assert.equal(a.count(), 5);
  assert.deepEqual([...a.indices()], [0, 5, 31, 32, 69]);
  const b = Bitset.full(70);
  assert.equal(b.count(), 70);
  b.andNot(a);
  assert.equal(b.count(), 65);
  assert.equal(b.get(5), false);
  b.not();
  assert.deepEqual([...b.indices()], [0, 5, 31, 32, 69]);
  const c = a.resized(100, true);
  assert.equal(c.count(), 5 + 30);
});
