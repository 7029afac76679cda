/**
 * One process per data directory: `LOCK` holds the owner's pid (text). Created with O_EXCL; a lock
 * whose pid is no longer running (the owner crashed) is taken over. A second opener in a live
 * process — or the same process opening the directory twice — gets DataDirLocked (2000).
 */
import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { ErrorCode, MilvusError } from '../core/errors.js';
import { ioError } from './fs-util.js';

const heldHere = new Set<string>();

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function locked(path: string, who: string): MilvusError {
  return new MilvusError(ErrorCode.DataDirLocked, `data directory is locked: ${path} is held by ${who}; only one process may open a data directory`);
}

export function acquireLock(path: string): void {
  if (heldHere.has(path)) throw locked(path, `this process (pid ${process.pid})`);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      writeFileSync(path, String(process.pid), { flag: 'wx' });
      heldHere.add(path);
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw ioError('creating lock file', path, err);
    }
    let pid: number;
    try {
      pid = Number(readFileSync(path, 'utf8').trim());
    } catch {
      continue;
    }
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid)) throw locked(path, `process ${pid}`);
    try {
      unlinkSync(path); // stale: its owner is gone
    } catch {
      /* raced with another opener; retry */
    }
  }
  throw locked(path, 'another process');
}

export function releaseLock(path: string): void {
  heldHere.delete(path);
  try {
    unlinkSync(path);
  } catch {
    /* already gone */
  }
}
