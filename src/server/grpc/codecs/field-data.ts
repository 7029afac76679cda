/**
 * `schema.FieldData` columns ↔ SDK-style rows.
 *
 * Requests (Insert/Upsert) arrive columnar: one FieldData per field with either `scalars` or `vectors`,
 * nullable fields carry `valid_data` per row and (from the Node SDK) only the non-null values, the
 * dynamic field is one `$meta` JSON column whose keys become top-level row keys (the engine files
 * every key that is not in the schema under `$meta` again). Int64 values stay decimal strings, so no
 * precision is lost between the wire and the engine.
 *
 * Replies (Query/Search) go the other way: rows → one FieldData per output field, scalars row-dense
 * (nulls as zero values with `valid_data` false), nullable vectors compact, as Milvus sends them.
 */
import { DataType, isVectorType } from '../../../core/data-type.js';
import { invalidParam } from '../../../core/errors.js';
import { DYNAMIC_FIELD } from '../../../core/schema.js';
import {
  bytesToByteNumbers,
  halfBytesToNumbers,
  int8BytesToNumbers,
  numbersToHalfBytes,
  numbersToInt8Bytes,
  sparseBytesToVector,
  sparseVectorToBytes,
} from './vector-bytes.js';

export type Row = Record<string, unknown>;

interface DataArray {
  data: unknown[];
}

/** A ScalarField as decoded by the loader (oneof discriminator in `data`). */
export interface WireScalarField {
  data?: string;
  [key: string]: DataArray | string | undefined | null | { data: WireScalarField[]; element_type: number };
}

export interface WireVectorField {
  dim: string | number;
  data?: string;
  float_vector?: { data: number[] } | null;
  binary_vector?: Uint8Array;
  float16_vector?: Uint8Array;
  bfloat16_vector?: Uint8Array;
  int8_vector?: Uint8Array;
  sparse_float_vector?: { dim: string | number; contents: Uint8Array[] } | null;
}

export interface WireFieldData {
  type: number;
  field_name: string;
  field_id?: string | number;
  is_dynamic?: boolean;
  valid_data?: boolean[];
  scalars?: WireScalarField | null;
  vectors?: WireVectorField | null;
}

/** What the encoder needs to know about an output column. */
export interface ColumnSpec {
  name: string;
  fieldID: number;
  dataType: number;
  elementType?: number;
  dim?: number;
  nullable?: boolean;
  isDynamic?: boolean;
}

// ---------------------------------------------------------------- decoding (requests)

function scalarValues(s: WireScalarField, fieldName: string): unknown[] {
  const key = s.data;
  if (key === undefined || key === '') return [];
  const arr = s[key];
  if (arr === null || arr === undefined || typeof arr === 'string') return [];
  if (key === 'array_data') {
    const nested = arr as { data: WireScalarField[] };
    return nested.data.map((el) => scalarValues(el, fieldName));
  }
  if (key === 'json_data') return (arr as DataArray).data.map((b) => parseJsonBytes(b as Uint8Array, fieldName));
  // TIMESTAMPTZ as int64 UTC microseconds (the SDK itself sends ISO strings in string_data)
  if (key === 'timestamptz_data') return (arr as DataArray).data.map((x) => BigInt(x as string | number));
  return (arr as DataArray).data;
}

function parseJsonBytes(b: Uint8Array, fieldName: string): unknown {
  if (b.byteLength === 0) return null;
  const text = Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw invalidParam(fieldName, `JSON value is not valid JSON: ${text.slice(0, 80)}`);
  }
}

/**
 * Splits packed vectors into rows of `width`. When the data does not fit `width` but divides evenly
 * into `numRows` rows, those rows are returned so that the engine reports the dimension mismatch
 * with the field and row it concerns.
 */
function splitFlat<T>(flat: ArrayLike<T>, width: number, fieldName: string, numRows: number): T[][] {
  if (width <= 0) throw invalidParam(`${fieldName}.dim`, `must be positive, got ${width}`);
  if (flat.length % width !== 0 || (numRows > 0 && flat.length / width !== numRows)) {
    if (numRows > 0 && flat.length % numRows === 0) width = flat.length / numRows;
    else throw invalidParam(fieldName, `vector data length ${flat.length} is not a multiple of dim ${width}`);
  }
  const out: T[][] = [];
  for (let i = 0; i < flat.length; i += width) out.push(Array.prototype.slice.call(flat, i, i + width) as T[]);
  return out;
}

function splitBytes(buf: Uint8Array, width: number, fieldName: string, numRows: number): Uint8Array[] {
  if (width <= 0) throw invalidParam(`${fieldName}.dim`, `must be positive, got ${width}`);
  if (buf.byteLength % width !== 0 || (numRows > 0 && buf.byteLength / width !== numRows)) {
    if (numRows > 0 && buf.byteLength % numRows === 0) width = buf.byteLength / numRows;
    else throw invalidParam(fieldName, `vector bytes ${buf.byteLength} are not a multiple of ${width}`);
  }
  const out: Uint8Array[] = [];
  for (let i = 0; i < buf.byteLength; i += width) out.push(buf.subarray(i, i + width));
  return out;
}

