/**
 * Nullable vector columns (Milvus 2.6): a null row holds a placeholder in the column (zeros, or a
 * sparse row without entries) and `valid[row] = 0`. No index ever sees a placeholder: an index is
 * built over the valid rows only, packed in row order, and wrapped by `NullSkippingIndex`, which
 * maps the segment's row space to the index's and back — the `allow` bitset is narrowed to the valid
 * rows, hits come back as segment rows. Milvus does the same (an index over the valid rows with an
 * offset mapping, no graph node for a null vector).
 *
 * The mapping is not written into the index file: the segment is immutable and its validity bitmap
 * is the truth, so loading derives it again from the column and checks the index's row count
 * against the number of valid rows (a mismatch is DataCorrupted, and the engine rebuilds).
 */
import { Bitset } from '../core/bitset.js';
import type { SparseRow, VectorColumn } from '../core/column.js';
import { DataType } from '../core/data-type.js';
import { dataCorrupted } from '../core/errors.js';
import { writeIndexFile } from './kernels/index-file.js';
import type { VectorIndex, VectorIndexSpec } from './registry.js';
import type { QueryVectors, SearchHits, SearchOptions } from './types.js';

/** Row offsets of the valid rows among the first `rowCount`, or null when every row is valid. */
export function validRowIds(column: VectorColumn, rowCount: number): Int32Array | null {
  const valid = column.valid;
  if (!valid) return null;
  let n = 0;
  for (let r = 0; r < rowCount; r++) n += valid[r] === 0 ? 0 : 1;
  if (n === rowCount) return null;
  const ids = new Int32Array(n);
  let j = 0;
  for (let r = 0; r < rowCount; r++) if (valid[r] !== 0) ids[j++] = r;
  return ids;
}

/** A new column holding only `rows` of `column`, in that order, without a validity bitmap. */
export function packRows(column: VectorColumn, rows: Int32Array): VectorColumn {
  if (column.type === DataType.SparseFloatVector) {
    const data: SparseRow[] = new Array<SparseRow>(rows.length);
    for (let i = 0; i < rows.length; i++) data[i] = column.data[rows[i]!]!;
    return { type: column.type, dim: column.dim, data, valid: null };
  }
  const per = column.type === DataType.BinaryVector ? column.dim >>> 3 : column.dim;
  const src = column.data;
  const out = new (src.constructor as new (n: number) => typeof src)(rows.length * per);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    (out as Uint8Array).set((src as Uint8Array).subarray(r * per, (r + 1) * per), i * per);
  }
  return { ...column, data: out, valid: null } as VectorColumn;
}

/** An index over no rows (every vector of the segment is null; Milvus skips the build): finds nothing. */
export class EmptyIndex implements VectorIndex {
  readonly rowCount = 0;
  constructor(readonly spec: VectorIndexSpec) {}
  search(q: QueryVectors, opts: SearchOptions): SearchHits {
    const nq = q.sparse ? q.sparse.length : q.nq;
    return { nq, k: opts.k, ids: new Int32Array(nq * opts.k).fill(-1), scores: new Float32Array(nq * opts.k) };
  }
  memoryBytes(): number {
    return 0;
  }
  /** The frame with an empty payload: what `loadVectorIndex` reads back for a segment of null vectors. */
  serialize(): Uint8Array {
    return writeIndexFile(this.spec, new Uint8Array(0));
  }
  dispose(): void {}
}

/** An index over the valid rows of a segment, answering in the segment's row space. */
export class NullSkippingIndex implements VectorIndex {
  constructor(
    private readonly inner: VectorIndex,
    /** Index position → segment row (ascending). */
    private readonly rows: Int32Array,
    /** Rows of the segment, null ones included. */
    readonly rowCount: number,
  ) {}

  get spec(): VectorIndexSpec {
    return this.inner.spec;
  }

  /** The wrapped index (over the valid rows only). */
  get packed(): VectorIndex {
    return this.inner;
  }

  search(q: QueryVectors, opts: SearchOptions): SearchHits {
    const rows = this.rows;
    const allow = new Bitset(rows.length);
    for (let j = 0; j < rows.length; j++) if (opts.allow === null || opts.allow.get(rows[j]!)) allow.set(j);
    const hits = this.inner.search(q, { ...opts, allow });
    const ids = hits.ids;
    for (let i = 0; i < ids.length; i++) if (ids[i]! >= 0) ids[i] = rows[ids[i]!]!;
    return hits;
  }

  memoryBytes(): number {
    return this.inner.memoryBytes() + this.rows.byteLength;
  }

  serialize(): Uint8Array {
    return this.inner.serialize();
  }

  dispose(): void {
    this.inner.dispose();
  }
}

/** Wraps an index loaded from its file for a column with null rows; checks it covers exactly the valid rows. */
export function wrapLoaded(inner: VectorIndex, column: VectorColumn, rowCount: number): VectorIndex {
  const rows = validRowIds(column, rowCount);
  if (rows === null) return inner;
  if (inner.rowCount !== rows.length) {
    throw dataCorrupted('vector index file', `index holds ${inner.rowCount} rows, the segment ${rows.length} non-null vectors`);
  }
  return new NullSkippingIndex(inner, rows, rowCount);
}
