/** Resolves a field reference (`name`, `$meta["k"]`, `json["a"][0]`, `arr[2]`) against the schema. */
import { DataType, dataTypeName, isVectorType } from '../core/data-type.js';
import type { CollectionSchema } from '../core/schema.js';
import { DYNAMIC_FIELD, fieldByName } from '../core/schema.js';
import type { FieldRef } from './ast.js';
import { filterError } from './filter-error.js';
import type { Operand } from './plan.js';

export function scalarTypeOf(t: number | undefined): 'int' | 'float' | 'string' | 'bool' | undefined {
  switch (t) {
    case DataType.Int8:
    case DataType.Int16:
    case DataType.Int32:
    case DataType.Int64:
      return 'int';
    case DataType.Float:
    case DataType.Double:
      return 'float';
    case DataType.VarChar:
    case DataType.String:
    case DataType.Text:
      return 'string';
    case DataType.Bool:
      return 'bool';
    default:
      return undefined;
  }
}

function pathText(path: readonly (string | number)[]): string {
  return path.map((p) => (typeof p === 'number' ? `[${p}]` : `["${p}"]`)).join('');
}

export function resolveField(ref: FieldRef, schema: CollectionSchema): Operand {
  const { name, path, pos } = ref;
  if (name === DYNAMIC_FIELD) {
    if (!schema.enableDynamicField) throw filterError(pos, `$meta is only available when the collection has the dynamic field enabled`);
    return { k: 'json', column: DYNAMIC_FIELD, path, label: `$meta${pathText(path)}` };
  }
  const field = fieldByName(schema, name);
  if (field === undefined || field.isDynamic) {
    if (schema.enableDynamicField) return { k: 'json', column: DYNAMIC_FIELD, path: [name, ...path], label: `${name}${pathText(path)}` };
    throw filterError(pos, `field "${name}" does not exist in collection "${schema.name}" (and the dynamic field is not enabled)`);
  }
  if (isVectorType(field.dataType)) throw filterError(pos, `vector field "${name}" cannot be used in a filter`);
  if (field.dataType === DataType.JSON) return { k: 'json', column: field.name, path, label: `${name}${pathText(path)}` };
  if (field.dataType === DataType.Array) {
    const type = scalarTypeOf(field.elementType);
    if (type === undefined) throw filterError(pos, `Array field "${name}" has element type ${dataTypeName(field.elementType ?? 0)}, which filters do not support`);
    if (path.length === 0) return { k: 'array', field };
    const [first, ...rest] = path;
    if (typeof first !== 'number' || rest.length > 0) {
      throw filterError(pos, `Array field "${name}" takes one integer index, e.g. ${name}[0]; got ${name}${pathText(path)}`);
    }
    return { k: 'element', field, index: first, type };
  }
  if (field.dataType === DataType.Timestamptz) {
    if (path.length > 0) throw filterError(pos, `field "${name}" is Timestamptz, not JSON or Array: it cannot be indexed with ${pathText(path)}`);
    // UTC microseconds; compared with ISO '…' literals (or ISO strings), see check.ts.
    return { k: 'column', field, type: 'int' };
  }
  const type = scalarTypeOf(field.dataType);
  if (type === undefined) throw filterError(pos, `field "${name}" of type ${dataTypeName(field.dataType)} cannot be used in a filter`);
  if (path.length > 0) throw filterError(pos, `field "${name}" is ${dataTypeName(field.dataType)}, not JSON or Array: it cannot be indexed with ${pathText(path)}`);
  return { k: 'column', field, type };
}

/** How an operand's value type reads in an error message. */
export function typeOf(op: Operand): 'int' | 'float' | 'string' | 'bool' | 'json' | 'array' | 'list' {
  switch (op.k) {
    case 'column':
    case 'element':
    case 'arith':
      return op.type;
    case 'json':
      return 'json';
    case 'array':
      return 'array';
    case 'length':
      return 'int';
    case 'const': {
      const v = op.value;
      if (typeof v === 'bigint') return 'int';
      if (typeof v === 'number') return 'float';
      if (typeof v === 'string') return 'string';
      if (typeof v === 'boolean') return 'bool';
      return 'list';
    }
  }
}

export function describe(op: Operand): string {
  switch (op.k) {
    case 'column':
      return `${dataTypeName(op.field.dataType)} field "${op.field.name}"`;
    case 'element':
      return `${dataTypeName(op.field.elementType ?? 0)} element ${op.field.name}[${op.index}]`;
    case 'array':
      return `Array field "${op.field.name}"`;
    case 'json':
      return `JSON value ${op.label}`;
    case 'length':
      return 'array_length(...)';
    case 'arith':
      return `arithmetic expression (${op.type === 'int' ? 'integer' : 'float'})`;
    case 'const': {
      const t = typeOf(op);
      return t === 'int' || t === 'float' ? 'number' : t === 'bool' ? 'boolean' : t;
    }
  }
}
