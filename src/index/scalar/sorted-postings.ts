/**
 * The shared core of every scalar index: the distinct non-null keys of a column in ascending order,
 * and for each key the ascending rows holding it (CSR: `offsets[k]..offsets[k+1]` into `rows`). For
 * Array columns a row appears under each distinct element it contains. Rows whose value is null are
 * not in any posting list.
 *
 * Keys are numbers (Bool as 0/1, Float/Double/Int8..Int32), bigints (Int64) or strings (VarChar,
 * ordered by UTF-16 code units like JS `<`). NaN floats are never indexed (they match no comparison).
 */
import { Bitset } from '../../core/bitset.js';
import type { Column } from '../../core/column.js';
import { DataType } from '../../core/data-type.js';
import { ErrorCode, MilvusError } from '../../core/errors.js';

export type KeyKind = 'f64' | 'i64' | 'str';
export type Keys = Float64Array | BigInt64Array | string[];
export type Key = number | bigint | string;

export class SortedPostings {
  constructor(
    readonly keyKind: KeyKind,
    readonly keys: Keys,
    readonly offsets: Uint32Array,
    readonly rows: Uint32Array,
    readonly rowCount: number,
    readonly isArray: boolean,
  ) {}

  get keyCount(): number {
    return this.keys.length;
  }

  memoryBytes(): number {
    let keyBytes = 0;
    if (this.keys instanceof Float64Array || this.keys instanceof BigInt64Array) keyBytes = this.keys.byteLength;
    else for (const s of this.keys) keyBytes += 16 + s.length * 2;
    return keyBytes + this.offsets.byteLength + this.rows.byteLength;
  }

