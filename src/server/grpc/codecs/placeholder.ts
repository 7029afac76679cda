/**
 * `common.PlaceholderGroup` bytes (the query vectors of a Search) → SDK-style query values.
 *
 * One placeholder `$0` with a type and one bytes value per query:
 *   FloatVector 101 → f32 LE × dim        BinaryVector 100 → dim/8 packed bytes
 *   Float16 102 / BFloat16 103 → 2 B/dim  SparseFloatVector 104 → (u32 index LE, f32 value LE)*
 *   Int8Vector 105 → 1 B/dim              VarChar 21 → UTF-8 text (BM25 / function inputs)
 * The placeholder type must match the searched field's type; a mismatch (e.g. the old SDK's
 * `vector_type: 100` against a FloatVector field) is rejected with 1100 instead of searching garbage.
 */
import { DataType, dataTypeName } from '../../../core/data-type.js';
import { invalidParam } from '../../../core/errors.js';
import { decodeMessage } from '../../../api/proto.js';
import { bytesToByteNumbers, f32BytesToNumbers, halfBytesToNumbers, int8BytesToNumbers, sparseBytesToVector } from './vector-bytes.js';

interface WirePlaceholderGroup {
  placeholders: { tag: string; type: number; values: Uint8Array[] }[];
}

export interface DecodedPlaceholders {
  type: number;
  values: unknown[];
}

export function decodePlaceholderGroup(bytes: Uint8Array): DecodedPlaceholders {
  if (bytes.byteLength === 0) throw invalidParam('placeholder_group', 'no query vectors given');
  const group = decodeMessage<WirePlaceholderGroup>('milvus.proto.common.PlaceholderGroup', bytes);
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
