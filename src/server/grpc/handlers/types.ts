/** What every RPC handler receives, and small helpers shared by the handler files. */
import type { Engine } from '../../../engine/engine.js';
import type { Authenticator } from '../../auth/authenticator.js';
import type { CredentialStore } from '../../auth/credential-store.js';
import { resolveDb, type CallContext } from '../context.js';
import type { ClientTelemetryServiceRpcs, MilvusServiceRpcs } from '../../../api/wire-types.js';

/** A request as the loader decodes it (keepCase, longs as strings, enums as numbers, defaults). */
export type WireReq = Record<string, unknown>;

/** Every RPC Elanus serves, with its request (as decoded) and reply (to encode) types. */
export type Rpcs = MilvusServiceRpcs & ClientTelemetryServiceRpcs;
export type RpcName = keyof Rpcs;

export interface HandlerEnv {
  engine: Engine;
  credentials: CredentialStore;
  authenticator: Authenticator | undefined;
  /** Returned by Connect; echoed back by clients in the `identifier` header. */
  nextIdentifier(): string;
  version: string;
  startedAt: number;
}

/**
 * Returns the reply body. For RPCs whose reply is a bare `common.Status`, return `{}`; otherwise the
 * reply's fields without `status` (the server adds it).
 */
export type Handler<M extends RpcName = RpcName> = (req: Rpcs[M]['req'], ctx: CallContext, env: HandlerEnv) => Promise<ReplyBody<M>>;

/** A reply without its `status` (the server adds it). */
export type ReplyBody<M extends RpcName> = Omit<Rpcs[M]['res'], 'status'>;

/** Handlers by RPC name, each typed by its RPC's messages (src/api/wire-types.ts). */
export type HandlerTable = { [M in RpcName]?: Handler<M> };

/** A handler as the registry and the server call it: the request is whatever the loader decoded. */
export type AnyHandler = (req: WireReq, ctx: CallContext, env: HandlerEnv) => Promise<Record<string, unknown>>;

export function str(req: object, key: string): string {
  const v = (req as WireReq)[key];
  return typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v);
}

export function strs(req: object, key: string): string[] {
  const v = (req as WireReq)[key];
  return Array.isArray(v) ? v.map(String) : [];
}

export function kvs(req: object, key: string): { key: string; value: string }[] {
  const v = (req as WireReq)[key];
  return Array.isArray(v) ? (v as { key: string; value: string }[]) : [];
}

/** `{collection_name, db_name}` for the engine. */
export function collectionReq(req: object, ctx: CallContext): { collection_name: string; db_name: string } {
  return { collection_name: str(req, 'collection_name'), db_name: resolveDb(ctx, (req as WireReq)['db_name']) };
}

export function dbOf(req: object, ctx: CallContext): string {
  return resolveDb(ctx, (req as WireReq)['db_name']);
}

/** Milvus hybrid timestamp (physical ms << 18) as a decimal string. */
export function hybridTs(ms: number): string {
  return (BigInt(ms) << 18n).toString();
}
