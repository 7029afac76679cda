/**
 * Plain file helpers for user-named export/import directories (`elanus export` / `elanus import`)
 * and scratch directories (`elanus bench`): these are the user's files, not the data directory's,
 * so no format header or fsync discipline.
 */
import { appendFile, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
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

/** Every file below a directory (relative paths, sorted), subdirectories included. */
export async function listFilesDeep(path: string): Promise<string[]> {
  try {
    const entries = await readdir(path, { recursive: true, withFileTypes: true });
    return entries.filter((e) => e.isFile()).map((e) => relative(path, join(e.parentPath, e.name))).sort();
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

/** A new empty directory under the OS temp directory. */
export async function makeTempDir(prefix: string): Promise<string> {
  try {
    return await mkdtemp(join(tmpdir(), prefix));
  } catch (err) {
    throw ioError('creating a directory in', tmpdir(), err);
  }
}

/** Removes a directory and everything in it (fine when it is gone). */
export async function removeDir(path: string): Promise<void> {
  try {
    await rm(path, { recursive: true, force: true });
  } catch (err) {
    throw ioError('removing', path, err);
  }
}
