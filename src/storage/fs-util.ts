/** Durable file helpers: write + fsync, atomic replace (temp, fsync, rename, fsync dir), dir fsync. */
import { closeSync, fsyncSync, openSync } from 'node:fs';
import { open, rename, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ErrorCode, MilvusError } from '../core/errors.js';
import { faultPoint } from './faults.js';

export function ioError(what: string, path: string, err: unknown): MilvusError {
  if (err instanceof MilvusError) return err;
  const msg = err instanceof Error ? err.message : String(err);
  return new MilvusError(ErrorCode.IoFailed, `${what} ${path} failed: ${msg}`);
}

/** fsync a directory so entries created/renamed in it are durable. */
export async function fsyncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r');
  try {
    faultPoint('fsync', dir);
    await fh.sync();
  } finally {
    await fh.close();
  }
}

export function fsyncDirSync(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    faultPoint('fsync', dir);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Writes `chunks` to a new file and fsyncs it (not its directory). On failure the partial file is
 * removed (a full disk gets its space back) and the error names the path.
 */
export async function writeFileDurable(path: string, chunks: readonly Uint8Array[]): Promise<void> {
  let created = false;
  try {
    const fh = await open(path, 'w');
    created = true;
    try {
      let pending = chunks.filter((c) => c.length > 0);
      while (pending.length > 0) {
        faultPoint('write', path);
        const { bytesWritten } = await fh.writev(pending);
        pending = advance(pending, bytesWritten);
      }
      faultPoint('fsync', path);
      await fh.sync();
    } finally {
      await fh.close();
    }
  } catch (err) {
    if (created) await unlink(path).catch(() => undefined);
    throw ioError('writing', path, err);
  }
}

/** Drops the first `n` bytes from a list of chunks (after a short writev). */
export function advance(chunks: readonly Uint8Array[], n: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const c of chunks) {
    if (n >= c.length) {
      n -= c.length;
      continue;
    }
    out.push(n > 0 ? c.subarray(n) : c);
    n = 0;
  }
  return out;
}

/** Atomically replaces `path` with `bytes`: write `path.tmp`, fsync, rename over, fsync the directory. */
export async function replaceFileAtomic(path: string, bytes: Uint8Array): Promise<void> {
  const tmp = `${path}.tmp`;
  await writeFileDurable(tmp, [bytes]);
  try {
    faultPoint('rename', tmp);
    await rename(tmp, path);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw ioError('renaming', tmp, err);
  }
  try {
    await fsyncDir(dirname(path));
  } catch (err) {
    throw ioError('syncing the directory of', path, err);
  }
}
