/**
 * Milvus's CSV import files (`internal/util/importutilv2/csv`): RFC 4180 text, parsed with
 * `csv-parse`, whose first record is a header naming the fields. Options, as Milvus's import takes
 * them: `sep` (the separator, default `,`; not NUL, CR, LF, `"`) and `nullkey` (the cell text that
 * means null, default the empty string).
 *
 * Cells, per field type (as Milvus's `csv/row_parser.go` reads them): Bool as Go's
 * `strconv.ParseBool` (`true`/`false`/`1`/`0`/`t`/`f`/`TRUE`/...), integers in base 10 within their
 * type's range (Int64 exact), Float/Double as decimal numbers, VarChar as the text itself, JSON as
 * JSON text, every vector and Array as a JSON array (SparseFloatVector as a JSON object). A nullable
 * field whose cell equals `nullkey` is null; a field with a default value takes its default there.
 * Header names that are not fields go to the dynamic field as strings (a `$meta` column holds a JSON
 * object of further keys) when it is enabled, and are ignored otherwise.
 */
import { parse } from 'csv-parse/sync';
import { DataType, dataTypeName, isVectorType } from '../core/data-type.js';
import { importFailed, MilvusError } from '../core/errors.js';
import { DYNAMIC_FIELD, type CollectionSchema, type FieldSchema } from '../core/schema.js';
import { parseJsonExact, plainNumbers } from './json-rows.js';

export interface CsvOptions {
  sep: string;
  nullkey: string;
}

const INT_RANGE: Partial<Record<number, [bigint, bigint]>> = {
  [DataType.Int8]: [-128n, 127n],
  [DataType.Int16]: [-32768n, 32767n],
  [DataType.Int32]: [-2147483648n, 2147483647n],
  [DataType.Int64]: [-9223372036854775808n, 9223372036854775807n],
};
const BOOLS: Record<string, boolean> = { '1': true, t: true, T: true, TRUE: true, true: true, True: true, '0': false, f: false, F: false, FALSE: false, false: false, False: false };
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const FLOAT32_MAX = 3.4028234663852886e38;

/** The separator and null key of an import's options (checked as Milvus's `GetCSVSep`). */
export function csvOptions(options: Readonly<Record<string, string>>): CsvOptions {
  const sep = options['sep'] ?? '';
  const first = [...sep][0];
  if (first !== undefined && ['\0', '\n', '\r', '"', '\uFFFD'].includes(first)) throw importFailed(`unsupported csv separator: ${sep}`);
  return { sep: first ?? ',', nullkey: options['nullkey'] ?? '' };
}

function typeError(f: FieldSchema, v: string): MilvusError {
  return importFailed(`expected type '${dataTypeName(f.dataType)}' for field '${f.name}', got type 'string' with value '${v}'`);
}

function jsonCell(f: FieldSchema, v: string): unknown {
  try {
    return JSON.parse(v) as unknown;
  } catch {
    throw typeError(f, v);
  }
}

/** One cell as the value an insert takes (undefined: absent, so the default applies). */
function cellValue(f: FieldSchema, v: string, nullkey: string): unknown {
  if (v === nullkey && f.defaultValue !== undefined) return undefined;
  if (v === nullkey && f.nullable) return null;
  switch (f.dataType) {
    case DataType.Bool: {
      const b = BOOLS[v];
      if (b === undefined) throw typeError(f, v);
      return b;
    }
    case DataType.Int8:
    case DataType.Int16:
    case DataType.Int32:
    case DataType.Int64: {
      if (!/^[+-]?\d+$/.test(v)) throw typeError(f, v);
      const n = BigInt(v);
      const [lo, hi] = INT_RANGE[f.dataType]!;
      if (n < lo || n > hi) throw typeError(f, v);
      return f.dataType === DataType.Int64 ? n : Number(n);
    }
    case DataType.Float:
    case DataType.Double: {
      const x = Number(v);
      if (!DECIMAL.test(v) || !Number.isFinite(x) || (f.dataType === DataType.Float && Math.abs(x) > FLOAT32_MAX)) throw typeError(f, v);
      return x;
    }
    case DataType.VarChar:
      return v;
    case DataType.JSON:
    case DataType.SparseFloatVector:
      return jsonCell(f, v);
    case DataType.Array: {
      let arr: unknown;
      try {
        arr = parseJsonExact(v, f.name);
      } catch {
        throw typeError(f, v);
      }
      if (!Array.isArray(arr)) throw typeError(f, v);
      return f.elementType === DataType.Int64 ? arr : plainNumbers(arr);
    }
    default: {
      if (!isVectorType(f.dataType)) throw importFailed(`parse csv failed, unsupport data type: ${dataTypeName(f.dataType)}`);
      const arr = jsonCell(f, v);
      if (!Array.isArray(arr) || !arr.every((x) => typeof x === 'number')) throw typeError(f, v);
      const dim = f.dim ?? 0;
      const got = f.dataType === DataType.BinaryVector ? arr.length * 8 : arr.length;
      if (got !== dim) throw importFailed(`expected dim '${dim}' for field '${f.name}' with type '${dataTypeName(f.dataType)}', got dim '${got}'`);
      return arr;
    }
  }
}

