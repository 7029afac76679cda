/**
 * Parsed geometries of a GEOMETRY column, parsed on first use and kept while the column lives (a
 * WeakMap keyed by the column's WKT array), as Milvus keeps a per-segment geometry cache: parsing WKT
 * costs more than most predicates. Points — most rows of most spatial data — keep only their x/y
 * (16 bytes instead of a few hundred for a parsed object); other geometries keep the parsed object.
 * Rows are append-only, so a parsed row never goes stale; a reallocated column gets a new cache.
 */
import { makePoint, tryParseWkt, type Geom } from './geometry.js';

const UNPARSED = 0;
const POINT = 1;
const OTHER = 2;
const UNREADABLE = 3;

export class GeometryCache {
  private kinds: Uint8Array;
  private xs: Float64Array;
  private ys: Float64Array;
  private readonly others = new Map<number, Geom>();

  constructor(private readonly wkt: readonly string[]) {
    this.kinds = new Uint8Array(wkt.length);
    this.xs = new Float64Array(wkt.length);
    this.ys = new Float64Array(wkt.length);
  }

  private parse(row: number): number {
    if (row >= this.kinds.length) this.grow(row + 1);
    let k = this.kinds[row]!;
    if (k !== UNPARSED) return k;
    const g = tryParseWkt(this.wkt[row] ?? '');
    if (g === undefined) k = UNREADABLE;
    else if (g.getGeometryType() === 'Point' && !g.isEmpty()) {
      const c = g.getCoordinate()!;
      this.xs[row] = c.x;
      this.ys[row] = c.y;
      k = POINT;
    } else {
      this.others.set(row, g);
      k = OTHER;
    }
    this.kinds[row] = k;
    return k;
  }

  private grow(size: number): void {
    const n = Math.max(size, this.kinds.length * 2);
    const kinds = new Uint8Array(n);
    kinds.set(this.kinds);
    const xs = new Float64Array(n);
    xs.set(this.xs);
    const ys = new Float64Array(n);
    ys.set(this.ys);
    this.kinds = kinds;
    this.xs = xs;
    this.ys = ys;
  }

  /** True when the row is a (non-empty) point; then `x(row)` / `y(row)` are its coordinates. */
  isPoint(row: number): boolean {
    return this.parse(row) === POINT;
  }
  x(row: number): number {
    return this.xs[row]!;
  }
  y(row: number): number {
    return this.ys[row]!;
  }

  /** The geometry of a row (points are made afresh), or undefined when its text cannot be read. */
  get(row: number): Geom | undefined {
    const k = this.parse(row);
    if (k === POINT) return makePoint(this.xs[row]!, this.ys[row]!);
    return k === OTHER ? this.others.get(row) : undefined;
  }

  /** [minX, minY, maxX, maxY] of a row, or undefined when it is empty or unreadable. */
  bounds(row: number): [number, number, number, number] | undefined {
    const k = this.parse(row);
    if (k === POINT) return [this.xs[row]!, this.ys[row]!, this.xs[row]!, this.ys[row]!];
    if (k !== OTHER) return undefined;
    const e = this.others.get(row)!.getEnvelopeInternal();
    return e.isNull() ? undefined : [e.getMinX(), e.getMinY(), e.getMaxX(), e.getMaxY()];
  }
}

const caches = new WeakMap<readonly string[], GeometryCache>();

export function geometryCache(wkt: readonly string[]): GeometryCache {
  let c = caches.get(wkt);
  if (c === undefined) {
    c = new GeometryCache(wkt);
    caches.set(wkt, c);
  }
  return c;
}
