/**
 * Request shapes the engine accepts. They are the official Node SDK's request objects (the embedded
 * client passes them through; the gRPC server decodes protobuf into them), reduced to the keys the
 * engine reads. Every request may name a database with `db_name` (default: "default").
 */
import type { FieldInput, FunctionInput } from './schema-builder.js';
import type { Row } from './row-codec.js';

export interface DbReq {
  db_name?: string;
}
export interface CollectionReq extends DbReq {
  collection_name: string;
}

export interface CreateCollectionReq extends CollectionReq {
  fields?: FieldInput[];
  schema?: FieldInput[] | { fields: FieldInput[]; enable_dynamic_field?: boolean; description?: string; functions?: FunctionInput[] };
  functions?: FunctionInput[];
  description?: string;
  enable_dynamic_field?: boolean;
  enableDynamicField?: boolean;
  /** Struct array fields (Milvus 2.6). */
  struct_array_fields?: readonly unknown[];
  /** Struct fields as some clients name them (refused like struct_array_fields). */
  struct_fields?: readonly unknown[];
  num_partitions?: number;
  partition_key_field?: string;
  consistency_level?: string | number;
  shards_num?: number;
  properties?: Record<string, unknown>;
}

export interface PartitionReq extends CollectionReq {
  partition_name: string;
}
export interface PartitionsReq extends CollectionReq {
  partition_names?: string[];
}

export interface AliasReq extends DbReq {
  alias: string;
  collection_name?: string;
}

export interface CreateIndexReq extends CollectionReq {
  field_name: string;
  index_name?: string;
  index_type?: string;
  metric_type?: string;
  params?: Record<string, unknown>;
  extra_params?: Record<string, unknown>;
}
export interface IndexReq extends CollectionReq {
  field_name?: string;
  index_name?: string;
}

export interface InsertReq extends CollectionReq {
  partition_name?: string;
  data?: Row[];
  fields_data?: Row[];
  /** Upsert only (Milvus 2.6 merge mode): the given fields replace the stored row's, the rest stay. */
  partial_update?: boolean;
}

export interface DeleteReq extends CollectionReq {
  partition_name?: string;
  ids?: (string | number | bigint)[];
  filter?: string;
  expr?: string;
  exprValues?: Record<string, unknown>;
  /** pymilvus's name for `exprValues`. */
  filter_params?: Record<string, unknown>;
}

export interface QueryReq extends CollectionReq {
  filter?: string;
  expr?: string;
  exprValues?: Record<string, unknown>;
  /** pymilvus's name for `exprValues` (filter template values); one or the other. */
  filter_params?: Record<string, unknown>;
  output_fields?: string[];
  partition_names?: string[];
  ids?: (string | number | bigint)[];
  limit?: number;
  offset?: number;
  /** Only rows whose primary key is above this one (a query iterator's cursor). */
  after_pk?: bigint | string | number;
  consistency_level?: string | number;
  /** Sort keys (Milvus 2.6): "field[:asc|desc]" specs, comma separated or as a list, or `{field, order}` objects; see order-by.ts. */
  order_by_fields?: unknown;
  /** Milvus features Elanus does not have (query `group_by_fields`). */
  unsupported?: { group_by_fields?: unknown };
}

export interface SearchReq extends CollectionReq {
  data?: unknown;
  vector?: unknown;
  vectors?: unknown;
  anns_field?: string;
  limit?: number;
  topk?: number;
  offset?: number;
  filter?: string;
  expr?: string;
  exprValues?: Record<string, unknown>;
  /** pymilvus's name for `exprValues`. */
  filter_params?: Record<string, unknown>;
  output_fields?: string[];
  partition_names?: string[];
  metric_type?: string;
  params?: Record<string, unknown> | string;
  round_decimal?: number;
  group_by_field?: string;
  group_size?: number;
  strict_group_size?: boolean;
  ignore_growing?: boolean;
  radius?: number;
  range_filter?: number;
  /** Read-consistency level by name or number (checked; every read here is strong). */
  consistency_level?: string | number;
  /** Search by primary keys (Milvus 2.6) instead of query vectors. */
  ids?: readonly unknown[];
  /** Milvus features Elanus does not have; present and non-empty means refused, never ignored. */
  unsupported?: UnsupportedSearchFeatures;
}

/** Request features of Milvus's search that Elanus refuses (see engine/request-checks.ts refuseUnsupportedSearch). */
export interface UnsupportedSearchFeatures {
  function_score?: { functions?: readonly unknown[] } | null;
  highlighter?: unknown;
  search_aggregation?: unknown;
  function_chains?: readonly unknown[];
  order_by_fields?: unknown;
  hints?: unknown;
}

export interface HybridSearchReq extends CollectionReq {
  data: (Omit<SearchReq, 'collection_name'> & { data: unknown })[];
  rerank?: { strategy?: string; params?: Record<string, unknown> };
  limit?: number;
  offset?: number;
  output_fields?: string[];
  partition_names?: string[];
  round_decimal?: number;
  consistency_level?: string | number;
  unsupported?: UnsupportedSearchFeatures;
}

export interface UserReq {
  username: string;
  password?: string;
  oldPassword?: string;
  newPassword?: string;
}

/** One search hit: primary key, score and the requested output fields (API-shaped values). */
export interface Hit {
  pk: bigint | string;
  score: number;
  fields: Record<string, unknown>;
  /** Highlighted fragments per text field (a search with a highlighter, engine/highlight.ts). */
  highlight?: Record<string, { fragments: string[]; scores: number[] }>;
}
