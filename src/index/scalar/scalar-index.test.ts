import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Column } from '../../core/column.js';
import { DataType } from '../../core/data-type.js';
import { MilvusError } from '../../core/errors.js';
import type { FieldSchema } from '../../core/schema.js';
import { buildScalarIndex, isScalarIndex, loadScalarIndex, resolveScalarIndexType } from './index.js';
import type { ScalarIndexType } from './index.js';

function fieldOf(dataType: number, extra: Partial<FieldSchema> = {}): FieldSchema {
  return {
    fieldID: 100, name: 'f', description: '', dataType: dataType as FieldSchema['dataType'], isPrimaryKey: false, autoID: false,
    isPartitionKey: false, isClusteringKey: false, nullable: false, isDynamic: false, typeParams: {}, ...extra,
  };
}

const n = 1000;
const ints: Column = { type: DataType.Int64, data: BigInt64Array.from({ length: n }, (_, i) => BigInt((i * 7919) % 97) - 40n), valid: Uint8Array.from({ length: n }, (_, i) => (i % 13 === 0 ? 0 : 1)) };
const floats: Column = { type: DataType.Float, data: Float32Array.from({ length: n }, (_, i) => ((i * 31) % 50) / 8), valid: null };
const strs: Column = { type: DataType.VarChar, data: Array.from({ length: n }, (_, i) => ['apple', 'apricot', 'banana', 'band', 'b', '', 'Ünïcode'][i % 7]!), valid: null };
const arrs: Column = { type: DataType.Array, elementType: DataType.VarChar, data: Array.from({ length: n }, (_, i) => (i % 9 === 0 ? null : [`t${i % 4}`, `t${i % 6}`])), valid: null };
const bools: Column = { type: DataType.Bool, data: Uint8Array.from({ length: n }, (_, i) => i % 3 & 1), valid: null };

function rows(b: { indices(): Iterable<number> }): number[] {
  return [...b.indices()];
}

test('scalar index: each type answers like a scan, before and after serialize/load', () => {
  const cases: [ScalarIndexType, Column][] = [
    ['INVERTED', ints], ['STL_SORT', ints], ['BITMAP', ints], ['INVERTED', floats], ['STL_SORT', floats],
    ['INVERTED', strs], ['BITMAP', strs], ['Trie', strs], ['INVERTED', arrs], ['BITMAP', arrs], ['BITMAP', bools], ['INVERTED', bools],
  ];
  for (const [type, col] of cases) {
    const built = buildScalarIndex(type, col, n);
    const loaded = loadScalarIndex(built.serialize());
    assert.equal(loaded.type, type);
    assert.ok(isScalarIndex(loaded) && built.memoryBytes() > 0);
    for (const idx of [built, loaded]) {
      const label = `${type} ${col.type}`;
      if (col.type === DataType.Int64) {
        const v = (i: number): bigint | null => (col.valid![i] ? col.data[i]! : null);
        const expect = (p: (x: bigint) => boolean): number[] => [...Array(n).keys()].filter((i) => v(i) !== null && p(v(i)!));
        assert.deepEqual(rows(idx.rowsInRange(-10n, true, 20n, false)), expect((x) => x >= -10n && x < 20n), label);
        assert.deepEqual(rows(idx.rowsInRange(undefined, false, 0n, true)), expect((x) => x <= 0n), label);
        assert.deepEqual(rows(idx.rowsEqualAny([5n, 6n, 999n])), expect((x) => x === 5n || x === 6n), label);
      } else if (col.type === DataType.Float) {
        const expect = (p: (x: number) => boolean): number[] => [...Array(n).keys()].filter((i) => p(col.data[i]!));
        assert.deepEqual(rows(idx.rowsInRange(1.5, false, 4, true)), expect((x) => x > 1.5 && x <= 4), label);
        assert.deepEqual(rows(idx.rowsEqualAny([2.5])), expect((x) => x === 2.5), label);
      } else if (col.type === DataType.VarChar) {
        const expect = (p: (x: string) => boolean): number[] => [...Array(n).keys()].filter((i) => p(col.data[i]!));
        assert.deepEqual(rows(idx.rowsWithPrefix('ap')), expect((x) => x.startsWith('ap')), label);
        assert.deepEqual(rows(idx.rowsWithPrefix('')), expect(() => true), label);
        assert.deepEqual(rows(idx.rowsWithPrefix('ban')), expect((x) => x.startsWith('ban')), label);
        assert.deepEqual(rows(idx.rowsInRange('b', true, 'band', false)), expect((x) => x >= 'b' && x < 'band'), label);
        assert.deepEqual(rows(idx.rowsWhereKey((k) => (k as string).includes('an'))), expect((x) => x.includes('an')), label);
        assert.deepEqual(rows(idx.rowsEqualAny(['Ünïcode'])), expect((x) => x === 'Ünïcode'), label);
      } else if (col.type === DataType.Array) {
        const expect = (k: string): number[] => [...Array(n).keys()].filter((i) => col.data[i]?.includes(k) === true);
        assert.deepEqual(rows(idx.rowsEqualAny(['t1'])), expect('t1'), label);
        assert.ok(idx.isArray);
      } else if (col.type === DataType.Bool) {
        assert.deepEqual(rows(idx.rowsEqualAny([1])), [...Array(n).keys()].filter((i) => col.data[i] === 1), label);
      }
    }
  }
});

