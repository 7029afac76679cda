/**
 * Milvus's Parquet import files, as pymilvus's and the Node SDK's BulkWriter write them: one column
 * per field — scalars typed, VarChar / JSON / SparseFloatVector as UTF-8 text, FloatVector and
 * Array as lists, Binary / Float16 / BFloat16 vectors as lists of bytes, Int8Vector as a list of
 * int8 — and the dynamic keys as JSON text in a `$meta` column. Read with `hyparquet`; each row comes
 * out in the shape an insert takes.
 */
import { parquetReadObjects } from 'hyparquet';
import { DataType } from '../core/data-type.js';
import { invalidParam } from '../core/errors.js';
import { DYNAMIC_FIELD, type FieldSchema } from '../core/schema.js';

function jsonText(v: unknown, what: string): unknown {
  if (typeof v !== 'string') return v;
  try {
    return JSON.parse(v) as unknown;
  } catch {
    throw invalidParam(what, 'is not valid JSON text');
  }
}

/** Int64 stays a bigint; other integers from INT64 columns become numbers. */
function value(v: unknown, f: FieldSchema | undefined, what: string): unknown {
  if (v === null || v === undefined || !f) return v;
  switch (f.dataType) {
    case DataType.JSON:
    case DataType.SparseFloatVector:
      return jsonText(v, what);
    case DataType.BinaryVector:
      return Array.isArray(v) ? v.map(Number) : v;
    case DataType.Float16Vector:
    case DataType.BFloat16Vector:
      return Array.isArray(v) ? Uint8Array.from(v as number[]) : v;
    case DataType.Int64:
      return v;
    case DataType.Array:
      return Array.isArray(v) && f.elementType !== DataType.Int64 ? v.map((x) => (typeof x === 'bigint' ? Number(x) : x)) : v;
    default:
      return typeof v === 'bigint' ? Number(v) : v;
  }
}

/** The rows of one Parquet import file. */
export async function rowsOfParquet(bytes: Uint8Array, fields: ReadonlyMap<string, FieldSchema>, what: string): Promise<Record<string, unknown>[]> {
  let raw: Record<string, unknown>[];
  try {
    const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    raw = (await parquetReadObjects({ file })) as Record<string, unknown>[];
  } catch (err) {
    throw invalidParam(what, `is not a readable Parquet file: ${err instanceof Error ? err.message : String(err)}`);
  }
  return raw.map((r, i) => {
    const where = `${what} row ${i}`;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(r)) {
      if (k === DYNAMIC_FIELD) continue;
      out[k] = value(v, fields.get(k), `${where} field ${k}`);
    }
    const meta = jsonText(r[DYNAMIC_FIELD], `${where} field ${DYNAMIC_FIELD}`);
    if (meta && typeof meta === 'object' && !Array.isArray(meta)) for (const [k, v] of Object.entries(meta)) if (!(k in out)) out[k] = v;
    return out;
  });
}
