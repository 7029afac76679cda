/**
 * A segment: a run of rows of one partition, stored column by column. Growing segments accept
 * appends; sealed segments are immutable (except their delete mask). Implements the SegmentView the
 * filter evaluator and the search planner read.
 *
 * A sealed segment of a released collection is non-resident: it keeps its id, row count and delete
 * bitmap, but no columns (they are read from its segment file on load).
 */
import { Bitset } from '../core/bitset.js';
import type { Column } from '../core/column.js';
import { DataType } from '../core/data-type.js';
import type { CollectionSchema } from '../core/schema.js';
import type { SegmentView } from '../core/segment-view.js';
import { columnCapacity, copyRows, emptyColumn, growColumn } from './column-builder.js';
import { lookupPks } from './segment-file.js';
import { fillAbsent } from './added-fields.js';
import { INSERT_TS } from './insert-time.js';

export type PrimaryKey = bigint | string;

export class Segment implements SegmentView {
  rowCount = 0;
  sealed = false;
  /** Rows deleted (tombstoned) in this segment. Capacity grows with the segment. */
  deleted: Bitset;
  private deletedN = 0;
  private readonly cols = new Map<string, Column>();
  /** Each row's insert time, ms since the epoch (0: unknown, never expires); see insert-time.ts. */
  private ts: Float64Array;
  /** Smallest known (non-zero) insert time of the rows, and the largest; kept while non-resident. */
  private minTs = Infinity;
  private maxTs = 0;
  /** The range above is known (false for shells built from the manifest until their file is read). */
  private tsKnown = true;
  // ---- durability bookkeeping (owned by CollectionStore) ----
  /** LSN of the first insert into this segment while growing. */
  firstLsn = 0;
  /** Last LSN whose rows may be in this segment (set when sealed). */
  sealLsn = 0;
  /** The persisted delete file covers deletes up to this LSN; `delGen` names it (0 = none). */
  delLsn = 0;
  delGen = 0;
  persistedDeleted = 0;
  /** Deletes happened since the delete file was last written. */
  deletesDirty = false;
  /** The segment file is written and fsync'd (the manifest may name it). */
  durable = false;
  /** Columns are in memory. */
  resident = true;
  /** Sealed segments: row offsets sorted by primary key (binary-search pk lookups). */
  pkOrder: Int32Array | null = null;
  private readonly pkToRows = new Map<PrimaryKey, number | number[]>();
  /** Scalar and vector indexes built on this segment, by field name (set by the engine). */
  readonly scalarIndexes = new Map<string, unknown>();
  readonly vectorIndexes = new Map<string, unknown>();
  /** Text-match indexes by field name (built and caught up by src/text on use or after inserts/loads). */
  readonly textIndexes = new Map<string, unknown>();

  constructor(
    readonly id: number,
    readonly partitionId: number,
    readonly schema: CollectionSchema,
    capacity = 1024,
  ) {
    for (const f of schema.fields) this.cols.set(f.name, emptyColumn(f, capacity));
    this.deleted = new Bitset(capacity);
    this.ts = new Float64Array(capacity);
  }

  get pkName(): string {
    return this.schema.fields.find((f) => f.isPrimaryKey)!.name;
  }

  column(fieldName: string): Column | undefined {
    this.addMissingColumns();
    return this.cols.get(fieldName);
  }

  columns(): ReadonlyMap<string, Column> {
    this.addMissingColumns();
    return this.cols;
  }

  /**
   * Fields added to the schema after this segment's rows were written (addCollectionField): their
   * columns, made up in memory, read each row's default or null (added-fields.ts).
   */
  private addMissingColumns(): void {
    if (!this.resident || this.cols.size >= this.schema.fields.length) return;
    const first = this.cols.values().next().value;
    const cap = first ? Math.max(columnCapacity(first), this.rowCount) : this.rowCount;
    for (const f of this.schema.fields) {
      if (this.cols.has(f.name)) continue;
      const col = emptyColumn(f, cap);
      fillAbsent(col, f, 0, this.rowCount);
      this.cols.set(f.name, col);
    }
  }

  scalarIndex(fieldName: string): unknown {
    return this.scalarIndexes.get(fieldName);
  }

