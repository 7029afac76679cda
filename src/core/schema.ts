/** The collection schema as the engine holds it (normalised from SDK `FieldType`s / proto `FieldSchema`). */
import type { DataType } from './data-type.js';

export interface FieldSchema {
  /** 100 and up, assigned by the engine in declaration order (as Milvus does). */
  fieldID: number;
  name: string;
  description: string;
  dataType: DataType;
  isPrimaryKey: boolean;
  autoID: boolean;
  isPartitionKey: boolean;
  isClusteringKey: boolean;
  nullable: boolean;
  /** Already converted to the field's JS value type (bigint for Int64, number, string, boolean...). */
  defaultValue?: unknown;
  /** Vector dimension. */
  dim?: number;
  /** VarChar max length in bytes (UTF-8). */
  maxLength?: number;
  /** Array fields: element type and capacity (element max_length for VarChar elements in maxLength). */
  elementType?: DataType;
  maxCapacity?: number;
  /** The hidden dynamic-field column `$meta`. */
  isDynamic: boolean;
  /** Any other type params as given (string values), e.g. `enable_analyzer`, `mmap.enabled`. */
  typeParams: Record<string, string>;
  /** Filled by a schema function (BM25), never by the user. */
  isFunctionOutput?: boolean;
}

/** A schema function (Milvus FunctionSchema). Elanus runs BM25 only. */
export interface FunctionSchema {
  name: string;
  description: string;
  /** Milvus FunctionType name: 'BM25'. */
  type: string;
  inputFieldNames: string[];
  outputFieldNames: string[];
  params: Record<string, string>;
}

export interface CollectionSchema {
  name: string;
  description: string;
  enableDynamicField: boolean;
  /** Includes the `$meta` field when the dynamic field is enabled. */
  fields: FieldSchema[];
  functions?: FunctionSchema[];
}

export const DYNAMIC_FIELD = '$meta';

export function primaryField(schema: CollectionSchema): FieldSchema {
  // Every schema is validated to have exactly one primary key before it exists.
  return schema.fields.find((f) => f.isPrimaryKey)!;
}

export function fieldByName(schema: CollectionSchema, name: string): FieldSchema | undefined {
  return schema.fields.find((f) => f.name === name);
}
