/** Milvus data types, metric types and related enums, with the numbers used on the wire. */

export const DataType = {
  None: 0,
  Bool: 1,
  Int8: 2,
  Int16: 3,
  Int32: 4,
  Int64: 5,
  Float: 10,
  Double: 11,
  String: 20,
  VarChar: 21,
  Array: 22,
  JSON: 23,
  Geometry: 24,
  Text: 25,
  Timestamptz: 26,
  BinaryVector: 100,
  FloatVector: 101,
  Float16Vector: 102,
  BFloat16Vector: 103,
  SparseFloatVector: 104,
  Int8Vector: 105,
} as const;
export type DataType = (typeof DataType)[keyof typeof DataType];

const nameByType = new Map<number, string>(Object.entries(DataType).map(([k, v]) => [v, k]));

export function dataTypeName(t: number): string {
  return nameByType.get(t) ?? `Unknown(${t})`;
}

/** Accepts a DataType number or its name (`"FloatVector"`, case-insensitive); undefined when unknown. */
export function parseDataType(v: unknown): DataType | undefined {
  if (typeof v === 'number') return nameByType.has(v) ? (v as DataType) : undefined;
  if (typeof v === 'string') {
    if (/^\d+$/.test(v)) return parseDataType(Number(v));
    const lower = v.toLowerCase();
    for (const [k, n] of Object.entries(DataType)) if (k.toLowerCase() === lower) return n;
  }
  return undefined;
}

export function isVectorType(t: number): boolean {
  return t >= 100 && t <= 105;
}

export const MetricType = {
  L2: 'L2',
  IP: 'IP',
  COSINE: 'COSINE',
  HAMMING: 'HAMMING',
  JACCARD: 'JACCARD',
  BM25: 'BM25',
} as const;
export type MetricType = (typeof MetricType)[keyof typeof MetricType];

/** True when a larger score is closer (IP, COSINE, BM25); L2 (squared), HAMMING and JACCARD are distances. */
export function higherIsBetter(metric: MetricType): boolean {
  return metric === 'IP' || metric === 'COSINE' || metric === 'BM25';
}

export const LoadState = { NotExist: 0, NotLoad: 1, Loading: 2, Loaded: 3 } as const;
export type LoadState = (typeof LoadState)[keyof typeof LoadState];

export const ConsistencyLevel = { Strong: 0, Session: 1, Bounded: 2, Eventually: 3, Customized: 4 } as const;

export const IndexState = { None: 0, Unissued: 1, InProgress: 2, Finished: 3, Failed: 4, Retry: 5 } as const;
