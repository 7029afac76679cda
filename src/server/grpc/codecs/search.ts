/**
 * Search requests and results.
 *
 * Request: `search_params` KV, all strings — `anns_field`, `topk`, `offset`, `metric_type` ("" = the
 * index's), `params` (JSON), `round_decimal`, `ignore_growing`, group-by keys — and every user param
 * repeated flat (`nprobe`, `radius`, ...). `anns_field` may be missing (pymilvus MilvusClient): the
 * only vector field is used then. `placeholder_group` carries the query vectors (see placeholder.ts).
 *
 * Result: `SearchResultData` with `num_queries`, `top_k`, `topks` (hits per query, splitting the flat
 * arrays), `scores`, `ids`, `fields_data`, `output_fields`, `primary_field_name`. The Node SDK builds
 * hits from `fields_data` + `output_fields` and ignores `ids`, so the primary key is in both; pymilvus
 * reads `ids`/`topks`/`scores`. Dynamic keys ride in the `$meta` column and are listed by name in
 * `output_fields`, which is how the SDK flattens them back into the hit.
 */
import { DataType } from '../../../core/data-type.js';
import { invalidParam } from '../../../core/errors.js';
import { DYNAMIC_FIELD, type FieldSchema } from '../../../core/schema.js';
import type { Hit, SearchReq, UnsupportedSearchFeatures } from '../../../engine/requests.js';
import { rowsToFieldData, type ColumnSpec, type Row } from './field-data.js';
import { checkPlaceholderType, deferPlaceholderGroup } from './placeholder.js';
import { columnSpec, kvToRecord } from './schema.js';
import { annsField } from '../../../engine/search/plan.js';
import { decodeTemplateValues } from './template-values.js';
import type { SearchRequest } from '../../../api/wire-types.js';

/** A SearchRequest (also each of a HybridSearch's `requests`), as decoded (src/api/wire-types.ts). */
export type WireSearchRequest = SearchRequest;

/** The request features Elanus lacks, carried to the engine (which refuses them). */
export function unsupportedFeatures(req: { function_score?: { functions?: unknown[] } | null; highlighter?: unknown; search_aggregation?: unknown; function_chains?: unknown[] }, sp: Record<string, string> = {}): UnsupportedSearchFeatures {
  return {
    function_score: req.function_score ?? null,
    highlighter: req.highlighter,
    search_aggregation: req.search_aggregation,
    function_chains: req.function_chains ?? [],
    order_by_fields: sp['order_by_fields'],
    hints: sp['hints'],
  };
}

/** Keys that are not index search parameters. The iterator keys do go on: the engine reads and strips them. */
const RESERVED = new Set(['anns_field', 'topk', 'offset', 'metric_type', 'params', 'round_decimal', 'ignore_growing', 'group_by_field', 'group_size', 'strict_group_size', 'hints', 'order_by_fields', 'cluster_id']);

function num(v: string | undefined, what: string): number | undefined {
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  if (!Number.isFinite(n)) throw invalidParam(what, `must be a number, got ${JSON.stringify(v)}`);
  return n;
}

function parseParams(text: string | undefined): Record<string, unknown> {
  if (text === undefined || text.trim() === '') return {};
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw invalidParam('search_params.params', `must be a JSON object, got ${JSON.stringify(text.slice(0, 80))}`);
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw invalidParam('search_params.params', `must be a JSON object, got ${JSON.stringify(text.slice(0, 80))}`);
  return v as Record<string, unknown>;
}

/** One SearchRequest → the engine's search request (without collection/db). */
/** The engine's search request a SearchRequest decodes to (collection and database are the handler's). */
export type DecodedSearch = Omit<SearchReq, 'collection_name' | 'db_name'>;

