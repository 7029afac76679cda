/** Shapes shared by every vector index and the exact search. */
import type { Bitset } from '../core/bitset.js';
import type { SparseRow } from '../core/column.js';
import type { DataType, MetricType } from '../core/data-type.js';

/**
 * Query vectors in the element type of the field they search: Float32Array for FloatVector (and for
 * Float16/BFloat16, already widened), Int8Array for Int8Vector, Uint8Array (dim/8 bytes a query) for
 * BinaryVector. `nq` queries of `dim` dimensions, row-major.
 */
export interface QueryVectors {
  type: DataType;
  dim: number;
  nq: number;
  data: Float32Array | Int8Array | Uint8Array;
  /** SparseFloatVector queries (then `data` is empty and `dim` 0): one row of sorted indices each. */
  sparse?: readonly SparseRow[];
}

/** Range search bounds in Milvus terms: results lie between `radius` (outer) and `rangeFilter` (inner). */
export interface RangeBounds {
  radius: number;
  rangeFilter?: number;
}

/**
 * Per-query top-k: `ids` are row offsets within the segment (-1 where fewer than k rows qualified),
 * `scores` are in Milvus's convention (L2 squared distance ascending; IP, COSINE similarity descending;
 * HAMMING, JACCARD distance ascending). Row-major nq × k.
 */
export interface SearchHits {
  nq: number;
  k: number;
  ids: Int32Array;
  scores: Float32Array;
}

export interface SearchOptions {
  metric: MetricType;
  k: number;
  /** Rows that may be returned (filter AND not deleted); null = all rows. */
  allow: Bitset | null;
  range?: RangeBounds;
  /** Index search params as given by the user (`nprobe`, `ef`, ...), already validated. */
  params?: Record<string, unknown>;
  /** BM25 scoring (sparse indexes with metric BM25): collection-wide k1, b and average document length. */
  bm25?: { k1: number; b: number; avgdl: number };
}
