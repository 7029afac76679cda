/**
 * The TIMESTAMPTZ rows of the expression table: ISO literals (and ISO strings), every comparison,
 * ranges, `in`, `is null`, and `± INTERVAL` shifts, over instants chosen to hit month ends, leap days,
 * sub-second digits, pre-epoch values and nulls — checked against an independent evaluation (the
 * instants are written as [y, m, d, h, mi, s, µs] parts and converted by the days-from-civil formula
 * below, not by the engine's parser or Date) with no index and with STL_SORT, INVERTED and AUTOINDEX.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DataType } from '../core/data-type.js';
import type { CollectionSchema } from '../core/schema.js';
import { buildScalarIndex, resolveScalarIndexType, type ScalarIndexType } from '../index/scalar/index.js';
import { field } from './fixture.test.js';
import { compileFilter } from './index.js';
import { MemorySegment } from './memory-segment.js';

const schema: CollectionSchema = {
  name: 'events', description: '', enableDynamicField: false,
  fields: [field('id', DataType.Int64, { isPrimaryKey: true }), field('ts', DataType.Timestamptz, { nullable: true }), field('n', DataType.Int32)],
};

// ---- the independent oracle: proleptic Gregorian calendar arithmetic on parts ----
type Parts = [y: number, m: number, d: number, h: number, mi: number, s: number, us: number];

/** Days from 1970-01-01 to y-m-d (Howard Hinnant's days_from_civil; m is 1..12, any y). */
function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Parts → UTC µs, normalising overflowing months like timegm (months carry into years, the rest is linear). */
function micros([y, m, d, h, mi, s, us]: Parts): bigint {
  const m0 = m - 1;
  const yy = y + Math.floor(m0 / 12);
  const mm = ((m0 % 12) + 12) % 12 + 1;
  const days = daysFromCivil(yy, mm, 1) + (d - 1);
  return BigInt(days * 86400 + h * 3600 + mi * 60 + s) * 1000000n + BigInt(us);
}

/** ISO text of parts written in a zone `offsetMin` minutes east of UTC (same calendar day only). */
function isoOf(p: Parts, offsetMin = 0): string {
  const pad = (v: number, w = 2): string => String(v).padStart(w, '0');
  const [y, m, d, h, mi, s, us] = p;
  const local = h * 60 + mi + offsetMin;
  const off = Math.abs(offsetMin);
  const zone = offsetMin === 0 ? 'Z' : `${offsetMin > 0 ? '+' : '-'}${pad(Math.floor(off / 60))}:${pad(off % 60)}`;
  return `${pad(y, 4)}-${pad(m)}-${pad(d)}T${pad(Math.floor(local / 60))}:${pad(local % 60)}:${pad(s)}${us ? '.' + pad(us, 6) : ''}${zone}`;
}

/** Parts shifted by an interval, Milvus's way: fields added, then normalised. */
function shift(p: Parts, iv: Partial<Record<'y' | 'mo' | 'd' | 'h' | 'mi' | 's', number>>, sign: 1 | -1): bigint {
  const [y, m, d, h, mi, s, us] = p;
  const k = (v?: number): number => sign * (v ?? 0);
  return micros([y + k(iv.y), m + k(iv.mo), d + k(iv.d), h + k(iv.h), mi + k(iv.mi), s + k(iv.s), us]);
}

const INSTANTS: (Parts | null)[] = [
  [2025, 1, 31, 10, 0, 0, 0],
  [2024, 2, 29, 0, 0, 0, 500000],
  null,
  [1969, 12, 31, 23, 59, 59, 999999],
  [2025, 3, 1, 0, 0, 0, 0],
  [2000, 1, 1, 0, 0, 0, 0],
  [2025, 12, 31, 23, 59, 59, 0],
  [1999, 12, 31, 12, 30, 15, 123456],
  [2025, 1, 1, 8, 0, 0, 0],
  null,
  [2023, 11, 30, 6, 0, 0, 1],
  [1970, 1, 1, 0, 0, 0, 0],
  [2025, 6, 15, 12, 0, 0, 0],
];
const ROWS = INSTANTS.map((p, i) => ({ id: BigInt(i), ts: p === null ? null : micros(p), n: i }));

type Oracle = (p: Parts) => boolean;
const at = (p: Parts): bigint => micros(p);
const T = at;
const CUT: Parts = [2025, 1, 1, 8, 0, 0, 0];
const cut = T(CUT);

