/**
 * `common.PlaceholderGroup` bytes (the query vectors of a Search) → SDK-style query values.
 *
 * One placeholder `$0` with a type and one bytes value per query:
 *   FloatVector 101 → f32 LE × dim        BinaryVector 100 → dim/8 packed bytes
 *   Float16 102 / BFloat16 103 → 2 B/dim  SparseFloatVector 104 → (u32 index LE, f32 value LE)*
 *   Int8Vector 105 → 1 B/dim              VarChar 21 → UTF-8 text (BM25 / function inputs)
 * The placeholder type must match the searched field's type; a mismatch (e.g. the old SDK's
 * `vector_type: 100` against a FloatVector field) is rejected with 1100 instead of searching garbage.
 *
 * The group is read count-first: `scanPlaceholderGroup` walks the protobuf wire bytes (no objects
 * made) for the type and the number of values, and the values are decoded only when the engine asks
 * for them, after it has checked that number (DeferredQueries). A message of a million empty vectors
 * is ~2 MB on the wire but a million objects once decoded.
 */
import { DataType, dataTypeName } from '../../../core/data-type.js';
import { invalidParam } from '../../../core/errors.js';
import { decodeMessage } from '../../../api/proto.js';
import type { CommonPlaceholderGroup } from '../../../api/wire-types.js';
import { DeferredQueries } from '../../../engine/search/query-vectors.js';
import { bytesToByteNumbers, f32BytesToNumbers, halfBytesToNumbers, int8BytesToNumbers, sparseBytesToVector } from './vector-bytes.js';


export interface DecodedPlaceholders {
  type: number;
  values: unknown[];
}

/** A varint at `at`: its value (up to 2^53) and the offset after it. */
function varint(b: Uint8Array, at: number): [number, number] {
  let v = 0;
  let mul = 1;
  for (let i = at; i < b.length && i < at + 10; i++) {
    const x = b[i]!;
    v += (x & 0x7f) * mul;
    if (x < 0x80) return [v, i + 1];
    mul *= 128;
  }
  throw invalidParam('placeholder_group', 'is not a valid PlaceholderGroup message (broken varint)');
}

/** The offset after the field whose tag ended at `at` (wire type `wt`). */
function skip(b: Uint8Array, at: number, wt: number): number {
  switch (wt) {
    case 0:
      return varint(b, at)[1];
    case 1:
      return at + 8;
    case 2: {
      const [len, next] = varint(b, at);
      return next + len;
    }
    case 5:
      return at + 4;
    default:
      throw invalidParam('placeholder_group', `is not a valid PlaceholderGroup message (wire type ${wt})`);
  }
}

/**
 * The placeholders of a group, their type and how many values each holds, read from the wire bytes
 * without decoding a value (PlaceholderGroup.placeholders = 1; PlaceholderValue.type = 2, values = 3).
 */
export function scanPlaceholderGroup(bytes: Uint8Array): { placeholders: number; type: number; count: number } {
  let placeholders = 0;
  let type = 0;
  let count = 0;
  let at = 0;
  while (at < bytes.length) {
    const [tag, afterTag] = varint(bytes, at);
    const field = Math.floor(tag / 8);
    const wt = tag & 7;
    const end = skip(bytes, afterTag, wt);
    if (end > bytes.length) throw invalidParam('placeholder_group', 'is not a valid PlaceholderGroup message (truncated)');
    if (field === 1 && wt === 2) {
      placeholders++;
      if (placeholders === 1) {
        const [len, start] = varint(bytes, afterTag);
        let p = start;
        const stop = start + len;
        while (p < stop) {
          const [t, afterT] = varint(bytes, p);
          const f = Math.floor(t / 8);
          const w = t & 7;
          if (f === 2 && w === 0) type = varint(bytes, afterT)[0];
          if (f === 3 && w === 2) count++;
          p = skip(bytes, afterT, w);
        }
        if (p > stop) throw invalidParam('placeholder_group', 'is not a valid PlaceholderGroup message (truncated)');
      }
    }
    at = end;
  }
  return { placeholders, type, count };
}

/**
 * The group's type and its values, deferred: the engine checks the count (nq) before the values are
 * decoded. The group's shape (one placeholder, a supported type) is checked here, from the scan.
 */
export function deferPlaceholderGroup(bytes: Uint8Array): { type: number; count: number; values: DeferredQueries } {
  if (bytes.byteLength === 0) throw invalidParam('placeholder_group', 'no query vectors given');
  const scan = scanPlaceholderGroup(bytes);
  if (scan.placeholders === 0) throw invalidParam('placeholder_group', 'no placeholder in the group');
  if (scan.placeholders > 1) throw invalidParam('placeholder_group', `expected one placeholder, got ${scan.placeholders}`);
  return { type: scan.type, count: scan.count, values: new DeferredQueries(scan.count, () => decodePlaceholderGroup(bytes).values) };
}

export function decodePlaceholderGroup(bytes: Uint8Array): DecodedPlaceholders {
  if (bytes.byteLength === 0) throw invalidParam('placeholder_group', 'no query vectors given');
  const group = decodeMessage<CommonPlaceholderGroup>('milvus.proto.common.PlaceholderGroup', bytes);
  const ph = group.placeholders[0];
  if (!ph) throw invalidParam('placeholder_group', 'no placeholder in the group');
  if (group.placeholders.length > 1) throw invalidParam('placeholder_group', `expected one placeholder, got ${group.placeholders.length}`);
  return { type: ph.type, values: ph.values.map((v) => decodeValue(ph.type, v)) };
}

function decodeValue(type: number, v: Uint8Array): unknown {
  switch (type) {
    case DataType.FloatVector:
      return f32BytesToNumbers(v);
    case DataType.BinaryVector:
      return bytesToByteNumbers(v);
    case DataType.Float16Vector:
      return halfBytesToNumbers(v, false);
    case DataType.BFloat16Vector:
      return halfBytesToNumbers(v, true);
    case DataType.Int8Vector:
      return int8BytesToNumbers(v);
    case DataType.SparseFloatVector:
      return sparseBytesToVector(v);
    case DataType.VarChar:
      return Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('utf8');
    default:
      throw invalidParam('placeholder_group', `unsupported placeholder type ${type} (${dataTypeName(type)})`);
  }
}

/** The placeholder type must be the field's own type (or VarChar text for function-output fields). */
export function checkPlaceholderType(type: number, field: { name: string; dataType: number; isFunctionOutput?: boolean }): void {
  if (type === field.dataType) return;
  if (type === DataType.VarChar && field.isFunctionOutput) return;
  throw invalidParam(
    'vector_type',
    `query vectors are ${dataTypeName(type)} (placeholder type ${type}) but anns field "${field.name}" is ${dataTypeName(field.dataType)} (${field.dataType})`,
  );
}
