/**
 * The one `MilvusClient` of `import { MilvusClient } from 'elanus'`: its address decides where the data
 * lives (address.ts).
 *
 * - a data directory or `:memory:` → the embedded client (milvus-client.ts), an engine in this process;
 * - a Milvus server (`host:port`, `http(s)://…`, with `token` or `username`/`password`) → the official
 *   Node SDK's own `MilvusClient` (gRPC), so every call, response and error is exactly the SDK's. The SDK
 *   is loaded on first use (it takes longer to load than the embedded engine), never for local data.
 *
 * Both kinds have one TypeScript surface, `MilvusClientInterface` (the embedded client's public
 * methods, which take the SDK's request objects): code written against it runs on either, and
 * `new MilvusClient(...)` returns that type whatever the address (as PGlite and PGliteWorker share
 * PGliteInterface). `client instanceof MilvusClient` holds for both kinds.
 */
import { createRequire } from 'node:module';
import type { ChannelOptions } from '@grpc/grpc-js';
import type { ClientConfig as SdkClientConfig, MilvusClient as SdkMilvusClient } from '@zilliz/milvus2-sdk-node';
import { invalidParam } from '../core/errors.js';
import { parseClientAddress } from './address.js';
import { MilvusClient as EmbeddedMilvusClient } from './milvus-client.js';

/** The SDK's connection options, plus what only a local data directory uses. */
export interface ClientConfig extends SdkClientConfig {
  /**
   * A data directory path, `file:` URL or `:memory:` (embedded), or a Milvus server as `host:port` or
   * `http(s)://host:port` (see address.ts for the exact rule).
   */
  address: string;
  /** Local data directory only: rows per growing segment before it is sealed and indexed. */
  sealRows?: number;
  /** Local data directory only: segment max size in MB (Milvus `dataCoord.segment.maxSize`). */
  segmentMaxSize?: number;
  /** Local data directory only: seal growing segments at this fraction of the max size (Milvus `dataCoord.segment.sealProportion`). */
  sealProportion?: number;
}

/** The methods every `MilvusClient` has, embedded or connected to a server. */
export type MilvusClientInterface = { [K in keyof EmbeddedMilvusClient]: EmbeddedMilvusClient[K] };

/** The SDK's client plus the embedded client's two extra members (`address`, `close()`). */
export interface RemoteMilvusClient extends SdkMilvusClient {
  readonly address: string;
  /** Closes the connection (the SDK's closeConnection). */
  close(): Promise<void>;
}

type RemoteCtor = new (config: SdkClientConfig) => RemoteMilvusClient;
let remoteCtor: RemoteCtor | undefined;

/** The SDK's MilvusClient class extended with `address` and `close()`, loaded once, on first use. */
function remoteClass(): RemoteCtor {
  if (!remoteCtor) {
    const sdk = createRequire(import.meta.url)('@zilliz/milvus2-sdk-node') as { MilvusClient: typeof SdkMilvusClient };
    remoteCtor = class extends sdk.MilvusClient implements RemoteMilvusClient {
      constructor(config: SdkClientConfig) {
        super(config);
        // A failed connect (refused, bad credentials) rejects connectPromise and every call, which all
        // await it; without this handler a client nobody has called yet would also crash the process
        // with an unhandled rejection (the embedded client treats a data directory it cannot open alike).
        this.connectPromise.catch(() => undefined);
      }
      get address(): string {
        return this.config.address;
      }
      async close(): Promise<void> {
        await this.closeConnection();
      }
    };
  }
  return remoteCtor;
}

export interface MilvusClientConstructor {
  /**
   * Opens `config.address`: a local data directory / `:memory:` in-process, or a Milvus server through
   * the official SDK. The positional `ssl`, `username`, `password`, `channelOptions` are the SDK's
   * (server addresses only). Throws MilvusError 1100 for an address that is neither.
   */
  new (config: ClientConfig | string, ssl?: boolean, username?: string, password?: string, channelOptions?: ChannelOptions): MilvusClientInterface;
  [Symbol.hasInstance](v: unknown): v is MilvusClientInterface;
}

/** Its constructor returns the embedded client or the SDK's, so it has no instances of its own. */
class ClientFactory {
  constructor(config: ClientConfig | string, ssl?: boolean, username?: string, password?: string, channelOptions?: ChannelOptions) {
    // As the SDK: the positional ssl/username/password/channelOptions count only with a string address.
    const cfg: ClientConfig = typeof config === 'string' ? { address: config, ssl, username, password, channelOptions } : config;
    const target = parseClientAddress(cfg?.address);
    if (target.kind !== 'server') return new EmbeddedMilvusClient(cfg);
    for (const k of ['sealRows', 'segmentMaxSize', 'sealProportion'] as const) {
      if (cfg[k] !== undefined) throw invalidParam(k, `applies to a local data directory; ${JSON.stringify(cfg.address)} is a Milvus server`);
    }
    const Remote = remoteClass();
    return new Remote({ ...cfg, address: target.address });
  }

  static [Symbol.hasInstance](v: unknown): boolean {
    return v instanceof EmbeddedMilvusClient || (remoteCtor !== undefined && v instanceof remoteCtor);
  }
}

/**
 * `new MilvusClient(config)` (see MilvusClientConstructor). The SDK's methods take and return its own
 * types, which the embedded client's mirror, so both are typed as MilvusClientInterface.
 */
export const MilvusClient = ClientFactory as unknown as MilvusClientConstructor;
/** Either kind of client (the interface both implement). */
export type MilvusClient = MilvusClientInterface;
