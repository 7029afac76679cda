/**
 * Rows in, columns out (insert/upsert), and column values back to API values (query/search output).
 * Every value is checked against its field: type, range, length, dimension, nullability. The whole
 * batch is validated before anything is written, so a bad row never leaves a partial insert behind.
 */
import type { Column, SparseRow } from '../core/column.js';
import { buildAnalyzer, termFrequencies } from '../text/index.js';
import { DataType, dataTypeName } from '../core/data-type.js';
import { invalidParam } from '../core/errors.js';
import { DYNAMIC_FIELD, type CollectionSchema, type FieldSchema } from '../core/schema.js';
import { emptyColumn } from '../storage/index.js';
import { f16ToF32, bf16ToF32, f32ToF16, f32ToBf16 } from '../index/reference/half.js';
import { formatTimestamptz, geometryValue, timestamptzValue } from './temporal-spatial.js';

export type Row = Record<string, unknown>;

const INT_RANGES: Partial<Record<number, [number, number]>> = {
  [DataType.Int8]: [-128, 127],
  [DataType.Int16]: [-32768, 32767],
  [DataType.Int32]: [-2147483648, 2147483647],
};
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

const utf8 = new TextEncoder();

function where(f: FieldSchema, row: number): string {
  return `${f.name} (row ${row})`;
}

export function toInt64(v: unknown, what: string): bigint {
  let b: bigint;
  if (typeof v === 'bigint') b = v;
  else if (typeof v === 'number' && Number.isInteger(v)) b = BigInt(v);
  else if (typeof v === 'string' && /^-?\d+$/.test(v.trim())) b = BigInt(v.trim());
  else throw invalidParam(what, `expected an Int64 value, got ${describe(v)}`);
  if (b < INT64_MIN || b > INT64_MAX) throw invalidParam(what, `value ${b} is out of the Int64 range`);
  return b;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  if (typeof v === 'string') return `string ${JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v)}`;
  if (typeof v === 'object') return 'an object';
  return `${typeof v} ${String(v)}`;
}

/** Checks and converts one scalar value for a field (non-null). */
export function scalarValue(f: FieldSchema | { name: string; dataType: DataType; maxLength?: number }, v: unknown, what: string): unknown {
  switch (f.dataType) {
    case DataType.Bool:
      if (typeof v !== 'boolean') throw invalidParam(what, `expected a Bool, got ${describe(v)}`);
      return v;
    case DataType.Int8:
    case DataType.Int16:
    case DataType.Int32: {
      const n = typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : v;
      const [lo, hi] = INT_RANGES[f.dataType]!;
      if (typeof n !== 'number' || !Number.isInteger(n)) throw invalidParam(what, `expected an ${dataTypeName(f.dataType)}, got ${describe(v)}`);
      if (n < lo || n > hi) throw invalidParam(what, `value ${n} is out of the ${dataTypeName(f.dataType)} range [${lo}, ${hi}]`);
      return n;
    }
    case DataType.Int64:
      return toInt64(v, what);
    case DataType.Float:
    case DataType.Double: {
      if (typeof v !== 'number' || !Number.isFinite(v)) throw invalidParam(what, `expected a finite ${dataTypeName(f.dataType)}, got ${describe(v)}`);
      return v;
    }
    case DataType.VarChar: {
      if (typeof v !== 'string') throw invalidParam(what, `expected a VarChar string, got ${describe(v)}`);
      const max = f.maxLength ?? 65535;
      if (v.length > max || utf8.encode(v).length > max) throw invalidParam(what, `string of ${utf8.encode(v).length} bytes exceeds max_length ${max}`);
      return v;
    }
    case DataType.Timestamptz:
      return timestamptzValue(v, what);
    case DataType.Geometry:
      return geometryValue(v, what);
    case DataType.JSON:
      if (v === undefined) throw invalidParam(what, 'expected a JSON value');
      if (typeof v === 'string') {
        try {
          return JSON.parse(v);
        } catch {
          return v;
        }
      }
      return v;
    default:
      throw invalidParam(what, `unsupported scalar type ${dataTypeName(f.dataType)}`);
  }
}

