/**
 * TIMESTAMPTZ values (Milvus 2.6): ISO 8601 text with a zone ↔ int64 UTC microseconds since the Unix
 * epoch, and ISO 8601 durations (`INTERVAL 'P1Y2M3DT4H5M6S'` in filters) applied as Milvus applies
 * them (internal/core/src/exec/expression/TimestamptzArithCompareExpr.cpp): the UTC calendar fields
 * are shifted — years, months, days, hours, minutes, seconds — then normalised like `timegm` (Jan 31 +
 * P1M is Mar 3, or Mar 2 in a leap year), keeping the microseconds below the second.
 */
import { invalidParam } from './errors.js';

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;
const US_MIN = -62135596800000000n; // 0001-01-01T00:00:00Z
const US_MAX = 253402300799999999n; // 9999-12-31T23:59:59.999999Z

export function showValue(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 60 ? v.slice(0, 60) + '…' : v);
  if (v === null) return 'null';
  if (typeof v === 'object') return Array.isArray(v) ? 'an array' : 'an object';
  return `${typeof v} ${String(v)}`;
}

/** Parses an ISO 8601 timestamp with a zone into UTC microseconds, or throws 1100 naming `what`. */
export function parseIsoTimestamptz(s: string, what: string): bigint {
  const m = ISO.exec(s.trim());
  if (!m) throw invalidParam(what, `expected an ISO 8601 timestamp with a time zone (e.g. 2025-01-01T08:00:00+08:00), got ${showValue(s)}`);
  const [, y, mo, d, h = '00', mi = '00', sec = '00', frac = '', zone] = m;
  if (zone === undefined) throw invalidParam(what, `the ISO 8601 timestamp ${showValue(s)} has no time zone; add Z or an offset such as +08:00`);
  const Y = Number(y), M = Number(mo), D = Number(d), H = Number(h), MI = Number(mi), S = Number(sec);
  // Date.UTC maps the years 0–99 to 1900–1999; setUTCFullYear does not.
  const back = new Date(0);
  back.setUTCFullYear(Y, M - 1, D);
  back.setUTCHours(H, MI, S, 0);
  const ms = back.getTime();
  if (Y < 1 || back.getUTCFullYear() !== Y || back.getUTCMonth() !== M - 1 || back.getUTCDate() !== D || H > 23 || MI > 59 || S > 59) {
    throw invalidParam(what, `${showValue(s)} is not a valid calendar date and time`);
  }
  let offsetMin = 0;
  if (zone !== 'Z' && zone !== 'z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const oh = Number(digits.slice(0, 2));
    const om = digits.length > 2 ? Number(digits.slice(2)) : 0;
    if (oh > 23 || om > 59) throw invalidParam(what, `${showValue(s)} has an invalid time zone offset ${zone}`);
    offsetMin = sign * (oh * 60 + om);
  }
  const us = (BigInt(ms) - BigInt(offsetMin) * 60000n) * 1000n + BigInt((frac + '000000').slice(0, 6));
  if (us < US_MIN || us > US_MAX) throw invalidParam(what, `${showValue(s)} is outside the years 0001–9999`);
  return us;
}

/** An ISO 8601 duration as Milvus's plan Interval: whole calendar and clock fields. */
export interface Interval {
  readonly years: number;
  readonly months: number;
  readonly days: number;
  readonly hours: number;
  readonly minutes: number;
  readonly seconds: number;
}

const DURATION = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/;

/** Parses `PnYnMnWnDTnHnMnS` (whole numbers, at least one part; weeks are 7 days); throws 1100. */
export function parseIsoInterval(s: string, what: string): Interval {
  const text = s.trim().toUpperCase();
  const m = DURATION.exec(text);
  if (m === null || text === 'P' || text.endsWith('T')) {
    throw invalidParam(what, `expected an ISO 8601 duration such as P1D, PT2H or P1Y2M3DT4H5M6S, got ${showValue(s)}`);
  }
  const n = (i: number): number => {
    const v = Number(m[i] ?? 0);
    if (!Number.isSafeInteger(v) || v > 2 ** 31 - 1) throw invalidParam(what, `${showValue(s)} has a part beyond 2^31-1`);
    return v;
  };
  return { years: n(1), months: n(2), days: n(4) + 7 * n(3), hours: n(5), minutes: n(6), seconds: n(7) };
}

/** True when every part is zero (then `ts ± interval` is `ts`). */
export function isZeroInterval(iv: Interval): boolean {
  return iv.years === 0 && iv.months === 0 && iv.days === 0 && iv.hours === 0 && iv.minutes === 0 && iv.seconds === 0;
}

/**
 * `us` shifted by `sign` × the interval on the UTC calendar, as Milvus does (fields added, then
 * normalised); undefined when the result leaves the range JavaScript dates can hold.
 */
export function shiftByInterval(us: bigint, iv: Interval, sign: 1 | -1): bigint | undefined {
  let sec = us / 1000000n;
  if (us % 1000000n < 0n) sec -= 1n;
  const sub = us - sec * 1000000n;
  const d = new Date(Number(sec) * 1000);
  const out = new Date(0);
  out.setUTCFullYear(d.getUTCFullYear() + sign * iv.years, d.getUTCMonth() + sign * iv.months, d.getUTCDate() + sign * iv.days);
  out.setUTCHours(d.getUTCHours() + sign * iv.hours, d.getUTCMinutes() + sign * iv.minutes, d.getUTCSeconds() + sign * iv.seconds, 0);
  const ms = out.getTime();
  if (!Number.isFinite(ms)) return undefined;
  return BigInt(ms / 1000) * 1000000n + sub;
}
