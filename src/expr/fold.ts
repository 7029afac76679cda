/** Constant folding for arithmetic between literals (integers stay exact as bigints). */
import type { ArithOp, CompareOp, Pos } from './ast.js';
import { filterError } from './filter-error.js';
import type { Const } from './plan.js';

export function foldArith(op: ArithOp, a: bigint | number, b: bigint | number, pos: Pos): bigint | number {
  if (typeof a === 'bigint' && typeof b === 'bigint') {
    switch (op) {
      case '+':
        return a + b;
      case '-':
        return a - b;
      case '*':
        return a * b;
      case '/':
        if (b === 0n) throw filterError(pos, 'division by zero');
        return a / b;
      case '%':
        if (b === 0n) throw filterError(pos, 'modulo by zero');
        return a % b;
      case '**':
        if (b >= 0n && b < 64n) return a ** b;
        return Number(a) ** Number(b);
    }
  }
  const x = Number(a);
  const y = Number(b);
  switch (op) {
    case '+':
      return x + y;
    case '-':
      return x - y;
    case '*':
      return x * y;
    case '/':
      if (y === 0) throw filterError(pos, 'division by zero');
      return x / y;
    case '%':
      throw filterError(pos, 'the modulo operator % takes integers only');
    case '**':
      return x ** y;
  }
}

/** Numeric comparison of two numeric constants (bigint-exact). */
export function compareNumbers(a: bigint | number, b: bigint | number): number {
  if (typeof a === 'bigint' && typeof b === 'bigint') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'bigint' && typeof b === 'number') return -compareNumbers(b, a);
  const x = a as number;
  if (typeof b === 'bigint') {
    if (Number.isNaN(x)) return NaN;
    if (!Number.isFinite(x)) return x > 0 ? 1 : -1;
    const fl = Math.floor(x);
    const bf = BigInt(fl);
    if (bf !== b) return bf < b ? -1 : 1;
    return x === fl ? 0 : 1;
  }
  return x < b ? -1 : x > b ? 1 : x === b ? 0 : NaN;
}

export function isNumber(c: Const): c is bigint | number {
  return typeof c === 'bigint' || typeof c === 'number';
}

/** Whether a three-way comparison result `c` (<0, 0, >0) satisfies `op`. */
export function opResult(op: CompareOp, c: number): boolean {
  switch (op) {
    case '==':
      return c === 0;
    case '!=':
      return c !== 0;
    case '<':
      return c < 0;
    case '<=':
      return c <= 0;
    case '>':
      return c > 0;
    case '>=':
      return c >= 0;
  }
}