function vectorValues(v: WireVectorField, fieldName: string, numRows: number): unknown[] {
  const dim = Number(v.dim);
  switch (v.data) {
    case 'float_vector':
      return splitFlat(v.float_vector?.data ?? [], dim, fieldName, numRows);
    case 'binary_vector':
      return splitBytes(v.binary_vector ?? new Uint8Array(0), dim / 8, fieldName, numRows).map(bytesToByteNumbers);
    case 'float16_vector':
      return splitBytes(v.float16_vector ?? new Uint8Array(0), dim * 2, fieldName, numRows).map((b) => halfBytesToNumbers(b, false));
    case 'bfloat16_vector':
      return splitBytes(v.bfloat16_vector ?? new Uint8Array(0), dim * 2, fieldName, numRows).map((b) => halfBytesToNumbers(b, true));
    case 'int8_vector':
      return splitBytes(v.int8_vector ?? new Uint8Array(0), dim, fieldName, numRows).map(int8BytesToNumbers);
    case 'sparse_float_vector':
      return (v.sparse_float_vector?.contents ?? []).map(sparseBytesToVector);
    default:
      throw invalidParam(fieldName, `unsupported vector payload ${JSON.stringify(v.data ?? '')}`);
  }
}

/** Applies `valid_data`: compact (only valid values) or row-dense payloads both work. */
function withValidity(values: unknown[], valid: boolean[] | undefined): unknown[] {
  if (!valid || valid.length === 0) return values;
  const dense = values.length === valid.length;
  let physical = 0;
  return valid.map((ok, i) => (ok ? values[dense ? i : physical++] : null));
}

/** One column's per-row values. */
export function columnValues(fd: WireFieldData, numRows = 0): unknown[] {
  let values: unknown[];
  // nullable vectors send only the valid rows
  const physicalRows = fd.valid_data && fd.valid_data.length > 0 ? fd.valid_data.filter(Boolean).length : numRows;
  if (fd.vectors && fd.vectors.data) values = vectorValues(fd.vectors, fd.field_name, physicalRows);
  else if (fd.scalars && fd.scalars.data) values = scalarValues(fd.scalars, fd.field_name);
  else values = [];
  return withValidity(values, fd.valid_data);
}

/** Columnar insert payload → rows; dynamic `$meta` keys are lifted to the top level of each row. */
export function fieldDataToRows(fields: WireFieldData[], numRows: number): Row[] {
  const rows: Row[] = [];
  let n = numRows;
  const columns = fields.map((fd) => ({ fd, values: columnValues(fd, numRows) }));
  if (n <= 0) n = columns.reduce((m, c) => Math.max(m, c.values.length), 0);
  for (let i = 0; i < n; i++) rows.push({});
  for (const { fd, values } of columns) {
    // An empty column means "not given": the engine reports the missing value (or applies the default).
    if (values.length === 0 && n > 0) {
      values.length = n;
      continue;
    }
    if (values.length !== n) {
      throw invalidParam(fd.field_name, `column has ${values.length} values, expected num_rows ${n}`);
    }
    const dynamic = fd.is_dynamic === true || fd.field_name === DYNAMIC_FIELD;
    for (let i = 0; i < n; i++) {
      const v = values[i];
      const row = rows[i]!;
      if (dynamic) {
        if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
          for (const [k, x] of Object.entries(v)) if (!(k in row)) row[k] = x;
        }
      } else if (v !== undefined) row[fd.field_name] = v;
    }
  }
  // Fixed fields decoded after a dynamic column must still win over same-named dynamic keys.
  for (const { fd, values } of columns) {
    if (fd.is_dynamic === true || fd.field_name === DYNAMIC_FIELD) continue;
    for (let i = 0; i < n; i++) if (values[i] !== undefined) rows[i]![fd.field_name] = values[i];
  }
  return rows;
}

// ---------------------------------------------------------------- encoding (replies)

function asNumberArray(v: unknown, name: string): ArrayLike<number> {
  if (Array.isArray(v) || ArrayBuffer.isView(v)) return v as ArrayLike<number>;
  throw invalidParam(name, `expected a vector, got ${typeof v}`);
}

function int64Wire(v: unknown): string | number {
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number' || typeof v === 'string') return v;
  return 0;
}

function scalarKey(t: number): string {
  switch (t) {
    case DataType.Bool:
      return 'bool_data';
    case DataType.Int8:
    case DataType.Int16:
    case DataType.Int32:
      return 'int_data';
    case DataType.Int64:
      return 'long_data';
    case DataType.Float:
      return 'float_data';
    case DataType.Double:
      return 'double_data';
    case DataType.JSON:
      return 'json_data';
    case DataType.Array:
      return 'array_data';
    case DataType.Geometry:
      return 'geometry_wkt_data';
    default:
      return 'string_data';
  }
}

function zeroValue(t: number): unknown {
  switch (t) {
    case DataType.Bool:
      return false;
    case DataType.VarChar:
    case DataType.String:
    case DataType.Text:
    case DataType.Geometry:
    case DataType.Timestamptz:
      return '';
    case DataType.JSON:
      return Buffer.alloc(0);
    case DataType.Array:
      return {};
    default:
      return 0;
  }
}

