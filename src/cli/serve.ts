/**
 * `elanus serve`: opens the data directory, serves the Milvus gRPC protocol (and RESTful v2, and the
 * operations port with Prometheus `/metrics` and `/healthz`), prints the addresses when ready, and
 * shuts down cleanly on SIGINT/SIGTERM (stop accepting calls, let in-flight calls finish, close the
 * engine so the WAL is synced). Logs are JSON lines (pino) on stderr; `--trace` logs every request.
 */
import { pino, type Logger } from 'pino';
import { ErrorCode, invalidParam, MilvusError } from '../core/errors.js';
import { Engine } from '../engine/engine.js';
import { checkSegmentSizing, readUserFile, storeSizing } from '../storage/index.js';
import { engineCredentialStore } from '../server/auth/credential-store.js';
import { GrpcServer } from '../server/grpc/server.js';
import { restAuth, startRestServer, type RestServer } from '../server/rest/index.js';
import { ServerMetrics } from '../server/observability/metrics.js';
import { CredentialCache } from '../server/auth/credential-cache.js';
import { startOpsServer, type OpsServer } from '../server/observability/http.js';

export interface ServeOptions {
  data: string;
  host: string;
  port: number;
  auth: boolean;
  tlsCert?: string;
  tlsKey?: string;
  /** CA certificate(s): clients must present a certificate it signed (mutual TLS, Milvus tlsMode 2). */
  tlsCa?: string;
  /** Log every request (method, metadata, decoded body) to stderr. */
  trace: boolean;
  version: string;
  /** Serve the RESTful v2 API on this port too (plain HTTP). */
  restPort?: number;
  /** Serve the web console at `/console/` on the REST port (needs `restPort`). */
  console?: boolean;
  /** Serve `/metrics` and `/healthz` on this port (plain HTTP). */
  metricsPort?: number;
  /** Largest gRPC request message, in bytes (Milvus's proxy.grpc.serverMaxRecvSize); the REST body limit is 4× it. */
  maxRecvSize?: number;
  /** Largest gRPC reply message, in bytes (Milvus's proxy.grpc.serverMaxSendSize). */
  maxSendSize?: number;
  /** Segment max size in MB (Milvus `dataCoord.segment.maxSize`, default 1024). */
  segmentMaxSize?: number;
  /** Seal growing segments at this fraction of the max size (Milvus `dataCoord.segment.sealProportion`, default 0.12). */
  sealProportion?: number;
  /** Where logs go (default: JSON lines on stderr). */
  logger?: Logger;
}

export interface RunningServer {
  server: GrpcServer;
  rest?: RestServer;
  ops?: OpsServer;
  engine: Engine;
  stop(): Promise<void>;
}

function truncate(text: string, max = 2000): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

function traceJson(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => {
    if (typeof x === 'bigint') return x.toString();
    if (x && typeof x === 'object' && (x as { type?: string }).type === 'Buffer') return `<${((x as { data: unknown[] }).data ?? []).length} bytes>`;
    return x;
  });
}

/** A listen failure on a port in use, as one line naming the port and the flag that moves it. */
function portInUse(err: unknown, what: string, flag: string): unknown {
  const message = err instanceof Error ? err.message : String(err);
  if ((err as { code?: unknown } | null)?.code !== 'EADDRINUSE' && !message.includes('EADDRINUSE')) return err;
  const at = /address already in use (\S+?)\]?$/.exec(message)?.[1] ?? '';
  return new MilvusError(ErrorCode.IoFailed, `${what} port ${at} is already in use (another elanus serve or Milvus?); stop it or choose another port with ${flag}`);
}

