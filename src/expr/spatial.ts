/**
 * Spatial filters on GEOMETRY fields, as Milvus 2.6.4+ documents them (milvus.io/docs/geometry-operators.md)
 * and evaluates them (internal/core/src/exec/expression/GISFunctionFilterExpr.cpp, common/Geometry.h):
 *
 *   ST_EQUALS | ST_TOUCHES | ST_OVERLAPS | ST_CROSSES | ST_CONTAINS | ST_INTERSECTS | ST_WITHIN (field, 'WKT')
 *   ST_DWITHIN(field, 'POINT(lon lat)', meters)
 *
 * The field is the first argument and the row's geometry the predicate's left side: ST_WITHIN(geo, 'POLYGON(…)')
 * holds for rows inside the polygon. ST_DWITHIN takes a POINT and a distance in meters: great-circle
 * (haversine, Earth radius 6 371 000 m) between a point row and the query point; for other rows the
 * planar distance in degrees converted to meters at the query point's latitude, as Milvus does. Null
 * rows are unknown; a row the geometry library cannot read is false (Milvus's IsValid check).
 *
 * With an RTREE index on the segment (src/index/scalar/rtree-index.ts), only rows whose bounding box
 * touches the query's box (for ST_DWITHIN, the box of every point within the distance) are tested;
 * every predicate here implies that the boxes touch, so the index changes cost, never results.
 */
import { Bitset } from '../core/bitset.js';
import { DataType, dataTypeName } from '../core/data-type.js';
import type { CollectionSchema, FieldSchema } from '../core/schema.js';
import { fieldByName } from '../core/schema.js';
import { boundsOf, geometryCache, isRTreeIndex, parseWkt, pointLocator, type Geom, type PointLocation } from '../index/scalar/index.js';
import type { Node } from './ast.js';
import type { Ctx, Evaluator, RowTest, Tri } from './eval/evaluator.js';
import { restrict, testRows, validRows } from './eval/evaluator.js';
import { filterError } from './filter-error.js';
import type { Const, Pred } from './plan.js';

export const SPATIAL_OPS = ['equals', 'touches', 'overlaps', 'crosses', 'contains', 'intersects', 'within', 'dwithin'] as const;
export type SpatialOp = (typeof SPATIAL_OPS)[number];

type CallNode = Extract<Node, { kind: 'call' }>;
type SpatialPred = Extract<Pred, { p: 'spatial' }>;

const EARTH_RADIUS_M = 6371000;
const METERS_PER_DEGREE_LAT = 111320;
const RAD = Math.PI / 180;

/** Whether a call name (lower-cased by the parser) is a spatial function. */
export function isSpatialCall(name: string): boolean {
  return /^st_[a-z_]+$/.test(name);
}