function scalarWire(t: number, v: unknown): unknown {
  switch (t) {
    case DataType.Int64:
      return int64Wire(v);
    case DataType.Int8:
    case DataType.Int16:
    case DataType.Int32:
    case DataType.Float:
    case DataType.Double:
      return typeof v === 'bigint' ? Number(v) : v;
    case DataType.JSON:
      return Buffer.from(JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x)), 'utf8');
    case DataType.Timestamptz:
      return String(v);
    default:
      return v;
  }
}

function arrayElementWire(elementType: number, v: unknown): Record<string, unknown> {
  const items = Array.isArray(v) ? v : [];
  return { [scalarKey(elementType)]: { data: items.map((x) => scalarWire(elementType, x)) } };
}

/** Vector rows (non-null) → a VectorField. */
export function encodeVectors(spec: ColumnSpec, values: unknown[]): Record<string, unknown> {
  const name = spec.name;
  switch (spec.dataType) {
    case DataType.FloatVector: {
      const dim = spec.dim ?? (values[0] ? asNumberArray(values[0], name).length : 0);
      const flat = new Array<number>(values.length * dim);
      let k = 0;
      for (const v of values) {
        const a = asNumberArray(v, name);
        for (let i = 0; i < a.length; i++) flat[k++] = a[i]!;
      }
      flat.length = k;
      return { dim, float_vector: { data: flat } };
    }
    case DataType.BinaryVector:
      return { dim: spec.dim ?? 0, binary_vector: Buffer.concat(values.map((v) => Buffer.from(asNumberArray(v, name) as ArrayLike<number>))) };
    case DataType.Float16Vector:
    case DataType.BFloat16Vector: {
      const brain = spec.dataType === DataType.BFloat16Vector;
      const key = brain ? 'bfloat16_vector' : 'float16_vector';
      const parts = values.map((v) => (v instanceof Uint8Array ? Buffer.from(v) : numbersToHalfBytes(asNumberArray(v, name), brain)));
      return { dim: spec.dim ?? 0, [key]: Buffer.concat(parts) };
    }
    case DataType.Int8Vector: {
      const parts = values.map((v) => (v instanceof Int8Array ? Buffer.from(v.buffer, v.byteOffset, v.byteLength) : numbersToInt8Bytes(asNumberArray(v, name))));
      return { dim: spec.dim ?? 0, int8_vector: Buffer.concat(parts) };
    }
    case DataType.SparseFloatVector: {
      const contents = values.map(sparseVectorToBytes);
      let dim = 0;
      for (const c of contents) if (c.byteLength >= 8) dim = Math.max(dim, c.readUInt32LE(c.byteLength - 8) + 1);
      return { dim, sparse_float_vector: { dim, contents } };
    }
    default:
      throw invalidParam(name, `data type ${spec.dataType} is not a vector type`);
  }
}

/** One output column as a FieldData. */
export function encodeColumn(spec: ColumnSpec, values: unknown[]): Record<string, unknown> {
  const base = { type: spec.dataType, field_name: spec.name, field_id: spec.fieldID, is_dynamic: spec.isDynamic === true };
  const hasNull = values.some((v) => v === null || v === undefined);
  const valid_data = spec.nullable || hasNull ? values.map((v) => v !== null && v !== undefined) : [];
  if (isVectorType(spec.dataType)) {
    const present = hasNull ? values.filter((v) => v !== null && v !== undefined) : values;
    return { ...base, valid_data, vectors: encodeVectors(spec, present) };
  }
  const t = spec.dataType;
  const data = values.map((v) => {
    if (v === null || v === undefined) return zeroValue(t);
    if (t === DataType.Array) return arrayElementWire(spec.elementType ?? DataType.None, v);
    return scalarWire(t, v);
  });
  const scalars: Record<string, unknown> =
    t === DataType.Array ? { array_data: { data, element_type: spec.elementType ?? DataType.None } } : { [scalarKey(t)]: { data } };
  return { ...base, valid_data, scalars };
}

/**
 * Rows → FieldData columns for `specs`. A spec flagged `isDynamic` (`$meta`) gets, per row, the row's
 * own `$meta` object merged with `dynamicKeys` read from the top level of the row.
 */
export function rowsToFieldData(rows: Row[], specs: ColumnSpec[], dynamicKeys: string[] = []): Record<string, unknown>[] {
  return specs.map((spec) => {
    if (spec.isDynamic) {
      const values = rows.map((r) => {
        const nested = r[DYNAMIC_FIELD];
        const meta: Row = nested !== null && typeof nested === 'object' && !Array.isArray(nested) ? { ...(nested as Row) } : {};
        for (const k of dynamicKeys) if (k in r) meta[k] = r[k];
        return meta;
      });
      return encodeColumn({ ...spec, dataType: DataType.JSON }, values);
    }
    return encodeColumn(
      spec,
      rows.map((r) => r[spec.name]),
    );
  });
}
