/** HNSW: Milvus parameters (M, efConstruction; search ef) and the family entry of the registry. */
import { DataType } from '../../core/data-type.js';
import { invalidParam } from '../../core/errors.js';
import { flatFamily } from '../flat/flat-family.js';
import type { IndexFamily } from '../registry.js';

const INT_MAX = 2147483647;

export const hnswFamily: IndexFamily = {
  indexType: 'HNSW',
  dataTypes: [DataType.FloatVector, DataType.Float16Vector, DataType.BFloat16Vector, DataType.Int8Vector],
  metrics: ['L2', 'IP', 'COSINE'],
  buildParams: [
    { name: 'M', kind: 'int', min: 2, max: 2048, default: 30 },
    { name: 'efConstruction', kind: 'int', min: 1, max: INT_MAX, default: 360 },
  ],
  searchParams: [{ name: 'ef', kind: 'int', min: 1, max: INT_MAX }],
  adjustSearch(_spec, params, limit) {
    const ef = params.ef as number | undefined;
    if (ef === undefined) return { ...params, ef: Math.max(limit, 16) };
    if (ef < limit) throw invalidParam('ef', `must be >= limit (topk ${limit}), got ${ef}`);
    return params;
  },
  // Placeholder until the Wasm graph lands: exact search.
  build: (spec, column, rowCount, onProgress) => flatFamily.build(spec, column, rowCount, onProgress),
  load: (spec, payload) => flatFamily.load(spec, payload),
};
