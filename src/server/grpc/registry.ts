/**
 * Every RPC of `MilvusService` (and `ClientTelemetryService`) mapped to a handler or to an explicit
 * refusal. The SDK's retry interceptor turns gRPC UNIMPLEMENTED into an empty success, so an RPC
 * Elanus lacks must not answer UNIMPLEMENTED: it answers gRPC OK with
 *   Status{code: 10 (ServiceUnimplemented), error_code: 1 (UnexpectedError), reason: "<Method> is not supported by Elanus"}
 * in a reply of the declared type. Replies without a `status` field (AlterCollectionSchema, Dummy)
 * and the streaming RPCs (replication) answer gRPC UNIMPLEMENTED: for AlterCollectionSchema that is
 * exactly what makes the Node SDK fall back to AddCollectionField.
 */
import { aliasHandlers } from './handlers/alias.js';
import { clusterHandlers } from './handlers/cluster.js';
import { collectionHandlers } from './handlers/collection.js';
import { dataHandlers } from './handlers/data.js';
import { databaseHandlers } from './handlers/database.js';
import { housekeepingHandlers, telemetryHandlers } from './handlers/housekeeping.js';
import { indexHandlers } from './handlers/index.js';
import { maintenanceHandlers } from './handlers/maintenance.js';
import { importHandlers } from './handlers/bulk-import.js';
import { roleHandlers } from './handlers/role.js';
import { partitionHandlers } from './handlers/partition.js';
import type { AnyHandler, HandlerTable } from './handlers/types.js';
import { textHandlers } from './handlers/text.js';
import { userHandlers } from './handlers/user.js';
import { emptyReply, hasStatusField, MILVUS_SERVICE, serviceMethods, TELEMETRY_SERVICE } from '../../api/proto.js';

export type RouteKind = 'handler' | 'unsupported' | 'unimplemented';

export interface Route {
  service: string;
  method: string;
  requestType: string;
  responseType: string;
  /** The reply is a bare `common.Status`. */
  statusReply: boolean;
  kind: RouteKind;
  handler?: AnyHandler;
  /** The reply used on failure: empty sub-messages of the declared type, `status` added by the server. */
  failureBody: Record<string, unknown>;
}

const implemented: Record<string, HandlerTable> = {
  [MILVUS_SERVICE]: {
    ...housekeepingHandlers,
    ...collectionHandlers,
    ...partitionHandlers,
    ...aliasHandlers,
    ...indexHandlers,
    ...dataHandlers,
    ...databaseHandlers,
    ...userHandlers,
    ...maintenanceHandlers,
    ...importHandlers,
    ...roleHandlers,
    ...textHandlers,
    ...clusterHandlers,
  },
  [TELEMETRY_SERVICE]: telemetryHandlers,
};

function routesOf(service: string): Route[] {
  const handlers = implemented[service] ?? {};
  return serviceMethods(service).map((m) => {
    const statusReply = m.responseType === 'milvus.proto.common.Status';
    const handler = handlers[m.name as keyof HandlerTable] as AnyHandler | undefined;
    let kind: RouteKind = handler ? 'handler' : 'unsupported';
    if (!handler && ((!statusReply && !hasStatusField(m.responseType)) || m.streaming)) kind = 'unimplemented';
    const failureBody = statusReply ? {} : emptyReply(m.responseType);
    return { service, method: m.name, requestType: m.requestType, responseType: m.responseType, statusReply, kind, failureBody, ...(handler ? { handler } : {}) };
  });
}

/** All routes of both services, in descriptor order. */
export function allRoutes(): Route[] {
  return [...routesOf(MILVUS_SERVICE), ...routesOf(TELEMETRY_SERVICE)];
}
