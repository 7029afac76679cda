/** Exact search over a raw vector column (growing segments, FLAT, small filtered sets). */
import type { VectorColumn } from '../../core/column.js';
import { bruteForceSearch } from '../reference/brute-force.js';
import type { QueryVectors, SearchHits, SearchOptions } from '../types.js';

export function exactSearchWasm(column: VectorColumn, rowCount: number, q: QueryVectors, opts: SearchOptions): SearchHits {
  return bruteForceSearch(column, rowCount, q, opts);
}
