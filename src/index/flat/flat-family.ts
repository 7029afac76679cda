/**
 * FLAT (dense) and BIN_FLAT (binary): exact Wasm search over the segment's rows, no parameters.
 *
 * Payload (inside the index-file frame): the rows in kernel layout — f32 (COSINE rows unit
 * length), Float16/BFloat16 as their u16 values, int8, or packed bits — n × rowBytes, nothing else.
 */
import type { VectorColumn } from '../../core/column.js';
import { DataType } from '../../core/data-type.js';
import type { IndexFamily, VectorIndex, VectorIndexSpec } from '../registry.js';
import { writeIndexFile } from '../kernels/index-file.js';
import { WasmSpace } from '../kernels/wasm-space.js';
import type { QueryVectors, SearchHits, SearchOptions } from '../types.js';

export const DENSE_TYPES = [DataType.FloatVector, DataType.Float16Vector, DataType.BFloat16Vector, DataType.Int8Vector] as const;

class FlatIndex implements VectorIndex {
  constructor(
    readonly spec: VectorIndexSpec,
    private space: WasmSpace | null,
  ) {}
  get rowCount(): number {
    return this.space?.rows ?? 0;
  }
  search(q: QueryVectors, opts: SearchOptions): SearchHits {
    const s = this.space!;
    return s.exactSearch(q, opts.k, opts.allow, opts.range);
  }
  memoryBytes(): number {
    return this.space?.inst.memoryBytes() ?? 0;
  }
  serialize(): Uint8Array {
    return writeIndexFile(this.spec, this.space!.storedRows());
  }
  dispose(): void {
    this.space = null;
  }
}

function buildFlat(spec: VectorIndexSpec, column: VectorColumn, rowCount: number): Promise<VectorIndex> {
  return Promise.resolve(new FlatIndex(spec, WasmSpace.fromColumn(column, rowCount, spec.metricType)));
}

function loadFlat(spec: VectorIndexSpec, payload: Uint8Array): VectorIndex {
  return new FlatIndex(spec, WasmSpace.fromStored(spec.dataType, spec.metricType, spec.dim, payload));
}

export const flatFamily: IndexFamily = {
  indexType: 'FLAT',
  dataTypes: DENSE_TYPES,
  metrics: ['L2', 'IP', 'COSINE'],
  buildParams: [],
  searchParams: [],
  build: buildFlat,
  load: loadFlat,
};

export const binFlatFamily: IndexFamily = {
  indexType: 'BIN_FLAT',
  dataTypes: [DataType.BinaryVector],
  metrics: ['HAMMING', 'JACCARD'],
  buildParams: [],
  searchParams: [],
  build: buildFlat,
  load: loadFlat,
};

export const flatFamilies: readonly IndexFamily[] = [flatFamily, binFlatFamily];
