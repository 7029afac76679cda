/** Resolves `output_fields` against a schema and reads the chosen values of one row. */
import { isVectorType } from '../core/data-type.js';
import { invalidParam } from '../core/errors.js';
import { DYNAMIC_FIELD, primaryField, type CollectionSchema, type FieldSchema } from '../core/schema.js';
import type { Segment } from '../storage/index.js';
import { outputValue } from './row-codec.js';

export interface OutputPlan {
  /** Schema fields to return (primary key first). */
  fields: FieldSchema[];
  /** Dynamic keys to read out of `$meta`. */
  dynamicKeys: string[];
  /** `*` with a dynamic field: every dynamic key of each row. */
  allDynamic: boolean;
  /** Return the `$meta` object itself. */
  meta: boolean;
}

export function planOutput(schema: CollectionSchema, requested: readonly string[] | undefined, opts: { vectorsInStar: boolean }): OutputPlan {
  const pk = primaryField(schema);
  const plan: OutputPlan = { fields: [pk], dynamicKeys: [], allDynamic: false, meta: false };
  const add = (f: FieldSchema): void => {
    if (!plan.fields.includes(f)) plan.fields.push(f);
  };
  for (const raw of requested ?? []) {
    const name = String(raw).trim();
    if (name === '') continue;
    if (name === '*') {
      for (const f of schema.fields) {
        if (f.isDynamic) continue;
        if (isVectorType(f.dataType) && !opts.vectorsInStar) continue;
        add(f);
      }
      if (schema.enableDynamicField) plan.allDynamic = true;
      continue;
    }
    if (name === DYNAMIC_FIELD && schema.enableDynamicField) {
      plan.meta = true;
      continue;
    }
    const f = schema.fields.find((x) => x.name === name && !x.isDynamic);
    if (f) add(f);
    else if (schema.enableDynamicField) {
      const m = /^\$meta\[["'](.+)["']\]$/.exec(name);
      const key = m ? m[1]! : name;
      if (!plan.dynamicKeys.includes(key)) plan.dynamicKeys.push(key);
    } else throw invalidParam('output_fields', `field "${name}" does not exist in collection "${schema.name}"`);
  }
  return plan;
}

/**
 * The keys a row read with `plan` has, in order, when dynamic keys are nested under `$meta` (query
 * results): what an empty result still lists as its columns, as Milvus returns every requested output
 * field as an empty column.
 */
export function planColumns(plan: OutputPlan): string[] {
  const names = plan.fields.map((f) => f.name);
  if (plan.allDynamic || plan.dynamicKeys.length > 0 || plan.meta) names.push(DYNAMIC_FIELD);
  return names;
}

/**
 * The output values of one row, keyed by field name. Dynamic keys are flattened into the row
 * (search results), or kept under `$meta` with `nestDynamic` (query results, as Milvus returns them).
 */
export function readRow(seg: Segment, row: number, plan: OutputPlan, nestDynamic = false): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of plan.fields) out[f.name] = outputValue(seg.column(f.name)!, row);
  if (plan.allDynamic || plan.dynamicKeys.length > 0 || plan.meta) {
    const meta = ((seg.column(DYNAMIC_FIELD)?.data as unknown[] | undefined)?.[row] ?? {}) as Record<string, unknown>;
    const picked: Record<string, unknown> = {};
    if (plan.allDynamic || plan.meta) Object.assign(picked, meta);
    else for (const k of plan.dynamicKeys) if (k in meta) picked[k] = meta[k];
    if (nestDynamic || plan.meta) out[DYNAMIC_FIELD] = picked;
    else for (const [k, v] of Object.entries(picked)) if (!(k in out)) out[k] = v;
  }
  return out;
}
