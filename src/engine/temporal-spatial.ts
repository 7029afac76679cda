/**
 * TIMESTAMPTZ and GEOMETRY values: what the API takes and gives, and what the columns hold.
 *
 * TIMESTAMPTZ (Milvus 2.6): an ISO 8601 / RFC 3339 timestamp with a zone (`Z` or `±hh:mm`), stored as
 * int64 UTC microseconds since the Unix epoch — the representation Milvus uses internally and for
 * default values on the wire (`ValueField.timestamptz_data`, which the Node SDK fills with
 * `Date.getTime() * 1000`). A string without a zone is refused: Elanus does not guess the zone.
 * Output is ISO 8601 in UTC (`…Z`), with the fraction only when it is non-zero.
 *
 * GEOMETRY (Milvus 2.6): OGC WKT in and out; WKB (`GeometryArray.data`, bytes) is accepted too. Values
 * are parsed with wkx and stored as its normalised WKT, so a malformed value never reaches a column.
 */
import wkx from 'wkx';
import { invalidParam } from '../core/errors.js';
import { parseIsoTimestamptz, showValue as show } from '../core/timestamptz.js';

export { parseIsoTimestamptz };

/** A TIMESTAMPTZ row value (ISO string with zone; bigint microseconds internally) → UTC microseconds. */
export function timestamptzValue(v: unknown, what: string): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'string') return parseIsoTimestamptz(v, what);
  throw invalidParam(what, `expected a Timestamptz as an ISO 8601 string with a time zone, got ${show(v)}`);
}

/**
 * A TIMESTAMPTZ default value: an ISO string with a zone, or integer UTC microseconds (what the Node
 * SDK puts in `timestamptz_data` over gRPC).
 */
export function timestamptzDefault(v: unknown, what: string): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number' && Number.isSafeInteger(v)) return BigInt(v);
  if (typeof v === 'string' && /^-?\d+$/.test(v.trim())) return BigInt(v.trim());
  if (typeof v === 'string') return parseIsoTimestamptz(v, what);
  throw invalidParam(what, `${show(v)} is not a valid Timestamptz (an ISO 8601 string with a time zone, or UTC microseconds)`);
}

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

/** UTC microseconds → ISO 8601 in UTC, e.g. `2025-01-01T00:00:00Z` or `…00.000123Z`. */
export function formatTimestamptz(us: bigint): string {
  let ms = us / 1000n;
  let rem = us % 1000n;
  if (rem < 0n) {
    rem += 1000n;
    ms -= 1n;
  }
  const d = new Date(Number(ms));
  const micros = d.getUTCMilliseconds() * 1000 + Number(rem);
  const y = d.getUTCFullYear();
  const base = `${y < 0 ? '-' + pad(-y, 6) : pad(y, 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  return micros === 0 ? `${base}Z` : `${base}.${pad(micros, 6).replace(/0+$/, '')}Z`;
}

/** A WKT string (or WKB bytes) → normalised WKT, or throws 1100 naming `what`. */
export function geometryValue(v: unknown, what: string): string {
  let g: wkx.Geometry;
  if (typeof v === 'string') {
    // WKT keywords are case-insensitive (as in GEOS, which Milvus uses); wkx expects upper case.
    const text = v.trim().toUpperCase();
    // wkx stops at the end of the first geometry; anything after it is not WKT.
    if (!/(\)|\bEMPTY)$/i.test(text)) throw invalidParam(what, `${show(v)} is not valid WKT`);
    try {
      g = wkx.Geometry.parse(text);
    } catch (e) {
      throw invalidParam(what, `${show(v)} is not valid WKT: ${(e as Error).message}`);
    }
  } else if (v instanceof Uint8Array) {
    try {
      g = wkx.Geometry.parse(Buffer.from(v.buffer, v.byteOffset, v.byteLength));
    } catch (e) {
      throw invalidParam(what, `the WKB value is not a valid geometry: ${(e as Error).message}`);
    }
  } else throw invalidParam(what, `expected a Geometry as a WKT string, got ${show(v)}`);
  return g.toWkt();
}
