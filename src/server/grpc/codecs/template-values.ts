/**
 * `expr_template_values` (map<string, schema.TemplateValue>) → the SDK's `exprValues` object.
 * Int64 values become numbers when they are safe integers and bigints otherwise.
 */
import type { SchemaTemplateArrayValue, SchemaTemplateValue } from '../../../api/wire-types.js';
function int64(v: unknown): number | bigint {
  const s = String(v);
  const n = Number(s);
  return Number.isSafeInteger(n) ? n : BigInt(s);
}

function arrayValue(a: SchemaTemplateArrayValue | null | undefined): unknown[] {
  if (!a || !a.data) return [];
  const inner = a[a.data] as { data: unknown[] } | null;
  const items = inner?.data ?? [];
  switch (a.data) {
    case 'long_data':
      return items.map(int64);
    case 'array_data':
      return (items as SchemaTemplateArrayValue[]).map(arrayValue);
    case 'json_data':
      return (items as Uint8Array[]).map((b) => JSON.parse(Buffer.from(b).toString('utf8')) as unknown);
    default:
      return items;
  }
}

function templateValue(v: SchemaTemplateValue): unknown {
  switch (v.val) {
    case 'int64_val':
      return int64(v['int64_val']);
    case 'array_val':
      return arrayValue(v['array_val'] as SchemaTemplateArrayValue);
    case 'bytes_val':
      return v['bytes_val'];
    case undefined:
      return undefined;
    default:
      return v[v.val];
  }
}

/** Undefined when the map is empty, so requests without templates stay unchanged. */
export function decodeTemplateValues(raw: unknown): Record<string, unknown> | undefined {
  if (raw === null || typeof raw !== 'object') return undefined;
  const entries = Object.entries(raw as Record<string, SchemaTemplateValue>);
  if (entries.length === 0) return undefined;
  const out: Record<string, unknown> = {};
  for (const [k, v] of entries) out[k] = templateValue(v);
  return out;
}
