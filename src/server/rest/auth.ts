/**
 * Credentials of REST calls. Milvus's REST layer reads `Authorization: Basic base64(user:password)`
 * or `Authorization: Bearer user:password` (what the Node SDK's HttpClient sends; the raw text, not
 * base64). `restAuth` turns the server's CredentialCache (shared with gRPC: a sign-in ends on every
 * transport the moment the user is deleted or the password changes anywhere) into the `auth`
 * option of `startRestServer`.
 */
import type { CredentialCache } from '../auth/credential-cache.js';

export interface RestCredentials {
  user: string;
  password: string;
}

/** `{user, password}` from an Authorization header, or undefined when there is none or it is malformed. */
export function parseRestAuthorization(header: string | undefined): RestCredentials | undefined {
  if (!header) return undefined;
  const h = header.trim();
  let text: string;
  if (/^basic /i.test(h)) text = Buffer.from(h.slice(6).trim(), 'base64').toString('utf8');
  else if (/^bearer /i.test(h)) text = h.slice(7).trim();
  else return undefined;
  const i = text.indexOf(':');
  if (i <= 0) return undefined;
  return { user: text.slice(0, i), password: text.slice(i + 1) };
}

/** An `auth` check through the shared credential cache; `invalidate()` clears it. */
export interface RestAuth {
  (header: string | undefined): Promise<boolean>;
  invalidate(): void;
}

export function restAuth(cache: CredentialCache): RestAuth {
  const check = async (header: string | undefined): Promise<boolean> => {
    const creds = parseRestAuthorization(header);
    if (!creds) return false;
    return cache.check(creds.user, creds.password);
  };
  return Object.assign(check, { invalidate: () => cache.clear() });
}
