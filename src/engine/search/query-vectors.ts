/** Parses the vectors of a search request into the element type of the field they search. */
import { DataType, dataTypeName } from '../../core/data-type.js';
import { invalidParam } from '../../core/errors.js';
import type { FieldSchema } from '../../core/schema.js';
import type { QueryVectors } from '../../index/types.js';
import { bf16ToF32, f16ToF32 } from '../../index/reference/half.js';
import { sparseRow } from '../row-codec.js';

function isVectorLike(v: unknown): v is ArrayLike<number> {
  return (Array.isArray(v) && (v.length === 0 || typeof v[0] === 'number')) || (ArrayBuffer.isView(v) && !(v instanceof DataView));
}

/** Splits `data` into a list of single vectors: a flat vector means nq = 1. */
export function splitQueries(data: unknown): ArrayLike<number>[] {
  if (isVectorLike(data)) return [data];
  if (Array.isArray(data) && data.every(isVectorLike)) return data;
  throw invalidParam('data', 'expected a query vector (array of numbers) or a list of query vectors');
}

/** Milvus's `quotaAndLimits.limits.nq` (default 16384): query vectors per search request. */
export const MAX_NQ = 16384;

/** Refuses a number of query vectors outside [1, MAX_NQ] (1100, as Milvus's proxy validateNQLimit). */
export function checkNq(nq: number): void {
  if (!Number.isInteger(nq) || nq < 1 || nq > MAX_NQ) throw invalidParam('nq', `must be in [1, ${MAX_NQ}], got ${nq}`);
}

/**
 * Query vectors a transport has counted but not decoded yet (the gRPC placeholder group): the count
 * is checked against MAX_NQ before `decode` builds anything, so a request with a million query
 * vectors is refused without a million objects ever being made.
 */
export class DeferredQueries {
  constructor(
    readonly count: number,
    private readonly read: () => unknown[],
  ) {}

  /** The query values, once their number is allowed. */
  decode(): unknown[] {
    checkNq(this.count);
    return this.read();
  }
}

/** `data` with deferred query vectors decoded (after their count is checked); anything else as it is. */
export function resolveQueryData(data: unknown): unknown {
  return data instanceof DeferredQueries ? data.decode() : data;
}

/** True when `v` is one sparse vector in an SDK encoding (dict, CSR, COO, dense array, array of pairs). */
function isOneSparse(v: unknown): boolean {
  if (Array.isArray(v)) {
    if (v.length === 0) return true;
    if (v.every((x) => typeof x === 'number' || x === undefined)) return true;
    if (v.every((x) => x !== null && typeof x === 'object' && !Array.isArray(x) && 'index' in x && 'value' in x)) return true;
    return false;
  }
  if (v instanceof Map) return true;
  if (v !== null && typeof v === 'object') {
    if ('indices' in v && 'values' in v) return true;
    return Object.values(v).every((x) => typeof x === 'number');
  }
  return false;
}

/**
 * Sparse queries as the SDK reads them: one sparse vector in any encoding means nq = 1, otherwise a
 * list of them (a list of `[index, value]` pair lists included).
 */
function parseSparseQueries(field: FieldSchema, data: unknown): QueryVectors {
  const list = isOneSparse(data) ? [data] : Array.isArray(data) ? data : null;
  if (!list || list.length === 0) throw invalidParam('data', `expected a sparse query vector or a list of them for field "${field.name}"`);
  checkNq(list.length);
  const sparse = list.map((v, i) => sparseRow(v instanceof Map ? Object.fromEntries(v) : v, `data[${i}]`));
  return { type: DataType.SparseFloatVector, dim: 0, nq: sparse.length, data: new Float32Array(0), sparse };
}

export function parseQueryVectors(field: FieldSchema, data: unknown): QueryVectors {
  if (data === undefined || data === null) throw invalidParam('data', 'search needs at least one query vector');
  if (field.dataType === DataType.SparseFloatVector) return parseSparseQueries(field, data);
  const list = splitQueries(data);
  const nq = list.length;
  if (nq === 0) throw invalidParam('data', 'search needs at least one query vector');
  checkNq(nq);
  const dim = field.dim ?? 0;
  const t = field.dataType;
  if (t === DataType.BinaryVector) {
    const bytes = dim >>> 3;
    const out = new Uint8Array(nq * bytes);
    list.forEach((v, i) => {
      if (v.length !== bytes) throw invalidParam('data', `binary query vector ${i} must have dim/8 = ${bytes} bytes for field "${field.name}", got ${v.length}`);
      out.set(Array.from(v), i * bytes);
    });
    return { type: t, dim, nq, data: out };
  }
  if (t === DataType.Int8Vector) {
    const out = new Int8Array(nq * dim);
    list.forEach((v, i) => {
      if (v.length !== dim) throw invalidParam('data', `query vector ${i} has dimension ${v.length}, field "${field.name}" has dim ${dim}`);
      for (let j = 0; j < dim; j++) out[i * dim + j] = v[j]!;
    });
    return { type: t, dim, nq, data: out };
  }
  if (t === DataType.FloatVector || t === DataType.Float16Vector || t === DataType.BFloat16Vector) {
    const out = new Float32Array(nq * dim);
    list.forEach((v, i) => {
      // Raw half-precision bytes (as the SDK can send them) are widened here.
      if (v instanceof Uint8Array && t !== DataType.FloatVector && v.length === dim * 2) {
        const u16 = new Uint16Array(v.buffer.slice(v.byteOffset, v.byteOffset + v.length));
        const conv = t === DataType.Float16Vector ? f16ToF32 : bf16ToF32;
        for (let j = 0; j < dim; j++) out[i * dim + j] = conv(u16[j]!);
        return;
      }
      if (v.length !== dim) throw invalidParam('data', `query vector ${i} has dimension ${v.length}, field "${field.name}" has dim ${dim}`);
      for (let j = 0; j < dim; j++) {
        const x = v[j]!;
        if (typeof x !== 'number' || !Number.isFinite(x)) throw invalidParam('data', `query vector ${i} element ${j} is not a finite number`);
        out[i * dim + j] = x;
      }
    });
    return { type: t, dim, nq, data: out };
  }
  throw invalidParam('anns_field', `search on ${dataTypeName(t)} field "${field.name}" is not supported`);
}