export function checkSpatial(n: CallNode, schema: CollectionSchema, constValue: (n: Node, message: string) => Const): Pred {
  const name = n.name;
  const upper = name.toUpperCase();
  const op = name.slice(3) as SpatialOp;
  if (!SPATIAL_OPS.includes(op)) {
    throw filterError(n.pos, `unknown spatial function ${upper}; known: ${SPATIAL_OPS.map((o) => `ST_${o.toUpperCase()}`).join(', ')}`);
  }
  const usage = op === 'dwithin' ? `${upper}(geometry_field, 'POINT(lon lat)', distance_in_meters)` : `${upper}(geometry_field, 'WKT')`;
  const args = n.args;
  if (args.some((a) => a.kind === 'option') || args.length !== (op === 'dwithin' ? 3 : 2)) throw filterError(n.pos, `${upper} takes ${usage}`);
  const first = args[0] as Node;
  const field = first.kind === 'field' && first.path.length === 0 ? fieldByName(schema, first.name) : undefined;
  if (field === undefined || field.dataType !== DataType.Geometry) {
    const what = first.kind !== 'field' ? 'its first argument' : field === undefined ? `"${first.name}" (no such field)` : `${dataTypeName(field.dataType)} field "${field.name}"`;
    throw filterError(n.pos, `${upper} needs a GEOMETRY field as its first argument, got ${what}; use ${usage}`);
  }
  const wkt = constValue(args[1] as Node, `${upper} needs a WKT string as its second argument`);
  if (typeof wkt !== 'string') throw filterError(n.pos, `${upper} needs a WKT string as its second argument, e.g. ${usage}`);
  let g: Geom;
  try {
    g = parseWkt(wkt);
  } catch (e) {
    throw filterError(n.pos, `${upper}: ${JSON.stringify(wkt.length > 60 ? wkt.slice(0, 60) + '…' : wkt)} is not valid WKT (${(e as Error).message})`);
  }
  let distance = 0;
  if (op === 'dwithin') {
    if (g.getGeometryType() !== 'Point' || g.isEmpty()) throw filterError(n.pos, `${upper} needs a POINT as its second argument, got ${g.getGeometryType().toUpperCase()}${g.isEmpty() ? ' EMPTY' : ''}`);
    const d = constValue(args[2] as Node, `${upper} needs a constant distance in meters as its third argument`);
    if (typeof d !== 'number' && typeof d !== 'bigint') throw filterError(n.pos, `${upper} needs a number (meters) as its third argument`);
    distance = Number(d);
    if (!(distance >= 0) || !Number.isFinite(distance)) throw filterError(n.pos, `${upper} needs a distance >= 0 (meters), got ${distance}`);
  }
  return { p: 'spatial', op, field, wkt, distance };
}

/** Great-circle distance in meters between two lon/lat points (Milvus's haversine_distance_meters). */
export function haversineMeters(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const dLat = (lat2 - lat1) * RAD;
  const dLon = (lon2 - lon1) * RAD;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * RAD) * Math.cos(lat2 * RAD) * Math.sin(dLon / 2) ** 2;
  return EARTH_RADIUS_M * 2 * Math.atan2(Math.sqrt(a), Math.sqrt(1 - a));
}

/** Meters per degree of planar distance at a latitude (Milvus's degrees_to_meters_at_location). */
export function metersPerDegree(lat: number): number {
  const c = Math.cos(lat * RAD);
  return METERS_PER_DEGREE_LAT * Math.sqrt((1 + c * c) / 2);
}

type Box = readonly [number, number, number, number];

/** A box holding every geometry that can pass ST_DWITHIN(·, point (qx, qy), d), a little generous. */
function dwithinBox(qx: number, qy: number, d: number): Box {
  const slack = (v: number): number => v * (1 + 1e-9) + 1e-9;
  const r = d / EARTH_RADIUS_M; // central angle in radians
  const dLat = slack(r / RAD);
  const planar = slack(d / metersPerDegree(qy));
  const halfY = Math.max(dLat, planar);
  // Haversine treats longitudes modulo 360: near a pole or across the antimeridian take every longitude.
  let halfX = Infinity;
  if (Math.abs(qy) + dLat < 90 && r < Math.PI / 2) {
    const s = Math.sin(r) / Math.cos(qy * RAD);
    if (s < 1) {
      const dLon = slack(Math.asin(s) / RAD);
      if (qx - dLon >= -180 && qx + dLon <= 180) halfX = Math.max(dLon, planar);
    }
  }
  return [qx - halfX, qy - halfY, qx + halfX, qy + halfY];
}

/** How a row is tested: points by their coordinates where that decides the answer, the rest as geometries. */
interface RowPredicate {
  point?: (x: number, y: number) => boolean;
  general: (g: Geom) => boolean;
}

