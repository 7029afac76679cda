/**
 * The console's only way to the server: Milvus's RESTful v2 API (`POST /v2/vectordb/<area>/<verb>`),
 * the same calls any HTTP client makes, with the signed-in user's `Authorization: Bearer user:password`.
 * Live figures come from the Prometheus text on the operations port (its port is in config.json).
 */

export interface Credentials {
  user: string;
  password: string;
}

/** A refusal from the server: Milvus's numeric code and message (HTTP 401 → code 1800). */
export class ApiError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly path: string,
  ) {
    super(message);
  }
  /** The column of a filter error (`column 12: ...`), 1-based, when the message names one. */
  get column(): number | undefined {
    const m = /column (\d+)/.exec(this.message);
    return m ? Number(m[1]) : undefined;
  }
}

/** Input the console itself refuses before calling the server (a pasted vector that is not JSON, …). */
export class InputError extends Error {}

const STORE_KEY = 'elanus.console.credentials';

let credentials: Credentials | undefined = (() => {
  try {
    const raw = sessionStorage.getItem(STORE_KEY);
    return raw ? (JSON.parse(raw) as Credentials) : undefined;
  } catch {
    return undefined;
  }
})();

export function currentUser(): string | undefined {
  return credentials?.user;
}

export function setCredentials(c: Credentials | undefined): void {
  credentials = c;
  if (c) sessionStorage.setItem(STORE_KEY, JSON.stringify(c));
  else sessionStorage.removeItem(STORE_KEY);
}

/** Every call made, newest last: shown as "the request" and read by the tests. */
export const callLog: { path: string; body: unknown; ms: number; code: number }[] = [];

export async function call<T = unknown>(path: string, body: Record<string, unknown> = {}, db?: string): Promise<T> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (credentials) headers.Authorization = `Bearer ${credentials.user}:${credentials.password}`;
  const payload = db && db !== 'default' ? { dbName: db, ...body } : body;
  const t0 = performance.now();
  const res = await fetch(`/v2/vectordb/${path}`, { method: 'POST', headers, body: JSON.stringify(payload) });
  let out: { code?: number; message?: string; data?: T };
  try {
    out = (await res.json()) as typeof out;
  } catch {
    out = { code: res.status, message: `HTTP ${res.status}` };
  }
  const code = res.status === 401 ? 1800 : (out.code ?? 0);
  callLog.push({ path, body: payload, ms: performance.now() - t0, code });
  if (callLog.length > 200) callLog.shift();
  if (code !== 0) throw new ApiError(code, out.message ?? `error ${code}`, path);
  return out.data as T;
}

export function errorText(err: unknown): string {
  if (err instanceof ApiError) return `${err.message} (code ${err.code})`;
  return err instanceof Error ? err.message : String(err);
}

// ---- typed shapes of the answers the console reads ----

export interface FieldInfo {
  name: string;
  type: string;
  description?: string;
  primaryKey?: boolean;
  autoId?: boolean;
  partitionKey?: boolean;
  clusteringKey?: boolean;
  nullable?: boolean;
  isFunctionOutput?: boolean;
  elementType?: string;
  defaultValue?: unknown;
  params?: { key: string; value: string }[];
}

export interface CollectionInfo {
  collectionName: string;
  collectionID?: number | string;
  description?: string;
  autoId?: boolean;
  enableDynamicField?: boolean;
  fields: FieldInfo[];
  functions?: { name: string; type: string; inputFieldNames?: string[]; outputFieldNames?: string[] }[];
  indexes?: { fieldName: string; indexName: string; metricType: string }[];
  aliases?: string[];
  load?: string;
  shardsNum?: number;
  partitionsNum?: number;
  consistencyLevel?: string;
  properties?: { key: string; value: string }[];
}

export interface IndexInfo {
  indexName: string;
  fieldName: string;
  indexType: string;
  metricType: string;
  params?: Record<string, unknown>;
  indexState: string;
  indexedRows: number;
  totalRows: number;
  pendingRows: number;
  failReason?: string;
}

export interface LoadStateInfo {
  loadState: string;
  loadProgress?: number;
}

export const isVector = (t: string): boolean => /Vector$/.test(t);

export function fieldParam(f: FieldInfo, key: string): string | undefined {
  return f.params?.find((p) => p.key === key)?.value;
}

export interface ConsoleConfig {
  /** The operations port serving /metrics (absent with --no-metrics). */
  metricsPort?: number;
  /** The Milvus gRPC port (for the SDK code the search playground shows). */
  grpcPort?: number;
  version?: string;
}

/** Read once at start; the pages read it through `config()`. */
let loaded: ConsoleConfig = {};

export async function loadConfig(): Promise<ConsoleConfig> {
  try {
    const res = await fetch('config.json');
    if (res.ok) loaded = (await res.json()) as ConsoleConfig;
  } catch {
    // An older server or a dev proxy without it: defaults.
  }
  return loaded;
}

export function config(): ConsoleConfig {
  return loaded;
}
