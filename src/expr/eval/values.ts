/**
 * Row values as plain JS for the per-row (generic) path: getters per operand, and the comparison
 * and equality rules used for JSON values, array elements and field-to-field comparisons.
 */
import type { Column } from '../../core/column.js';
import { DataType } from '../../core/data-type.js';
import { unexpected } from '../../core/errors.js';
import type { Operand } from '../plan.js';
import type { Ctx } from './evaluator.js';

/** A value getter: undefined means null / missing (the comparison is UNKNOWN). */
export type Getter = (row: number) => unknown;

export const MISSING = Symbol('missing');

export function columnOf(ctx: Ctx, name: string): Column {
  const c = ctx.seg.column(name);
  if (c === undefined) throw unexpected(`segment has no column "${name}"`);
  return c;
}

/** Walks a JSON path; MISSING when a step is absent (JSON null stays null). */
export function walkPath(v: unknown, path: readonly (string | number)[]): unknown {
  let cur = v;
  for (const step of path) {
    if (cur === null || typeof cur !== 'object') return MISSING;
    if (typeof step === 'number') {
      if (!Array.isArray(cur) || step >= cur.length) return MISSING;
      cur = cur[step];
    } else {
      if (Array.isArray(cur) || !Object.prototype.hasOwnProperty.call(cur, step)) return MISSING;
      cur = (cur as Record<string, unknown>)[step];
    }
    if (cur === undefined) return MISSING;
  }
  return cur;
}

/** Raw JSON getter: MISSING for absent keys and null rows, JSON null as null. */
export function rawJsonGetter(ctx: Ctx, column: string, path: readonly (string | number)[]): Getter {
  const col = columnOf(ctx, column);
  const data = col.data as unknown[];
  const valid = col.valid;
  return (row) => {
    if (valid !== null && valid[row] === 0) return MISSING;
    const v = data[row];
    if (v === undefined || (v === null && path.length > 0)) return MISSING;
    return walkPath(v, path);
  };
}

export function getter(ctx: Ctx, op: Operand): Getter {
  switch (op.k) {
    case 'const': {
      const v = op.value;
      return () => v;
    }
    case 'column': {
      const col = columnOf(ctx, op.field.name);
      const valid = col.valid;
      if (col.type === DataType.Bool) {
        const d = col.data;
        return (row) => (valid !== null && valid[row] === 0 ? undefined : d[row] !== 0);
      }
      const d = col.data as ArrayLike<unknown>;
      return (row) => (valid !== null && valid[row] === 0 ? undefined : d[row]);
    }
    case 'json': {
      const raw = rawJsonGetter(ctx, op.column, op.path);
      return (row) => {
        const v = raw(row);
        return v === MISSING || v === null ? undefined : v;
      };
    }
    case 'array': {
      const col = columnOf(ctx, op.field.name);
      const d = col.data as (unknown[] | null)[];
      const valid = col.valid;
      return (row) => (valid !== null && valid[row] === 0 ? undefined : (d[row] ?? undefined));
    }
    case 'element': {
      const col = columnOf(ctx, op.field.name);
      const d = col.data as (unknown[] | null)[];
      const valid = col.valid;
      const i = op.index;
      return (row) => {
        if (valid !== null && valid[row] === 0) return undefined;
        const a = d[row];
        return a === null || a === undefined || i >= a.length ? undefined : (a[i] ?? undefined);
      };
    }
    case 'length': {
      const g = getter(ctx, op.of);
      return (row) => {
        const v = g(row);
        return Array.isArray(v) ? v.length : undefined;
      };
    }
    case 'arith':
      throw unexpected('arithmetic operands are evaluated as numeric vectors');
  }
}

/**
 * Compares two plain values: numbers and bigints numerically (exactly), strings by code unit,
 * booleans only for equality (0 or 1). undefined when the types are not comparable.
 */
export function compareValues(a: unknown, b: unknown): number | undefined {
  const ta = typeof a;
  const tb = typeof b;
  if ((ta === 'number' || ta === 'bigint') && (tb === 'number' || tb === 'bigint')) {
    if (ta === 'number' && tb === 'number') {
      const x = a as number;
      const y = b as number;
      return x < y ? -1 : x > y ? 1 : x === y ? 0 : undefined;
    }
    return compareMixed(a as number | bigint, b as number | bigint);
  }
  if (ta === 'string' && tb === 'string') return (a as string) < (b as string) ? -1 : (a as string) > (b as string) ? 1 : 0;
  if (ta === 'boolean' && tb === 'boolean') return a === b ? 0 : 1;
  return undefined;
}

function compareMixed(a: number | bigint, b: number | bigint): number | undefined {
  if (typeof a === 'bigint' && typeof b === 'bigint') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'bigint') {
    const c = compareMixed(b, a);
    return c === undefined ? undefined : -c;
  }
  const x = a;
  const y = b as bigint;
  if (Number.isNaN(x)) return undefined;
  if (!Number.isFinite(x)) return x > 0 ? 1 : -1;
  const fl = Math.floor(x);
  const bf = BigInt(fl);
  if (bf !== y) return bf < y ? -1 : 1;
  return x === fl ? 0 : 1;
}

/** Deep equality for JSON values and constants (numbers equal bigints of the same value). */
export function valuesEqual(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!valuesEqual(a[i], b[i])) return false;
    return true;
  }
  if (a !== null && typeof a === 'object') {
    if (b === null || typeof b !== 'object') return false;
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    if (ka.length !== kb.length) return false;
    for (const k of ka) if (!valuesEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
    return true;
  }
  if (a === b) return true;
  return compareValues(a, b) === 0 && typeof a !== 'boolean';
}

