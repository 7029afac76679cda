/**
 * Filter evaluation benchmark: `age > 30 and city in ["a","b","c"] and tags like "x%"` over 1M rows,
 * milliseconds per evaluation (median) without indexes and with scalar indexes.
 *   node --import tsx bench/expr-bench.ts      (targets: < 20 ms without, < 5 ms with indexes)
 *   npm run bench -- expr [--quick]
 */
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type { Column } from '../src/core/column.js';
import { DataType } from '../src/core/data-type.js';
import type { CollectionSchema, FieldSchema } from '../src/core/schema.js';
import { compileFilter } from '../src/expr/index.js';
import { MemorySegment } from '../src/expr/memory-segment.js';
import { buildScalarIndex } from '../src/index/scalar/index.js';
import type { ScalarIndexType } from '../src/index/scalar/index.js';

const FILTER = 'age > 30 and city in ["a","b","c"] and tags like "x%"';

function field(name: string, dataType: number, isPrimaryKey = false): FieldSchema {
  return {
    fieldID: 100, name, description: '', dataType: dataType as FieldSchema['dataType'], isPrimaryKey, autoID: false,
    isPartitionKey: false, isClusteringKey: false, nullable: false, isDynamic: false, typeParams: {},
  };
}

const schema: CollectionSchema = {
  name: 'bench', description: '', enableDynamicField: false,
  fields: [
    field('id', DataType.Int64, true), field('age', DataType.Int64), field('city', DataType.VarChar), field('tags', DataType.VarChar),
    field('level', DataType.Int32), field('price', DataType.Double),
  ],
};

function makeSegment(n: number): MemorySegment {
  let seed = 12345;
  const rnd = (): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed / 4294967296;
  };
  const cities = 'abcdefghijklmnopqrst'.split('');
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  const id = new BigInt64Array(n);
  const age = new BigInt64Array(n);
  const city: string[] = new Array<string>(n);
  const tags: string[] = new Array<string>(n);
  const level = new Int32Array(n);
  const price = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    id[i] = BigInt(i);
    age[i] = BigInt(Math.floor(rnd() * 100));
    city[i] = cities[Math.floor(rnd() * cities.length)]!;
    tags[i] = letters[Math.floor(rnd() * 26)]! + Math.floor(rnd() * 5000).toString(36);
    level[i] = Math.floor(rnd() * 10);
    price[i] = Math.round(rnd() * 20000) / 100;
  }
  const columns = new Map<string, Column>([
    ['id', { type: DataType.Int64, data: id, valid: null }],
    ['age', { type: DataType.Int64, data: age, valid: null }],
    ['city', { type: DataType.VarChar, data: city, valid: null }],
    ['tags', { type: DataType.VarChar, data: tags, valid: null }],
    ['level', { type: DataType.Int32, data: level, valid: null }],
    ['price', { type: DataType.Double, data: price, valid: null }],
  ]);
  return new MemorySegment(n, columns, 'id');
}

function timeEval(seg: MemorySegment, runs: number, text = FILTER): { ms: number; matches: number } {
  const f = compileFilter(text, schema);
  let matches = 0;
  for (let i = 0; i < 3; i++) matches = f.evaluate(seg).count();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    f.evaluate(seg);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { ms: times[Math.floor(times.length / 2)]!, matches };
}

/** `quick` (from `npm run bench -- --quick`) uses 200k rows; EXPR_BENCH_ROWS overrides either. */
export async function run(opts: { quick?: boolean } = {}): Promise<void> {
  const ROWS = Number(process.env.EXPR_BENCH_ROWS ?? (opts.quick === true ? 200_000 : 1_000_000));
  const seg = makeSegment(ROWS);
  const configs: { label: string; indexes: Partial<Record<'age' | 'city' | 'tags', ScalarIndexType>> }[] = [
    { label: 'no index', indexes: {} },
    { label: 'STL_SORT age, BITMAP city, Trie tags', indexes: { age: 'STL_SORT', city: 'BITMAP', tags: 'Trie' } },
    { label: 'INVERTED on all three', indexes: { age: 'INVERTED', city: 'INVERTED', tags: 'INVERTED' } },
    { label: 'BITMAP age + city, Trie tags', indexes: { age: 'BITMAP', city: 'BITMAP', tags: 'Trie' } },
  ];
  const rows: Record<string, string | number>[] = [];
  for (const c of configs) {
    let buildMs = 0;
    let memory = 0;
    for (const name of ['age', 'city', 'tags'] as const) {
      const type = c.indexes[name];
      if (type === undefined) {
        seg.setScalarIndex(name, undefined);
        continue;
      }
      const t0 = performance.now();
      const idx = buildScalarIndex(type, seg.column(name)!, seg.rowCount);
      buildMs += performance.now() - t0;
      memory += idx.memoryBytes();
      seg.setScalarIndex(name, idx);
    }
    const { ms, matches } = timeEval(seg, 15);
    rows.push({ indexes: c.label, 'ms/eval': Number(ms.toFixed(2)), matches, 'index build ms': Math.round(buildMs), 'index MiB': Number((memory / 2 ** 20).toFixed(1)) });
  }
  console.log(`filter: ${FILTER}\nrows: ${ROWS.toLocaleString('en-US')}, one core, median of 15`);
  console.table(rows);

  // Other shapes, for reference: without indexes, then with INVERTED on every field that takes one.
  const shapes = [
    'age > 30',
    'not (age > 30)',
    'level in [1, 2, 3]',
    '2 < level <= 7',
    'price * 0.9 < 50',
    'city like "%b%"',
    `id in [${Array.from({ length: 100 }, (_, i) => i * 997).join(', ')}]`,
    'age > 90 or level == 0',
  ];
  const other: Record<string, string | number>[] = [];
  for (const text of shapes) {
    for (const name of ['age', 'city', 'tags', 'level', 'price']) seg.setScalarIndex(name, undefined);
    const plain = timeEval(seg, 9, text);
    for (const name of ['age', 'city', 'tags', 'level', 'price']) seg.setScalarIndex(name, buildScalarIndex('INVERTED', seg.column(name)!, seg.rowCount));
    const indexed = timeEval(seg, 9, text);
    other.push({ filter: text.length > 40 ? `${text.slice(0, 37)}...` : text, 'no index ms': Number(plain.ms.toFixed(2)), 'INVERTED ms': Number(indexed.ms.toFixed(2)), matches: plain.matches });
  }
  console.table(other);
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) await run();