export async function startServer(opts: ServeOptions): Promise<RunningServer> {
  const log = opts.logger ?? pino({ level: opts.trace ? 'debug' : 'info', base: { service: 'elanus' } }, pino.destination({ dest: 2, sync: true }));
  let tls: { cert: Buffer; key: Buffer; ca?: Buffer } | undefined;
  if (opts.tlsCert || opts.tlsKey) {
    if (!opts.tlsCert || !opts.tlsKey) throw invalidParam('tls', '--tls-cert and --tls-key must be given together');
    tls = { cert: await readUserFile(opts.tlsCert, 'TLS certificate'), key: await readUserFile(opts.tlsKey, 'TLS key') };
    if (opts.tlsCa) tls.ca = await readUserFile(opts.tlsCa, 'TLS CA certificate');
  } else if (opts.tlsCa) {
    throw invalidParam('tls', '--tls-ca needs --tls-cert and --tls-key (mutual TLS is TLS with client certificates)');
  }
  checkSegmentSizing(opts);
  const engine = await Engine.open({
    dataDir: opts.data,
    store: storeSizing(opts),
    onBackgroundError: (err) => log.error({ err }, 'background task failed'),
    onProgress: (event) => log.info(event, event.task === 'load' ? `load ${event.stage}` : `index build ${event.percent}%`),
  });
  const credentials = engineCredentialStore(engine);
  // One credential cache for gRPC and REST.
  const credentialCache = new CredentialCache(credentials);
  const metrics = opts.metricsPort !== undefined ? new ServerMetrics(engine) : undefined;
  let server: GrpcServer;
  let rest: RestServer | undefined;
  let ops: OpsServer | undefined;
  try {
    server = await GrpcServer.start({
      engine,
      credentials,
      credentialCache,
      host: opts.host,
      port: opts.port,
      auth: opts.auth,
      ...(tls ? { tls } : {}),
      version: opts.version,
      ...(opts.maxRecvSize !== undefined ? { maxRecvSize: opts.maxRecvSize } : {}),
      ...(opts.maxSendSize !== undefined ? { maxSendSize: opts.maxSendSize } : {}),
      ...(metrics ? { observer: metrics } : {}),
      ...(opts.trace ? { onRequest: (method, request, metadata) => log.debug({ transport: 'grpc', method, metadata, request: truncate(traceJson(request)) }, 'request') } : {}),
      onInternalError: (method, err) => log.error({ transport: 'grpc', method, err }, 'internal error'),
    }).catch((err: unknown) => {
      throw portInUse(err, 'gRPC', '--port');
    });
    if (opts.restPort !== undefined) {
      rest = await startRestServer(engine, {
        host: opts.host,
        port: opts.restPort,
        ...(opts.maxRecvSize !== undefined && opts.maxRecvSize > 0 ? { bodyLimit: 4 * opts.maxRecvSize } : {}),
        ...(opts.auth ? { auth: restAuth(credentialCache) } : {}),
        ...(metrics ? { observer: metrics } : {}),
        // The metrics port is known only once the ops server listens (after this one).
        ...(opts.console ? { console: { config: () => ({ version: opts.version, grpcPort: server.port, ...(ops ? { metricsPort: ops.port } : {}) }) } } : {}),
      }).catch(async (err: unknown) => {
        await server.shutdown();
        throw portInUse(err, 'RESTful v2 API', '--rest-port (or --no-rest)');
      });
    }
    if (metrics) {
      ops = await startOpsServer(metrics, { host: opts.host, port: opts.metricsPort!, ...(rest && opts.console ? { corsPort: rest.port } : {}) }).catch(async (err: unknown) => {
        await rest?.close();
        await server.shutdown();
        throw portInUse(err, 'metrics', '--metrics-port (or --no-metrics)');
      });
    }
  } catch (err) {
    await engine.close();
    throw err;
  }
  let stopping: Promise<void> | undefined;
  log.info({ grpc: server.address, rest: rest?.address, metrics: ops?.address, data: opts.data, auth: opts.auth, tls: tls !== undefined }, 'serving');
  return {
    server,
    ...(rest ? { rest } : {}),
    ...(ops ? { ops } : {}),
    engine,
    stop(): Promise<void> {
      stopping ??= (async () => {
        await rest?.close();
        await server.shutdown();
        await ops?.close();
        await engine.close();
        log.info('stopped');
      })();
      return stopping;
    },
  };
}

/** Runs until SIGINT/SIGTERM. */
export async function serve(opts: ServeOptions): Promise<void> {
  const running = await startServer(opts);
  const scheme = opts.tlsCert ? (opts.tlsCa ? 'mutual TLS' : 'TLS') : 'plaintext';
  // One write, so a reader waiting for the addresses gets them together.
  process.stdout.write(
    `Elanus ${opts.version} serving the Milvus gRPC API on ${running.server.address} (${scheme}${opts.auth ? ', auth on' : ''}), data in ${opts.data}\n` +
      (running.rest ? `RESTful v2 API on http://${running.rest.address}\n` : '') +
      (running.rest && opts.console ? `web console on http://${running.rest.address}/console/\n` : '') +
      (running.ops ? `metrics on http://${running.ops.address}/metrics (health: /healthz)\n` : ''),
  );
  const onSignal = (signal: NodeJS.Signals): void => {
    process.stdout.write(`received ${signal}, shutting down\n`);
    running.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`shutdown failed: ${String(err)}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
}
