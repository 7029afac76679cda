/**
 * The checked filter: what the checker produces from the AST and the compiler consumes. Fields are
 * resolved against the schema, templates substituted, constants folded, types known.
 *
 * Null semantics (three-valued, as Milvus applies validity after every operator): a predicate whose
 * operand is null, a missing JSON key, or a JSON value of another type is UNKNOWN. UNKNOWN rows never
 * match, and `not` keeps them UNKNOWN, so `not (age > 30)` does not return rows whose age is null;
 * `and`/`or` follow SQL (false and unknown = false, true or unknown = true). `is null`, `is not null`
 * and `exists` are never unknown.
 */
import type { FieldSchema } from '../core/schema.js';
import type { ArithOp, CompareOp } from './ast.js';
import type { Interval } from '../core/timestamptz.js';
import type { SpatialOp } from './spatial.js';

/** A constant. Integers are bigints; lists are arrays. */
export type Const = bigint | number | string | boolean | readonly Const[];

/** Scalar type of a value as the checker knows it. */

export type Operand =
  /** A scalar column (Bool, Int8..Int64, Float, Double, VarChar). */
  | { readonly k: 'column'; readonly field: FieldSchema; readonly type: 'int' | 'float' | 'string' | 'bool' }
  /** A JSON value: the JSON field / dynamic `$meta` column with a key path (maybe empty). */
  | { readonly k: 'json'; readonly column: string; readonly path: readonly (string | number)[]; readonly label: string }
  /** One element of an Array field, `arr[i]`. */
  | { readonly k: 'element'; readonly field: FieldSchema; readonly index: number; readonly type: 'int' | 'float' | 'string' | 'bool' }
  /** A whole Array field. */
  | { readonly k: 'array'; readonly field: FieldSchema }
  /** `array_length(x)` of an Array field or a JSON array. */
  | { readonly k: 'length'; readonly of: Operand }
  /** Arithmetic over numeric operands; `int` when both sides are integers (then `/` truncates). */
  | { readonly k: 'arith'; readonly op: ArithOp; readonly left: Operand; readonly right: Operand; readonly type: 'int' | 'float' }
  | { readonly k: 'const'; readonly value: Const };

export type Pred =
  | { readonly p: 'const'; readonly value: boolean }
  | { readonly p: 'and' | 'or'; readonly children: readonly Pred[] }
  | { readonly p: 'not'; readonly child: Pred }
  /** `left op right`; a constant side, if any, is on the right. */
  | { readonly p: 'cmp'; readonly op: CompareOp; readonly left: Operand; readonly right: Operand }
  /** `lower < operand < upper` with inclusivity. */
  | { readonly p: 'range'; readonly operand: Operand; readonly lower: Const; readonly lowerInc: boolean; readonly upper: Const; readonly upperInc: boolean }
  | { readonly p: 'in'; readonly operand: Operand; readonly values: readonly Const[] }
  | { readonly p: 'like'; readonly operand: Operand; readonly pattern: string }
  | { readonly p: 'isNull'; readonly operand: Operand; readonly negated: boolean }
  /** `vec is [not] null` on a vector field: read from the column's validity bitmap (never null when not nullable). */
  | { readonly p: 'vectorNull'; readonly field: FieldSchema; readonly negated: boolean }
  | { readonly p: 'exists'; readonly operand: Operand }
  /** json_contains / array_contains (one), _all, _any. */
  | { readonly p: 'contains'; readonly mode: 'one' | 'all' | 'any'; readonly operand: Operand; readonly values: readonly Const[] }
  /** text_match (min_should_match ≥ 1) / phrase_match (slop ≥ 0) on an analysed VarChar field (src/text/match-index.ts). */
  | { readonly p: 'match'; readonly kind: 'text' | 'phrase'; readonly field: FieldSchema; readonly query: string; readonly minShouldMatch: number; readonly slop: number }
  /** ST_* on a GEOMETRY field against a WKT constant (spatial.ts); `distance` (meters) for ST_DWITHIN only. */
  | { readonly p: 'spatial'; readonly op: SpatialOp; readonly field: FieldSchema; readonly wkt: string; readonly distance: number }
  /** `ts ± INTERVAL '…' op ISO '…'` on a TIMESTAMPTZ field (UTC microseconds; the shift is calendar arithmetic). */
  | { readonly p: 'tsShift'; readonly field: FieldSchema; readonly sign: 1 | -1; readonly interval: Interval; readonly op: CompareOp; readonly value: bigint }
  /** Primary key equal to one of `keys`: answered by the segment's primary-key lookup. */
  | { readonly p: 'pk'; readonly field: FieldSchema; readonly keys: readonly (bigint | string)[] };
