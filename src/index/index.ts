/**
 * The vector index API the engine codes against: validate createIndex / search parameters, build an
 * index over a sealed segment's vector column, load it back from its file, and exact search for
 * growing segments. Every index family lives behind the registry (registry.ts); this module wires the
 * built-in families and frames index files (kernels/index-file.ts).
 */
import type { VectorColumn } from '../core/column.js';
import { DataType, dataTypeName, type MetricType } from '../core/data-type.js';
import { dataCorrupted, invalidParam } from '../core/errors.js';
import { flatFamilies } from './flat/flat-family.js';
import { hnswFamily } from './hnsw/hnsw-family.js';
import { ivfFamilies } from './ivf/families.js';
import { quantizerFamilies } from './quantizers/families.js';
import { sparseFamilies } from './sparse/sparse-family.js';
import { sparseExactSearch } from './sparse/exact.js';
import { exactSearchWasm } from './flat/exact-search.js';
import { readIndexFile } from './kernels/index-file.js';
import { refuseMinHash } from './minhash.js';
import { EmptyIndex, NullSkippingIndex, packRows, validRowIds, wrapLoaded } from './null-rows.js';
import { checkParams, getIndexFamily, registerIndexFamily, registeredIndexTypes, type VectorIndex, type VectorIndexSpec } from './registry.js';
import type { QueryVectors, SearchHits, SearchOptions } from './types.js';

export type { VectorIndex, VectorIndexSpec, IndexFamily, ParamRule } from './registry.js';
export { registerIndexFamily } from './registry.js';
export { refuseMinHash, MINHASH_REFUSAL } from './minhash.js';

for (const f of [...flatFamilies, hnswFamily, ...ivfFamilies, ...quantizerFamilies, ...sparseFamilies]) registerIndexFamily(f);

/** Build/search keys that travel inside `params` in the SDKs but are not index parameters. */
const NOT_INDEX_PARAMS = new Set(['index_type', 'metric_type', 'params', 'mmap.enabled', 'nlist_fraction']);

const DENSE_METRICS = ['L2', 'IP', 'COSINE'];
const BINARY_METRICS = ['HAMMING', 'JACCARD'];
const SPARSE_METRICS = ['IP', 'BM25'];

/** What AUTOINDEX becomes per field type (Milvus standalone defaults). */
function autoIndexFor(dataType: DataType): { indexType: string; metricType: MetricType; params: Record<string, unknown> } {
  if (dataType === DataType.BinaryVector) {
    if (getIndexFamily('BIN_IVF_FLAT')) return { indexType: 'BIN_IVF_FLAT', metricType: 'HAMMING', params: { nlist: 1024 } };
    return { indexType: 'BIN_FLAT', metricType: 'HAMMING', params: {} };
  }
  if (dataType === DataType.SparseFloatVector) return { indexType: 'SPARSE_INVERTED_INDEX', metricType: 'IP', params: {} };
  return { indexType: 'HNSW', metricType: 'COSINE', params: { M: 18, efConstruction: 240 } };
}

function defaultMetric(dataType: DataType): MetricType {
  if (dataType === DataType.SparseFloatVector) return 'IP';
  return dataType === DataType.BinaryVector ? 'HAMMING' : 'COSINE';
}

/**
 * Validate and normalise a createIndex request for a vector field. AUTOINDEX (or '') becomes a
 * concrete type with its defaults; an empty metric becomes the type's default (COSINE for dense
 * vectors, HAMMING for binary). Throws 1100 naming the parameter and its range / allowed values.
 */
export function resolveVectorIndexSpec(
  field: { dataType: DataType; dim: number; name: string },
  indexType: string,
  metricType: string,
  params: Record<string, unknown>,
): VectorIndexSpec {
  refuseMinHash('index_type', indexType);
  refuseMinHash('metric_type', metricType);
  let given: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(params ?? {})) if (!NOT_INDEX_PARAMS.has(k)) given[k] = v;
  let type = (indexType ?? '').trim().toUpperCase();
  let metric = (metricType ?? '').trim().toUpperCase();
  if (type === '' || type === 'AUTOINDEX') {
    const auto = autoIndexFor(field.dataType);
    type = auto.indexType;
    if (metric === '') metric = auto.metricType;
    // Milvus ignores user build parameters for AUTOINDEX.
    given = { ...auto.params };
  }
  const family = getIndexFamily(type);
  if (!family) {
    throw invalidParam('index_type', `${indexType} is not supported; allowed: ${['AUTOINDEX', ...registeredIndexTypes()].join(', ')}`);
  }
  if (!family.dataTypes.includes(field.dataType)) {
    const allowed = registeredIndexTypes().filter((t) => getIndexFamily(t)!.dataTypes.includes(field.dataType));
    throw invalidParam('index_type', `${type} does not support ${dataTypeName(field.dataType)} field "${field.name}"; allowed: ${['AUTOINDEX', ...allowed].join(', ')}`);
  }
  if (metric === '') metric = defaultMetric(field.dataType);
  if (!family.metrics.includes(metric as MetricType)) {
    const all = field.dataType === DataType.BinaryVector ? BINARY_METRICS : field.dataType === DataType.SparseFloatVector ? SPARSE_METRICS : DENSE_METRICS;
    const reason = all.includes(metric) ? `is not supported by ${type}` : `is not valid for ${dataTypeName(field.dataType)}`;
    throw invalidParam('metric_type', `${metricType} ${reason}; allowed: ${family.metrics.join(', ')}`);
  }
  const spec: VectorIndexSpec = {
    indexType: type,
    metricType: metric as MetricType,
    // Keys this type does not use (nlist on FLAT or HNSW, ...) are ignored, as Milvus's index checkers
    // only range-check the keys a type reads; the keys it reads keep their checks.
    params: checkParams(family.buildParams, given, false),
    dataType: field.dataType,
    dim: field.dim,
  };
  family.check?.(spec);
  return spec;
}