/** The per-row test of a spatial predicate against its (parsed once) query geometry. */
function predicate(op: SpatialOp, q: Geom, distance: number): RowPredicate {
  const general = generalPredicate(op, q);
  if (op === 'dwithin') {
    const c = q.getCoordinate()!;
    const degrees = distance / metersPerDegree(c.y);
    return {
      point: (x, y) => haversineMeters(y, x, c.y, c.x) <= distance,
      general: (g) => !g.isEmpty() && g.isWithinDistance(q, degrees),
    };
  }
  const locate = op === 'intersects' || op === 'within' || op === 'touches' ? pointLocator(q) : undefined;
  if (locate === undefined) return { general };
  // A point row against a polygonal query: where the point lies decides all three predicates.
  const want: PointLocation = op === 'touches' ? 'boundary' : 'interior';
  const point = op === 'intersects' ? (x: number, y: number) => locate(x, y) !== 'exterior' : (x: number, y: number) => locate(x, y) === want;
  return { point, general };
}

function generalPredicate(op: SpatialOp, q: Geom): (g: Geom) => boolean {
  switch (op) {
    case 'equals':
      return (g) => g.equalsTopo(q);
    case 'touches':
      return (g) => g.touches(q);
    case 'overlaps':
      return (g) => g.overlaps(q);
    case 'crosses':
      return (g) => g.crosses(q);
    case 'contains':
      return (g) => g.contains(q);
    case 'intersects':
      return (g) => g.intersects(q);
    case 'within':
      return (g) => g.within(q);
    case 'dwithin':
      return () => false; // replaced by the caller
  }
}

/** The rows a `spatial` predicate holds for; the segment's RTREE, when present, picks the candidates. */
export class SpatialLeaf implements Evaluator {
  readonly cost = 30;
  private readonly test: RowPredicate;
  private readonly box: Box | undefined;
  private readonly field: FieldSchema;

  constructor(p: SpatialPred) {
    this.field = p.field;
    const q = parseWkt(p.wkt);
    this.test = predicate(p.op, q, p.distance);
    if (p.op === 'dwithin') {
      const c = q.getCoordinate()!;
      this.box = dwithinBox(c.x, c.y, p.distance);
    } else this.box = boundsOf(q);
  }

  private tester(ctx: Ctx): RowTest | undefined {
    const col = ctx.seg.column(this.field.name);
    if (col === undefined || col.type !== DataType.Geometry) return undefined;
    const cache = geometryCache(col.data);
    const valid = col.valid;
    const { point, general } = this.test;
    return (row): Tri => {
      if (valid !== null && valid[row] === 0) return 2;
      try {
        if (point !== undefined && cache.isPoint(row)) return point(cache.x(row), cache.y(row)) ? 1 : 0;
        const g = cache.get(row);
        return g !== undefined && general(g) ? 1 : 0;
      } catch {
        return 0; // e.g. a topology error on an invalid polygon: GEOS reports false
      }
    };
  }

  /** Rows worth testing: the RTREE's candidates (within `within`), else `within` itself. */
  private candidates(ctx: Ctx, within: Bitset | null): Bitset | null {
    const idx = ctx.seg.scalarIndex(this.field.name);
    if (!isRTreeIndex(idx) || idx.rowCount !== ctx.n) return within;
    let box = this.box;
    if (box !== undefined && !Number.isFinite(box[0])) {
      // An unbounded longitude range: bound it by the data instead.
      const e = idx.extent();
      if (e !== undefined) box = [e[0], box[1], e[2], box[3]];
    }
    const cand = box === undefined ? idx.candidates(1, 1, 0, 0) : idx.candidates(box[0], box[1], box[2], box[3]);
    return restrict(cand, within);
  }

  t(ctx: Ctx, within: Bitset | null): Bitset {
    const test = this.tester(ctx);
    if (test === undefined) return new Bitset(ctx.n);
    return testRows(test, ctx.n, this.candidates(ctx, within), 1);
  }

  f(ctx: Ctx, within: Bitset | null): Bitset {
    const col = ctx.seg.column(this.field.name);
    if (col === undefined) return new Bitset(ctx.n);
    // Every non-null row is either true or false.
    return restrict(validRows(col.valid, ctx.n), within).andNot(this.t(ctx, within));
  }
}
