/**
 * RTREE (Milvus 2.6.4+) on a GEOMETRY field: a static packed R-tree (flatbush, Hilbert-sorted) over
 * each row's minimum bounding rectangle. It answers one question — which rows' boxes touch a query
 * box — and the spatial filter (src/expr/spatial.ts) then runs the exact predicate on just those rows,
 * Milvus's coarse-then-refine plan. Rows whose geometry has no box (EMPTY, or text the geometry
 * library cannot read) are always candidates, so the index never changes an answer, only its cost.
 * Null rows are never candidates.
 *
 * Built in memory per sealed segment like the other scalar indexes; the parsed geometries go into the
 * column's geometry cache (geometry-cache.ts), which the exact predicate reuses.
 */
import Flatbush from 'flatbush';
import { Bitset } from '../../core/bitset.js';
import type { Column } from '../../core/column.js';
import { DataType } from '../../core/data-type.js';
import { unexpected } from '../../core/errors.js';
import { geometryCache } from './geometry-cache.js';

export class RTreeIndex {
  readonly type = 'RTREE';

  private constructor(
    readonly rowCount: number,
    private readonly tree: Flatbush | null,
    /** Row of each tree item (items are added in row order). */
    private readonly rows: Uint32Array,
    /** Non-null rows without a bounding box: candidates of every query. */
    private readonly unboxed: Uint32Array,
  ) {}

  static build(column: Column, rowCount: number): RTreeIndex {
    if (column.type !== DataType.Geometry) throw unexpected('RTREE needs a Geometry column');
    const cache = geometryCache(column.data);
    const valid = column.valid;
    const boxes = new Float64Array(4 * rowCount);
    const rows = new Uint32Array(rowCount);
    const unboxed: number[] = [];
    let n = 0;
    for (let r = 0; r < rowCount; r++) {
      if (valid !== null && valid[r] === 0) continue;
      const b = cache.bounds(r);
      if (b === undefined) {
        unboxed.push(r);
        continue;
      }
      boxes.set(b, 4 * n);
      rows[n++] = r;
    }
    let tree: Flatbush | null = null;
    if (n > 0) {
      tree = new Flatbush(n);
      for (let i = 0; i < 4 * n; i += 4) tree.add(boxes[i]!, boxes[i + 1]!, boxes[i + 2]!, boxes[i + 3]!);
      tree.finish();
    }
    return new RTreeIndex(rowCount, tree, rows.slice(0, n), Uint32Array.from(unboxed));
  }

  /** Rows whose bounding box intersects or touches [minX, maxX] × [minY, maxY], plus the unboxed rows. */
  candidates(minX: number, minY: number, maxX: number, maxY: number): Bitset {
    const out = new Bitset(this.rowCount);
    const w = out.words;
    const set = (r: number): void => {
      w[r >>> 5]! |= 1 << (r & 31);
    };
    for (const r of this.unboxed) set(r);
    if (this.tree === null || !(minX <= maxX && minY <= maxY)) return out;
    for (const i of this.tree.search(minX, minY, maxX, maxY)) set(this.rows[i]!);
    return out;
  }

  /** Bounds of every boxed row: [minX, minY, maxX, maxY] (undefined when there is none). */
  extent(): [number, number, number, number] | undefined {
    const t = this.tree;
    return t === null ? undefined : [t.minX, t.minY, t.maxX, t.maxY];
  }

  memoryBytes(): number {
    return (this.tree?.data.byteLength ?? 0) + this.rows.byteLength + this.unboxed.byteLength;
  }
}

/** Type guard for the `unknown` that SegmentView.scalarIndex returns. */
export function isRTreeIndex(v: unknown): v is RTreeIndex {
  return v instanceof RTreeIndex;
}