  /** Index of the first key >= k (or > k with `strict`). */
  lowerBound(k: Key, strict = false): number {
    const keys = this.keys as ArrayLike<Key>;
    let lo = 0;
    let hi = keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const v = keys[mid]!;
      if (v < k || (strict && v === k)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Position of key k, or -1. */
  find(k: Key): number {
    const i = this.lowerBound(k);
    return i < this.keys.length && (this.keys as ArrayLike<Key>)[i] === k ? i : -1;
  }

  /** Key positions [from, to) whose keys lie in the range (undefined bound = open). */
  keyRange(lo: Key | undefined, loInc: boolean, hi: Key | undefined, hiInc: boolean): [number, number] {
    const from = lo === undefined ? 0 : this.lowerBound(lo, !loInc);
    const to = hi === undefined ? this.keys.length : this.lowerBound(hi, hiInc);
    return [from, Math.max(from, to)];
  }

  /** Key positions [from, to) of strings starting with `prefix`. */
  prefixRange(prefix: string): [number, number] {
    if (this.keyKind !== 'str') return [0, 0];
    const from = this.lowerBound(prefix);
    const keys = this.keys as string[];
    let to = from;
    // Binary search the end: the first key at or after `from` that does not start with prefix.
    let hi = keys.length;
    while (to < hi) {
      const mid = (to + hi) >>> 1;
      if (keys[mid]!.startsWith(prefix)) to = mid + 1;
      else hi = mid;
    }
    return [from, to];
  }

  /** Sets the rows of key positions [from, to) in `out`. */
  addKeyRange(out: Bitset, from: number, to: number): void {
    const w = out.words;
    const rows = this.rows;
    const end = this.offsets[to]!;
    for (let j = this.offsets[from]!; j < end; j++) {
      const r = rows[j]!;
      w[r >>> 5]! |= 1 << (r & 31);
    }
  }

  addKey(out: Bitset, k: number): void {
    this.addKeyRange(out, k, k + 1);
  }

  /** Number of posting entries in key positions [from, to). */
  entries(from: number, to: number): number {
    return this.offsets[to]! - this.offsets[from]!;
  }
}

/** Which key kind a scalar column's values (or Array elements) index as; undefined when not indexable. */
export function keyKindOf(type: number): KeyKind | undefined {
  switch (type) {
    case DataType.Bool:
    case DataType.Int8:
    case DataType.Int16:
    case DataType.Int32:
    case DataType.Float:
    case DataType.Double:
      return 'f64';
    case DataType.Int64:
    case DataType.Timestamptz:
      return 'i64';
    case DataType.VarChar:
    case DataType.String:
    case DataType.Text:
      return 'str';
    default:
      return undefined;
  }
}

/** Normalises one element of an Array column to the key kind; undefined for nulls and NaN. */
function elementKey(kind: KeyKind, v: unknown): Key | undefined {
  if (v === null || v === undefined) return undefined;
  if (kind === 'str') return typeof v === 'string' ? v : undefined;
  if (kind === 'i64') {
    if (typeof v === 'bigint') return v;
    return typeof v === 'number' && Number.isInteger(v) ? BigInt(v) : undefined;
  }
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'number') return Number.isNaN(v) ? undefined : v;
  return undefined;
}

function compareKeys(a: Key, b: Key): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Builds the postings of a scalar or Array column's first `rowCount` rows. */
export function buildPostings(column: Column, rowCount: number): SortedPostings {
  const isArray = column.type === DataType.Array;
  const kind = keyKindOf(isArray ? column.elementType : column.type);
  if (kind === undefined) {
    throw new MilvusError(ErrorCode.IndexNotSupported, `scalar index: cannot index a column of data type ${column.type}`);
  }
  const valid = column.valid;
  // Group rows by key with a Map, then order the keys.
  const groups = new Map<Key, number[]>();
  const add = (k: Key, r: number): void => {
    const g = groups.get(k);
    if (g === undefined) groups.set(k, [r]);
    else if (g[g.length - 1] !== r) g.push(r);
  };
  if (column.type === DataType.Array) {
    for (let r = 0; r < rowCount; r++) {
      if (valid !== null && valid[r] === 0) continue;
      const arr = column.data[r];
      if (!Array.isArray(arr)) continue;
      for (const e of arr) {
        const k = elementKey(kind, e);
        if (k !== undefined) add(k, r);
      }
    }
  } else if (column.type === DataType.VarChar || column.type === DataType.JSON) {
    const data = column.data;
    for (let r = 0; r < rowCount; r++) {
      if (valid !== null && valid[r] === 0) continue;
      const v = data[r];
      if (typeof v === 'string') add(v, r);
    }
  } else if (column.type === DataType.Int64 || column.type === DataType.Timestamptz) {
    const data = column.data;
    for (let r = 0; r < rowCount; r++) if (valid === null || valid[r] !== 0) add(data[r]!, r);
  } else if ('data' in column && (column.data instanceof Float32Array || column.data instanceof Float64Array || column.data instanceof Int8Array
    || column.data instanceof Int16Array || column.data instanceof Int32Array || column.data instanceof Uint8Array)) {
    const data = column.data;
    for (let r = 0; r < rowCount; r++) {
      if (valid !== null && valid[r] === 0) continue;
      const v = data[r]!;
      if (!Number.isNaN(v)) add(v, r);
    }
  }
  const sorted = [...groups.keys()].sort(compareKeys);
  const offsets = new Uint32Array(sorted.length + 1);
  let total = 0;
  for (let i = 0; i < sorted.length; i++) {
    total += groups.get(sorted[i]!)!.length;
    offsets[i + 1] = total;
  }
  const rows = new Uint32Array(total);
  for (let i = 0; i < sorted.length; i++) rows.set(groups.get(sorted[i]!)!, offsets[i]!);
  let keys: Keys;
  if (kind === 'f64') keys = Float64Array.from(sorted as number[]);
  else if (kind === 'i64') keys = BigInt64Array.from(sorted as bigint[]);
  else keys = sorted as string[];
  return new SortedPostings(kind, keys, offsets, rows, rowCount, isArray);
}

/** A bitset of `size` with the rows of one posting list (used by the BITMAP index). */
export function postingBitset(p: SortedPostings, k: number): Bitset {
  const b = new Bitset(p.rowCount);
  p.addKey(b, k);
  return b;
}
