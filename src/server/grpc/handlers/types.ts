/** What every RPC handler receives, and small helpers shared by the handler files. */
import type { Engine } from '../../../engine/engine.js';
import type { Authenticator } from '../../auth/authenticator.js';
import type { CredentialStore } from '../../auth/credential-store.js';
import { resolveDb, type CallContext } from '../context.js';

/** A request as the loader decodes it (keepCase, longs as strings, enums as numbers, defaults). */
export type WireReq = Record<string, unknown>;

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
export type Handler = (req: WireReq, ctx: CallContext, env: HandlerEnv) => Promise<Record<string, unknown>>;

export type HandlerTable = Record<string, Handler>;

export function str(req: WireReq, key: string): string {
  const v = req[key];
  return typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v);
}

export function strs(req: WireReq, key: string): string[] {
  const v = req[key];
  return Array.isArray(v) ? v.map(String) : [];
}

export function kvs(req: WireReq, key: string): { key: string; value: string }[] {
  const v = req[key];
  return Array.isArray(v) ? (v as { key: string; value: string }[]) : [];
}

/** `{collection_name, db_name}` for the engine. */
export function collectionReq(req: WireReq, ctx: CallContext): { collection_name: string; db_name: string } {
  return { collection_name: str(req, 'collection_name'), db_name: resolveDb(ctx, req['db_name']) };
}

export function dbOf(req: WireReq, ctx: CallContext): string {
  return resolveDb(ctx, req['db_name']);
}

/** Milvus hybrid timestamp (physical ms << 18) as a decimal string. */
export function hybridTs(ms: number): string {
  return (BigInt(ms) << 18n).toString();
}
