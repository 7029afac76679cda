/**
 * The Milvus gRPC server: `@grpc/grpc-js` with the service definitions from the pinned SDK package,
 * every RPC routed through the registry (decode → engine → encode), message size limits as Milvus's
 * proxy sets them (`proxy.grpc.serverMaxRecvSize` 64 MiB and `serverMaxSendSize` 256 MiB in the
 * milvus.yaml Milvus 2.6 ships; configurable), optional authentication and TLS.
 *
 * A request above the receive limit is refused by grpc-js from the message's length prefix, before
 * any of it is buffered or decoded: the client sees gRPC RESOURCE_EXHAUSTED ("Received message larger
 * than max (N vs. M)"), as a Milvus client does. A reply above the send limit fails the same way.
 *
 * Failures: a handler's MilvusError becomes the reply's Status (gRPC OK); only authentication
 * failures are gRPC UNAUTHENTICATED. Calls run concurrently: handlers are async and the engine's
 * work is interleaved by the event loop, so a slow request does not hold the others back.
 */
import { createServer } from 'node:net';
import * as grpc from '@grpc/grpc-js';
import { Authenticator } from '../auth/authenticator.js';
import type { CredentialCache } from '../auth/credential-cache.js';
import type { CredentialStore } from '../auth/credential-store.js';
import { contextFromMetadata, metadataString, resolveDb } from './context.js';
import { authorize } from '../auth/authorization.js';
import type { Engine } from '../../engine/engine.js';
import type { HandlerEnv } from './handlers/types.js';
import { packageDefinition } from '../../api/proto.js';
import { allRoutes, type Route } from './registry.js';
import { FAST_SERIALIZERS } from './codecs/result-wire.js';
import { errorStatus, okStatus, unsupportedError } from './status.js';
import type { RequestObserver } from '../observability/metrics.js';

export interface GrpcServerOptions {
  engine: Engine;
  credentials: CredentialStore;
  /** The credential cache to share with the REST server (one is made when absent). */
  credentialCache?: CredentialCache;
  host?: string;
  /** 0 = pick a free port. */
  port?: number;
  /** Check the `authorization` metadata on every call. */
  auth?: boolean;
  /** Server certificate and key; with `ca`, clients must present a certificate it signed (mutual TLS). */
  tls?: { cert: Buffer; key: Buffer; ca?: Buffer };
  version?: string;
  /** Largest request message accepted, in bytes (default MAX_RECV_SIZE; -1 = unlimited). */
  maxRecvSize?: number;
  /** Largest reply message sent, in bytes (default MAX_SEND_SIZE; -1 = unlimited). */
  maxSendSize?: number;
  /** Called once per request with the method and decoded request (for tracing what clients send). */
  onRequest?: (method: string, request: unknown, metadata: Record<string, string>) => void;
  /** Called when a handler fails with a non-Milvus error (a bug). */
  onInternalError?: (method: string, err: unknown) => void;
  /** Told when each call starts and ends (metrics). */
  observer?: RequestObserver;
}

/** Milvus 2.6's `proxy.grpc.serverMaxRecvSize` (configs/milvus.yaml): 64 MiB. */
export const MAX_RECV_SIZE = 64 * 1024 * 1024;
/** Milvus 2.6's `proxy.grpc.serverMaxSendSize` (configs/milvus.yaml): 256 MiB. */
export const MAX_SEND_SIZE = 256 * 1024 * 1024;

const SERVER_CHANNEL_OPTIONS: grpc.ServerOptions = {
  // The Node SDK pings every 10 s, also when idle.
  'grpc.keepalive_permit_without_calls': 1,
  'grpc.http2.min_ping_interval_without_data_ms': 5_000,
  // channelz bookkeeping costs time on every call and nothing reads it
  'grpc.enable_channelz': 0,
};

interface CallCounter {
  inFlight: number;
}

export class GrpcServer {
  private constructor(
    private readonly server: grpc.Server,
    private readonly counter: CallCounter,
    readonly host: string,
    readonly port: number,
  ) {}

  get address(): string {
    return `${this.host.includes(':') ? `[${this.host}]` : this.host}:${this.port}`;
  }

  /** Calls being handled right now. */
  get pendingCalls(): number {
    return this.counter.inFlight;
  }

