/**
 * The IVF index families of the registry: IVF_FLAT, IVF_SQ8, IVF_PQ and BIN_IVF_FLAT, with Milvus's
 * (knowhere's) names, ranges and defaults:
 *   build  nlist  int [1, 65536], default 128 (all four)
 *          m      int [1, 65536], required, must divide dim (IVF_PQ)
 *          nbits  int [1, 16], default 8 (IVF_PQ)
 *   search nprobe int [1, 65536], default 8; nprobe > nlist scans every list (FAISS clamps it)
 *          max_empty_result_buckets int [1, 65536], default 2 (range search; accepted, no effect here)
 */
import { DataType } from '../../core/data-type.js';
import { invalidParam } from '../../core/errors.js';
import type { VectorColumn } from '../../core/column.js';
import type { IndexFamily, ParamRule, VectorIndex, VectorIndexSpec } from '../registry.js';
import { buildIvfModel } from './ivf-build.js';
import { IvfIndex } from './ivf-index.js';
import { CODEC_BIN, CODEC_F32, CODEC_PQ, CODEC_SQ8, decodeIvfModel } from './ivf-model.js';

const DENSE = [DataType.FloatVector, DataType.Float16Vector, DataType.BFloat16Vector, DataType.Int8Vector] as const;

export const NLIST_RULE: ParamRule = { name: 'nlist', kind: 'int', min: 1, max: 65536, default: 128 };
export const IVF_SEARCH_RULES: readonly ParamRule[] = [
  { name: 'nprobe', kind: 'int', min: 1, max: 65536, default: 8 },
  { name: 'max_empty_result_buckets', kind: 'int', min: 1, max: 65536, default: 2 },
];

/** Keep nprobe as given (the index clamps it to its real nlist, as FAISS does). */
function adjustSearch(_spec: VectorIndexSpec, params: Record<string, unknown>): Record<string, unknown> {
  return params;
}

function family(indexType: string, codec: number, extra: readonly ParamRule[] = [], check?: (spec: VectorIndexSpec) => void): IndexFamily {
  const binary = codec === CODEC_BIN;
  return {
    indexType,
    dataTypes: binary ? [DataType.BinaryVector] : DENSE,
    metrics: binary ? ['HAMMING', 'JACCARD'] : ['L2', 'IP', 'COSINE'],
    buildParams: [NLIST_RULE, ...extra],
    searchParams: IVF_SEARCH_RULES,
    ...(check ? { check } : {}),
    adjustSearch,
    async build(spec: VectorIndexSpec, column: VectorColumn, rowCount: number, onProgress?: (f: number) => void): Promise<VectorIndex> {
      const model = await buildIvfModel(
        { codec, metric: spec.metricType, nlist: Number(spec.params.nlist ?? 128), pqM: Number(spec.params.m), pqNbits: Number(spec.params.nbits ?? 8) },
        column,
        rowCount,
        onProgress,
      );
      return new IvfIndex(spec, model);
    },
    load(spec: VectorIndexSpec, payload: Uint8Array): VectorIndex {
      return new IvfIndex(spec, decodeIvfModel(payload));
    },
  };
}

/** IVF_PQ: m is required and must divide dim (Milvus rejects the index otherwise). */
function checkPq(spec: VectorIndexSpec): void {
  const m = spec.params.m;
  if (m === undefined || m === null) throw invalidParam('m', `is required for IVF_PQ: an integer in [1, 65536] that divides dim (${spec.dim})`);
  if (spec.dim % Number(m) !== 0) throw invalidParam('m', `must divide dim: dim ${spec.dim} is not a multiple of m ${String(m)}`);
}

export const ivfFlatFamily = family('IVF_FLAT', CODEC_F32);
export const ivfSq8Family = family('IVF_SQ8', CODEC_SQ8);
export const ivfPqFamily = family(
  'IVF_PQ',
  CODEC_PQ,
  [
    { name: 'm', kind: 'int', min: 1, max: 65536 },
    { name: 'nbits', kind: 'int', min: 1, max: 16, default: 8 },
  ],
  checkPq,
);
export const binIvfFlatFamily = family('BIN_IVF_FLAT', CODEC_BIN);

export const ivfFamilies: readonly IndexFamily[] = [ivfFlatFamily, ivfSq8Family, ivfPqFamily, binIvfFlatFamily];