  rowsOfPks(pks: readonly PrimaryKey[]): number[] {
    if (this.pkOrder) {
      const pk = this.cols.get(this.pkName);
      if (!pk) return [];
      return lookupPks(pk.data as BigInt64Array | string[], this.pkOrder, pks);
    }
    const out: number[] = [];
    for (const pk of pks) {
      const r = this.pkToRows.get(pk);
      if (r === undefined) continue;
      if (typeof r === 'number') out.push(r);
      else out.push(...r);
    }
    return out.sort((a, b) => a - b);
  }

  /** Live (not deleted) row count. */
  get liveCount(): number {
    return this.rowCount - this.deletedN;
  }

  get deletedCount(): number {
    return this.deletedN;
  }

  /** Replaces the delete bitmap (sized to rowCount) and its population count. */
  setDeleted(bits: Bitset, count: number): void {
    this.deleted = bits;
    this.deletedN = count;
  }

  /** Makes a sealed segment resident with columns read from its file. */
  attach(cols: ReadonlyMap<string, Column>, pkOrder: Int32Array): void {
    this.cols.clear();
    for (const [k, v] of cols) if (k !== INSERT_TS) this.cols.set(k, v);
    const ts = cols.get(INSERT_TS)?.data;
    this.ts = ts instanceof Float64Array && ts.length >= this.rowCount ? ts : new Float64Array(this.rowCount);
    this.noteTimes(0, this.rowCount, true);
    this.pkOrder = pkOrder;
    this.pkToRows.clear();
    this.resident = true;
    this.addMissingColumns();
  }

  /** Drops a sealed segment's columns and indexes (they stay on disk). */
  detach(): void {
    this.cols.clear();
    this.pkToRows.clear();
    this.pkOrder = null;
    this.scalarIndexes.clear();
    this.vectorIndexes.clear();
    this.textIndexes.clear();
    this.ts = new Float64Array(0);
    this.resident = false;
  }

  /** A non-resident sealed segment shell (columns come later via attach). */
  static shell(id: number, partitionId: number, schema: CollectionSchema, rowCount: number): Segment {
    const s = new Segment(id, partitionId, schema, 0);
    s.rowCount = rowCount;
    s.sealed = true;
    s.deleted = new Bitset(rowCount);
    s.cols.clear();
    s.ts = new Float64Array(0);
    s.tsKnown = false;
    s.resident = false;
    return s;
  }

  /** The primary key of a row. */
  pkAt(row: number): PrimaryKey {
    const col = this.cols.get(this.pkName)!;
    return (col.data as BigInt64Array | string[])[row]!;
  }

  /** Appends `n` rows given as columns by field name (every schema field present). Returns the first row. */
  append(batch: ReadonlyMap<string, Column>, n: number): number {
    const at = this.rowCount;
    this.addMissingColumns();
    this.ensureCapacity(at + n);
    for (const f of this.schema.fields) {
      const col = this.cols.get(f.name)!;
      const src = batch.get(f.name);
      if (src) copyRows(col, at, src, n);
      // A WAL record written before the field was added (replayed after it): default or null.
      else fillAbsent(col, f, at, at + n);
    }
    const t = batch.get(INSERT_TS)?.data;
    if (t instanceof Float64Array) this.ts.set(t.subarray(0, n), at);
    else this.ts.fill(0, at, at + n); // a WAL record written before insert times were kept
    this.noteTimes(at, at + n, false);
    const pkCol = this.cols.get(this.pkName)!.data as BigInt64Array | string[];
    for (let i = at; i < at + n; i++) this.indexPk(pkCol[i]!, i);
    this.rowCount = at + n;
    return at;
  }

  /** Widens (or, `reset`, recomputes) the known insert-time range over rows [from, to). */
  private noteTimes(from: number, to: number, reset: boolean): void {
    if (reset) {
      this.minTs = Infinity;
      this.maxTs = 0;
    }
    for (let i = from; i < to; i++) {
      const v = this.ts[i]!;
      if (v <= 0) continue;
      if (v < this.minTs) this.minTs = v;
      if (v > this.maxTs) this.maxTs = v;
    }
    this.tsKnown = true;
  }

  /** A row's insert time (ms since the epoch; 0 when unknown). Resident segments only. */
  insertTime(row: number): number {
    return this.ts[row] ?? 0;
  }

  /** The insert times of rows [0, rowCount) as a `$ts` column (segment files, merges). */
  insertTimes(): Column {
    return { type: DataType.Double, data: this.ts.subarray(0, this.rowCount), valid: null } as Column;
  }