function arrayValue(f: FieldSchema, v: unknown, what: string): unknown[] {
  if (!Array.isArray(v)) throw invalidParam(what, `expected an array, got ${describe(v)}`);
  if (v.length > (f.maxCapacity ?? 4096)) throw invalidParam(what, `array of ${v.length} elements exceeds max_capacity ${f.maxCapacity}`);
  const el = { name: f.name, dataType: f.elementType!, maxLength: f.maxLength };
  return v.map((x, i) => {
    const out = scalarValue(el, x, `${what}[${i}]`);
    return typeof out === 'bigint' ? Number(out) === Number(out) && out <= BigInt(Number.MAX_SAFE_INTEGER) && out >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(out) : out : out;
  });
}

function numberList(v: unknown, what: string): ArrayLike<number> {
  if (Array.isArray(v) || ArrayBuffer.isView(v)) return v as ArrayLike<number>;
  throw invalidParam(what, `expected a vector (array of numbers), got ${describe(v)}`);
}

/** Writes one vector into a vector column at `row`. */
function putVector(col: Column, f: FieldSchema, row: number, v: unknown, what: string): void {
  const dim = f.dim ?? 0;
  switch (col.type) {
    case DataType.FloatVector: {
      const a = numberList(v, what);
      if (a.length !== dim) throw invalidParam(what, `vector dimension mismatch: field dim is ${dim}, got ${a.length}`);
      for (let i = 0; i < dim; i++) {
        const x = a[i]!;
        if (typeof x !== 'number' || !Number.isFinite(x)) throw invalidParam(what, `vector element ${i} is not a finite number`);
        col.data[row * dim + i] = x;
      }
      return;
    }
    case DataType.BinaryVector: {
      const a = numberList(v, what);
      const bytes = dim >>> 3;
      if (a.length !== bytes) throw invalidParam(what, `binary vector must have dim/8 = ${bytes} bytes, got ${a.length}`);
      for (let i = 0; i < bytes; i++) {
        const x = a[i]!;
        if (!Number.isInteger(x) || x < 0 || x > 255) throw invalidParam(what, `binary vector byte ${i} must be an integer in [0, 255]`);
        col.data[row * bytes + i] = x;
      }
      return;
    }
    case DataType.Float16Vector:
    case DataType.BFloat16Vector: {
      const enc = col.type === DataType.Float16Vector ? f32ToF16 : f32ToBf16;
      if (v instanceof Uint8Array) {
        if (v.length !== dim * 2) throw invalidParam(what, `expected ${dim * 2} bytes for a ${dim}-dim half vector, got ${v.length}`);
        const u16 = new Uint16Array(v.buffer.slice(v.byteOffset, v.byteOffset + v.length));
        col.data.set(u16, row * dim);
        return;
      }
      const a = numberList(v, what);
      if (a.length !== dim) throw invalidParam(what, `vector dimension mismatch: field dim is ${dim}, got ${a.length}`);
      for (let i = 0; i < dim; i++) col.data[row * dim + i] = enc(Number(a[i]));
      return;
    }
    case DataType.Int8Vector: {
      const a = numberList(v, what);
      if (a.length !== dim) throw invalidParam(what, `vector dimension mismatch: field dim is ${dim}, got ${a.length}`);
      for (let i = 0; i < dim; i++) {
        const x = a[i]!;
        if (!Number.isInteger(x) || x < -128 || x > 127) throw invalidParam(what, `int8 vector element ${i} must be an integer in [-128, 127]`);
        col.data[row * dim + i] = x;
      }
      return;
    }
    case DataType.SparseFloatVector: {
      col.data[row] = sparseRow(v, what);
      return;
    }
    default:
      throw invalidParam(what, `field ${f.name} is not a vector field`);
  }
}

function isListLike(v: unknown): v is ArrayLike<unknown> {
  return Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView));
}

