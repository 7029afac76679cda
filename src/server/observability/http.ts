/**
 * The operations port (Milvus serves these on 9091): `GET /metrics` in the Prometheus text format
 * and `GET /healthz`: 200 `OK` while the server runs and its storage takes writes, 503
 * `storage degraded: <cause>` while a storage fault keeps writes failing (reads still work).
 */
import Fastify from 'fastify';
import type { ServerMetrics } from './metrics.js';

export interface OpsServer {
  address: string;
  port: number;
  close(): Promise<void>;
}

/**
 * `corsPort`: the web console's page (served on the REST port) may read /metrics from the browser:
 * an `Origin` on that port gets `Access-Control-Allow-Origin`; pages elsewhere do not.
 */
export async function startOpsServer(metrics: ServerMetrics, opts: { host: string; port: number; corsPort?: number }): Promise<OpsServer> {
  const app = Fastify({ logger: false });
  app.get('/metrics', async (req, reply) => {
    const origin = req.headers.origin;
    if (opts.corsPort !== undefined && typeof origin === 'string' && consolePort(origin) === opts.corsPort) void reply.header('access-control-allow-origin', origin).header('vary', 'Origin');
    return reply.type(metrics.contentType).send(await metrics.text());
  });
  app.get('/healthz', async (_req, reply) => {
    const h = metrics.storageHealth();
    if (h.ok) return reply.type('text/plain').send('OK');
    return reply.code(503).type('text/plain').send(`storage degraded: ${h.cause}`);
  });
  await app.listen({ host: opts.host, port: opts.port });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : opts.port;
  return { address: `${opts.host.includes(':') ? `[${opts.host}]` : opts.host}:${port}`, port, close: () => app.close() };
}

function consolePort(origin: string): number | undefined {
  try {
    const u = new URL(origin);
    return u.protocol === 'http:' ? Number(u.port || 80) : undefined;
  } catch {
    return undefined;
  }
}
