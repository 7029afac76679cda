/**
 * In-memory columnar data: how a segment holds one field. Shared by storage (which fills and persists
 * columns), expr (which evaluates filters over them) and index (which reads vector columns).
 *
 * A column may have more capacity than rows (growing segments): readers use the segment's row count.
 * `valid` is a per-row validity byte array (1 = value present) for nullable fields, else null. A null
 * row keeps a placeholder in `data` (0, '', null; a null vector is a row of zeros, a null sparse row
 * has no entries), so rows stay addressed by their offset in every column, vectors included.
 */
import type { DataType } from './data-type.js';

type D = typeof DataType;

export interface SparseRow {
  indices: Uint32Array;
  values: Float32Array;
}

export type ScalarColumn =
  | { type: D['Bool']; data: Uint8Array; valid: Uint8Array | null }
  | { type: D['Int8']; data: Int8Array; valid: Uint8Array | null }
  | { type: D['Int16']; data: Int16Array; valid: Uint8Array | null }
  | { type: D['Int32']; data: Int32Array; valid: Uint8Array | null }
  | { type: D['Int64']; data: BigInt64Array; valid: Uint8Array | null }
  | { type: D['Float']; data: Float32Array; valid: Uint8Array | null }
  | { type: D['Double']; data: Float64Array; valid: Uint8Array | null }
  | { type: D['VarChar']; data: string[]; valid: Uint8Array | null }
  /** TIMESTAMPTZ: UTC microseconds since the Unix epoch (as Milvus stores it). */
  | { type: D['Timestamptz']; data: BigInt64Array; valid: Uint8Array | null }
  /** GEOMETRY: normalised WKT text (parsed and re-serialised on the way in). */
  | { type: D['Geometry']; data: string[]; valid: Uint8Array | null }
  /** Parsed JSON values; the dynamic field `$meta` is a JSON column of objects. */
  | { type: D['JSON']; data: unknown[]; valid: Uint8Array | null }
  | { type: D['Array']; elementType: DataType; data: (unknown[] | null)[]; valid: Uint8Array | null };

export type VectorColumn =
  | { type: D['FloatVector']; dim: number; data: Float32Array; valid: Uint8Array | null }
  /** dim/8 bytes per row. */
  | { type: D['BinaryVector']; dim: number; data: Uint8Array; valid: Uint8Array | null }
  /** IEEE half or bfloat16 bit patterns, dim per row. */
  | { type: D['Float16Vector']; dim: number; data: Uint16Array; valid: Uint8Array | null }
  | { type: D['BFloat16Vector']; dim: number; data: Uint16Array; valid: Uint8Array | null }
  | { type: D['Int8Vector']; dim: number; data: Int8Array; valid: Uint8Array | null }
  | { type: D['SparseFloatVector']; dim: number; data: SparseRow[]; valid: Uint8Array | null };

export type Column = ScalarColumn | VectorColumn;

/** Bytes per row of a fixed-width vector column's `data` elements (elements per row). */
export function vectorElementsPerRow(col: VectorColumn): number {
  return col.type === 100 ? col.dim >>> 3 : col.dim;
}
