/**
 * Milvus's Numpy import: one `.npy` file per field, named after the field (`id.npy`, `vector.npy`,
 * `$meta.npy` for the dynamic keys as JSON text), all files of one import group read together, row
 * `i` of every file making row `i` of the collection.
 *
 * The `.npy` layout (NumPy's format, versions 1.0, 2.0 and 3.0):
 *
 *   offset 0   6 bytes   magic `\x93NUMPY`
 *   offset 6   u8, u8    major, minor version
 *   offset 8   u16 LE (1.x) or u32 LE (2.x, 3.x): header length H
 *   then       H bytes   a Python dict literal: `{'descr': '<f4', 'fortran_order': False, 'shape': (n, dim), }`
 *                        (latin-1, UTF-8 in 3.0), padded with spaces and a newline
 *   then       the array data, C order, `n * prod(shape[1:]) * itemsize` bytes, no checksum
 *
 * What each field takes (as Milvus's `numpy/util.go` `validateHeader` checks it): scalars a 1-D array
 * of exactly their type (`b1`, `i1`, `i2`, `i4`, `i8`, `f4`, `f8`); VarChar and JSON a 1-D array of
 * strings (`<U<n>` UTF-32 or `S<n>` bytes); FloatVector a 2-D `f4`/`f8` array `(n, dim)`; BinaryVector
 * `u1` `(n, dim/8)`; Float16/BFloat16Vector `u1` `(n, dim*2)` (raw halves) or `f4`/`f8` `(n, dim)`;
 * Int8Vector `i1` `(n, dim)`. Array and SparseFloatVector fields cannot be imported from Numpy.
 *
 * Read by hand rather than with a library: the npm readers seen (npyjs 1.2) lack the `S` dtype and
 * overflow the call stack on a large string column.
 */
import { basename, extname } from 'node:path';
import { DataType, dataTypeName } from '../core/data-type.js';
import { importFailed } from '../core/errors.js';
import { DYNAMIC_FIELD, type CollectionSchema, type FieldSchema } from '../core/schema.js';

const MAGIC = '\x93NUMPY';

/** A parsed `.npy` array: element kind, shape, and a row accessor. */
export interface NpyArray {
  /** Normalised dtype: `b1`, `i1`, `u1`, `i2`, `i4`, `i8`, `f4`, `f8`, `U` or `S`. */
  kind: string;
  /** The dtype as the file wrote it (for messages). */
  descr: string;
  shape: number[];
  /** Row `i`: a scalar for 1-D arrays, a typed array of `shape[1]` elements for 2-D ones. */
  row(i: number): unknown;
}

function headerField(dict: string, key: string): string | undefined {
  return new RegExp(`['"]${key}['"]\\s*:\\s*('[^']*'|"[^"]*"|\\([^)]*\\)|True|False)`).exec(dict)?.[1];
}