export function decodeSearchRequest(req: WireSearchRequest, fields: readonly FieldSchema[]): DecodedSearch {
  const sp = kvToRecord(req.search_params);
  const unsupported = unsupportedFeatures(req, sp);
  const field = annsField(fields, sp['anns_field'] || undefined);
  let query: { data: unknown } | { ids: unknown[] };
  if (req.search_input === 'ids') {
    // Primary-key search (Milvus 2.6.9): schema.IDs, Int64 keys as decimal strings.
    const ids = req.ids as { int_id?: { data?: unknown[] }; str_id?: { data?: unknown[] } } | undefined;
    query = { ids: ids?.int_id?.data ?? ids?.str_id?.data ?? [] };
  } else {
    // Counted, not decoded: the engine checks nq before the vectors are built.
    const ph = deferPlaceholderGroup(req.placeholder_group ?? Buffer.alloc(0));
    checkPlaceholderType(ph.type, field);
    const nq = Number(req.nq);
    if (nq > 0 && nq !== ph.count) throw invalidParam('nq', `is ${nq} but ${ph.count} query vectors were sent`);
    query = { data: ph.values };
  }
  const params = parseParams(sp['params']);
  for (const [k, v] of Object.entries(sp)) {
    if (RESERVED.has(k) || k in params) continue;
    params[k] = /^-?\d+(\.\d+)?(e-?\d+)?$/i.test(v) ? Number(v) : v;
  }
  const out: DecodedSearch = {
    ...query,
    anns_field: field.name,
    limit: num(sp['topk'], 'topk') ?? 10,
    params,
    unsupported,
  };
  if (req.consistency_level !== undefined) out.consistency_level = req.consistency_level;
  const offset = num(sp['offset'], 'offset');
  if (offset) out.offset = offset;
  if (sp['metric_type']) out.metric_type = sp['metric_type'];
  if (req.dsl) out.filter = req.dsl;
  const exprValues = decodeTemplateValues(req.expr_template_values);
  if (exprValues) out.exprValues = exprValues;
  const output = req.output_fields.filter((f) => f !== '');
  if (output.length > 0) out.output_fields = output;
  if (req.partition_names.length > 0) out.partition_names = req.partition_names;
  const round = num(sp['round_decimal'], 'round_decimal');
  if (round !== undefined && round !== -1) out.round_decimal = round;
  if (sp['ignore_growing'] === 'true') out.ignore_growing = true;
  if (sp['group_by_field']) out.group_by_field = sp['group_by_field'];
  const groupSize = num(sp['group_size'], 'group_size');
  if (groupSize !== undefined) out.group_size = groupSize;
  if (sp['strict_group_size'] === 'true') out.strict_group_size = true;
  for (const k of ['radius', 'range_filter'] as const) if (params[k] !== undefined) out[k] = Number(params[k]);
  return out;
}

// ---------------------------------------------------------------- results

function int64Wire(v: unknown): string | number {
  return typeof v === 'bigint' ? v.toString() : (v as string | number);
}

/**
 * Hits → SearchResultData. `fields` is the collection schema (normalised); column order follows the
 * schema, dynamic keys (names not in the schema) go into `$meta`.
 */
export function encodeSearchResults(queries: Hit[][], fields: readonly FieldSchema[], opts: { limit: number; columns?: string[] }): Record<string, unknown> {
  const pk = fields.find((f) => f.isPrimaryKey);
  if (!pk) throw invalidParam('schema', 'collection has no primary key');
  const byName = new Map(fields.map((f) => [f.name, f]));
  const topks: number[] = [];
  const scores: number[] = [];
  const rows: Row[] = [];
  const seen = new Set<string>([pk.name]);
  const outputNames: string[] = [pk.name];
  for (const hits of queries) {
    topks.push(hits.length);
    for (const h of hits) {
      const row: Row = { [pk.name]: h.pk, ...h.fields };
      scores.push(h.score);
      rows.push(row);
      for (const k of Object.keys(row)) {
        if (!seen.has(k)) {
          seen.add(k);
          outputNames.push(k);
        }
      }
    }
  }
  // No hits: the requested output fields still come back, as empty columns (as Milvus sends them).
  if (rows.length === 0) {
    for (const name of opts.columns ?? []) {
      if (seen.has(name)) continue;
      seen.add(name);
      outputNames.push(name);
    }
  }
  const specs: ColumnSpec[] = [];
  const dynamicKeys: string[] = [];
  let needMeta = false;
  for (const name of outputNames) {
    const f = byName.get(name);
    if (f && !f.isDynamic) specs.push(columnSpec(f));
    else if (name === DYNAMIC_FIELD) needMeta = true;
    else {
      dynamicKeys.push(name);
      needMeta = true;
    }
  }
  if (needMeta) {
    const meta = byName.get(DYNAMIC_FIELD);
    specs.push({ name: DYNAMIC_FIELD, fieldID: meta?.fieldID ?? 0, dataType: DataType.JSON, isDynamic: true });
  }
  const pkValues = rows.map((r) => r[pk.name]);
  const ids = pk.dataType === DataType.Int64 ? { int_id: { data: pkValues.map(int64Wire) } } : { str_id: { data: pkValues.map(String) } };
  return {
    num_queries: queries.length,
    top_k: opts.limit,
    fields_data: rowsToFieldData(rows, specs, dynamicKeys),
    scores,
    ids,
    topks,
    output_fields: outputNames,
    primary_field_name: pk.name,
    ...highlightResults(queries),
  };
}

/** `highlight_results`: per highlighted field, one HighlightData for every hit (all queries, in order). */
function highlightResults(queries: Hit[][]): { highlight_results?: { field_name: string; datas: { fragments: string[]; scores: number[] }[] }[] } {
  const all = queries.flat();
  const names = [...new Set(all.flatMap((h) => Object.keys(h.highlight ?? {})))];
  if (names.length === 0) return {};
  return { highlight_results: names.map((field_name) => ({ field_name, datas: all.map((h) => h.highlight?.[field_name] ?? { fragments: [], scores: [] }) })) };
}