  static async start(opts: GrpcServerOptions): Promise<GrpcServer> {
    const server = new grpc.Server({
      ...SERVER_CHANNEL_OPTIONS,
      'grpc.max_receive_message_length': opts.maxRecvSize ?? MAX_RECV_SIZE,
      'grpc.max_send_message_length': opts.maxSendSize ?? MAX_SEND_SIZE,
    });
    const authenticator = opts.auth ? new Authenticator(opts.credentials, opts.credentialCache) : undefined;
    let identifier = BigInt(Date.now()) * 1000n;
    const env: HandlerEnv = {
      engine: opts.engine,
      credentials: opts.credentials,
      authenticator,
      nextIdentifier: () => (++identifier).toString(),
      version: opts.version ?? '0.0.0',
      startedAt: Date.now(),
    };
    const host = opts.host ?? '127.0.0.1';
    const counter: CallCounter = { inFlight: 0 };
    const byService = new Map<string, Route[]>();
    for (const r of allRoutes()) byService.set(r.service, [...(byService.get(r.service) ?? []), r]);
    for (const [service, routes] of byService) {
      const definition = withFastSerializers(packageDefinition[service] as grpc.ServiceDefinition);
      const impl: grpc.UntypedServiceImplementation = {};
      for (const route of routes) {
        if (route.kind === 'unimplemented') continue; // grpc-js answers UNIMPLEMENTED
        impl[route.method] = unaryHandler(route, env, authenticator, opts, counter);
      }
      server.addService(definition, impl);
    }
    const creds = opts.tls
      ? grpc.ServerCredentials.createSsl(opts.tls.ca ?? null, [{ cert_chain: opts.tls.cert, private_key: opts.tls.key }], opts.tls.ca !== undefined)
      : grpc.ServerCredentials.createInsecure();
    // grpc-js logs a failed bind on stderr before rejecting; probing first keeps "port in use" to the
    // one error the caller reports (Node's own `listen EADDRINUSE: address already in use host:port`).
    if (opts.port) await portFree(host, opts.port);
    const port = await new Promise<number>((resolve, reject) => {
      server.bindAsync(`${host.includes(':') ? `[${host}]` : host}:${opts.port ?? 19530}`, creds, (err, p) => (err ? reject(err) : resolve(p)));
    });
    return new GrpcServer(server, counter, host, port);
  }

  /** Stops accepting calls, lets in-flight calls finish (up to `graceMs`), then closes. */
  async shutdown(graceMs = 10_000): Promise<void> {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.server.forceShutdown();
        resolve();
      }, graceMs);
      timer.unref();
      this.server.tryShutdown(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}

/** The service definition with the row-carrying replies written by codecs/result-wire.ts. */
function withFastSerializers(definition: grpc.ServiceDefinition): grpc.ServiceDefinition {
  const out: Record<string, grpc.MethodDefinition<unknown, unknown>> = { ...definition };
  for (const [method, serialize] of Object.entries(FAST_SERIALIZERS)) {
    const m = definition[method];
    if (m) out[method] = { ...m, responseSerialize: serialize as (value: unknown) => Buffer };
  }
  return out as grpc.ServiceDefinition;
}

interface ServiceFailure {
  failure: true;
  error: Partial<grpc.StatusObject>;
}

/** Resolves when `host:port` can be listened on (and is free again); rejects with Node's listen error. */
function portFree(host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen({ host, port, exclusive: true }, () => probe.close(() => resolve()));
  });
}

function serviceError(code: grpc.status, details: string): ServiceFailure {
  return { failure: true, error: { code, details, metadata: new grpc.Metadata() } };
}

function isFailure(v: Record<string, unknown> | ServiceFailure): v is ServiceFailure {
  return (v as ServiceFailure).failure === true;
}

function metadataObject(md: grpc.Metadata): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(md.getMap())) out[key] = key === 'authorization' ? '<redacted>' : metadataString(md, key);
  return out;
}

function unaryHandler(
  route: Route,
  env: HandlerEnv,
  authenticator: Authenticator | undefined,
  opts: GrpcServerOptions,
  counter: CallCounter,
): grpc.handleUnaryCall<Record<string, unknown>, Record<string, unknown>> {
  return (call, callback) => {
    counter.inFlight++;
    const done = opts.observer?.start('grpc', route.method);
    const ctx = contextFromMetadata(call.metadata, route.method);
    opts.onRequest?.(route.method, call.request, metadataObject(call.metadata));
    const run = async (): Promise<Record<string, unknown> | ServiceFailure> => {
      if (authenticator) {
        const result = await authenticator.check(metadataString(call.metadata, 'authorization'));
        if (!result.ok) {
          return serviceError(grpc.status.UNAUTHENTICATED, result.reason);
        }
        ctx.user = result.user;
      }
      try {
        if (authenticator) {
          const denied = authorize(env.engine, ctx.user, route.method, call.request, resolveDb(ctx, call.request['db_name']));
          if (denied) throw denied;
        }
        if (route.kind !== 'handler' || !route.handler) throw unsupportedError(route.method);
        const body = await route.handler(call.request, ctx, env);
        // A handler may answer with its own (error) status alongside a body (Flush, GetFlushState).
        return route.statusReply ? { ...okStatus() } : { status: okStatus(), ...body };
      } catch (err) {
        if (!(err instanceof Error && err.name === 'MilvusError')) opts.onInternalError?.(route.method, err);
        const status = errorStatus(err);
        return route.statusReply ? { ...status } : { ...route.failureBody, status };
      }
    };
    run().then(
      (reply) => {
        counter.inFlight--;
        if (isFailure(reply)) {
          done?.(grpc.status[reply.error.code ?? grpc.status.UNKNOWN]);
          callback(reply.error);
        } else {
          done?.(((route.statusReply ? reply : reply['status']) as { code?: number } | undefined)?.code ?? 0);
          callback(null, reply);
        }
      },
      (err: unknown) => {
        counter.inFlight--;
        done?.('INTERNAL');
        callback(serviceError(grpc.status.INTERNAL, String(err)).error);
      },
    );
  };
}