/** Accepts `{index: value}`, `[{index, value}]`, `{indices, values}` or `[[index, value]]`. */
export function sparseRow(v: unknown, what: string): SparseRow {
  const pairs: [number, number][] = [];
  if (Array.isArray(v)) {
    // A plain number array is the SDK's 'array' encoding: position = index (holes and NaN skipped).
    if (v.every((e) => typeof e === 'number' || e === undefined)) {
      v.forEach((e: number | undefined, i) => {
        if (e !== undefined && !Number.isNaN(e)) pairs.push([i, e]);
      });
    } else {
      for (const e of v) {
        if (Array.isArray(e) && e.length === 2) pairs.push([Number(e[0]), Number(e[1])]);
        else if (e && typeof e === 'object' && 'index' in e && 'value' in e) pairs.push([Number((e as Record<string, unknown>).index), Number((e as Record<string, unknown>).value)]);
        else throw invalidParam(what, `a sparse vector as a list holds [index, value] pairs or {index, value} objects, got ${describe(e)}`);
      }
    }
  } else if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if ('indices' in o && 'values' in o) {
      const ix = o.indices as ArrayLike<unknown>;
      const vs = o.values as ArrayLike<unknown>;
      if (!isListLike(ix) || !isListLike(vs) || ix.length !== vs.length) throw invalidParam(what, 'a sparse vector {indices, values} needs two lists of the same length');
      for (let i = 0; i < ix.length; i++) pairs.push([Number(ix[i]), Number(vs[i])]);
    } else for (const [k, x] of Object.entries(o)) pairs.push([Number(k), Number(x)]);
  } else throw invalidParam(what, `expected a sparse vector, got ${describe(v)}`);
  for (const [i, x] of pairs) {
    if (!Number.isInteger(i) || i < 0 || i >= 2 ** 32 - 1) throw invalidParam(what, `sparse index ${i} must be an integer in [0, 2^32-1)`);
    if (!Number.isFinite(x)) throw invalidParam(what, `sparse value at index ${i} is not a finite number`);
  }
  pairs.sort((a, b) => a[0] - b[0]);
  for (let j = 1; j < pairs.length; j++) {
    if (pairs[j]![0] === pairs[j - 1]![0]) throw invalidParam(what, `sparse index ${pairs[j]![0]} appears more than once`);
  }
  return { indices: Uint32Array.from(pairs, (p) => p[0]), values: Float32Array.from(pairs, (p) => p[1]) };
}

/** One filler per BM25 function: the input text's term frequencies into the output column. */
function bm25Fillers(schema: CollectionSchema): ((columns: Map<string, Column>, row: number) => void)[] {
  return (schema.functions ?? []).map((fn) => {
    const input = schema.fields.find((f) => f.name === fn.inputFieldNames[0])!;
    const analyzer = buildAnalyzer(input.typeParams['analyzer_params']);
    return (columns, row) => {
      const text = columns.get(input.name)!;
      const out = columns.get(fn.outputFieldNames[0]!)!;
      const value = text.valid && text.valid[row] === 0 ? '' : String((text.data as unknown[])[row] ?? '');
      (out.data as SparseRow[])[row] = termFrequencies(analyzer, value);
    };
  });
}

export interface EncodedBatch {
  columns: Map<string, Column>;
  n: number;
  pks: (bigint | string)[];
}

/**
 * Validates `rows` against the schema and builds one column per field. `autoIds` supplies primary keys
 * when the primary key is auto-generated (upserts pass the keys instead).
 */
