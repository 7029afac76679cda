/**
 * Checks the `authorization` metadata of a call: base64(`user:password`) as the SDKs send it (a bare
 * token is treated the same way, split at the first `:`). Password checks go through the server's
 * one CredentialCache (shared with REST), whose hits end as soon as the user is deleted or the
 * password changes on any transport.
 */
import { CredentialCache } from './credential-cache.js';
import type { CredentialStore } from './credential-store.js';

export interface AuthResult {
  ok: boolean;
  user: string;
  reason: string;
}

export class Authenticator {
  readonly cache: CredentialCache;

  constructor(
    readonly store: CredentialStore,
    cache?: CredentialCache,
  ) {
    this.cache = cache ?? new CredentialCache(store);
  }

  /** Parses `authorization` (base64 of `user:password`). */
  static parse(header: string): { user: string; password: string } | undefined {
    if (header === '') return undefined;
    const raw = header.startsWith('Bearer ') ? header.slice(7) : header;
    const decoded = Buffer.from(raw, 'base64').toString('utf8');
    const i = decoded.indexOf(':');
    if (i <= 0) return undefined;
    return { user: decoded.slice(0, i), password: decoded.slice(i + 1) };
  }

  async check(header: string): Promise<AuthResult> {
    const creds = Authenticator.parse(header);
    if (!creds) return { ok: false, user: '', reason: 'missing or malformed credentials in the "authorization" metadata' };
    if (!(await this.cache.check(creds.user, creds.password))) {
      return { ok: false, user: creds.user, reason: `authentication failed for user ${creds.user}: wrong user name or password` };
    }
    return { ok: true, user: creds.user, reason: '' };
  }

  /** Drops cached sign-ins (stamps already end stale ones; kept for the user handlers). */
  invalidate(): void {
    this.cache.clear();
  }
}