/** Parses one `.npy` file (throws ImportFailed naming `what` on anything malformed or unsupported). */
export function parseNpy(bytes: Uint8Array, what: string): NpyArray {
  const bad = (why: string): never => {
    throw importFailed(`failed to read the numpy file '${what}': ${why}`);
  };
  if (bytes.length < 10 || Buffer.from(bytes.subarray(0, 6)).toString('latin1') !== MAGIC) bad('not a .npy file (no \\x93NUMPY magic)');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const major = bytes[6]!;
  if (major < 1 || major > 3) bad(`unsupported .npy format version ${major}.${bytes[7]!}`);
  const headerLen = major === 1 ? view.getUint16(8, true) : bytes.length >= 12 ? view.getUint32(8, true) : bad('truncated header');
  const start = major === 1 ? 10 : 12;
  if (start + headerLen > bytes.length) bad('truncated header');
  const dict = Buffer.from(bytes.subarray(start, start + headerLen)).toString(major === 3 ? 'utf8' : 'latin1');
  const descr = headerField(dict, 'descr')?.slice(1, -1) ?? bad('header has no descr');
  if (headerField(dict, 'fortran_order') === 'True') bad('fortran_order arrays are not supported; save the array in C order');
  const shapeText = headerField(dict, 'shape') ?? bad('header has no shape');
  const shape = shapeText
    .slice(1, -1)
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map(Number);
  if (shape.length === 0 || !shape.every((n) => Number.isSafeInteger(n) && n >= 0)) bad(`unsupported shape ${shapeText}`);
  const m = /^([<>|=]?)([a-zA-Z])(\d+)$/.exec(descr);
  if (!m) throw importFailed(`the numpy file dtype '${descr}' is not supported`);
  const order = m[1]!;
  const big = order === '>';
  const letter = m[2]!;
  const size = Number(m[3]);
  const kind = letter === 'U' ? 'U' : letter === 'S' || letter === 'a' ? 'S' : `${letter}${size}`;
  if (!['b1', 'i1', 'u1', 'i2', 'i4', 'i8', 'f4', 'f8', 'U', 'S'].includes(kind)) throw importFailed(`the numpy file dtype '${descr}' is not supported`);
  const item = kind === 'U' ? size * 4 : size;
  const n = shape[0]!;
  const width = shape.slice(1).reduce((a, b) => a * b, 1);
  const dataAt = start + headerLen;
  const need = n * width * item;
  if (bytes.length - dataAt < need) bad(`holds ${bytes.length - dataAt} data bytes, the shape ${shapeText} needs ${need}`);
  // Copy the data so typed arrays start aligned; swap big-endian elements to the machine's order.
  const data = Uint8Array.from(bytes.subarray(dataAt, dataAt + need));
  if (big && item > 1 && kind !== 'S') {
    const step = kind === 'U' ? 4 : item;
    for (let at = 0; at < data.length; at += step) data.subarray(at, at + step).reverse();
  }
  const buf = data.buffer;
  const typed = ((): ArrayLike<number | bigint> | null => {
    switch (kind) {
      case 'b1':
      case 'u1':
        return data;
      case 'i1':
        return new Int8Array(buf);
      case 'i2':
        return new Int16Array(buf);
      case 'i4':
        return new Int32Array(buf);
      case 'i8':
        return new BigInt64Array(buf);
      case 'f4':
        return new Float32Array(buf);
      case 'f8':
        return new Float64Array(buf);
      default:
        return null;
    }
  })();
  const text = (i: number): string => {
    const raw = data.subarray(i * item, (i + 1) * item);
    if (kind === 'S') {
      let end = raw.length;
      while (end > 0 && raw[end - 1] === 0) end--;
      return Buffer.from(raw.subarray(0, end)).toString('utf8');
    }
    const cps = new Uint32Array(raw.buffer, raw.byteOffset, size);
    let s = '';
    for (const cp of cps) {
      if (cp === 0) break;
      if (cp > 0x10ffff) bad(`string ${i} holds an invalid code point ${cp}`);
      s += String.fromCodePoint(cp);
    }
    return s;
  };
  const row = (i: number): unknown => {
    if (typed === null) return text(i);
    if (shape.length === 1) {
      const v = typed[i]!;
      return kind === 'b1' ? v !== 0 : v;
    }
    const t = typed as unknown as { subarray(a: number, b: number): unknown };
    return t.subarray(i * width, (i + 1) * width);
  };
  return { kind, descr, shape, row };
}

const KIND_TYPE: Record<string, string> = { b1: 'Bool', u1: 'BinaryVector', i1: 'Int8', i2: 'Int16', i4: 'Int32', i8: 'Int64', f4: 'Float', f8: 'Double', U: 'VarChar', S: 'VarChar' };
const SCALAR_KIND: Partial<Record<number, string>> = { [DataType.Bool]: 'b1', [DataType.Int8]: 'i1', [DataType.Int16]: 'i2', [DataType.Int32]: 'i4', [DataType.Int64]: 'i8', [DataType.Float]: 'f4', [DataType.Double]: 'f8' };

/** Checks one file's dtype and shape against its field, with Milvus's wording. */
function checkHeader(a: NpyArray, f: FieldSchema): void {
  const type = dataTypeName(f.dataType);
  const got = KIND_TYPE[a.kind] ?? a.kind;
  const elementError = () => importFailed(`expected element type '${type}' for field '${f.name}', got type '${got}'`);
  const shapeError = (want: number) => importFailed(`expected shape '${want}' for ${type} field '${f.name}', got shape '${a.shape.length}'`);
  const dimError = (actual: number, want: number) => importFailed(`expected dim '${want}' for ${type} field '${f.name}', got dim '${actual}'`);
  const dim = f.dim ?? 0;
  const vector = (kinds: string[], want: number): void => {
    if (!kinds.includes(a.kind)) throw elementError();
    if (a.shape.length !== 2) throw shapeError(2);
    if (a.shape[1] !== want) throw dimError(a.shape[1] ?? 0, want);
  };
  switch (f.dataType) {
    case DataType.FloatVector:
      return vector(['f4', 'f8'], dim);
    case DataType.Float16Vector:
    case DataType.BFloat16Vector:
      return vector(['u1', 'f4', 'f8'], a.kind === 'u1' ? dim * 2 : dim);
    case DataType.BinaryVector:
      if (a.kind !== 'u1') throw elementError();
      if (a.shape.length !== 2) throw shapeError(2);
      if (a.shape[1] !== dim / 8) throw dimError((a.shape[1] ?? 0) * 8, dim);
      return;
    case DataType.Int8Vector:
      return vector(['i1'], dim);
    case DataType.VarChar:
    case DataType.JSON:
      if (a.kind !== 'U' && a.kind !== 'S') throw elementError();
      if (a.shape.length !== 1) throw shapeError(1);
      return;
    case DataType.Array:
    case DataType.SparseFloatVector:
      throw importFailed(`unsupported data type: ${type}`);
    default:
      if (SCALAR_KIND[f.dataType] !== a.kind) throw elementError();
      if (a.shape.length !== 1) throw shapeError(1);
  }
}

