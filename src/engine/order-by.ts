/**
 * `order_by_fields` for query (Milvus 2.6, SDK 3.x): sort the matching rows by scalar fields before
 * the limit/offset window is cut, as Milvus's `orderby.ParseOrderByFields` reads it
 * (internal/util/reduce/orderby): specs `field[:asc|desc[:nulls_first|nulls_last]]`, comma separated
 * or as a list; direction defaults to ascending; nulls follow PostgreSQL (ASC → last, DESC → first)
 * unless given; only Bool, Int8/16/32/64, Float, Double and VarChar fields sort. Rows equal on every
 * key stay in primary-key order (Elanus's tie-break; Milvus leaves it unspecified).
 */
import { DataType } from '../core/data-type.js';
import { invalidParam } from '../core/errors.js';
import type { CollectionSchema, FieldSchema } from '../core/schema.js';
import type { Column } from '../core/column.js';

export interface OrderKey {
  field: FieldSchema;
  ascending: boolean;
  nullsFirst: boolean;
}

const SORTABLE: readonly number[] = [DataType.Bool, DataType.Int8, DataType.Int16, DataType.Int32, DataType.Int64, DataType.Float, DataType.Double, DataType.VarChar];

/** The specs of an `order_by_fields` value in any of the shapes clients send (string, strings, `{field, order}` objects). */
function specs(raw: unknown): string[] {
  if (typeof raw === 'string') return raw.split(',');
  if (!Array.isArray(raw)) throw invalidParam('order_by_fields', `must be a string like "price:desc" or a list of them, got ${JSON.stringify(raw)}`);
  const out: string[] = [];
  for (const item of raw as unknown[]) {
    if (typeof item === 'string') out.push(...item.split(','));
    else if (item !== null && typeof item === 'object' && typeof (item as { field?: unknown }).field === 'string') {
      const { field, order } = item as { field: string; order?: unknown };
      out.push(order === undefined || order === null ? field : `${field}:${String(order)}`);
    } else throw invalidParam('order_by_fields', `each entry must be "field[:asc|desc]" or {field, order}, got ${JSON.stringify(item)}`);
  }
  return out;
}

/** Parses and checks `order_by_fields` against the schema; null when absent or empty. */
export function parseOrderBy(schema: CollectionSchema, raw: unknown): OrderKey[] | null {
  if (raw === undefined || raw === null || raw === '') return null;
  const keys: OrderKey[] = [];
  for (const s of specs(raw)) {
    const spec = s.trim();
    if (spec === '') continue;
    const parts = spec.split(':');
    const name = parts[0]!.trim();
    let ascending = true;
    if (parts.length > 1) {
      const dir = parts[1]!.trim().toLowerCase();
      if (dir === 'desc' || dir === 'descending') ascending = false;
      else if (dir !== 'asc' && dir !== 'ascending' && dir !== '') throw invalidParam('order_by_fields', `invalid order direction '${dir}' for field '${name}', must be 'asc' or 'desc'`);
    }
    let nullsFirst = !ascending;
    if (parts.length > 2) {
      const n = parts[2]!.trim().toLowerCase();
      if (n === 'nulls_first') nullsFirst = true;
      else if (n === 'nulls_last') nullsFirst = false;
      else throw invalidParam('order_by_fields', `invalid null ordering '${n}', must be 'nulls_first' or 'nulls_last'`);
    }
    const field = schema.fields.find((f) => f.name === name && !f.isDynamic);
    if (!field) throw invalidParam('order_by_fields', `order_by field '${name}' does not exist in collection schema`);
    if (!SORTABLE.includes(field.dataType)) throw invalidParam('order_by_fields', `order_by field '${name}' is not sortable (Bool, Int8/16/32/64, Float, Double and VarChar fields are)`);
    keys.push({ field, ascending, nullsFirst });
  }
  return keys.length ? keys : null;
}

/** A row to sort: its segment's columns, its row offset and its primary key (the tie-break). */
export interface SortableRow {
  seg: { column(name: string): Column | undefined };
  row: number;
  pk: bigint | string;
}

function keyValue(col: Column | undefined, row: number): number | bigint | string | null {
  if (!col || (col.valid && col.valid[row] === 0)) return null;
  const v = (col.data as ArrayLike<unknown>)[row];
  return typeof v === 'number' || typeof v === 'bigint' || typeof v === 'string' ? v : null;
}

/** The rows sorted by the keys, then by primary key (a new array). */
export function sortRows<T extends SortableRow>(rows: readonly T[], keys: readonly OrderKey[]): T[] {
  const vals = rows.map((r) => keys.map((k) => keyValue(r.seg.column(k.field.name), r.row)));
  const order = rows.map((_, i) => i);
  order.sort((a, b) => {
    const va = vals[a]!;
    const vb = vals[b]!;
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i]!;
      const x = va[i]!;
      const y = vb[i]!;
      if (x === y) continue;
      if (x === null) return k.nullsFirst ? -1 : 1;
      if (y === null) return k.nullsFirst ? 1 : -1;
      const c = x < y ? -1 : x > y ? 1 : 0;
      if (c !== 0) return k.ascending ? c : -c;
    }
    const pa = rows[a]!.pk;
    const pb = rows[b]!.pk;
    return pa < pb ? -1 : pa > pb ? 1 : 0;
  });
  return order.map((i) => rows[i]!);
}
