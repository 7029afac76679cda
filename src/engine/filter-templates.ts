/**
 * Filter template values under both names clients use: `exprValues` (the Node SDK; on the wire
 * `expr_template_values`) and `filter_params` (pymilvus's MilvusClient keyword; REST v2 calls them
 * `exprParams`). They are one thing: a request gives one or the other.
 */
import { invalidParam } from '../core/errors.js';

export function templateValues(req: { exprValues?: Record<string, unknown>; filter_params?: Record<string, unknown> }): Record<string, unknown> | undefined {
  const a = req.exprValues;
  const b = req.filter_params;
  if (b !== undefined && b !== null && (typeof b !== 'object' || Array.isArray(b))) throw invalidParam('filter_params', `must be an object of template values, got ${JSON.stringify(b)}`);
  if (a !== undefined && a !== null && b !== undefined && b !== null) throw invalidParam('filter_params', 'exprValues and filter_params are two names for the filter template values; give one of them');
  return a ?? b ?? undefined;
}
