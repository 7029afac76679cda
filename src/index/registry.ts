/**
 * The vector index registry: every index family (FLAT, BIN_FLAT, HNSW, IVF_*, ...) describes itself
 * once as an `IndexFamily` — Milvus name, accepted field types and metrics, build and search
 * parameters with defaults and ranges, a builder and a loader — and registers here. `index.ts`
 * validates requests, builds, loads and frames index files through this table only, so a new family
 * plugs in without touching the engine. See src/index/README.md.
 */
import type { VectorColumn } from '../core/column.js';
import type { DataType, MetricType } from '../core/data-type.js';
import { invalidParam } from '../core/errors.js';
import type { QueryVectors, SearchHits, SearchOptions } from './types.js';

/** A validated, normalised index description (AUTOINDEX already resolved to a concrete type). */
export interface VectorIndexSpec {
  indexType: string;
  metricType: MetricType;
  params: Record<string, unknown>;
  dataType: DataType;
  dim: number;
}

/** A built (or loaded) index over the rows of one sealed segment. */
export interface VectorIndex {
  readonly spec: VectorIndexSpec;
  readonly rowCount: number;
  /** `opts.allow` = rows that may be returned (filter AND not deleted), or null for all rows. */
  search(q: QueryVectors, opts: SearchOptions): SearchHits;
  /** Bytes this index holds (Wasm memory and JS side tables). */
  memoryBytes(): number;
  /** The whole index file: magic + version + spec + payload + crc (see index-file.ts). */
  serialize(): Uint8Array;
  /** Frees the Wasm memory; the index must not be used afterwards. */
  dispose(): void;
}

/** One numeric or enumerated parameter with its valid range (inclusive) and default. */
export type ParamRule =
  | { name: string; kind: 'int' | 'float'; min: number; max: number; default?: number }
  | { name: string; kind: 'enum'; values: readonly string[]; default?: string };

/** What a family provides. Builders/loaders receive a spec that already passed `buildParams`/`check`. */
export interface IndexFamily {
  /** Milvus index type name, e.g. "HNSW". */
  readonly indexType: string;
  readonly dataTypes: readonly DataType[];
  readonly metrics: readonly MetricType[];
  readonly buildParams: readonly ParamRule[];
  readonly searchParams: readonly ParamRule[];
  /** Cross-parameter checks after per-parameter validation (e.g. dim % m === 0). Throws 1100. */
  check?(spec: VectorIndexSpec): void;
  /** Adjust validated search params given the limit (e.g. ef default = max(limit, 16), ef < limit → 1100). */
  adjustSearch?(spec: VectorIndexSpec, params: Record<string, unknown>, limit: number): Record<string, unknown>;
  build(spec: VectorIndexSpec, column: VectorColumn, rowCount: number, onProgress?: (fraction: number) => void): Promise<VectorIndex>;
  /** Rebuild from the payload the index wrote (`serializePayload`), spec taken from the file header. */
  load(spec: VectorIndexSpec, payload: Uint8Array): VectorIndex;
}

const families = new Map<string, IndexFamily>();

export function registerIndexFamily(f: IndexFamily): void {
  families.set(f.indexType, f);
}

export function getIndexFamily(indexType: string): IndexFamily | undefined {
  return families.get(indexType);
}

export function registeredIndexTypes(): string[] {
  return [...families.keys()];
}

/** A number from a user value (numbers or numeric strings, as the SDKs send either). */
function toNumber(name: string, v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v))) return Number(v);
  throw invalidParam(name, `must be a number, got ${JSON.stringify(v)}`);
}

/** Validate one value against its rule; returns the normalised value. Throws 1100 naming the range. */
export function checkParam(rule: ParamRule, v: unknown): number | string {
  if (rule.kind === 'enum') {
    const s = String(v).toUpperCase();
    const hit = rule.values.find((x) => x.toUpperCase() === s);
    if (hit === undefined) throw invalidParam(rule.name, `must be one of [${rule.values.join(', ')}], got ${JSON.stringify(v)}`);
    return hit;
  }
  const n = toNumber(rule.name, v);
  const range = `[${rule.min}, ${rule.max}]`;
  if (rule.kind === 'int' && !Number.isInteger(n)) throw invalidParam(rule.name, `must be an integer in ${range}, got ${String(v)}`);
  if (!(n >= rule.min && n <= rule.max)) throw invalidParam(rule.name, `must be in ${range}, got ${String(v)}`);
  return n;
}

/**
 * Validate `given` against `rules`: every rule's value (or default) lands in the result; keys not in
 * `rules` are rejected with 1100 when `strict`, otherwise ignored (kept out of the result).
 */
export function checkParams(rules: readonly ParamRule[], given: Record<string, unknown>, strict: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const r of rules) {
    const v = given[r.name];
    if (v === undefined || v === null || v === '') {
      if (r.default !== undefined) out[r.name] = r.default;
      continue;
    }
    out[r.name] = checkParam(r, v);
  }
  if (strict) {
    for (const k of Object.keys(given)) {
      if (!rules.some((r) => r.name === k)) {
        const allowed = rules.length ? rules.map((r) => r.name).join(', ') : 'none';
        throw invalidParam(k, `is not a parameter of this index type (allowed: ${allowed})`);
      }
    }
  }
  return out;
}
