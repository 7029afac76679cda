/** Scalar indexes on non-vector fields (createIndex on a scalar field). See scalar-index.ts. */
import type { Column } from '../../core/column.js';
import type { FieldIndexType, ScalarIndexType } from './scalar-index-type.js';
import { NgramIndex } from './ngram-index.js';
import { ngramParams } from './resolve-type.js';
import { RTreeIndex } from './rtree-index.js';
import { makeScalarIndex, ScalarIndex } from './scalar-index.js';
import { buildPostings } from './sorted-postings.js';

export type { FieldIndexType, ScalarIndexType } from './scalar-index-type.js';
export { RTreeIndex, isRTreeIndex } from './rtree-index.js';
export { NgramIndex, isNgramIndex } from './ngram-index.js';
export { geometryCache, GeometryCache } from './geometry-cache.js';
export { boundsOf, parseWkt, pointLocator, tryParseWkt, type Geom, type PointLocation } from './geometry.js';
export { ScalarIndex, InvertedIndex, StlSortIndex, BitmapIndex, TrieIndex } from './scalar-index.js';
export type { Key, KeyKind } from './sorted-postings.js';
export { checkScalarIndexParams, resolveScalarIndexType } from './resolve-type.js';
export { serializeScalarIndex } from './codec.js';
export { loadScalarIndex } from './load.js';

/** Builds an index over the first `rowCount` rows of a column (type already resolved). */
export function buildScalarIndex(type: ScalarIndexType, column: Column, rowCount: number): ScalarIndex;
export function buildScalarIndex(type: FieldIndexType, column: Column, rowCount: number, params?: Record<string, unknown>): ScalarIndex | RTreeIndex | NgramIndex;
export function buildScalarIndex(type: FieldIndexType, column: Column, rowCount: number, params: Record<string, unknown> = {}): ScalarIndex | RTreeIndex | NgramIndex {
  if (type === 'RTREE') return RTreeIndex.build(column, rowCount);
  if (type === 'NGRAM') {
    const { minGram, maxGram } = ngramParams(params);
    return NgramIndex.build(column, rowCount, minGram, maxGram);
  }
  return makeScalarIndex(type, buildPostings(column, rowCount));
}

/** Type guard for the `unknown` that SegmentView.scalarIndex returns. */
export function isScalarIndex(v: unknown): v is ScalarIndex {
  return v instanceof ScalarIndex;
}

