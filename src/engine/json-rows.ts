/**
 * Milvus's row-based JSON import files (`{"rows": [{...}, ...]}`, or a bare array of rows), as
 * `elanus export` and Milvus's bulk writer write them: exact parsing (Int64 literals beyond 2^53
 * keep every digit, as bigints) and rows normalised to the collection's fields.
 */
import { DataType } from '../core/data-type.js';
import { invalidParam } from '../core/errors.js';
import { DYNAMIC_FIELD, type FieldSchema } from '../core/schema.js';

const BIG = '\u0000elanus-int64:';

/**
 * JSON.parse that keeps integer literals outside the safe range exact (as bigints). Strings are
 * matched whole so digits inside them are never touched.
 */
export function parseJsonExact(text: string, what: string): unknown {
  const marked = /\d{16}/.test(text)
    ? text.replace(/"(?:[^"\\]|\\.)*"|(?<![\d.eE+-])-?\d{16,}(?![\d.eE])/g, (m) => (m.startsWith('"') || Number.isSafeInteger(Number(m)) ? m : `"\\u0000elanus-int64:${m}"`))
    : text;
  try {
    return JSON.parse(marked, (_k, v: unknown) => (typeof v === 'string' && v.startsWith(BIG) ? BigInt(v.slice(BIG.length)) : v));
  } catch (err) {
    throw invalidParam(what, `is not valid JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** Bigints outside Int64 fields become plain numbers (what JSON.parse would have given). */
export function plainNumbers(v: unknown): unknown {
  if (typeof v === 'bigint') return Number(v);
  if (Array.isArray(v)) return v.map(plainNumbers);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plainNumbers(x)]));
  return v;
}

/**
 * One parsed row with exact bigints kept only where the field is Int64 (or an Int64 array). Dynamic
 * keys may come nested under `$meta` (as Milvus's BulkWriter writes them) or at the top level.
 */
export function normaliseRow(row: unknown, fields: ReadonlyMap<string, FieldSchema>, what: string): Record<string, unknown> {
  if (!row || typeof row !== 'object' || Array.isArray(row)) throw invalidParam(what, 'each row must be a JSON object');
  const out: Record<string, unknown> = {};
  const meta = (row as Record<string, unknown>)[DYNAMIC_FIELD];
  const nested = meta !== null && typeof meta === 'object' && !Array.isArray(meta) && !fields.has(DYNAMIC_FIELD);
  if (nested) for (const [k, v] of Object.entries(meta)) if (!(k in row)) out[k] = plainNumbers(v);
  for (const [k, v] of Object.entries(row)) {
    if (nested && k === DYNAMIC_FIELD) continue;
    const f = fields.get(k);
    const int64 = f && (f.dataType === DataType.Int64 || (f.dataType === DataType.Array && f.elementType === DataType.Int64));
    out[k] = int64 ? v : plainNumbers(v);
  }
  return out;
}

/** The rows of one import file's text (`{"rows": [...]}` or `[...]`). */
export function rowsOfFile(text: string, fields: ReadonlyMap<string, FieldSchema>, what: string): Record<string, unknown>[] {
  const doc = parseJsonExact(text, what);
  const list = Array.isArray(doc) ? doc : (doc as { rows?: unknown } | null)?.rows;
  if (!Array.isArray(list)) throw invalidParam(what, 'must be a JSON object with a `rows` array (or an array of rows)');
  return list.map((r, i) => normaliseRow(r, fields, `${what} rows[${i}]`));
}
