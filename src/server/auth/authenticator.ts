/**
 * Checks the `authorization` metadata of a call: base64(`user:password`) as the SDKs send it (a bare
 * token is treated the same way, split at the first `:`). Successful checks are cached per header
 * value for a short time so that scrypt does not run on every request; the cache is cleared whenever
 * a user is deleted or a password changes.
 */
import type { CredentialStore } from './credential-store.js';

export interface AuthResult {
  ok: boolean;
  user: string;
  reason: string;
}

const CACHE_TTL_MS = 30_000;

export class Authenticator {
  private readonly cache = new Map<string, { user: string; expires: number }>();

  constructor(readonly store: CredentialStore) {}

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
    const now = Date.now();
    const hit = this.cache.get(header);
    if (hit && hit.expires > now) return { ok: true, user: hit.user, reason: '' };
    const creds = Authenticator.parse(header);
    if (!creds) return { ok: false, user: '', reason: 'missing or malformed credentials in the "authorization" metadata' };
    if (!(await this.store.verify(creds.user, creds.password))) {
      return { ok: false, user: creds.user, reason: `authentication failed for user ${creds.user}: wrong user name or password` };
    }
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(header, { user: creds.user, expires: now + CACHE_TTL_MS });
    return { ok: true, user: creds.user, reason: '' };
  }

  /** Drops cached successes (after a user is deleted or a password changes). */
  invalidate(): void {
    this.cache.clear();
  }
}
