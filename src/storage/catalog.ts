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
}

export interface CatalogState {
  nextId: number;
  databases: DatabaseMeta[];
  collections: CollectionMeta[];
  users: UserMeta[];
}

export function emptyCatalog(): CatalogState {
  return { nextId: 1, databases: [{ id: 0, name: 'default', createdAt: Date.now(), properties: {} }], collections: [], users: [] };
}
