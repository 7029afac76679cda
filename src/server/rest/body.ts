/**
 * Request-body access and response encoding for the RESTful v2 API.
 *
 * Bodies are JSON objects whatever the Content-Type says. Required keys missing → Milvus REST code
 * 1802; an unreadable body → 1801. Responses carry Int64 values as `bigint` until encoding, where the
 * `Accept-Type-Allow-Int64` header decides: `false` renders them as decimal strings (JavaScript cannot
 * hold them as numbers), anything else as bare JSON numbers (as Milvus does).
 */
import { invalidParam, MilvusError } from '../../core/errors.js';

/** Codes of Milvus's REST layer (merr): they overlap the user-management codes of the core range. */
export const RestCode = {
  NeedAuthenticate: 1800,
  IncorrectParameterFormat: 1801,
  MissingRequiredParameters: 1802,
} as const;

export type Body = Record<string, unknown>;

const EMPTY_BODY = 'can only accept json format request, the request body should be nil, however {} is valid';

/** Parses a raw request body into a JSON object, or throws 1801 (an empty body too, as Milvus does). */
export function parseBody(raw: unknown): Body {
  if (raw === undefined || raw === null) throw new MilvusError(RestCode.IncorrectParameterFormat, EMPTY_BODY);
  if (typeof raw === 'object' && !Buffer.isBuffer(raw)) return raw as Body;
  const text = Buffer.isBuffer(raw) ? raw.toString('utf8') : String(raw);
  if (text.trim() === '') throw new MilvusError(RestCode.IncorrectParameterFormat, EMPTY_BODY);
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (err) {
    throw new MilvusError(RestCode.IncorrectParameterFormat, `can only accept json format request, error: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new MilvusError(RestCode.IncorrectParameterFormat, 'can only accept json format request, error: the body must be a JSON object');
  return v as Body;
}

export function missing(key: string): MilvusError {
  return new MilvusError(RestCode.MissingRequiredParameters, `missing required parameters, error: Key: '${key}' is required`);
}

/** A required non-empty string. */
export function reqStr(b: Body, key: string): string {
  const v = b[key];
  if (v === undefined || v === null || v === '') throw missing(key);
  if (typeof v !== 'string') throw invalidParam(key, `must be a string, got ${JSON.stringify(v)}`);
  return v;
}

export function optStr(b: Body, key: string): string | undefined {
  const v = b[key];
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== 'string') throw invalidParam(key, `must be a string, got ${JSON.stringify(v)}`);
  return v;
}

export function optStrList(b: Body, key: string): string[] | undefined {
  const v = b[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v === '' ? undefined : [v];
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw invalidParam(key, 'must be an array of strings');
  return v.length === 0 ? undefined : (v as string[]);
}

export function reqStrList(b: Body, key: string): string[] {
  const v = optStrList(b, key);
  if (!v) throw missing(key);
  return v;
}

export function optNum(b: Body, key: string): number | undefined {
  const v = b[key];
  if (v === undefined || v === null || v === '') return undefined;
  const n = typeof v === 'string' ? Number(v) : v;
  if (typeof n !== 'number' || Number.isNaN(n)) throw invalidParam(key, `must be a number, got ${JSON.stringify(v)}`);
  return n;
}

export function optObj(b: Body, key: string): Body | undefined {
  const v = b[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) throw invalidParam(key, 'must be a JSON object');
  return v as Body;
}

/** `[{key, value}]` pairs, as the REST API lists properties and params. */
export function keyValues(obj: Record<string, unknown>): { key: string; value: string }[] {
  return Object.entries(obj).map(([key, value]) => ({ key, value: typeof value === 'string' ? value : JSON.stringify(value) }));
}

/** Marks a bigint inside JSON text so it can be written as a bare number afterwards. */
const INT64_MARK = '\u0000i64:';
const INT64_MARKED = /"\\u0000i64:(-?\d+)"/g;

/** JSON text of a response; bigints become strings or bare numbers. */
export function encodeJson(value: unknown, int64AsNumber: boolean): string {
  const text = JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? (int64AsNumber ? INT64_MARK + v.toString() : v.toString()) : v));
  return int64AsNumber ? text.replace(INT64_MARKED, '$1') : text;
}
