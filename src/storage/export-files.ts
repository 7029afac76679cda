/**
 * Plain file helpers for user-named export/import directories (`elanus export` / `elanus import`):
 * these are the user's files, not the data directory's, so no format header or fsync discipline.
 */
import { appendFile, mkdir, readdir, writeFile } from 'node:fs/promises';
import { ioError } from './fs-util.js';

export async function writeUserFile(path: string, bytes: Uint8Array | string): Promise<void> {
  try {
    await writeFile(path, bytes);
  } catch (err) {
    throw ioError('writing', path, err);
  }
}

/** The entry names of a directory, sorted. */
export async function listDir(path: string): Promise<string[]> {
  try {
    return (await readdir(path)).sort();
  } catch (err) {
    throw ioError('listing', path, err);
  }
}

/** Creates a directory (and its parents); fine when it exists. */
export async function makeDir(path: string): Promise<void> {
  try {
    await mkdir(path, { recursive: true });
  } catch (err) {
    throw ioError('creating directory', path, err);
  }
}

/** Appends to a file (creating it). */
export async function appendUserFile(path: string, bytes: Uint8Array | string): Promise<void> {
  try {
    await appendFile(path, bytes);
  } catch (err) {
    throw ioError('appending to', path, err);
  }
}
