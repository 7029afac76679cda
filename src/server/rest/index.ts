/** The Milvus RESTful v2 server: `startRestServer(engine, {host, port})`. */
export { startRestServer, restRoutes, type RestServer, type RestServerOptions } from './server.js';
export type { RestContext, RestRoute } from './route.js';
export { restAuth, parseRestAuthorization, type RestAuth, type RestCredentials } from './auth.js';
export { CONSOLE_ROOT, type ConsoleOptions } from './console.js';
