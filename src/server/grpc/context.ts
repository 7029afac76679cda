/**
 * Per-call context taken from gRPC metadata: the database (`dbname` header, overridden by a non-empty
 * `db_name` in the request; `""` means `default`), the client identifier returned by Connect, and the
 * authenticated user when auth is on.
 */
import type { Metadata } from '@grpc/grpc-js';

export const DEFAULT_DB = 'default';

export interface CallContext {
  /** Database from the `dbname` header (`default` when absent or empty). */
  headerDb: string;
  /** The `identifier` header (the value Connect returned), or '' when absent. */
  identifier: string;
  /** Authenticated user name ('' when auth is off). */
  user: string;
  /** gRPC method name, e.g. `Search`. */
  method: string;
}

export function metadataString(md: Metadata, key: string): string {
  const v = md.get(key)[0];
  if (v === undefined) return '';
  return typeof v === 'string' ? v : v.toString('utf8');
}

export function contextFromMetadata(md: Metadata, method: string): CallContext {
  const headerDb = metadataString(md, 'dbname');
  return { headerDb: headerDb === '' ? DEFAULT_DB : headerDb, identifier: metadataString(md, 'identifier'), user: '', method };
}

/** The database a request addresses: its own non-empty `db_name`, else the header's. */
export function resolveDb(ctx: CallContext, requestDb: unknown): string {
  return typeof requestDb === 'string' && requestDb !== '' ? requestDb : ctx.headerDb;
}