test('scalar index: corrupted, truncated or foreign bytes are rejected with DataCorrupted', () => {
  const bytes = buildScalarIndex('INVERTED', strs, n).serialize();
  const variants: [string, Uint8Array][] = [
    ['flipped body byte', (() => { const b = bytes.slice(); b[40]! ^= 0xff; return b; })()],
    ['bad magic', (() => { const b = bytes.slice(); b[0] = 0; return b; })()],
    ['truncated', bytes.slice(0, bytes.length - 9)],
    ['too short', bytes.slice(0, 10)],
    ['empty', new Uint8Array(0)],
  ];
  for (const [label, b] of variants) {
    assert.throws(() => loadScalarIndex(b), (e: unknown) => e instanceof MilvusError && e.code === 1002, label);
  }
});

test('scalar index: resolveScalarIndexType validates the field and resolves AUTOINDEX', () => {
  assert.equal(resolveScalarIndexType('AUTOINDEX', fieldOf(DataType.Int64)), 'STL_SORT');
  assert.equal(resolveScalarIndexType('', fieldOf(DataType.Double)), 'STL_SORT');
  assert.equal(resolveScalarIndexType('autoindex', fieldOf(DataType.VarChar)), 'INVERTED');
  assert.equal(resolveScalarIndexType('AUTOINDEX', fieldOf(DataType.Bool)), 'BITMAP');
  assert.equal(resolveScalarIndexType('AUTOINDEX', fieldOf(DataType.Array, { elementType: DataType.Int32 })), 'INVERTED');
  assert.equal(resolveScalarIndexType('inverted', fieldOf(DataType.Array, { elementType: DataType.VarChar })), 'INVERTED');
  assert.equal(resolveScalarIndexType('Trie', fieldOf(DataType.VarChar)), 'Trie');
  assert.equal(resolveScalarIndexType('BITMAP', fieldOf(DataType.Int8)), 'BITMAP');
  assert.equal(resolveScalarIndexType('AUTOINDEX', fieldOf(DataType.Timestamptz)), 'STL_SORT');
  assert.equal(resolveScalarIndexType('INVERTED', fieldOf(DataType.Timestamptz)), 'INVERTED');
  const bad: [string, FieldSchema, RegExp][] = [
    ['STL_SORT', fieldOf(DataType.VarChar), /STL_SORT cannot index field "f" of type VarChar; STL_SORT supports Int8\/16\/32\/64, Float, Double and Timestamptz/],
    ['Trie', fieldOf(DataType.Int64), /Trie cannot index field "f" of type Int64; Trie supports VarChar/],
    ['BITMAP', fieldOf(DataType.Float), /BITMAP cannot index field "f" of type Float/],
    ['BITMAP', fieldOf(DataType.Int64, { isPrimaryKey: true }), /\(primary key\)/],
    ['INVERTED', fieldOf(DataType.JSON), /INVERTED cannot index field "f" of type JSON/],
    ['AUTOINDEX', fieldOf(DataType.JSON), /AUTOINDEX cannot index field "f" of type JSON/],
    ['HNSW', fieldOf(DataType.Int64), /"HNSW" is not a scalar index type for field "f" \(Int64\); use INVERTED, STL_SORT, BITMAP, Trie, RTREE, NGRAM or AUTOINDEX/],
  ];
  for (const [type, f, re] of bad) {
    assert.throws(() => resolveScalarIndexType(type, f), (e: unknown) => e instanceof MilvusError && e.code === 1100 && re.test(e.message), type);
  }
});
