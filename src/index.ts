/**
 * Elanus: a vector database for Node.js that speaks Milvus.
 *
 * @example
 * ```ts
 * import { MilvusClient, DataType } from 'elanus';
 * const client = new MilvusClient({ address: './elanus-data' });
 * await client.createCollection({ collection_name: 'docs', dimension: 8 });
 * ```
 */
export { MilvusClient, type ClientConfig, type MilvusClientInterface, type MilvusClientConstructor, type RemoteMilvusClient } from './client/client.js';
export type { ResStatus } from './api/sdk-format.js';
export { DataType, MetricType, LoadState, ConsistencyLevel, IndexState } from './core/data-type.js';
export { MilvusError, ErrorCode } from './core/errors.js';
export { Engine, type EngineOptions } from './engine/engine.js';
