/**
 * The fixed dataset of the filter tests (also run here as a sanity test), its schema, and helpers
 * to evaluate a filter on it with no index or with a given scalar index on every field that takes it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DataType } from '../core/data-type.js';
import type { CollectionSchema, FieldSchema } from '../core/schema.js';
import { buildScalarIndex, loadScalarIndex, resolveScalarIndexType } from '../index/scalar/index.js';
import type { ScalarIndexType } from '../index/scalar/index.js';
import { compileFilter } from './index.js';
import { MemorySegment } from './memory-segment.js';

let nextId = 100;
export function field(name: string, dataType: number, extra: Partial<FieldSchema> = {}): FieldSchema {
  return {
    fieldID: nextId++, name, description: '', dataType: dataType as FieldSchema['dataType'], isPrimaryKey: false, autoID: false,
    isPartitionKey: false, isClusteringKey: false, nullable: false, isDynamic: false, typeParams: {}, ...extra,
  };
}

export const schema: CollectionSchema = {
  name: 'people',
  description: '',
  enableDynamicField: true,
  fields: [
    field('id', DataType.Int64, { isPrimaryKey: true }),
    field('age', DataType.Int64, { nullable: true }),
    field('big', DataType.Int64),
    field('score', DataType.Double),
    field('ratio', DataType.Float),
    field('level', DataType.Int32),
    field('small', DataType.Int8),
    field('flag', DataType.Bool, { nullable: true }),
    field('name', DataType.VarChar, { maxLength: 64 }),
    field('city', DataType.VarChar, { nullable: true, maxLength: 64 }),
    field('meta', DataType.JSON, { nullable: true }),
    field('tags', DataType.Array, { elementType: DataType.VarChar, maxCapacity: 8 }),
    field('nums', DataType.Array, { elementType: DataType.Int64, nullable: true, maxCapacity: 8 }),
    field('body', DataType.VarChar, { typeParams: { enable_analyzer: 'true', enable_match: 'true' } }),
    field('vec', DataType.FloatVector, { dim: 2 }),
    field('$meta', DataType.JSON, { isDynamic: true }),
  ],
};

export const CITIES = ['paris', 'berlin', 'tokyo', 'lima', 'oslo'];
export const NAMES = ['alice', 'bob', 'carol', 'dave', 'eve', 'frank', 'grace', 'heidi', 'ivan', 'judy', 'x-ray', 'xeno', '50%off', 'under_score', 'back\\slash', 'Émile'];
const COLORS = ['red', 'green', 'blue'];

export interface Row {
  id: bigint; age: number | null; big: bigint; score: number; ratio: number; level: number; small: number; flag: boolean | null;
  name: string; city: string | null; meta: Record<string, unknown> | null; tags: string[]; nums: number[] | null; body: string;
  color?: string; size?: number; note?: unknown;
}

export const ROWS: Row[] = Array.from({ length: 64 }, (_, i): Row => {
  const r: Row = {
    id: BigInt(i + 1),
    age: i % 7 === 3 ? null : (i * 37) % 90,
    big: 2n ** 60n + BigInt(i % 5),
    score: ((i * 13) % 100) / 4,
    ratio: Math.fround(((i * 7) % 10) / 10),
    level: (i % 5) - 2,
    small: ((i * 3) % 11) - 5,
    flag: i % 6 === 5 ? null : i % 2 === 0,
    name: NAMES[i % NAMES.length]!,
    city: i % 9 === 4 ? null : CITIES[i % 5]!,
    meta: i % 8 === 7 ? null : {
      a: i % 4, b: { c: `s${i % 3}` }, list: [i % 3, (i + 1) % 3], s: i % 5 === 0 ? 'str' : i, price: (i % 10) * 1.5,
      ...(i % 3 === 0 ? { opt: i } : {}), nul: null, flag: i % 2 === 1,
    },
    tags: i % 10 === 9 ? [] : i % 4 === 0 ? [`x${i % 3}`, `y${i % 4}`, 'z'] : [`x${i % 3}`, `y${i % 4}`],
    nums: i % 11 === 10 ? null : [i % 5, (i * 2) % 7, i],
    body: `word${i % 4}`,
  };
  if (i % 4 !== 3) r.color = COLORS[i % 3]!;
  r.size = i % 6;
  if (i % 5 === 1) r.note = i % 2 === 0 ? 'text' : [1, 2];
  return r;
});

export function makeSegment(): MemorySegment {
  return MemorySegment.fromRows(schema, ROWS as unknown as Record<string, unknown>[]);
}

export const INDEX_TYPES: readonly ScalarIndexType[] = ['INVERTED', 'STL_SORT', 'BITMAP', 'Trie'];

/** Attaches an index of `type` to every field that accepts it; returns how many were attached. */
export function indexAll(seg: MemorySegment, type: ScalarIndexType | 'AUTOINDEX', roundTrip = false): number {
  let count = 0;
  for (const f of schema.fields) {
    let t: ScalarIndexType;
    try {
      const r = resolveScalarIndexType(type, f);
      if (r === 'RTREE' || r === 'NGRAM') continue;
      t = r;
    } catch {
      continue;
    }
    const col = seg.column(f.name);
    if (col === undefined) continue;
    let idx = buildScalarIndex(t, col, seg.rowCount);
    if (roundTrip) idx = loadScalarIndex(idx.serialize());
    seg.setScalarIndex(f.name, idx);
    count++;
  }
  return count;
}

export function matchIds(seg: MemorySegment, text: string, params?: Record<string, unknown>): number[] {
  const bits = compileFilter(text, schema, params).evaluate(seg);
  return [...bits.indices()].map((r) => Number(ROWS[r]!.id));
}

test('fixture: dataset covers nulls, missing keys and every index type', () => {
  assert.equal(ROWS.length, 64);
  assert.ok(ROWS.some((r) => r.age === null) && ROWS.some((r) => r.meta === null) && ROWS.some((r) => r.nums === null));
  for (const t of INDEX_TYPES) assert.ok(indexAll(makeSegment(), t) > 0, t);
});
