/**
 * The one credential cache of a served Elanus, shared by gRPC and REST. A successful password check
 * is remembered for a short time so scrypt does not run on every request, but a hit counts only
 * while the user still exists with the very password hash it was checked against (`stamp`), read
 * from the catalog on every request: deleting a user or changing a password — over gRPC, REST or
 * the embedded client — ends its cached sign-ins at once, on every transport. Roles and grants are
 * not cached at all (authorization reads the catalog per request).
 */
import { createHash } from 'node:crypto';
import type { CredentialStore } from './credential-store.js';

const TTL_MS = 30_000;
const MAX_ENTRIES = 10_000;

export class CredentialCache {
  private readonly entries = new Map<string, { stamp: string; expires: number }>();

  constructor(private readonly store: CredentialStore) {}

  /** True when `user` exists and `password` is theirs (cached while their password hash is unchanged). */
  async check(user: string, password: string): Promise<boolean> {
    const key = createHash('sha256').update(user).update('\0').update(password).digest('base64');
    const now = Date.now();
    const hit = this.entries.get(key);
    if (hit && hit.expires > now && hit.stamp === this.store.stamp(user)) return true;
    this.entries.delete(key);
    if (!(await this.store.verify(user, password))) return false;
    const stamp = this.store.stamp(user);
    if (stamp === undefined) return false;
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    this.entries.set(key, { stamp, expires: now + TTL_MS });
    return true;
  }

  /** Drops every cached sign-in (not needed for correctness; stamps already end stale ones). */
  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}
