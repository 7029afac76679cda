/**
 * Credentials of REST calls. Milvus's REST layer reads `Authorization: Basic base64(user:password)`
 * or `Authorization: Bearer user:password` (what the Node SDK's HttpClient sends; the raw text, not
 * base64). `restAuth` turns a password check into the `auth` option of `startRestServer`, caching
 * successes briefly so scrypt does not run on every request; the server clears the cache when a user
 * is dropped or a password changes through the REST API.
 */

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

/** An `auth` check with a short success cache; `invalidate()` drops it. */
export interface RestAuth {
  (header: string | undefined): Promise<boolean>;
  invalidate(): void;
}

const CACHE_TTL_MS = 30_000;
const CACHE_MAX = 10_000;

export function restAuth(verify: (user: string, password: string) => boolean | Promise<boolean>): RestAuth {
  const cache = new Map<string, number>();
  const check = async (header: string | undefined): Promise<boolean> => {
    const creds = parseRestAuthorization(header);
    if (!creds || header === undefined) return false;
    const now = Date.now();
    const until = cache.get(header);
    if (until !== undefined && until > now) return true;
    if (!(await verify(creds.user, creds.password))) return false;
    if (cache.size >= CACHE_MAX) cache.clear();
    cache.set(header, now + CACHE_TTL_MS);
    return true;
  };
  return Object.assign(check, { invalidate: () => cache.clear() });
}