/**
 * The user's build parameters as Milvus keeps them in the index description: every key given (also
 * those the index type ignores), without the keys that are not build parameters.
 */
export function keptIndexParams(params: Record<string, unknown> | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(params ?? {})) if (!NOT_INDEX_PARAMS.has(k)) out[k] = v;
  return out;
}

/** Validate search params (ef, nprobe, ...) for a spec given the limit (topk); unknown keys are ignored as Milvus does. */
export function resolveSearchParams(spec: VectorIndexSpec, params: Record<string, unknown>, limit: number): Record<string, unknown> {
  const family = getIndexFamily(spec.indexType);
  if (!family) throw invalidParam('index_type', `${spec.indexType} is not supported`);
  const given: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(params ?? {})) if (!NOT_INDEX_PARAMS.has(k)) given[k] = v;
  const out = checkParams(family.searchParams, given, false);
  return family.adjustSearch ? family.adjustSearch(spec, out, limit) : out;
}

/**
 * Build an index over the first `rowCount` rows of `column`. `onProgress` gets fractions in [0, 1].
 * Null rows of a nullable vector column are left out of the index (null-rows.ts); the index still
 * answers in the segment's row space.
 */
export async function buildVectorIndex(
  spec: VectorIndexSpec,
  column: VectorColumn,
  rowCount: number,
  onProgress?: (fraction: number) => void,
): Promise<VectorIndex> {
  const family = getIndexFamily(spec.indexType);
  if (!family) throw invalidParam('index_type', `${spec.indexType} is not supported`);
  if (column.dim !== spec.dim) throw invalidParam('dim', `index expects dim ${spec.dim}, column has ${column.dim}`);
  const rows = validRowIds(column, rowCount);
  let idx: VectorIndex;
  if (rows === null) idx = await family.build(spec, column, rowCount, onProgress);
  else if (rows.length === 0) idx = new EmptyIndex(spec);
  else idx = new NullSkippingIndex(await family.build(spec, packRows(column, rows), rows.length, onProgress), rows, rowCount);
  onProgress?.(1);
  return idx;
}

/**
 * Load an index file (see kernels/index-file.ts). Throws DataCorrupted (1002) naming what failed.
 * `column` (the segment's, with `rowCount` rows) is needed when it may hold null vectors: the index
 * then covers its valid rows only and is checked against them.
 */
export function loadVectorIndex(bytes: Uint8Array, column?: VectorColumn, rowCount = 0): VectorIndex {
  const { spec, payload } = readIndexFile(bytes);
  const family = getIndexFamily(spec.indexType);
  if (!family) throw dataCorrupted('vector index file', `unknown index type ${JSON.stringify(spec.indexType)}`);
  if (!column || !column.valid) return family.load(spec, payload);
  const rows = validRowIds(column, rowCount);
  if (rows !== null && rows.length === 0) {
    if (payload.length !== 0) throw dataCorrupted('vector index file', 'the segment holds only null vectors, the index file holds rows');
    return new EmptyIndex(spec);
  }
  if (payload.length === 0) throw dataCorrupted('vector index file', 'the index file holds no rows, the segment has non-null vectors');
  return wrapLoaded(family.load(spec, payload), column, rowCount);
}

/**
 * Exact search (Wasm SIMD) for growing segments, FLAT and small filtered sets; same results as
 * reference/brute-force.ts (ties broken by row id).
 */
export function exactSearch(column: VectorColumn, rowCount: number, q: QueryVectors, opts: SearchOptions): SearchHits {
  if (column.type === DataType.SparseFloatVector) {
    if (!q.sparse) throw invalidParam('data', 'a SparseFloatVector field is searched with sparse query vectors');
    return sparseExactSearch(column.data, rowCount, q.sparse, opts);
  }
  return exactSearchWasm(column, rowCount, q, opts);
}
