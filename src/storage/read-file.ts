/** Reading a whole file the user names (a TLS certificate, an import file), with a MilvusError on failure. */
import { readFile } from 'node:fs/promises';
import { ioError } from './fs-util.js';

export async function readUserFile(path: string, what: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (err) {
    throw ioError(`reading ${what}`, path, err);
  }
}