function unsupported(f: FieldSchema): boolean {
  return f.dataType === DataType.Array || f.dataType === DataType.SparseFloatVector;
}

/** Value of row `i` of a field's array, in the shape an insert takes. */
function cell(a: NpyArray, f: FieldSchema, i: number, what: string): unknown {
  const v = a.row(i);
  if (f.dataType === DataType.JSON) {
    try {
      return JSON.parse(v as string) as unknown;
    } catch {
      throw importFailed(`${what}: row ${i} of field '${f.name}' is not valid JSON text`);
    }
  }
  if (f.dataType === DataType.Float16Vector || f.dataType === DataType.BFloat16Vector) return a.kind === 'u1' ? Uint8Array.from(v as Uint8Array) : v;
  return v;
}

/**
 * The rows of one Numpy import group (the `.npy` files of every field), checked as Milvus's
 * `numpy.CreateReaders` and `validateHeader` check them: files are matched to fields by base name,
 * other files are ignored, an auto-generated primary key must not be given, every field that is not
 * nullable, defaulted or dynamic needs its file, and all files hold the same number of rows.
 */
export function rowsOfNumpy(schema: CollectionSchema, files: readonly { path: string; bytes: Uint8Array }[]): Record<string, unknown>[] {
  const byName = new Map(schema.fields.map((f) => [f.name, f]));
  const given = new Map<string, { path: string; bytes: Uint8Array }>();
  for (const file of files) given.set(basename(file.path, extname(file.path)), file);
  const columns: { f: FieldSchema; a: NpyArray; path: string }[] = [];
  for (const [name, file] of given) {
    const f = byName.get(name);
    if (!f) continue;
    if (f.isPrimaryKey && f.autoID) throw importFailed(`the primary key '${f.name}' is auto-generated, no need to provide`);
    if (unsupported(f)) throw importFailed(`unsupported importing numpy files for collection with data type: ${dataTypeName(f.dataType)}`);
    const a = parseNpy(file.bytes, file.path);
    if (f.isDynamic) {
      if (a.kind !== 'U' && a.kind !== 'S') throw importFailed(`expected element type 'JSON' for field '${f.name}', got type '${KIND_TYPE[a.kind] ?? a.kind}'`);
    } else {
      checkHeader(a, f);
    }
    columns.push({ f, a, path: file.path });
  }
  for (const f of schema.fields) {
    if ((f.isPrimaryKey && f.autoID) || f.isDynamic || f.nullable || f.defaultValue !== undefined) continue;
    if (unsupported(f)) throw importFailed(`unsupported importing numpy files for collection with data type: ${dataTypeName(f.dataType)}`);
    if (!given.has(f.name)) throw importFailed(`no file for field: ${f.name}, files: [${files.map((x) => x.path).join(' ')}]`);
  }
  let n = -1;
  for (const { f, a } of columns) {
    const rows = a.shape[0]!;
    if (n < 0) n = rows;
    else if (rows !== n) throw importFailed(`numpy row count mismatch, field=${f.name}, rowCount=${rows}, expected=${n}`);
  }
  const out: Record<string, unknown>[] = [];
  for (let i = 0; i < Math.max(n, 0); i++) {
    const row: Record<string, unknown> = {};
    for (const { f, a, path } of columns) {
      if (!f.isDynamic) {
        row[f.name] = cell(a, f, i, path);
        continue;
      }
      let meta: unknown;
      try {
        meta = JSON.parse(a.row(i) as string) as unknown;
      } catch {
        meta = undefined;
      }
      if (!meta || typeof meta !== 'object' || Array.isArray(meta)) throw importFailed(`${path}: row ${i} of field '${DYNAMIC_FIELD}' is not a JSON object`);
      for (const [k, v] of Object.entries(meta)) if (!(k in row) && !byName.has(k)) row[k] = v;
    }
    out.push(row);
  }
  return out;
}