  /** The columns a segment file holds: every field, plus the insert times. */
  fileColumns(): Map<string, Column> {
    const out = new Map(this.columns());
    out.set(INSERT_TS, this.insertTimes());
    return out;
  }

  /**
   * Rows inserted before `cutoff` (ms since the epoch), as a bitset of rowCount bits, or null when
   * none is (rows of unknown time never expire). Resident segments only.
   */
  expiredRows(cutoff: number): Bitset | null {
    if (cutoff <= 0 || this.rowCount === 0 || !(this.minTs < cutoff)) return null;
    const b = new Bitset(this.rowCount);
    const ts = this.ts;
    for (let r = 0; r < this.rowCount; r++) {
      const v = ts[r]!;
      if (v > 0 && v < cutoff) b.set(r);
    }
    return b;
  }

  /**
   * Live rows that are expired at `cutoff`. Exact when resident; otherwise known only when every
   * row is past it (the insert-time range survives release), 0 when unknown (a shell not yet read).
   */
  expiredCount(cutoff: number): number {
    if (cutoff <= 0 || !this.tsKnown || !(this.minTs < cutoff)) return 0;
    if (!this.resident) return this.maxTs < cutoff ? this.liveCount : 0;
    const e = this.expiredRows(cutoff);
    return e ? e.andNot(this.deleted.resized(this.rowCount)).count() : 0;
  }

  private indexPk(pk: PrimaryKey, row: number): void {
    const prev = this.pkToRows.get(pk);
    if (prev === undefined) this.pkToRows.set(pk, row);
    else if (typeof prev === 'number') this.pkToRows.set(pk, [prev, row]);
    else prev.push(row);
  }

  private ensureCapacity(rows: number): void {
    const first = this.cols.values().next().value;
    const cap = first ? columnCapacity(first) : 0;
    if (rows <= cap && rows <= this.deleted.size) return;
    let next = Math.max(1024, cap);
    while (next < rows) next *= 2;
    for (const [name, col] of this.cols) this.cols.set(name, growColumn(col, this.rowCount, next));
    this.deleted = this.deleted.resized(next);
    const ts = new Float64Array(next);
    ts.set(this.ts.subarray(0, this.rowCount));
    this.ts = ts;
  }

  /** Marks a row deleted; returns false if it already was. */
  markDeleted(row: number): boolean {
    if (row >= this.rowCount || this.deleted.get(row)) return false;
    this.deleted.set(row);
    this.deletedN++;
    this.deletesDirty = true;
    return true;
  }

  /**
   * Live rows, as a bitset of exactly rowCount bits: not deleted and, given a TTL cutoff (ms since
   * the epoch, see insert-time.ts), not inserted before it.
   */
  liveRows(expireBefore = 0): Bitset {
    const b = Bitset.full(this.rowCount);
    const d = this.deleted.words;
    const w = b.words;
    for (let i = 0; i < w.length; i++) w[i]! &= ~d[i]!;
    const e = this.expiredRows(expireBefore);
    if (e) b.andNot(e);
    return b;
  }

  /** A row is live: not deleted and not expired at `expireBefore` (0: no TTL). */
  isLive(row: number, expireBefore = 0): boolean {
    if (row >= this.rowCount || this.deleted.get(row)) return false;
    if (expireBefore <= 0) return true;
    const t = this.ts[row] ?? 0;
    return !(t > 0 && t < expireBefore);
  }

  /** Trims capacity to rowCount and marks the segment sealed (immutable data from now on). */
  seal(): void {
    this.addMissingColumns();
    for (const [name, col] of this.cols) this.cols.set(name, growColumn(col, this.rowCount, this.rowCount));
    this.deleted = this.deleted.resized(this.rowCount);
    this.ts = this.ts.slice(0, this.rowCount);
    this.sealed = true;
  }

  /** Switches pk lookups from the growing hash map to a sorted order (sealed segments). */
  usePkOrder(order: Int32Array): void {
    this.pkOrder = order;
    this.pkToRows.clear();
  }

  /** Approximate bytes held by this segment's columns. */
  memoryBytes(): number {
    let n = this.deleted.words.byteLength + (this.pkOrder?.byteLength ?? 0) + this.ts.byteLength;
    for (const col of this.cols.values()) {
      if (Array.isArray(col.data)) n += col.data.length * 16;
      else n += (col.data as Uint8Array).byteLength;
    }
    return n;
  }
}

export { emptyColumn };
