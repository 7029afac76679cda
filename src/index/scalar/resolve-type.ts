/** Which scalar index types a field accepts, and what AUTOINDEX picks. */
import { DataType, dataTypeName } from '../../core/data-type.js';
import { ErrorCode, MilvusError, milvusInvalidParam } from '../../core/errors.js';
import type { FieldSchema } from '../../core/schema.js';
import type { FieldIndexType, ScalarIndexType } from './scalar-index-type.js';

const NUMERIC: readonly number[] = [DataType.Int8, DataType.Int16, DataType.Int32, DataType.Int64, DataType.Float, DataType.Double];
const INTEGER: readonly number[] = [DataType.Int8, DataType.Int16, DataType.Int32, DataType.Int64];
const STRING: readonly number[] = [DataType.VarChar, DataType.String];

/** The data types (of the field, or of an Array field's elements) each index type accepts. */
const ALLOWED: Record<ScalarIndexType, { scalar: readonly number[]; element: readonly number[]; text: string }> = {
  INVERTED: {
    scalar: [DataType.Bool, ...NUMERIC, ...STRING, DataType.Timestamptz],
    element: [DataType.Bool, ...NUMERIC, ...STRING],
    text: 'Bool, Int8/16/32/64, Float, Double, VarChar, Timestamptz and Array of those',
  },
  STL_SORT: { scalar: [...NUMERIC, DataType.Timestamptz], element: [], text: 'Int8/16/32/64, Float, Double and Timestamptz' },
  BITMAP: {
    scalar: [DataType.Bool, ...INTEGER, ...STRING],
    element: [DataType.Bool, ...INTEGER, ...STRING],
    text: 'Bool, Int8/16/32/64, VarChar and Array of those (not the primary key)',
  },
  Trie: { scalar: STRING, element: [], text: 'VarChar' },
};

const BY_NAME = new Map<string, FieldIndexType | 'AUTOINDEX'>([
  ['rtree', 'RTREE'],
  ['ngram', 'NGRAM'],
  ['inverted', 'INVERTED'],
  ['stl_sort', 'STL_SORT'],
  ['bitmap', 'BITMAP'],
  ['trie', 'Trie'],
  ['marisa-trie', 'Trie'],
  ['autoindex', 'AUTOINDEX'],
  ['', 'AUTOINDEX'],
]);

export function resolveScalarIndexType(indexType: string, field: FieldSchema): FieldIndexType {
  const named = BY_NAME.get(String(indexType ?? '').trim().toLowerCase());
  const typeName = field.dataType === DataType.Array ? `Array of ${dataTypeName(field.elementType ?? 0)}` : dataTypeName(field.dataType);
  if (named === undefined) {
    throw new MilvusError(
      ErrorCode.ParameterInvalid,
      `invalid parameter "index_type": "${indexType}" is not a scalar index type for field "${field.name}" (${typeName}); use INVERTED, STL_SORT, BITMAP, Trie, RTREE, NGRAM or AUTOINDEX`,
    );
  }
  // RTREE is for GEOMETRY only, and GEOMETRY takes no other index (Milvus's RTREEChecker; AUTOINDEX
  // maps geometry to RTREE in Milvus's scalar autoindex table).
  if (named === 'RTREE' || field.dataType === DataType.Geometry) {
    if (field.dataType !== DataType.Geometry) {
      throw new MilvusError(
        ErrorCode.ParameterInvalid,
        `invalid parameter "index_type": RTREE index can only be built on geometry field, got ${typeName} (field "${field.name}")`,
      );
    }
    if (named !== 'RTREE' && named !== 'AUTOINDEX') throw unsupported(named, field, typeName, named === 'NGRAM' ? 'VarChar' : ALLOWED[named].text);
    return 'RTREE';
  }
  if (named === 'NGRAM') {
    // Milvus's NgramIndexChecker: VarChar (JSON paths with json_cast_type VARCHAR too; not here yet).
    if (field.dataType !== DataType.VarChar && field.dataType !== DataType.String) throw unsupported('NGRAM', field, typeName, 'VarChar');
    return 'NGRAM';
  }
  if (named === 'AUTOINDEX') {
    const t = field.dataType === DataType.Array ? field.elementType : field.dataType;
    if (field.dataType === DataType.Bool && !field.isPrimaryKey) return 'BITMAP';
    if (field.dataType === DataType.Timestamptz) return 'STL_SORT';
    if (field.dataType !== DataType.Array && t !== undefined && NUMERIC.includes(t)) return 'STL_SORT';
    if (t !== undefined && ALLOWED.INVERTED.scalar.includes(t)) return 'INVERTED';
    throw unsupported('AUTOINDEX', field, typeName, 'Bool, Int8/16/32/64, Float, Double, VarChar and Array of those');
  }
  const allowed = ALLOWED[named];
  const ok = field.dataType === DataType.Array ? field.elementType !== undefined && allowed.element.includes(field.elementType) : allowed.scalar.includes(field.dataType);
  if (!ok || (named === 'BITMAP' && field.isPrimaryKey)) throw unsupported(named, field, typeName, allowed.text);
  return named;
}

function unsupported(type: string, field: FieldSchema, typeName: string, allowed: string): MilvusError {
  return new MilvusError(
    ErrorCode.ParameterInvalid,
    `invalid parameter "index_type": ${type} cannot index field "${field.name}" of type ${typeName}${field.isPrimaryKey ? ' (primary key)' : ''}; ${type} supports ${allowed}`,
  );
}

/**
 * The build parameters a scalar index type takes, checked as Milvus checks them (NGRAM: min_gram and
 * max_gram, both integers, 0 < min_gram <= max_gram — NgramIndexChecker's messages); other types take none.
 */
export function checkScalarIndexParams(type: FieldIndexType, params: Record<string, unknown>): void {
  if (type !== 'NGRAM') return;
  const min = params['min_gram'];
  const max = params['max_gram'];
  if (min === undefined || max === undefined) throw milvusInvalidParam('Ngram index must specify both min_gram and max_gram');
  const int = (v: unknown): number | undefined => {
    const s = String(v).trim();
    return /^[+-]?\d+$/.test(s) ? Number(s) : undefined;
  };
  const lo = int(min);
  if (lo === undefined) throw milvusInvalidParam(`min_gram for Ngram index must be an integer, got: ${String(min)}`);
  const hi = int(max);
  if (hi === undefined) throw milvusInvalidParam(`max_gram for Ngram index must be an integer, got: ${String(max)}`);
  if (lo <= 0 || hi <= 0 || lo > hi) throw milvusInvalidParam(`invalid min_gram or max_gram value for Ngram index, min_gram: ${lo}, max_gram: ${hi}`);
}

/** min_gram / max_gram of checked NGRAM params. */
export function ngramParams(params: Record<string, unknown>): { minGram: number; maxGram: number } {
  return { minGram: Number(String(params['min_gram']).trim()), maxGram: Number(String(params['max_gram']).trim()) };
}
