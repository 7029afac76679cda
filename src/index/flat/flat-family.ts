/** FLAT (dense) and BIN_FLAT (binary): exact search over the segment's vectors, no parameters. */
import type { VectorColumn } from '../../core/column.js';
import { DataType } from '../../core/data-type.js';
import type { IndexFamily, VectorIndex, VectorIndexSpec } from '../registry.js';
import { writeIndexFile } from '../kernels/index-file.js';
import type { QueryVectors, SearchHits, SearchOptions } from '../types.js';
import { exactSearchWasm } from './exact-search.js';

const DENSE = [DataType.FloatVector, DataType.Float16Vector, DataType.BFloat16Vector, DataType.Int8Vector] as const;

function sliceColumn(col: VectorColumn, rowCount: number): VectorColumn {
  const per = col.type === DataType.BinaryVector ? col.dim >>> 3 : col.dim;
  return { ...col, data: col.data.slice(0, rowCount * per) } as VectorColumn;
}

class FlatIndex implements VectorIndex {
  constructor(
    readonly spec: VectorIndexSpec,
    private readonly column: VectorColumn,
    readonly rowCount: number,
  ) {}
  search(q: QueryVectors, opts: SearchOptions): SearchHits {
    return exactSearchWasm(this.column, this.rowCount, q, opts);
  }
  memoryBytes(): number {
    return (this.column.data as Uint8Array).byteLength;
  }
  serialize(): Uint8Array {
    const d = this.column.data as Uint8Array;
    return writeIndexFile(this.spec, new Uint8Array(d.buffer, d.byteOffset, d.byteLength));
  }
  dispose(): void {}
}

function loadFlat(spec: VectorIndexSpec, payload: Uint8Array): VectorIndex {
  const copy = payload.slice();
  const dim = spec.dim;
  let col: VectorColumn;
  if (spec.dataType === DataType.FloatVector) col = { type: DataType.FloatVector, dim, data: new Float32Array(copy.buffer), valid: null };
  else if (spec.dataType === DataType.Float16Vector) col = { type: DataType.Float16Vector, dim, data: new Uint16Array(copy.buffer), valid: null };
  else if (spec.dataType === DataType.BFloat16Vector) col = { type: DataType.BFloat16Vector, dim, data: new Uint16Array(copy.buffer), valid: null };
  else if (spec.dataType === DataType.Int8Vector) col = { type: DataType.Int8Vector, dim, data: new Int8Array(copy.buffer), valid: null };
  else col = { type: DataType.BinaryVector, dim, data: copy, valid: null };
  const per = spec.dataType === DataType.BinaryVector ? dim >>> 3 : dim;
  return new FlatIndex(spec, col, per === 0 ? 0 : col.data.length / per);
}

export const flatFamily: IndexFamily = {
  indexType: 'FLAT',
  dataTypes: DENSE,
  metrics: ['L2', 'IP', 'COSINE'],
  buildParams: [],
  searchParams: [],
  build: (spec, column, rowCount) => Promise.resolve(new FlatIndex(spec, sliceColumn(column, rowCount), rowCount)),
  load: loadFlat,
};

export const binFlatFamily: IndexFamily = {
  indexType: 'BIN_FLAT',
  dataTypes: [DataType.BinaryVector],
  metrics: ['HAMMING', 'JACCARD'],
  buildParams: [],
  searchParams: [],
  build: (spec, column, rowCount) => Promise.resolve(new FlatIndex(spec, sliceColumn(column, rowCount), rowCount)),
  load: loadFlat,
};

export const flatFamilies: readonly IndexFamily[] = [flatFamily, binFlatFamily];
