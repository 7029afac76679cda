/**
 * Milvus RESTful v2 API over the engine: `POST /v2/vectordb/<area>/<verb>` with a JSON body (read as
 * JSON whatever the Content-Type; the Node SDK's HttpClient sends none that fits), `dbName` in the
 * body (or the `DB-Name` header). Every answer is HTTP 200 with `{code: 0, data, cost: 0}` or
 * `{code, message}` carrying the Milvus code (1801 unreadable JSON or body, 1802 missing parameter,
 * engine codes otherwise) — except bad credentials, which Milvus answers with HTTP 401 and code 1800.
 * A thin adapter: decode → engine → encode; the routes live in `routes-*.ts`.
 */
import Fastify from 'fastify';
import type { Engine } from '../../engine/engine.js';
import { ErrorCode, MilvusError } from '../../core/errors.js';
import { encodeJson, parseBody, RestCode } from './body.js';
import { collectionRoutes } from './routes-collections.js';
import { entityRoutes } from './routes-entities.js';
import { schemaObjectRoutes } from './routes-schema-objects.js';
import { accountRoutes } from './routes-accounts.js';
import { jobRoutes } from './routes-jobs.js';
import { RestReply, type RestRoute } from './route.js';
import { parseRestAuthorization } from './auth.js';
import { authorize, REST_METHODS, restRequest } from '../auth/authorization.js';
import type { RequestObserver } from '../observability/metrics.js';
import { registerConsole, type ConsoleOptions } from './console.js';

export interface RestServerOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** Largest request body accepted, in bytes (default BODY_LIMIT); a larger one is refused before it is parsed. */
  bodyLimit?: number;
  /**
   * Checks the `Authorization` header (`Bearer user:password` or `Basic ...`); absent = no auth. Use
   * `restAuth(cache)` for the server's shared credential cache (its hits end when the user or the
   * password changes on any transport).
   */
  auth?: ((authorizationHeader: string | undefined) => boolean | Promise<boolean>) & { invalidate?: () => void };
  logger?: boolean;
  /** Told when each request starts and ends (metrics). */
  observer?: RequestObserver;
  /** Serve the web console at /console/ (absent = not served). */
  console?: ConsoleOptions;
}

export interface RestServer {
  address: string;
  port: number;
  close(): Promise<void>;
}

/** Every route, keyed `<area>/<verb>`. */
export function restRoutes(): Map<string, RestRoute> {
  return new Map<string, RestRoute>([...collectionRoutes(), ...entityRoutes(), ...schemaObjectRoutes(), ...accountRoutes(), ...jobRoutes()]);
}

const PREFIX = '/v2/vectordb/';
/**
 * The default body limit: four times the gRPC receive limit (64 MiB), because JSON text of vectors
 * takes about three to four times the bytes of their protobuf encoding (`0.12345678,` is 11 bytes, a
 * float32 is 4). So a REST body carries about as much as one gRPC message may.
 */
export const BODY_LIMIT = 4 * 64 * 1024 * 1024;

function errorBody(err: unknown): { code: number; message: string } {
  const e = MilvusError.from(err);
  return { code: e.code === 0 ? ErrorCode.Unexpected : e.code, message: e.message };
}

/** Starts the REST server over `engine`; resolves once it listens. */
export async function startRestServer(engine: Engine, opts: RestServerOptions): Promise<RestServer> {
  const app = Fastify({ logger: opts.logger ?? false, bodyLimit: opts.bodyLimit ?? BODY_LIMIT });
  const routes = restRoutes();
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));

  /** Bad credentials: Milvus answers HTTP 401 with code 1800 (the SDK surfaces it as an HttpError). */
  const authorised = async (headers: Record<string, string | string[] | undefined>): Promise<boolean> => {
    if (!opts.auth) return true;
    const h = headers.authorization;
    return opts.auth(Array.isArray(h) ? h[0] : h);
  };

  const handle = async (path: string, headers: Record<string, string | string[] | undefined>, raw: unknown): Promise<unknown> => {
    const route = routes.get(path);
    if (!route) throw new MilvusError(ErrorCode.ServiceUnimplemented, `unsupported RESTful v2 path: ${PREFIX}${path}`);
    const body = parseBody(raw);
    const header = headers['db-name'];
    const dbName = body.dbName ?? (Array.isArray(header) ? header[0] : header);
    const db = typeof dbName === 'string' && dbName !== '' ? dbName : 'default';
    let user = '';
    if (opts.auth) {
      // Signed in (checked before): now what the user may do, as over gRPC.
      const h = headers.authorization;
      user = parseRestAuthorization(Array.isArray(h) ? h[0] : h)?.user ?? '';
      const denied = authorize(engine, user, REST_METHODS[path] ?? path, restRequest(body), db);
      if (denied) throw denied;
    }
    const out = await route({ engine, body, db, user });
    if (path === 'users/drop' || path === 'users/update_password') opts.auth?.invalidate?.();
    return out;
  };

  app.post(`${PREFIX}*`, async (request, reply) => {
    const allow = request.headers['accept-type-allow-int64'];
    const int64AsNumber = String(Array.isArray(allow) ? allow[0] : allow ?? 'true').toLowerCase() !== 'false';
    void reply.type('application/json');
    const path = (request.url.split('?')[0] ?? '').slice(PREFIX.length).replace(/\/+$/, '');
    // Unknown paths share one label: metric label values stay bounded whatever clients send.
    const done = opts.observer?.start('rest', routes.has(path) ? path : 'unknown');
    if (!(await authorised(request.headers))) {
      done?.(RestCode.NeedAuthenticate);
      return reply.code(401).send(JSON.stringify({ code: RestCode.NeedAuthenticate, message: "user hasn't authenticated" }));
    }
    let payload: { code: number };
    try {
      const out = await handle(path, request.headers, request.body);
      payload = out instanceof RestReply ? { code: 0, cost: 0, ...out.extra, data: out.data } as { code: number } : { code: 0, cost: 0, data: out ?? {} } as { code: number };
    } catch (err) {
      payload = errorBody(err);
    }
    done?.(payload.code);
    return reply.code(200).send(encodeJson(payload, int64AsNumber));
  });

  // Failures fastify itself detects (body too large, broken stream) keep the REST reply shape too.
  app.setErrorHandler((err: { statusCode?: number; message?: string }, _request, reply) => {
    const status = err.statusCode ?? 500;
    const code = status >= 400 && status < 500 ? RestCode.IncorrectParameterFormat : ErrorCode.Unexpected;
    void reply.code(200).type('application/json').send(JSON.stringify({ code, message: err.message ?? 'request failed' }));
  });

  if (opts.console) await registerConsole(app, opts.console);

  app.setNotFoundHandler((request, reply) => {
    void reply.code(404).type('application/json').send(JSON.stringify({ code: 404, message: `no route for ${request.method} ${request.url}` }));
  });

  await app.listen({ host: opts.host, port: opts.port });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : opts.port;
  return {
    address: `${opts.host.includes(':') ? `[${opts.host}]` : opts.host}:${port}`,
    port,
    close: () => app.close(),
  };
}