const CASES: [string, Oracle][] = [
  [`ts > ISO '${isoOf(CUT)}'`, (p) => at(p) > cut],
  [`ts >= ISO '${isoOf(CUT)}'`, (p) => at(p) >= cut],
  [`ts < ISO '${isoOf(CUT, 120)}'`, (p) => at(p) < cut],
  [`ts <= ISO '${isoOf(CUT, -90)}'`, (p) => at(p) <= cut],
  [`ts == ISO '${isoOf(CUT)}'`, (p) => at(p) === cut],
  [`ts != ISO '${isoOf(CUT)}'`, (p) => at(p) !== cut],
  [`iso '${isoOf(CUT)}' < ts`, (p) => at(p) > cut],
  [`ts > '${isoOf(CUT)}'`, (p) => at(p) > cut],
  [`ts == ISO '${isoOf([2024, 2, 29, 0, 0, 0, 500000])}'`, (p) => at(p) === T([2024, 2, 29, 0, 0, 0, 500000])],
  [`ts < ISO '1970-01-01T00:00:00Z'`, (p) => at(p) < 0n],
  [`ISO '2000-01-01T00:00:00Z' <= ts < ISO '2025-03-01T00:00:00Z'`, (p) => at(p) >= T([2000, 1, 1, 0, 0, 0, 0]) && at(p) < T([2025, 3, 1, 0, 0, 0, 0])],
  [`ts in [ISO '1970-01-01T00:00:00Z', '2025-06-15T14:00:00+02:00', ISO '1999-01-01T00:00:00Z']`, (p) => [0n, T([2025, 6, 15, 12, 0, 0, 0])].includes(at(p))],
  [`not (ts > ISO '${isoOf(CUT)}')`, (p) => !(at(p) > cut)],
  [`ts > ISO '${isoOf(CUT)}' and n < 8`, (p) => at(p) > cut && INSTANTS.indexOf(p) < 8],
  [`ts > ISO '${isoOf(CUT)}' or n == 3`, (p) => at(p) > cut || INSTANTS.indexOf(p) === 3],
  // INTERVAL: calendar fields shifted then normalised
  [`ts + INTERVAL 'P1M' == ISO '2025-03-03T10:00:00Z'`, (p) => shift(p, { mo: 1 }, 1) === T([2025, 3, 3, 10, 0, 0, 0])],
  [`ts + INTERVAL 'P1M' > ISO '2025-03-01T00:00:00Z'`, (p) => shift(p, { mo: 1 }, 1) > T([2025, 3, 1, 0, 0, 0, 0])],
  [`ts + INTERVAL 'P1Y' >= ISO '2025-03-01T00:00:00Z'`, (p) => shift(p, { y: 1 }, 1) >= T([2025, 3, 1, 0, 0, 0, 0])],
  [`ts - INTERVAL 'P1D' < ISO '2025-02-28T00:00:00Z'`, (p) => shift(p, { d: 1 }, -1) < T([2025, 2, 28, 0, 0, 0, 0])],
  [`ts - INTERVAL 'PT36H' >= ISO '2024-12-31T00:00:00Z'`, (p) => shift(p, { h: 36 }, -1) >= T([2024, 12, 31, 0, 0, 0, 0])],
  [`ts + INTERVAL 'P1Y2M3DT4H5M6S' > ISO '2026-04-01T00:00:00Z'`, (p) => shift(p, { y: 1, mo: 2, d: 3, h: 4, mi: 5, s: 6 }, 1) > T([2026, 4, 1, 0, 0, 0, 0])],
  [`ts + INTERVAL 'P2W' <= ISO '2000-01-15T00:00:00Z'`, (p) => shift(p, { d: 14 }, 1) <= T([2000, 1, 15, 0, 0, 0, 0])],
  [`ts + INTERVAL 'PT1S' > ISO '1970-01-01T00:00:00Z'`, (p) => shift(p, { s: 1 }, 1) > 0n],
  [`ts - INTERVAL 'P13M' != ISO '2023-12-31T10:00:00Z'`, (p) => shift(p, { mo: 13 }, -1) !== T([2023, 12, 31, 10, 0, 0, 0])],
  [`ISO '2025-03-03T10:00:00Z' == ts + INTERVAL 'P1M'`, (p) => shift(p, { mo: 1 }, 1) === T([2025, 3, 3, 10, 0, 0, 0])],
  [`ts + INTERVAL 'P0D' > ISO '${isoOf(CUT)}'`, (p) => at(p) > cut],
  [`not (ts + INTERVAL 'P1M' > ISO '2025-03-01T00:00:00Z')`, (p) => !(shift(p, { mo: 1 }, 1) > T([2025, 3, 1, 0, 0, 0, 0]))],
];

