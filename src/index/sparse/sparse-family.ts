/**
 * SPARSE_INVERTED_INDEX and SPARSE_WAND on SparseFloatVector fields, metrics IP and BM25 (Milvus 2.6:
 * milvus.io/docs/sparse-inverted-index.md, sparse_vector.md; indexparamcheck/sparse_float_vector_base_checker.go).
 *
 * Build params: `inverted_index_algo` (DAAT_MAXSCORE default, DAAT_WAND, TAAT_NAIVE), `drop_ratio_build`
 * in [0, 1) (accepted for compatibility; Elanus keeps every posting so results stay exact), `bm25_k1`
 * in [1.2, 2.0] (default 1.2) and `bm25_b` in [0, 1] (default 0.75) for BM25. SPARSE_WAND is the
 * older name of the same index with DAAT_WAND. Search params: `drop_ratio_search` in [0, 1) (drop that
 * fraction of the query's smallest values) and `dim_max_score_ratio` in [0.5, 1.3] (default 1.05).
 *
 * The payload is the segment's posting lists (posting-lists.ts documents the layout).
 */
import type { VectorColumn } from '../../core/column.js';
import { DataType } from '../../core/data-type.js';
import { invalidParam } from '../../core/errors.js';
import { writeIndexFile } from '../kernels/index-file.js';
import type { IndexFamily, ParamRule, VectorIndex, VectorIndexSpec } from '../registry.js';
import type { QueryVectors, SearchHits, SearchOptions } from '../types.js';
import { PostingLists, type InvertedIndexAlgo } from './posting-lists.js';

const ALGOS = ['DAAT_MAXSCORE', 'DAAT_WAND', 'TAAT_NAIVE'] as const;

class SparseIndex implements VectorIndex {
  constructor(
    readonly spec: VectorIndexSpec,
    private lists: PostingLists | null,
  ) {}
  get rowCount(): number {
    return this.lists?.n ?? 0;
  }
  private get algo(): InvertedIndexAlgo {
    if (this.spec.indexType === 'SPARSE_WAND') return 'DAAT_WAND';
    return (this.spec.params.inverted_index_algo as InvertedIndexAlgo | undefined) ?? 'DAAT_MAXSCORE';
  }
  search(q: QueryVectors, opts: SearchOptions): SearchHits {
    if (!q.sparse) throw invalidParam('data', `${this.spec.indexType} searches sparse query vectors`);
    return this.lists!.search(q.sparse, opts, this.algo);
  }
  memoryBytes(): number {
    return this.lists?.memoryBytes() ?? 0;
  }
  serialize(): Uint8Array {
    return writeIndexFile(this.spec, this.lists!.serialize());
  }
  dispose(): void {
    this.lists = null;
  }
}

function build(spec: VectorIndexSpec, column: VectorColumn, rowCount: number, onProgress?: (f: number) => void): Promise<VectorIndex> {
  if (column.type !== DataType.SparseFloatVector) throw invalidParam('index_type', `${spec.indexType} needs a SparseFloatVector field`);
  return Promise.resolve(new SparseIndex(spec, PostingLists.build(column.data, rowCount, onProgress)));
}

function load(spec: VectorIndexSpec, payload: Uint8Array): VectorIndex {
  return new SparseIndex(spec, PostingLists.load(payload));
}

const commonBuild: ParamRule[] = [
  { name: 'drop_ratio_build', kind: 'float', min: 0, max: 0.999999 },
  { name: 'bm25_k1', kind: 'float', min: 1.2, max: 2.0 },
  { name: 'bm25_b', kind: 'float', min: 0, max: 1 },
];

const searchParams: ParamRule[] = [
  { name: 'drop_ratio_search', kind: 'float', min: 0, max: 0.999999, default: 0 },
  { name: 'dim_max_score_ratio', kind: 'float', min: 0.5, max: 1.3, default: 1.05 },
];

export const sparseInvertedFamily: IndexFamily = {
  indexType: 'SPARSE_INVERTED_INDEX',
  dataTypes: [DataType.SparseFloatVector],
  metrics: ['IP', 'BM25'],
  buildParams: [{ name: 'inverted_index_algo', kind: 'enum', values: ALGOS, default: 'DAAT_MAXSCORE' }, ...commonBuild],
  searchParams,
  build,
  load,
};

export const sparseWandFamily: IndexFamily = {
  indexType: 'SPARSE_WAND',
  dataTypes: [DataType.SparseFloatVector],
  metrics: ['IP', 'BM25'],
  buildParams: commonBuild,
  searchParams,
  build,
  load,
};

export const sparseFamilies: readonly IndexFamily[] = [sparseInvertedFamily, sparseWandFamily];
