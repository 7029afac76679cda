/**
 * A SegmentView over rows held in memory, built from plain row objects: what the filter tests and
 * benchmark evaluate against (the engine has its own growing/sealed segments). Scalar indexes can be
 * attached per field.
 */
import type { Column } from '../core/column.js';
import { DataType, isVectorType } from '../core/data-type.js';
import type { CollectionSchema, FieldSchema } from '../core/schema.js';
import { DYNAMIC_FIELD } from '../core/schema.js';
import type { SegmentView } from '../core/segment-view.js';

export class MemorySegment implements SegmentView {
  private readonly indexes = new Map<string, unknown>();
  readonly textIndexes = new Map<string, unknown>();
  private pkRows: Map<bigint | string, number[]> | undefined;

  constructor(
    readonly rowCount: number,
    private readonly columns: ReadonlyMap<string, Column>,
    private readonly pkName: string,
  ) {}

  /** Rows as objects keyed by field name; null/undefined values of nullable fields become null. */
  static fromRows(schema: CollectionSchema, rows: readonly Record<string, unknown>[]): MemorySegment {
    const n = rows.length;
    const columns = new Map<string, Column>();
    const known = new Set(schema.fields.map((f) => f.name));
    for (const f of schema.fields) {
      if (isVectorType(f.dataType)) continue;
      if (f.isDynamic || f.name === DYNAMIC_FIELD) {
        const data = rows.map((r) => {
          const extra: Record<string, unknown> = {};
          for (const [k, v] of Object.entries(r)) if (!known.has(k)) extra[k] = v;
          return extra;
        });
        columns.set(DYNAMIC_FIELD, { type: DataType.JSON, data, valid: null });
        continue;
      }
      columns.set(f.name, buildColumn(f, rows.map((r) => r[f.name]), n));
    }
    const pk = schema.fields.find((f) => f.isPrimaryKey);
    return new MemorySegment(n, columns, pk?.name ?? '');
  }

  column(fieldName: string): Column | undefined {
    return this.columns.get(fieldName);
  }

  scalarIndex(fieldName: string): unknown {
    return this.indexes.get(fieldName);
  }

  setScalarIndex(fieldName: string, index: unknown): void {
    if (index === undefined) this.indexes.delete(fieldName);
    else this.indexes.set(fieldName, index);
  }

  rowsOfPks(pks: readonly (bigint | string)[]): number[] {
    if (this.pkRows === undefined) {
      this.pkRows = new Map();
      const col = this.columns.get(this.pkName);
      if (col !== undefined) {
        const data = col.data as ArrayLike<bigint | string>;
        for (let r = 0; r < this.rowCount; r++) {
          const k = data[r]!;
          const list = this.pkRows.get(k);
          if (list === undefined) this.pkRows.set(k, [r]);
          else list.push(r);
        }
      }
    }
    const out: number[] = [];
    for (const k of new Set(pks)) out.push(...(this.pkRows.get(k) ?? []));
    return out.sort((a, b) => a - b);
  }
}

function buildColumn(f: FieldSchema, values: unknown[], n: number): Column {
  const valid = f.nullable ? new Uint8Array(n) : null;
  const present = (i: number): boolean => {
    const ok = values[i] !== null && values[i] !== undefined;
    if (valid !== null && ok) valid[i] = 1;
    return ok;
  };
  const num = (v: unknown): number => (typeof v === 'bigint' ? Number(v) : typeof v === 'boolean' ? Number(v) : (v as number));
  switch (f.dataType) {
    case DataType.Bool: {
      const data = new Uint8Array(n);
      for (let i = 0; i < n; i++) if (present(i)) data[i] = values[i] ? 1 : 0;
      return { type: DataType.Bool, data, valid };
    }
    case DataType.Int8:
    case DataType.Int16:
    case DataType.Int32:
    case DataType.Float:
    case DataType.Double: {
      const Ctor = { [DataType.Int8]: Int8Array, [DataType.Int16]: Int16Array, [DataType.Int32]: Int32Array, [DataType.Float]: Float32Array, [DataType.Double]: Float64Array }[f.dataType];
      const data = new Ctor(n);
      for (let i = 0; i < n; i++) if (present(i)) data[i] = num(values[i]);
      return { type: f.dataType, data, valid } as Column;
    }
    case DataType.Int64: {
      const data = new BigInt64Array(n);
      for (let i = 0; i < n; i++) if (present(i)) data[i] = BigInt(values[i] as number | bigint);
      return { type: DataType.Int64, data, valid };
    }
    case DataType.VarChar:
    case DataType.String:
    case DataType.Text: {
      const data: string[] = new Array<string>(n);
      for (let i = 0; i < n; i++) data[i] = present(i) ? String(values[i]) : '';
      return { type: DataType.VarChar, data, valid };
    }
    case DataType.JSON: {
      const data: unknown[] = new Array<unknown>(n);
      for (let i = 0; i < n; i++) data[i] = present(i) ? values[i] : null;
      return { type: DataType.JSON, data, valid };
    }
    case DataType.Array: {
      const data: (unknown[] | null)[] = new Array<unknown[] | null>(n);
      for (let i = 0; i < n; i++) data[i] = present(i) ? (values[i] as unknown[]) : null;
      return { type: DataType.Array, elementType: f.elementType ?? DataType.Int64, data, valid };
    }
    case DataType.Timestamptz: {
      const data = new BigInt64Array(n);
      for (let i = 0; i < n; i++) if (present(i)) data[i] = BigInt(values[i] as number | bigint);
      return { type: DataType.Timestamptz, data, valid };
    }
    case DataType.Geometry: {
      const data: string[] = new Array<string>(n);
      for (let i = 0; i < n; i++) data[i] = present(i) ? String(values[i]) : '';
      return { type: DataType.Geometry, data, valid };
    }
    default:
      return { type: DataType.JSON, data: values.slice(), valid };
  }
}
