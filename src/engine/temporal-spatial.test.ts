import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MilvusError } from '../core/errors.js';
import { formatTimestamptz, geometryValue, parseIsoTimestamptz, timestamptzDefault, timestamptzValue } from './temporal-spatial.js';

const refused = (fn: () => unknown, re: RegExp): void =>
  assert.throws(fn, (e: unknown) => e instanceof MilvusError && e.code === 1100 && re.test(e.message));

test('ISO 8601 with a zone becomes UTC microseconds, and formats back in UTC', () => {
  const cases: [string, bigint, string][] = [
    ['1970-01-01T00:00:00Z', 0n, '1970-01-01T00:00:00Z'],
    ['2025-01-01T08:00:00+08:00', 1735689600000000n, '2025-01-01T00:00:00Z'],
    ['2025-01-01T08:00:00+0800', 1735689600000000n, '2025-01-01T00:00:00Z'],
    ['2024-12-31T19:00:00-05:00', 1735689600000000n, '2025-01-01T00:00:00Z'],
    ['2025-01-01 00:00:00.000001z', 1735689600000001n, '2025-01-01T00:00:00.000001Z'],
    ['2025-01-01T00:00:00.1234567Z', 1735689600123456n, '2025-01-01T00:00:00.123456Z'],
    ['1969-12-31T23:59:59.999999Z', -1n, '1969-12-31T23:59:59.999999Z'],
    ['0001-01-01T00:00:00Z', -62135596800000000n, '0001-01-01T00:00:00Z'],
    ['2025-03-04Z', 1741046400000000n, '2025-03-04T00:00:00Z'],
  ];
  for (const [iso, us, back] of cases) {
    assert.equal(parseIsoTimestamptz(iso, 'ts'), us, iso);
    assert.equal(formatTimestamptz(us), back, iso);
  }
});

test('a timestamp without a zone, an impossible date or a non-string is refused with 1100 naming the field', () => {
  refused(() => parseIsoTimestamptz('2025-01-01T08:00:00', 'ts (row 3)'), /ts \(row 3\).*has no time zone/);
  refused(() => parseIsoTimestamptz('2025-02-29T00:00:00Z', 'ts'), /not a valid calendar date/);
  refused(() => parseIsoTimestamptz('2025-01-01T24:00:00Z', 'ts'), /not a valid calendar date/);
  refused(() => parseIsoTimestamptz('2025-01-01T00:00:00+25:00', 'ts'), /invalid time zone offset/);
  refused(() => parseIsoTimestamptz('yesterday', 'ts'), /expected an ISO 8601 timestamp/);
  refused(() => timestamptzValue(1735689600000000, 'ts'), /expected a Timestamptz as an ISO 8601 string/);
  refused(() => timestamptzDefault(true, 'ts.default_value'), /ts\.default_value.*not a valid Timestamptz/);
  assert.equal(timestamptzDefault('1735689600000000', 'ts'), 1735689600000000n);
});

test('WKT (and WKB) become normalised WKT; malformed WKT is refused with 1100 naming the field', () => {
  assert.equal(geometryValue('  point ( 1.5 -2 ) ', 'geo'), 'POINT(1.5 -2)');
  assert.equal(geometryValue('MULTIPOINT ((0 0), (1 1))', 'geo'), 'MULTIPOINT(0 0,1 1)');
  assert.equal(geometryValue('POINT EMPTY', 'geo'), 'POINT EMPTY');
  assert.equal(geometryValue(Buffer.from('0101000000000000000000f03f0000000000000040', 'hex'), 'geo'), 'POINT(1 2)');
  refused(() => geometryValue('POINT (1', 'geo (row 0)'), /geo \(row 0\).*not valid WKT/);
  refused(() => geometryValue('CIRCLE (1 1, 2)', 'geo'), /not valid WKT/);
  refused(() => geometryValue('POINT (1 2) trailing', 'geo'), /not valid WKT/);
  refused(() => geometryValue(42, 'geo'), /expected a Geometry as a WKT string/);
  refused(() => geometryValue(new Uint8Array([1, 2, 3]), 'geo'), /WKB value is not a valid geometry/);
});
