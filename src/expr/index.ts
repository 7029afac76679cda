/** The Milvus filter language: see README.md. */
export type { CompiledFilter } from './compiled-filter.js';
export { compileFilter, forgetCompiledFilters, primaryKeyFilter } from './compiled-filter.js';
export { parseFilter } from './parse.js';
export { checkFilter } from './check.js';
export type { Node as FilterAst } from './ast.js';
export type { Pred as FilterPlan } from './plan.js';
