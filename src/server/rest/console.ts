/**
 * The web console's files (built by `npm run build` into dist/console, shipped in the package) at
 * `/console/`, plus `/console/config.json` telling the page what it cannot learn from the REST API
 * (the operations port, for live metrics). The console is a plain client of the RESTful v2 API: these
 * files are public (the login page must load) and hold no data; every call it makes is authorised
 * like any other REST call.
 */
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

export interface ConsoleOptions {
  /** Folder with the built console (default: the package's dist/console). */
  root?: string;
  /** What config.json answers; read on each request (ports are known only once every listener is up). */
  config: () => Record<string, unknown>;
}

/** dist/console from both src/server/rest (run from source) and dist/server/rest (installed). */
export const CONSOLE_ROOT = fileURLToPath(new URL('../../../dist/console/', import.meta.url));

export async function registerConsole(app: FastifyInstance, opts: ConsoleOptions): Promise<void> {
  app.get('/console', (_req, reply) => reply.redirect('/console/'));
  app.get('/console/config.json', (_req, reply) => reply.header('cache-control', 'no-store').send(opts.config()));
  await app.register(fastifyStatic, {
    root: opts.root ?? CONSOLE_ROOT,
    prefix: '/console/',
    index: 'index.html',
    cacheControl: false,
    // Hashed asset names never change; index.html must be re-read after an upgrade.
    setHeaders: (res, path) => {
      res.setHeader('cache-control', /[\\/]assets[\\/]/.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
}
