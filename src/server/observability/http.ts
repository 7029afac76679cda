/**
 * The operations port (Milvus serves these on 9091): `GET /metrics` in the Prometheus text format
 * and `GET /healthz` answering `OK` while the server runs.
 */
import Fastify from 'fastify';
import type { ServerMetrics } from './metrics.js';

export interface OpsServer {
  address: string;
  port: number;
  close(): Promise<void>;
}

export async function startOpsServer(metrics: ServerMetrics, opts: { host: string; port: number }): Promise<OpsServer> {
  const app = Fastify({ logger: false });
  app.get('/metrics', async (_req, reply) => reply.type(metrics.contentType).send(await metrics.text()));
  app.get('/healthz', async (_req, reply) => reply.type('text/plain').send('OK'));
  await app.listen({ host: opts.host, port: opts.port });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : opts.port;
  return { address: `${opts.host.includes(':') ? `[${opts.host}]` : opts.host}:${port}`, port, close: () => app.close() };
}
