/**
 * Binary encoding of one column's first `rows` rows, shared by WAL insert records and segment files.
 *
 * Descriptor (written by the caller, see `writeColumnDesc`): name (u32 len + UTF-8), dataType u16,
 * elementType u16, dim u32, flags u8 (bit 0: validity bitmap present).
 *
 * Body, every part zero-padded to 8 bytes relative to the writer's start:
 *   [validity bitmap: ceil(rows/8) bytes, bit i of byte i>>3 = row i present]   (only when flagged;
 *     scalars since format 1, nullable vectors since segment format 2 / WAL format 2 — a null row
 *     keeps its place in the body: zeros for a dense vector, no entries for a sparse row)
 *   fixed-width types (Bool as u8, Int8..Int64, Timestamptz as i64 UTC microseconds, Float, Double,
 *     dense vectors): raw little-endian elements, rows × elementsPerRow — vectors are contiguous so they
 *     load straight into a typed array;
 *   VarChar / Geometry (WKT) / JSON / Array: u32 byte offsets[rows+1], then UTF-8 text (JSON text for JSON and Array;
 *     Array values tag bigint elements as strings, restored for Int64 elements);
 *   SparseFloatVector: u32 entry offsets[rows+1], u32 indices[nnz], f32 values[nnz].
 * Checksums are the caller's (WAL record CRC, segment section CRC).
 */
import { Bitset } from '../core/bitset.js';
import type { Column, SparseRow } from '../core/column.js';
import { DataType } from '../core/data-type.js';
import { dataCorrupted } from '../core/errors.js';
import { type ByteReader, type ByteWriter, utf8Decode } from './bytes.js';
import { perRow } from './column-builder.js';

export interface ColumnDesc {
  name: string;
  type: number;
  elementType: number;
  dim: number;
  hasValid: boolean;
}

type TypedCtor = { new (buf: ArrayBufferLike, off: number, len: number): ArrayLike<number | bigint> & { buffer: ArrayBufferLike }; new (n: number): unknown; BYTES_PER_ELEMENT: number };

function fixedCtor(t: number): TypedCtor | undefined {
  switch (t) {
    case DataType.Bool:
    case DataType.BinaryVector:
      return Uint8Array as unknown as TypedCtor;
    case DataType.Int8:
    case DataType.Int8Vector:
      return Int8Array as unknown as TypedCtor;
    case DataType.Int16:
      return Int16Array as unknown as TypedCtor;
    case DataType.Int32:
      return Int32Array as unknown as TypedCtor;
    case DataType.Int64:
    case DataType.Timestamptz:
      return BigInt64Array as unknown as TypedCtor;
    case DataType.Float:
    case DataType.FloatVector:
      return Float32Array as unknown as TypedCtor;
    case DataType.Double:
      return Float64Array as unknown as TypedCtor;
    case DataType.Float16Vector:
    case DataType.BFloat16Vector:
      return Uint16Array as unknown as TypedCtor;
    default:
      return undefined;
  }
}

export function columnDesc(name: string, col: Column): ColumnDesc {
  return {
    name,
    type: col.type,
    elementType: col.type === DataType.Array ? col.elementType : 0,
    dim: 'dim' in col ? col.dim : 0,
    hasValid: col.valid !== null,
  };
}

export function writeColumnDesc(w: ByteWriter, d: ColumnDesc): void {
  w.str(d.name);
  w.u16(d.type);
  w.u16(d.elementType);
  w.u32(d.dim);
  w.u8(d.hasValid ? 1 : 0);
}

export function readColumnDesc(r: ByteReader): ColumnDesc {
  const name = r.str();
  const type = r.u16();
  const elementType = r.u16();
  const dim = r.u32();
  const hasValid = (r.u8() & 1) === 1;
  return { name, type, elementType, dim, hasValid };
}

function bigintReplacer(_k: string, v: unknown): unknown {
  return typeof v === 'bigint' ? v.toString() : v;
}

function writeOffsetsAndText(w: ByteWriter, texts: (i: number) => string, rows: number): void {
  w.align();
  const offAt = w.pos;
  w.ensure((rows + 1) * 4);
  w.pos += (rows + 1) * 4;
  w.align();
  const start = w.pos;
  w.dv.setUint32(offAt, 0, true);
  for (let i = 0; i < rows; i++) {
    w.utf8(texts(i));
    w.dv.setUint32(offAt + (i + 1) * 4, w.pos - start, true);
  }
  w.align();
}

/** Writes the body of rows [from, from+rows) of `col`. */
export function writeColumnBody(w: ByteWriter, col: Column, rows: number, from = 0): void {
  w.align();
  if (col.valid) {
    const bits = new Uint8Array((rows + 7) >>> 3);
    for (let i = 0; i < rows; i++) if (col.valid[from + i]) bits[i >>> 3]! |= 1 << (i & 7);
    w.bytes(bits);
    w.align();
  }
  const ctor = fixedCtor(col.type);
  if (ctor) {
    const per = perRow(col);
    const ta = col.data as unknown as Uint8Array;
    const es = ctor.BYTES_PER_ELEMENT;
    w.bytes(new Uint8Array(ta.buffer, ta.byteOffset + from * per * es, rows * per * es));
    w.align();
    return;
  }
  switch (col.type) {
    case DataType.VarChar:
    case DataType.Geometry:
      writeOffsetsAndText(w, (i) => col.data[from + i] ?? '', rows);
      return;
    case DataType.JSON:
      writeOffsetsAndText(w, (i) => JSON.stringify(col.data[from + i] ?? null, bigintReplacer) ?? 'null', rows);
      return;
    case DataType.Array:
      writeOffsetsAndText(w, (i) => JSON.stringify(col.data[from + i] ?? null, bigintReplacer) ?? 'null', rows);
      return;
    case DataType.SparseFloatVector: {
      const offs = new Uint32Array(rows + 1);
      for (let i = 0; i < rows; i++) offs[i + 1] = offs[i]! + (col.data[from + i]?.indices.length ?? 0);
      const nnz = offs[rows]!;
      const idx = new Uint32Array(nnz);
      const val = new Float32Array(nnz);
      for (let i = 0; i < rows; i++) {
        const r = col.data[from + i];
        if (!r) continue;
        idx.set(r.indices, offs[i]!);
        val.set(r.values, offs[i]!);
      }
      w.bytes(new Uint8Array(offs.buffer));
      w.align();
      w.bytes(new Uint8Array(idx.buffer));
      w.align();
      w.bytes(new Uint8Array(val.buffer));
      w.align();
      return;
    }
    default:
      throw dataCorrupted('(encoder)', `cannot encode data type ${(col as Column).type}`);
  }
}

