/**
 * Fields added to a schema after rows were written (addCollectionField). Segment files and WAL
 * records written before the field existed have no column for it; nothing is rewritten. Those rows
 * read the field's default value, or null: the column is made up in memory when a segment is used
 * (a growing segment gains it before its next append, a sealed one when its file is read, a merge
 * fills it for the rows of sources that lack it), so the next seal or compaction writes it out.
 */
import type { Column } from '../core/column.js';
import { DataType } from '../core/data-type.js';
import type { CollectionSchema, FieldSchema } from '../core/schema.js';
import { emptyColumn } from './column-builder.js';

/** Rows [from, to) of `col` become what a row written before `field` existed reads: its default, or null. */
export function fillAbsent(col: Column, field: FieldSchema, from: number, to: number): void {
  if (to <= from) return;
  const dv = field.defaultValue;
  if (dv === undefined || dv === null) {
    col.valid?.fill(0, from, to);
    return;
  }
  const data = col.data as unknown;
  if (Array.isArray(data)) {
    for (let i = from; i < to; i++) data[i] = dv;
  } else if (data instanceof BigInt64Array) {
    data.fill(BigInt(dv as bigint), from, to);
  } else if (col.type === DataType.Bool) {
    (col.data as Uint8Array).fill(dv === true ? 1 : 0, from, to);
  } else {
    (data as Float64Array).fill(Number(dv), from, to);
  }
  col.valid?.fill(1, from, to);
}

/** `cols` (read from a segment file of `rows` rows) with a made-up column for every field added since. */
export function withAbsentColumns(schema: CollectionSchema, cols: Map<string, Column>, rows: number): Map<string, Column> {
  for (const f of schema.fields) {
    if (cols.has(f.name)) continue;
    const col = emptyColumn(f, rows);
    fillAbsent(col, f, 0, rows);
    cols.set(f.name, col);
  }
  return cols;
}