function segments(): { label: string; seg: MemorySegment }[] {
  const out = [{ label: 'no index', seg: MemorySegment.fromRows(schema, ROWS) }];
  for (const type of ['STL_SORT', 'INVERTED', 'AUTOINDEX'] as const) {
    const seg = MemorySegment.fromRows(schema, ROWS);
    const t = resolveScalarIndexType(type, schema.fields[1]!) as ScalarIndexType;
    seg.setScalarIndex('ts', buildScalarIndex(t, seg.column('ts')!, ROWS.length));
    out.push({ label: type, seg });
  }
  return out;
}

test(`timestamptz filter table: ${CASES.length} expressions, with no index and with STL_SORT / INVERTED / AUTOINDEX, match the oracle`, () => {
  assert.equal(resolveScalarIndexType('AUTOINDEX', schema.fields[1]!), 'STL_SORT');
  const segs = segments();
  for (const [text, oracle] of CASES) {
    const want = INSTANTS.flatMap((p, i) => (p !== null && oracle(p) ? [i] : []));
    for (const { label, seg } of segs) {
      assert.deepEqual([...compileFilter(text, schema).evaluate(seg).indices()], want, `${text} [${label}]`);
    }
  }
  for (const { label, seg } of segs) {
    assert.deepEqual([...compileFilter('ts is null', schema).evaluate(seg).indices()], [2, 9], label);
    assert.deepEqual([...compileFilter('ts is not null', schema).evaluate(seg).indices()].length, INSTANTS.length - 2, label);
  }
});

test('timestamptz filters: the oracle agrees with itself on known instants', () => {
  assert.equal(micros([1970, 1, 1, 0, 0, 0, 0]), 0n);
  assert.equal(micros([2025, 1, 1, 0, 0, 0, 0]), 1735689600000000n);
  assert.equal(micros([2025, 2, 31, 10, 0, 0, 0]), micros([2025, 3, 3, 10, 0, 0, 0]));
  assert.equal(micros([1969, 12, 31, 23, 59, 59, 999999]), -1n);
});

test('timestamptz filters: bad literals and misuse are 1100 naming the rule', () => {
  const bad: [string, RegExp][] = [
    ["ts > ISO 'yesterday'", /ISO literal: expected an ISO 8601 timestamp/],
    ["ts > ISO '2025-01-01T00:00:00'", /has no time zone/],
    ["ts > ISO '2025-02-30T00:00:00Z'", /not a valid calendar date/],
    ["ts > 'soon'", /timestamp: expected an ISO 8601 timestamp/],
    ["ts + INTERVAL 'P1X' > ISO '2025-01-01T00:00:00Z'", /INTERVAL: expected an ISO 8601 duration/],
    ["ts + INTERVAL 'PT' > ISO '2025-01-01T00:00:00Z'", /INTERVAL: expected an ISO 8601 duration/],
    ["n > ISO '2025-01-01T00:00:00Z'", /ISO '…' is a TIMESTAMPTZ value; compare it with a Timestamptz field, not with Int32 field "n"/],
    ['ts + 1 > 5', /arithmetic on Timestamptz field "ts" takes an INTERVAL only/],
    ["INTERVAL 'P1D' > ts", /INTERVAL '…' is added to or subtracted from a TIMESTAMPTZ field/],
    ["n + INTERVAL 'P1D' > ISO '2025-01-01T00:00:00Z'", /Int32 field "n" is not a Timestamptz field/],
    ["ts + INTERVAL 'P1D' > n", /the other side must be a constant timestamp/],
    ['ts > n', /a Timestamptz field compares with another Timestamptz field or a timestamp/],
    ['ts == true', /not with boolean/],
  ];
  for (const [text, re] of bad) {
    assert.throws(() => compileFilter(text, schema), (e: { code?: number; message: string }) => e.code === 1100 && re.test(e.message), text);
  }
});