export function encodeRows(schema: CollectionSchema, rows: readonly Row[], autoIds: (() => bigint) | null): EncodedBatch {
  if (!Array.isArray(rows) || rows.length === 0) throw invalidParam('data', 'insert needs at least one row');
  const n = rows.length;
  const columns = new Map<string, Column>();
  const known = new Set(schema.fields.map((f) => f.name));
  const pks: (bigint | string)[] = new Array(n);
  for (const f of schema.fields) columns.set(f.name, emptyColumn(f, n));
  const fns = bm25Fillers(schema);
  for (let r = 0; r < n; r++) {
    const row = rows[r];
    if (!row || typeof row !== 'object' || Array.isArray(row)) throw invalidParam(`data[${r}]`, 'each row must be an object of field values');
    for (const f of schema.fields) {
      if (f.isDynamic) continue;
      const col = columns.get(f.name)!;
      let v = row[f.name];
      const what = where(f, r);
      if (f.isFunctionOutput) {
        if (v !== undefined && v !== null) throw invalidParam(what, `"${f.name}" is the output of a BM25 function and is filled from its input; do not supply it`);
        continue;
      }
      if (f.isPrimaryKey && f.autoID && autoIds) {
        if (v !== undefined) throw invalidParam(what, `the primary key "${f.name}" is auto-generated (autoID); do not supply it`);
        const id = autoIds();
        v = f.dataType === DataType.VarChar ? String(id) : id;
      }
      if (v === undefined || v === null) {
        if (f.defaultValue !== undefined) v = f.defaultValue;
        else if (f.nullable) {
          // valid[r] stays 0
          continue;
        } else if (f.isPrimaryKey) throw invalidParam(what, `missing primary key "${f.name}"`);
        else throw invalidParam(what, `missing value for field "${f.name}" (not nullable, no default)`);
      }
      if (col.valid) col.valid[r] = 1;
      if (f.dataType >= 100) {
        putVector(col, f, r, v, what);
        continue;
      }
      const value = f.dataType === DataType.Array ? arrayValue(f, v, what) : scalarValue(f, v, what);
      (col.data as unknown[])[r] = f.dataType === DataType.Bool ? (value ? 1 : 0) : value;
      if (f.isPrimaryKey) pks[r] = value as bigint | string;
    }
    for (const fill of fns) fill(columns, r);
    if (schema.enableDynamicField) {
      const extra: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(row)) {
        if (known.has(k)) continue;
        if (k === DYNAMIC_FIELD && v && typeof v === 'object') Object.assign(extra, v);
        else extra[k] = v;
      }
      (columns.get(DYNAMIC_FIELD)!.data as unknown[])[r] = extra;
    } else {
      for (const k of Object.keys(row)) {
        if (!known.has(k)) throw invalidParam(`data[${r}].${k}`, `field "${k}" does not exist in the schema (dynamic field is disabled)`);
      }
    }
  }
  return { columns, n, pks };
}

/**
 * `len` values of a typed array from `start` as a plain number array. A preallocated array filled by
 * index: `Array.from(typed.subarray(...))` walks the typed array's iterator and is ~20x slower (23 µs
 * against 1 µs for a 784-d row), which was most of a search that returns vectors.
 */
function rowArray(data: ArrayLike<number>, start: number, len: number, map?: (x: number) => number): number[] {
  const out = new Array<number>(len);
  if (map) for (let i = 0; i < len; i++) out[i] = map(data[start + i]!);
  else for (let i = 0; i < len; i++) out[i] = data[start + i]!;
  return out;
}

/** A column value as the SDK returns it: Int64 as decimal string, vectors as number arrays, null for nulls. */
export function outputValue(col: Column, row: number): unknown {
  if (col.valid && col.valid[row] === 0) return null;
  switch (col.type) {
    case DataType.Bool:
      return col.data[row] === 1;
    case DataType.Int64:
      return col.data[row]!.toString();
    case DataType.Timestamptz:
      return formatTimestamptz(col.data[row]!);
    case DataType.FloatVector:
    case DataType.Int8Vector:
      return rowArray(col.data, row * col.dim, col.dim);
    case DataType.BinaryVector: {
      const b = col.dim >>> 3;
      return rowArray(col.data, row * b, b);
    }
    case DataType.Float16Vector:
      return rowArray(col.data, row * col.dim, col.dim, f16ToF32);
    case DataType.BFloat16Vector:
      return rowArray(col.data, row * col.dim, col.dim, bf16ToF32);
    case DataType.SparseFloatVector: {
      const s = col.data[row];
      const out: Record<string, number> = {};
      if (s) s.indices.forEach((ix, i) => (out[ix] = s.values[i]!));
      return out;
    }
    case DataType.Array: {
      const a = col.data[row];
      if (!a) return null;
      return col.elementType === DataType.Int64 ? a.map((x) => String(x)) : a;
    }
    default:
      return col.data[row];
  }
}