/** A `$meta` cell: a JSON object of dynamic keys. */
function metaObject(v: string): Record<string, unknown> {
  let m: unknown;
  try {
    m = JSON.parse(v) as unknown;
  } catch {
    m = undefined;
  }
  if (!m || typeof m !== 'object' || Array.isArray(m)) throw importFailed('illegal value for dynamic field, not a JSON format string');
  return m as Record<string, unknown>;
}

/** The rows of one CSV import file's text, checked and converted as Milvus's CSV reader does. */
export function rowsOfCsv(schema: CollectionSchema, text: string, file: string, opts: CsvOptions): Record<string, unknown>[] {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, { delimiter: opts.sep, relax_column_count: true, skip_empty_lines: true, bom: true, info: true }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (err) {
    throw importFailed(`${file}: failed to parse csv, error: ${err instanceof Error ? err.message : String(err)}`);
  }
  const head = records[0];
  if (!head) throw importFailed(`${file}: failed to read csv header, error: EOF`);
  const header = head.record;
  const dynamic = schema.fields.find((f) => f.isDynamic);
  const pk = schema.fields.find((f) => f.isPrimaryKey);
  const fields = new Map(schema.fields.filter((f) => !f.isDynamic && !(f.isPrimaryKey && f.autoID)).map((f) => [f.name, f]));
  const inHeader = new Set(header);
  if (pk?.autoID && inHeader.has(pk.name)) throw importFailed(`the primary key '${pk.name}' is auto-generated, no need to provide`);
  for (const f of fields.values()) {
    if (!f.nullable && f.defaultValue === undefined && !inHeader.has(f.name)) throw importFailed(`value of field is missed: '${f.name}'`);
  }
  const rows: Record<string, unknown>[] = [];
  for (let r = 1; r < records.length; r++) {
    const { record, info } = records[r]!;
    const at = `${file} line ${info.lines}`;
    if (record.length !== header.length) throw importFailed(`${at}: the number of fields in the row is not equal to the header`);
    const row: Record<string, unknown> = {};
    const extra: Record<string, unknown> = {};
    let meta: Record<string, unknown> | null = null;
    try {
      for (let i = 0; i < header.length; i++) {
        const name = header[i]!;
        const v = record[i]!;
        const f = fields.get(name);
        if (f) row[name] = cellValue(f, v, opts.nullkey);
        else if (dynamic && name === DYNAMIC_FIELD) meta = metaObject(v);
        else if (dynamic) extra[name] = v;
      }
    } catch (err) {
      const e = MilvusError.from(err);
      throw new MilvusError(e.code, `${at}: ${e.message}`);
    }
    if (meta) {
      for (const [k, v] of Object.entries(meta)) {
        if (k in extra) throw importFailed(`${at}: duplicated key in dynamic field, key=${k}`);
        extra[k] = v;
      }
    }
    for (const [k, v] of Object.entries(extra)) if (!(k in row)) row[k] = v;
    rows.push(row);
  }
  return rows;
}
