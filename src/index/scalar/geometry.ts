/**
 * The one seam to the geometry library (jsts, the JavaScript port of JTS): WKT parsing, envelopes and
 * the OGC predicates Milvus 2.6's spatial filters use (GEOS, JTS's C++ port, in Milvus). jsts ships
 * its predicates as prototype patches (`monkey.js`) that its typings do not declare; `Geom` declares
 * the part we use.
 *
 * jsts's PreparedGeometry classes cannot be constructed in 2.12 (their constructors call the base
 * constructor without the geometry), so predicates run on plain geometries — their envelope checks
 * come first, which keeps a whole-column scan affordable — and a point against a polygonal query
 * uses JTS's IndexedPointInAreaLocator (what PreparedPolygon uses for points) instead of a full
 * relate, which costs tens of microseconds per row.
 */
import 'jsts/org/locationtech/jts/monkey.js';
import GeometryFactory from 'jsts/org/locationtech/jts/geom/GeometryFactory.js';
import WKTReader from 'jsts/org/locationtech/jts/io/WKTReader.js';
import Coordinate from 'jsts/org/locationtech/jts/geom/Coordinate.js';
import Location from 'jsts/org/locationtech/jts/geom/Location.js';
import IndexedPointInAreaLocator from 'jsts/org/locationtech/jts/algorithm/locate/IndexedPointInAreaLocator.js';

export interface Envelope {
  isNull(): boolean;
  getMinX(): number;
  getMinY(): number;
  getMaxX(): number;
  getMaxY(): number;
}

export interface Geom {
  isEmpty(): boolean;
  getGeometryType(): string;
  getEnvelopeInternal(): Envelope;
  getCoordinate(): { x: number; y: number } | null;
  equalsTopo(g: Geom): boolean;
  touches(g: Geom): boolean;
  overlaps(g: Geom): boolean;
  crosses(g: Geom): boolean;
  contains(g: Geom): boolean;
  intersects(g: Geom): boolean;
  within(g: Geom): boolean;
  isWithinDistance(g: Geom, distance: number): boolean;
}

const factory = new GeometryFactory();
const reader = new WKTReader(factory);

/** A point geometry at (x, y). */
export function makePoint(x: number, y: number): Geom {
  return factory.createPoint(new Coordinate(x, y)) as unknown as Geom;
}

/** Parses WKT (as stored: wkx's normalised upper-case form, or user text); throws on bad input. */
export function parseWkt(wkt: string): Geom {
  return reader.read(wkt.trim().toUpperCase()) as unknown as Geom;
}

/** Parses WKT; undefined for text the library cannot read (predicates on it are false, as in Milvus). */
export function tryParseWkt(wkt: string): Geom | undefined {
  try {
    return parseWkt(wkt);
  } catch {
    return undefined;
  }
}

/** [minX, minY, maxX, maxY] of a geometry, or undefined for an empty one. */
export function boundsOf(g: Geom): [number, number, number, number] | undefined {
  const e = g.getEnvelopeInternal();
  if (e.isNull()) return undefined;
  return [e.getMinX(), e.getMinY(), e.getMaxX(), e.getMaxY()];
}

export type PointLocation = 'interior' | 'boundary' | 'exterior';

/** For a Polygon / MultiPolygon: where a point lies (an interval-tree point-in-area test); else undefined. */
export function pointLocator(area: Geom): ((x: number, y: number) => PointLocation) | undefined {
  const t = area.getGeometryType();
  if ((t !== 'Polygon' && t !== 'MultiPolygon') || area.isEmpty()) return undefined;
  const loc = new IndexedPointInAreaLocator(area as never);
  return (x, y) => {
    const l = loc.locate(new Coordinate(x, y)) as number;
    return l === Location.INTERIOR ? 'interior' : l === Location.BOUNDARY ? 'boundary' : 'exterior';
  };
}
