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

export interface CatalogState {
  nextId: number;
  databases: DatabaseMeta[];
  collections: CollectionMeta[];
  users: UserMeta[];
  /** Absent in catalogs written before roles existed. */
  roles?: RoleMeta[];
  grants?: GrantMeta[];
}

export function emptyCatalog(): CatalogState {
  return { nextId: 1, databases: [{ id: 0, name: 'default', createdAt: Date.now(), properties: {} }], collections: [], users: [] };
}
