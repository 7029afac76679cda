/** HNSW: Milvus parameters (M, efConstruction; search ef) and the family entry of the registry. */
import { invalidParam } from '../../core/errors.js';
import { DENSE_TYPES } from '../flat/flat-family.js';
import type { IndexFamily } from '../registry.js';
import { HnswIndex } from './hnsw-index.js';

const INT_MAX = 2147483647;

export const hnswFamily: IndexFamily = {
  indexType: 'HNSW',
  dataTypes: DENSE_TYPES,
  metrics: ['L2', 'IP', 'COSINE'],
  buildParams: [
    { name: 'M', kind: 'int', min: 2, max: 2048, default: 30 },
    { name: 'efConstruction', kind: 'int', min: 1, max: INT_MAX, default: 360 },
  ],
  searchParams: [{ name: 'ef', kind: 'int', min: 1, max: INT_MAX }],
  /** ef defaults to max(limit, 16); an explicit ef below the limit is an error, as in Milvus. */
  adjustSearch(_spec, params, limit) {
    const ef = params.ef as number | undefined;
    if (ef === undefined) return { ...params, ef: Math.max(limit, 16) };
    if (ef < limit) throw invalidParam('ef', `must be >= limit (topk ${limit}), got ${ef}`);
    return params;
  },
  build: (spec, column, rowCount, onProgress) => HnswIndex.build(spec, column, rowCount, onProgress),
  load: (spec, payload) => HnswIndex.load(spec, payload),
};
