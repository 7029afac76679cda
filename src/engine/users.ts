/** Users and password hashes (scrypt from node:crypto, salted, constant-time compared). */
import { randomBytes, scrypt, scryptSync, timingSafeEqual } from 'node:crypto';

export function hashPassword(password: string): string {
  const salt = randomBytes(16);
  const hash = scryptSync(password, salt, 32);
  return `scrypt$${salt.toString('base64')}$${hash.toString('base64')}`;
}

/** Whether `password` matches a stored hashPassword() string, off the event loop (scrypt runs on libuv's thread pool). */
export function verifyPasswordAsync(password: string, stored: string): Promise<boolean> {
  const [kind, saltB64, hashB64] = stored.split('$');
  if (kind !== 'scrypt' || !saltB64 || !hashB64) return Promise.resolve(false);
  const expected = Buffer.from(hashB64, 'base64');
  return new Promise((resolve) => {
    scrypt(password, Buffer.from(saltB64, 'base64'), expected.length, (err, actual) => resolve(!err && timingSafeEqual(expected, actual)));
  });
}

export const ROOT_USER = 'root';
export const DEFAULT_ROOT_PASSWORD = 'Milvus';
