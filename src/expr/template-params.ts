/** Template values (`age > {min_age}` with filter_params / exprValues) converted to constants. */
import type { Pos } from './ast.js';
import { filterError } from './filter-error.js';
import type { Const } from './plan.js';

export function templateValue(name: string, params: Record<string, unknown> | undefined, pos: Pos): Const {
  if (params === undefined || !Object.prototype.hasOwnProperty.call(params, name)) {
    throw filterError(pos, `template variable {${name}} has no value: pass it in filter_params (exprValues)`);
  }
  return toConst(params[name], name, pos);
}

function toConst(v: unknown, name: string, pos: Pos): Const {
  if (typeof v === 'bigint' || typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw filterError(pos, `template variable {${name}} is ${v}; only finite numbers are allowed`);
    return Number.isInteger(v) && Number.isSafeInteger(v) ? BigInt(v) : v;
  }
  if (Array.isArray(v)) return v.map((x) => toConst(x, name, pos));
  const what = v === null ? 'null' : typeof v;
  throw filterError(pos, `template variable {${name}} has a value of type ${what}; use a number, string, boolean or a list of those`);
}
