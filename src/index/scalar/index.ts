/** Scalar indexes on non-vector fields (createIndex on a scalar field). See scalar-index.ts. */
import type { Column } from '../../core/column.js';
import type { FieldIndexType, ScalarIndexType } from './scalar-index-type.js';
import { RTreeIndex } from './rtree-index.js';
import { makeScalarIndex, ScalarIndex } from './scalar-index.js';
import { buildPostings } from './sorted-postings.js';

export type { FieldIndexType, ScalarIndexType } from './scalar-index-type.js';
export { RTreeIndex, isRTreeIndex } from './rtree-index.js';
export { geometryCache, GeometryCache } from './geometry-cache.js';
export { boundsOf, parseWkt, pointLocator, tryParseWkt, type Geom, type PointLocation } from './geometry.js';
export { ScalarIndex, InvertedIndex, StlSortIndex, BitmapIndex, TrieIndex } from './scalar-index.js';
export type { Key, KeyKind } from './sorted-postings.js';
export { resolveScalarIndexType } from './resolve-type.js';
export { serializeScalarIndex } from './codec.js';
export { loadScalarIndex } from './load.js';

/** Builds an index over the first `rowCount` rows of a column (type already resolved). */
export function buildScalarIndex(type: ScalarIndexType, column: Column, rowCount: number): ScalarIndex;
export function buildScalarIndex(type: FieldIndexType, column: Column, rowCount: number): ScalarIndex | RTreeIndex;
export function buildScalarIndex(type: FieldIndexType, column: Column, rowCount: number): ScalarIndex | RTreeIndex {
  if (type === 'RTREE') return RTreeIndex.build(column, rowCount);
  return makeScalarIndex(type, buildPostings(column, rowCount));
}

/** Type guard for the `unknown` that SegmentView.scalarIndex returns. */
export function isScalarIndex(v: unknown): v is ScalarIndex {
  return v instanceof ScalarIndex;
}

