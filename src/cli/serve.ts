/**
 * `elanus serve`: opens the data directory, serves the Milvus gRPC protocol, prints the address when
 * ready, and shuts down cleanly on SIGINT/SIGTERM (stop accepting calls, let in-flight calls finish,
 * close the engine so the WAL is synced).
 */
import { invalidParam } from '../core/errors.js';
import { Engine } from '../engine/engine.js';
import { readUserFile } from '../storage/index.js';
import { engineCredentialStore } from '../server/auth/credential-store.js';
import { GrpcServer } from '../server/grpc/server.js';
import { restAuth, startRestServer, type RestServer } from '../server/rest/index.js';

export interface ServeOptions {
  data: string;
  host: string;
  port: number;
  auth: boolean;
  tlsCert?: string;
  tlsKey?: string;
  /** Log every request (method, metadata, decoded body) to stderr. */
  trace: boolean;
  version: string;
  /** Serve the RESTful v2 API on this port too (plain HTTP). */
  restPort?: number;
}

export interface RunningServer {
  server: GrpcServer;
  rest?: RestServer;
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

export async function startServer(opts: ServeOptions): Promise<RunningServer> {
  let tls: { cert: Buffer; key: Buffer } | undefined;
  if (opts.tlsCert || opts.tlsKey) {
    if (!opts.tlsCert || !opts.tlsKey) throw invalidParam('tls', '--tls-cert and --tls-key must be given together');
    tls = { cert: await readUserFile(opts.tlsCert, 'TLS certificate'), key: await readUserFile(opts.tlsKey, 'TLS key') };
  }
  const engine = await Engine.open({ dataDir: opts.data });
  const credentials = engineCredentialStore(engine);
  let server: GrpcServer;
  let rest: RestServer | undefined;
  try {
    server = await GrpcServer.start({
      engine,
      credentials,
      host: opts.host,
      port: opts.port,
      auth: opts.auth,
      ...(tls ? { tls } : {}),
      version: opts.version,
      ...(opts.trace ? { onRequest: (method, request, metadata) => process.stderr.write(`[grpc] ${method} ${traceJson(metadata)} ${truncate(traceJson(request))}\n`) } : {}),
      onInternalError: (method, err) => process.stderr.write(`[grpc] internal error in ${method}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`),
    });
    if (opts.restPort !== undefined) {
      rest = await startRestServer(engine, {
        host: opts.host,
        port: opts.restPort,
        ...(opts.auth ? { auth: restAuth((u, p) => credentials.verify(u, p)) } : {}),
      }).catch(async (err: unknown) => {
        await server.shutdown();
        throw err;
      });
    }
  } catch (err) {
    await engine.close();
    throw err;
  }
  let stopping: Promise<void> | undefined;
  return {
    server,
    ...(rest ? { rest } : {}),
    engine,
    stop(): Promise<void> {
      stopping ??= (async () => {
        await rest?.close();
        await server.shutdown();
        await engine.close();
      })();
      return stopping;
    },
  };
}

/** Runs until SIGINT/SIGTERM. */
export async function serve(opts: ServeOptions): Promise<void> {
  const running = await startServer(opts);
  const scheme = opts.tlsCert ? 'TLS' : 'plaintext';
  process.stdout.write(`Elanus ${opts.version} serving the Milvus gRPC API on ${running.server.address} (${scheme}${opts.auth ? ', auth on' : ''}), data in ${opts.data}\n`);
  if (running.rest) process.stdout.write(`RESTful v2 API on http://${running.rest.address}\n`);
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
