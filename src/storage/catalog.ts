/**
 * The catalog: every database, collection (schema, partitions, aliases, indexes, properties), user and
 * id counter. The engine changes it and calls `commit()`; storage makes that state durable (the
 * manifest). Plain data only, so it serialises to the manifest as it is (bigint values allowed).
 */
import type { CollectionSchema } from '../core/schema.js';

export interface DatabaseMeta {
  id: number;
  name: string;
  createdAt: number;
  properties: Record<string, string>;
}

export interface PartitionMeta {
  id: number;
  name: string;
  createdAt: number;
}

export interface IndexMeta {
  indexID: number;
  indexName: string;
  fieldName: string;
  indexType: string;
  metricType: string;
  /** Build params as given and normalised (e.g. {M: 16, efConstruction: 200}). */
  params: Record<string, unknown>;
  createdAt: number;
  /** Vector indexes: sealed segments whose index file is written (maintained by the engine). */
  segments?: number[];
  /** Properties set by AlterIndex (e.g. `mmap.enabled`), shown by describeIndex beside the params. */
  properties?: Record<string, string>;
}

export interface CollectionMeta {
  id: number;
  dbName: string;
  name: string;
  schema: CollectionSchema;
  createdAt: number;
  partitions: PartitionMeta[];
  aliases: string[];
  indexes: IndexMeta[];
  properties: Record<string, string>;
  consistencyLevel: number;
  shardsNum: number;
  /** Partition-key collections: the number of hash partitions. */
  numPartitions: number;
  /** Next auto-id to hand out (int64 as decimal string); ids are never reissued. */
  nextAutoId: string;
  /** Whether the collection was loaded when last used (informational; collections reopen released). */
  loaded: boolean;
}

export interface UserMeta {
  name: string;
  /** `scrypt$<salt b64>$<hash b64>` */
  passwordHash: string;
  createdAt: number;
  /** Roles granted to the user (besides the implicit `public`). */
  roles?: string[];
}

/** A custom role (the built-in `admin` and `public` are not stored). */
export interface RoleMeta {
  name: string;
  description: string;
  createdAt: number;
}

/** One privilege granted to a role on an object (Milvus's GrantEntity). */
export interface GrantMeta {
  role: string;
  /** `Global`, `Collection` or `User`. */
  objectType: string;
  /** A collection or user name, or `*`. */
  objectName: string;
  /** A privilege name, or `*` for every privilege of the object type. */
  privilege: string;
  /** A database name, or `*`. */
  dbName: string;
  grantor: string;
}

/** A custom privilege group (the built-in ones are not stored). */
export interface PrivilegeGroupMeta {
  name: string;
  privileges: string[];
}

/** A resource group's config (Milvus's rg.ResourceGroupConfig). */
export interface ResourceGroupConfigMeta {
  requests: number;
  limits: number;
  transferFrom: string[];
  transferTo: string[];
}

/**
 * A resource group: Milvus standalone has `__default_resource_group` holding its one query node;
 * created groups hold nodes only when TransferNode moved the node there.
 */
export interface ResourceGroupMeta {
  name: string;
  config: ResourceGroupConfigMeta;
  /** Query node ids in the group. */
  nodes: number[];
}

export interface CatalogState {
  nextId: number;
  databases: DatabaseMeta[];
  collections: CollectionMeta[];
  users: UserMeta[];
  /** Absent in catalogs written before roles existed. */
  roles?: RoleMeta[];
  grants?: GrantMeta[];
  /** Absent in catalogs written before privilege groups / resource groups existed. */
  privilegeGroups?: PrivilegeGroupMeta[];
  resourceGroups?: ResourceGroupMeta[];
  /** Collections' replicas by resource group (collection id → group name) when not the default group. */
  replicaGroups?: Record<string, string>;
}

export function emptyCatalog(): CatalogState {
  return { nextId: 1, databases: [{ id: 0, name: 'default', createdAt: Date.now(), properties: {} }], collections: [], users: [] };
}
