/**
 * What a `MilvusClient` address names: a local data directory (opened in-process), memory, or a Milvus
 * server (reached through the official SDK).
 *
 * - `:memory:` → nothing on disk.
 * - a path → a data directory: `/…`, `./…`, `../…`, `.`, `..`, a `file:` URL, or a name without
 *   a colon (`data`, `my-db/v2`). On Windows also `C:\…`, `C:/…` and `\\server\share`.
 * - a server → `host:port` (`localhost:19530`, `10.0.0.5:19530`, `[::1]:19530`) or a URL
 *   `http://host[:port]`, `https://host[:port]` (TLS), `tcp://` and `grpc://` (plain, as pymilvus) —
 *   what the official SDKs accept.
 *
 * Anything else with a colon (`data:v2`, `localhost:port`, `unix:/tmp/milvus.sock`, `s3://bucket`) is
 * refused with 1100 naming both spellings, instead of silently becoming a directory named after it (a
 * directory whose name has a colon is still reachable as `./data:v2`).
 */
import { fileURLToPath } from 'node:url';
import { invalidParam } from '../core/errors.js';

export type ClientTarget =
  | { kind: 'memory' }
  | { kind: 'directory'; path: string }
  /** `address` is what the SDK is given: `host:port`, or `http(s)://host:port` (https → TLS). */
  | { kind: 'server'; address: string };

const HOST = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]+\])$/;

function refuse(address: string, why: string): never {
  throw invalidParam(
    'address',
    `${JSON.stringify(address)} ${why}; a local data directory is a path ("./${address}", "/abs/dir", "file:…" or ":memory:"), ` +
      'a Milvus server is "host:port" or "http(s)://host:port"',
  );
}

function checkPort(address: string, port: string): void {
  if (!/^\d{1,5}$/.test(port) || Number(port) < 1 || Number(port) > 65535) refuse(address, `has port ${JSON.stringify(port)}, not a number in [1, 65535]`);
}

/** Classifies `address` (see the header); throws MilvusError 1100 for an ambiguous one. */
export function parseClientAddress(address: unknown, platform: NodeJS.Platform = process.platform): ClientTarget {
  if (typeof address !== 'string' || address.trim() === '') {
    throw invalidParam('address', 'must be a data directory path, a file: URL, ":memory:", or a Milvus server as host:port or http(s)://host:port');
  }
  if (address !== address.trim()) refuse(address, 'has leading or trailing white space');
  if (address === ':memory:') return { kind: 'memory' };
  if (address.startsWith('file:')) {
    try {
      return { kind: 'directory', path: fileURLToPath(new URL(address, `file://${process.cwd()}/`)) };
    } catch (err) {
      refuse(address, `is not a valid file: URL (${(err as Error).message})`);
    }
  }
  if (/^(?:\/|\.{1,2}(?:\/|$))/.test(address)) return { kind: 'directory', path: address };
  if (platform === 'win32' && /^(?:[A-Za-z]:[\\/]|\\\\|\.{1,2}\\)/.test(address)) return { kind: 'directory', path: address };
  if (!address.includes(':')) return { kind: 'directory', path: address };

  const url = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/(.*)$/.exec(address);
  if (url) {
    const scheme = url[1]!.toLowerCase();
    if (!['http', 'https', 'tcp', 'grpc'].includes(scheme)) refuse(address, `has scheme "${scheme}:", not http, https, tcp or grpc`);
    const authority = /^([^/?#]*)\/?$/.exec(url[2]!);
    if (!authority) refuse(address, 'has a path after the host; a Milvus server URL is scheme://host[:port]');
    const hp = /^(.*?)(?::([^:\]]*))?$/.exec(authority[1]!)!;
    if (!HOST.test(hp[1]!)) refuse(address, `has no valid host name`);
    if (hp[2] !== undefined) checkPort(address, hp[2]);
    // The SDK strips http:// and https:// itself (https also turns TLS on); tcp/grpc are plain gRPC.
    const hostPort = authority[1]!;
    return { kind: 'server', address: scheme === 'https' ? `https://${hostPort}` : scheme === 'http' ? `http://${hostPort}` : hostPort };
  }
  const hp = /^(.*):([^:\]]*)$/.exec(address);
  if (hp && HOST.test(hp[1]!)) {
    checkPort(address, hp[2]!);
    return { kind: 'server', address };
  }
  refuse(address, 'is neither a path nor a server address');
}
