/**
 * Growable columns for growing segments: append rows in batches, capacity doubling, and views of the
 * first `rowCount` rows. Also empty-column construction per field type.
 */
import { vectorElementsPerRow, type Column, type SparseRow } from '../core/column.js';
import { DataType } from '../core/data-type.js';
import { unexpected } from '../core/errors.js';
import type { FieldSchema } from '../core/schema.js';

type Typed = Uint8Array | Int8Array | Int16Array | Int32Array | BigInt64Array | Float32Array | Float64Array | Uint16Array;

function typedCtor(t: DataType): (new (n: number) => Typed) | undefined {
  switch (t) {
    case DataType.Bool:
      return Uint8Array;
    case DataType.Int8:
      return Int8Array;
    case DataType.Int16:
      return Int16Array;
    case DataType.Int32:
      return Int32Array;
    case DataType.Int64:
    case DataType.Timestamptz:
      return BigInt64Array;
    case DataType.Float:
      return Float32Array;
    case DataType.Double:
      return Float64Array;
    case DataType.FloatVector:
      return Float32Array;
    case DataType.BinaryVector:
      return Uint8Array;
    case DataType.Float16Vector:
    case DataType.BFloat16Vector:
      return Uint16Array;
    case DataType.Int8Vector:
      return Int8Array;
    default:
      return undefined;
  }
}

/** Elements of `data` per row for a field (vectors: dim or dim/8; scalars: 1). */
export function elementsPerRow(field: Pick<FieldSchema, 'dataType' | 'dim'>): number {
  if (field.dataType === DataType.BinaryVector) return (field.dim ?? 0) >>> 3;
  if (field.dataType >= 101 && field.dataType <= 105 && field.dataType !== DataType.SparseFloatVector) return field.dim ?? 0;
  return 1;
}

/** An empty column for `field` with room for `capacity` rows. */
export function emptyColumn(field: FieldSchema, capacity: number): Column {
  const per = elementsPerRow(field);
  const ctor = typedCtor(field.dataType);
  const valid = field.nullable ? new Uint8Array(capacity) : null;
  if (ctor) {
    const data = new ctor(capacity * per);
    if (field.dataType >= 100) return { type: field.dataType, dim: field.dim ?? 0, data, valid } as Column;
    return { type: field.dataType, data, valid } as Column;
  }
  switch (field.dataType) {
    case DataType.VarChar:
    case DataType.String:
      return { type: DataType.VarChar, data: new Array<string>(capacity).fill(''), valid };
    case DataType.Geometry:
      return { type: DataType.Geometry, data: new Array<string>(capacity).fill(''), valid };
    case DataType.JSON:
      return { type: DataType.JSON, data: new Array<unknown>(capacity).fill(null), valid };
    case DataType.Array:
      return { type: DataType.Array, elementType: field.elementType ?? DataType.None, data: new Array<unknown[] | null>(capacity).fill(null), valid };
    case DataType.SparseFloatVector:
      return { type: DataType.SparseFloatVector, dim: 0, data: new Array<SparseRow>(capacity), valid };
    default:
      throw unexpected(`no column representation for data type ${field.dataType} of field "${field.name}"`);
  }
}

/** Rows in a column's `data` (capacity). */
export function columnCapacity(col: Column): number {
  if ('dim' in col && col.type !== DataType.SparseFloatVector) {
    const per = vectorElementsPerRow(col);
    return per === 0 ? 0 : col.data.length / per;
  }
  return col.data.length;
}

/** A copy of `col` with capacity for `capacity` rows, holding the first `rows` rows. */
export function growColumn(col: Column, rows: number, capacity: number): Column {
  const per = perRow(col);
  if (Array.isArray(col.data)) {
    const data = col.data.slice(0, rows);
    const filler = col.type === DataType.VarChar ? '' : null;
    for (let i = rows; i < capacity; i++) data.push(filler as never);
    return { ...col, data, valid: growValid(col.valid, rows, capacity) } as Column;
  }
  const src = col.data as Typed;
  const data = new (src.constructor as new (n: number) => Typed)(capacity * per);
  (data as Uint8Array).set(src.subarray(0, rows * per) as Uint8Array);
  return { ...col, data, valid: growValid(col.valid, rows, capacity) } as Column;
}

function growValid(valid: Uint8Array | null, rows: number, capacity: number): Uint8Array | null {
  if (!valid) return null;
  const v = new Uint8Array(capacity);
  v.set(valid.subarray(0, rows));
  return v;
}

export function perRow(col: Column): number {
  if (col.type === DataType.BinaryVector) return col.dim >>> 3;
  if ('dim' in col && col.type !== DataType.SparseFloatVector) return col.dim;
  return 1;
}

/** Copies rows [0, n) of `src` into `dst` at row `at`. Both are columns of the same field. */
export function copyRows(dst: Column, at: number, src: Column, n: number, from = 0): void {
  const per = perRow(dst);
  if (Array.isArray(dst.data)) {
    const d = dst.data as unknown[];
    const s = src.data as unknown[];
    for (let i = 0; i < n; i++) d[at + i] = s[from + i];
  } else {
    (dst.data as Uint8Array).set((src.data as Uint8Array).subarray(from * per, (from + n) * per), at * per);
  }
  if (dst.valid) {
    if (src.valid) dst.valid.set(src.valid.subarray(from, from + n), at);
    else dst.valid.fill(1, at, at + n);
  }
}

/** A new column with the rows of `col` listed in `rows`, in that order. */
export function gatherRows(col: Column, rows: ArrayLike<number>, field: FieldSchema): Column {
  const out = emptyColumn(field, rows.length);
  for (let i = 0; i < rows.length; i++) copyRows(out, i, col, 1, rows[i]!);
  return out;
}