/** A typed-array view of `len` elements at reader position; copies when misaligned or `copy`. */
function typedAt<T>(r: ByteReader, ctor: TypedCtor, len: number, copy: boolean): T {
  const bytes = len * ctor.BYTES_PER_ELEMENT;
  const b = r.bytes(bytes);
  r.align();
  const abs = b.byteOffset;
  if (!copy && abs % ctor.BYTES_PER_ELEMENT === 0) return new ctor(b.buffer, abs, len) as T;
  const out = new ctor(len) as unknown as { buffer: ArrayBuffer };
  new Uint8Array(out.buffer).set(b);
  return out as T;
}

function readTexts(r: ByteReader, rows: number): string[] {
  r.align();
  const offs = typedAt<Uint32Array>(r, Uint32Array as unknown as TypedCtor, rows + 1, false);
  const total = offs[rows]!;
  const text = r.bytes(total);
  r.align();
  const out = new Array<string>(rows);
  // Decode the whole text once when it is ASCII-clean is not knowable cheaply; decode per row.
  for (let i = 0; i < rows; i++) out[i] = utf8Decode(text.subarray(offs[i]!, offs[i + 1]!));
  return out;
}

function restoreBigints(v: unknown): unknown {
  if (Array.isArray(v)) return v.map((x) => (typeof x === 'string' || typeof x === 'number' ? BigInt(x) : x));
  return v;
}

/** Reads a column body written by `writeColumnBody`. `copy` forces fresh typed arrays (else views of the reader's buffer). */
export function readColumnBody(r: ByteReader, d: ColumnDesc, rows: number, copy = false): Column {
  r.align();
  let valid: Uint8Array | null = null;
  if (d.hasValid) {
    const bits = r.bytes((rows + 7) >>> 3);
    r.align();
    valid = new Uint8Array(rows);
    for (let i = 0; i < rows; i++) valid[i] = (bits[i >>> 3]! >>> (i & 7)) & 1;
  }
  const ctor = fixedCtor(d.type);
  if (ctor) {
    const per = d.type === DataType.BinaryVector ? d.dim >>> 3 : d.type >= 100 ? d.dim : 1;
    const data = typedAt<unknown>(r, ctor, rows * per, copy);
    if (d.type >= 100) return { type: d.type, dim: d.dim, data, valid } as Column;
    return { type: d.type, data, valid } as Column;
  }
  switch (d.type) {
    case DataType.VarChar:
    case DataType.String:
      return { type: DataType.VarChar, data: readTexts(r, rows), valid };
    case DataType.Geometry:
      return { type: DataType.Geometry, data: readTexts(r, rows), valid };
    case DataType.JSON:
      return { type: DataType.JSON, data: readTexts(r, rows).map((s) => JSON.parse(s) as unknown), valid };
    case DataType.Array: {
      const int64 = d.elementType === DataType.Int64;
      const data = readTexts(r, rows).map((s) => {
        const v = JSON.parse(s) as unknown[] | null;
        return int64 ? (restoreBigints(v) as unknown[] | null) : v;
      });
      return { type: DataType.Array, elementType: d.elementType as DataType, data, valid };
    }
    case DataType.SparseFloatVector: {
      const offs = typedAt<Uint32Array>(r, Uint32Array as unknown as TypedCtor, rows + 1, false);
      const nnz = offs[rows]!;
      const idx = typedAt<Uint32Array>(r, Uint32Array as unknown as TypedCtor, nnz, copy);
      const val = typedAt<Float32Array>(r, Float32Array as unknown as TypedCtor, nnz, copy);
      const data: SparseRow[] = new Array<SparseRow>(rows);
      for (let i = 0; i < rows; i++) data[i] = { indices: idx.subarray(offs[i]!, offs[i + 1]!), values: val.subarray(offs[i]!, offs[i + 1]!) };
      return { type: DataType.SparseFloatVector, dim: d.dim, data, valid };
    }
    default:
      throw dataCorrupted(r.file, `unknown column data type ${d.type} for field "${d.name}"`);
  }
}

/** A bitset's words as bytes (little-endian u32 words). */
export function bitsetBytes(b: Bitset): Uint8Array {
  return new Uint8Array(b.words.buffer, b.words.byteOffset, b.words.byteLength);
}

export function bitsetFrom(size: number, bytes: Uint8Array): Bitset {
  const words = new Uint32Array((size + 31) >>> 5);
  new Uint8Array(words.buffer).set(bytes.subarray(0, words.byteLength));
  return new Bitset(size, words);
}
