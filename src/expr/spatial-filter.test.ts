/**
 * The spatial rows of the expression table: every ST_ function over a fixed set of geometries (grid
 * points, points on query boundaries, polygons, lines, multipoints, EMPTY, nulls), checked against an
 * independent evaluation — point rows by the plain point-in-polygon / on-segment / haversine code
 * below, other rows by jsts directly — with no index and with an RTREE on the segment. Then random
 * data and random queries: RTREE and no index agree with the oracle.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import 'jsts/org/locationtech/jts/monkey.js';
import GeometryFactory from 'jsts/org/locationtech/jts/geom/GeometryFactory.js';
import WKTReader from 'jsts/org/locationtech/jts/io/WKTReader.js';
import { DataType } from '../core/data-type.js';
import type { CollectionSchema } from '../core/schema.js';
import { buildScalarIndex, resolveScalarIndexType } from '../index/scalar/index.js';
import { field } from './fixture.test.js';
import { compileFilter } from './index.js';
import { MemorySegment } from './memory-segment.js';

const schema: CollectionSchema = {
  name: 'places', description: '', enableDynamicField: false,
  fields: [field('id', DataType.Int64, { isPrimaryKey: true }), field('geo', DataType.Geometry, { nullable: true }), field('name', DataType.VarChar)],
};

// ---- the independent oracle ----
type Pt = [number, number];
type Shape =
  | { t: 'point'; p: Pt }
  | { t: 'line'; pts: Pt[] }
  | { t: 'polygon'; ring: Pt[] };

function parseShape(wkt: string): Shape {
  const nums = (s: string): Pt[] => s.split(',').map((xy) => xy.trim().split(/\s+/).map(Number) as Pt);
  const inner = wkt.slice(wkt.indexOf('(')).replace(/[()]/g, ' ').trim();
  if (wkt.startsWith('POINT')) return { t: 'point', p: nums(inner)[0]! };
  if (wkt.startsWith('LINESTRING')) return { t: 'line', pts: nums(inner) };
  return { t: 'polygon', ring: nums(inner) };
}

function onSegment(p: Pt, a: Pt, b: Pt): boolean {
  const cross = (b[0] - a[0]) * (p[1] - a[1]) - (b[1] - a[1]) * (p[0] - a[0]);
  if (cross !== 0) return false;
  return Math.min(a[0], b[0]) <= p[0] && p[0] <= Math.max(a[0], b[0]) && Math.min(a[1], b[1]) <= p[1] && p[1] <= Math.max(a[1], b[1]);
}

/** Where a point lies against a simple polygon ring: ray casting plus an on-edge test. */
function locate(p: Pt, ring: Pt[]): 'interior' | 'boundary' | 'exterior' {
  for (let i = 0; i + 1 < ring.length; i++) if (onSegment(p, ring[i]!, ring[i + 1]!)) return 'boundary';
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]!;
    const [xj, yj] = ring[j]!;
    if (yi > p[1] !== yj > p[1] && p[0] < ((xj - xi) * (p[1] - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside ? 'interior' : 'exterior';
}

function haversine(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const r = Math.PI / 180;
  const h = Math.sin(((lat2 - lat1) * r) / 2) ** 2 + Math.cos(lat1 * r) * Math.cos(lat2 * r) * Math.sin(((lon2 - lon1) * r) / 2) ** 2;
  return 2 * 6371000 * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** A point row's answer, by hand. */
function pointOracle(op: string, p: Pt, q: Shape, distance: number): boolean {
  if (op === 'dwithin') return q.t === 'point' && haversine(p[1], p[0], q.p[1], q.p[0]) <= distance;
  if (q.t === 'point') {
    const same = p[0] === q.p[0] && p[1] === q.p[1];
    return ['equals', 'intersects', 'within', 'contains'].includes(op) ? same : false;
  }
  if (q.t === 'polygon') {
    const l = locate(p, q.ring);
    if (op === 'intersects') return l !== 'exterior';
    if (op === 'within') return l === 'interior';
    if (op === 'touches') return l === 'boundary';
    return false; // a point never equals, contains, overlaps or crosses an area
  }
  const pts = q.pts;
  let on = false;
  for (let i = 0; i + 1 < pts.length; i++) if (onSegment(p, pts[i]!, pts[i + 1]!)) on = true;
  const end = (e: Pt): boolean => e[0] === p[0] && e[1] === p[1];
  const atEnd = end(pts[0]!) || end(pts[pts.length - 1]!);
  if (op === 'intersects') return on;
  if (op === 'within') return on && !atEnd;
  if (op === 'touches') return atEnd;
  return false;
}

const reader = new WKTReader(new GeometryFactory());
type J = { [k: string]: (g: J, d?: number) => boolean } & { distance(g: J): number; getGeometryType(): string; isEmpty(): boolean };
const JTS: Record<string, string> = { equals: 'equalsTopo', touches: 'touches', overlaps: 'overlaps', crosses: 'crosses', contains: 'contains', intersects: 'intersects', within: 'within' };

/** A row's answer: null for null rows, by hand for points, jsts directly for the rest. */
function oracle(op: string, row: string | null, qWkt: string, distance: number): boolean | null {
  if (row === null) return null;
  const g = reader.read(row) as unknown as J;
  if (g.isEmpty()) return false;
  const shape = parseShape(row);
  if (shape.t === 'point') return pointOracle(op, shape.p, parseShape(qWkt), distance);
  const q = reader.read(qWkt) as unknown as J;
  if (op === 'dwithin') {
    const qs = parseShape(qWkt);
    const qy = qs.t === 'point' ? qs.p[1] : 0;
    const c = Math.cos((qy * Math.PI) / 180);
    return g.distance(q) * 111320 * Math.sqrt((1 + c * c) / 2) <= distance;
  }
  return g[JTS[op]!]!(q);
}

// ---- the data ----
const ROWS: (string | null)[] = [];
for (let x = -1; x <= 11; x += 1) for (let y = -1; y <= 11; y += 2) ROWS.push(`POINT(${x} ${y})`);
ROWS.push('POINT(2.5 2.5)', 'POINT(0 5)', 'POINT(10 10)', 'POINT(5 0)', 'POINT(3 3)', null, 'POINT(7.5 2)', null);
ROWS.push(
  'POLYGON((0 0,2 0,2 2,0 2,0 0))', 'POLYGON((1 1,4 1,4 4,1 4,1 1))', 'POLYGON((-5 -5,15 -5,15 15,-5 15,-5 -5))',
  'POLYGON((10 10,12 10,12 12,10 12,10 10))', 'POLYGON((20 20,21 20,21 21,20 20))', 'POLYGON((3 3,6 3,6 6,3 6,3 3))',
  'LINESTRING(-1 5,11 5)', 'LINESTRING(2 2,3 3)', 'LINESTRING(20 0,21 1)', 'LINESTRING(0 0,10 0)',
  'MULTIPOINT((1 1),(30 30))', 'POINT EMPTY', 'GEOMETRYCOLLECTION(POINT(4 4),LINESTRING(0 9,1 9))',
);
// lon/lat points around Paris for ST_DWITHIN (about 1.1 km per 0.01° of latitude)
for (let i = 0; i < 12; i++) ROWS.push(`POINT(${(2.35 + i * 0.004).toFixed(3)} ${(48.85 + i * 0.006).toFixed(3)})`);
ROWS.push('POLYGON((2.30 48.80,2.31 48.80,2.31 48.81,2.30 48.81,2.30 48.80))', 'LINESTRING(2.40 48.90,2.50 48.90)');

const SQUARE = 'POLYGON((0 0,10 0,10 10,0 10,0 0))';
const TRIANGLE = 'POLYGON((0 0,8 0,0 8,0 0))';
const QUERIES: [string, string, number?][] = [
  ['within', SQUARE], ['within', TRIANGLE], ['within', 'POLYGON((1 1,4 1,4 4,1 4,1 1))'],
  ['intersects', SQUARE], ['intersects', TRIANGLE], ['intersects', 'POINT(1 1)'], ['intersects', 'LINESTRING(0 5,10 5)'],
  ['intersects', 'POLYGON((100 100,101 100,101 101,100 100))'],
  ['contains', 'POINT(1 1)'], ['contains', 'POINT(3 3)'], ['contains', 'POLYGON((1.5 1.5,1.8 1.5,1.8 1.8,1.5 1.5))'],
  ['equals', 'POINT(3 3)'], ['equals', 'POLYGON((0 0,2 0,2 2,0 2,0 0))'], ['equals', 'POLYGON((2 0,2 2,0 2,0 0,2 0))'],
  ['touches', SQUARE], ['touches', 'POINT(2 2)'], ['touches', 'LINESTRING(-1 5,3 5)'],
  ['overlaps', 'POLYGON((1 1,3 1,3 3,1 3,1 1))'], ['overlaps', SQUARE],
  ['crosses', SQUARE], ['crosses', 'LINESTRING(2 -1,2 11)'], ['crosses', 'LINESTRING(2.5 0,2.5 5)'],
  ['dwithin', 'POINT(2.35 48.85)', 0], ['dwithin', 'POINT(2.35 48.85)', 1000], ['dwithin', 'POINT(2.35 48.85)', 5000],
  ['dwithin', 'POINT(2.305 48.805)', 10], ['dwithin', 'POINT(2.45 48.91)', 2000], ['dwithin', 'POINT(0 0)', 111195],
];

function segments(rows: (string | null)[]): { label: string; seg: MemorySegment }[] {
  const data = rows.map((geo, i) => ({ id: BigInt(i), geo, name: `n${i}` }));
  const plain = MemorySegment.fromRows(schema, data);
  const indexed = MemorySegment.fromRows(schema, data);
  indexed.setScalarIndex('geo', buildScalarIndex('RTREE', indexed.column('geo')!, rows.length));
  return [{ label: 'no index', seg: plain }, { label: 'RTREE', seg: indexed }];
}

function ids(seg: MemorySegment, filter: string): number[] {
  return [...compileFilter(filter, schema).evaluate(seg).indices()];
}

function filterText(op: string, wkt: string, distance?: number): string {
  return distance === undefined ? `ST_${op.toUpperCase()}(geo, '${wkt}')` : `ST_${op.toUpperCase()}(geo, '${wkt}', ${distance})`;
}

test(`spatial filter table: ${QUERIES.length} ST_ filters × ${ROWS.length} rows, with and without RTREE, match the oracle`, () => {
  const segs = segments(ROWS);
  for (const [op, wkt, distance] of QUERIES) {
    const want = ROWS.map((r) => oracle(op, r, wkt, distance ?? 0));
    const text = filterText(op, wkt, distance);
    const yes = want.flatMap((v, i) => (v === true ? [i] : []));
    const no = want.flatMap((v, i) => (v === false ? [i] : []));
    for (const { label, seg } of segs) {
      assert.deepEqual(ids(seg, text), yes, `${text} [${label}]`);
      // not keeps null rows unknown
      assert.deepEqual(ids(seg, `not ${text}`), no, `not ${text} [${label}]`);
      assert.deepEqual(ids(seg, `${text} and id < 40`), yes.filter((i) => i < 40), `${text} and id < 40 [${label}]`);
      assert.deepEqual(ids(seg, `${text} or id == 0`), [...new Set([0, ...yes])].sort((a, b) => a - b), `${text} or id == 0 [${label}]`);
    }
    if (op !== 'equals') assert.ok(yes.length > 0 || wkt.includes('100 100') || distance === 0 || op === 'overlaps' || op === 'crosses', `${text} should match something`);
  }
});

test('spatial filters: lower-case names, templates for the WKT and the distance', () => {
  const seg = segments(ROWS)[0]!.seg;
  assert.deepEqual(ids(seg, `st_within(geo, '${SQUARE}')`), ids(seg, `ST_WITHIN(geo, '${SQUARE}')`));
  const f = compileFilter('ST_DWITHIN(geo, {p}, {d})', schema, { p: 'POINT(2.35 48.85)', d: 1000 });
  assert.deepEqual([...f.evaluate(seg).indices()], ids(seg, "ST_DWITHIN(geo, 'POINT(2.35 48.85)', 1000)"));
});

test('spatial filters: bad calls are 1100 naming the rule', () => {
  const bad: [string, RegExp][] = [
    ["ST_WITHIN(name, 'POINT(1 1)')", /needs a GEOMETRY field as its first argument, got VarChar field "name"/],
    ["ST_WITHIN('POINT(1 1)', geo)", /needs a GEOMETRY field/],
    ["ST_WITHIN(geo, 'POINT(1 1')", /is not valid WKT/],
    ["ST_WITHIN(geo, 'CIRCLE(1 1)')", /is not valid WKT/],
    ['ST_WITHIN(geo, 5)', /needs a WKT string/],
    ["ST_WITHIN(geo)", /takes ST_WITHIN\(geometry_field, 'WKT'\)/],
    ["ST_DWITHIN(geo, 'POINT(1 1)')", /takes ST_DWITHIN/],
    ["ST_DWITHIN(geo, 'POLYGON((0 0,1 0,1 1,0 0))', 10)", /needs a POINT/],
    ["ST_DWITHIN(geo, 'POINT(1 1)', -1)", /distance >= 0/],
    ["ST_DWITHIN(geo, 'POINT(1 1)', 'far')", /needs a number/],
    ["ST_BUFFER(geo, 'POINT(1 1)')", /unknown spatial function ST_BUFFER/],
  ];
  for (const [text, re] of bad) {
    assert.throws(() => compileFilter(text, schema), (e: { code?: number; message: string }) => e.code === 1100 && re.test(e.message), text);
  }
});

test('RTREE: only on GEOMETRY fields, AUTOINDEX on GEOMETRY is RTREE, other scalar indexes refuse GEOMETRY', () => {
  const geo = schema.fields[1]!;
  const name = schema.fields[2]!;
  assert.equal(resolveScalarIndexType('RTREE', geo), 'RTREE');
  assert.equal(resolveScalarIndexType('rtree', geo), 'RTREE');
  assert.equal(resolveScalarIndexType('AUTOINDEX', geo), 'RTREE');
  assert.throws(() => resolveScalarIndexType('RTREE', name), /RTREE index can only be built on geometry field, got VarChar/);
  assert.throws(() => resolveScalarIndexType('INVERTED', geo), /INVERTED cannot index field "geo" of type Geometry/);
});

test('spatial filters: random points and polygons, random queries — RTREE and no index agree with the oracle', () => {
  let seed = 99;
  const rnd = (): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed / 4294967296;
  };
  // On a 0.5 grid: points land on edges too, and every coordinate is exact in binary, so the oracle's
  // cross products are exact (as the geometry library's robust orientation test is).
  const r1 = (v: number): number => Math.round(v * 2) / 2;
  const rows: (string | null)[] = [];
  for (let i = 0; i < 1500; i++) {
    const x = r1(rnd() * 100);
    const y = r1(rnd() * 100);
    const u = rnd();
    if (u < 0.03) rows.push(null);
    else if (u < 0.1) {
      const s = r1(1 + rnd() * 5);
      rows.push(`POLYGON((${x} ${y},${r1(x + s)} ${y},${r1(x + s)} ${r1(y + s)},${x} ${r1(y + s)},${x} ${y}))`);
    } else rows.push(`POINT(${x} ${y})`);
  }
  const segs = segments(rows);
  for (let k = 0; k < 40; k++) {
    const x = r1(rnd() * 90);
    const y = r1(rnd() * 90);
    const s = r1(1 + rnd() * 20);
    const tri = `POLYGON((${x} ${y},${r1(x + s)} ${y},${x} ${r1(y + s)},${x} ${y}))`;
    const op = (['within', 'intersects', 'touches', 'contains', 'overlaps'] as const)[k % 5]!;
    const want = rows.flatMap((r, i) => (oracle(op, r, tri, 0) === true ? [i] : []));
    for (const { label, seg } of segs) assert.deepEqual(ids(seg, filterText(op, tri)), want, `${op} ${tri} [${label}]`);
  }
  // lon/lat distances: random points over Europe, a few radii
  const geo: (string | null)[] = [];
  for (let i = 0; i < 1500; i++) geo.push(`POINT(${(rnd() * 30 - 5).toFixed(4)} ${(rnd() * 20 + 40).toFixed(4)})`);
  const gsegs = segments(geo);
  for (const d of [1000, 20000, 150000, 600000]) {
    const q = `POINT(${(rnd() * 30 - 5).toFixed(4)} ${(rnd() * 20 + 40).toFixed(4)})`;
    const want = geo.flatMap((r, i) => (oracle('dwithin', r, q, d) === true ? [i] : []));
    for (const { label, seg } of gsegs) assert.deepEqual(ids(seg, filterText('dwithin', q, d)), want, `dwithin ${q} ${d} [${label}]`);
  }
});
