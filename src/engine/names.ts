/** Name rules for databases, collections, partitions, aliases, fields and indexes (as Milvus checks them). */
import { invalidParam } from '../core/errors.js';

const MAX_NAME_LENGTH = 255;

/** Throws 1100 unless `name` is 1–255 chars of letters, digits and `_`, starting with a letter or `_`. */
export function checkName(what: string, name: unknown): asserts name is string {
  if (typeof name !== 'string' || name.length === 0) throw invalidParam(what, 'must be a non-empty string');
  if (name.length > MAX_NAME_LENGTH) throw invalidParam(what, `must be at most ${MAX_NAME_LENGTH} characters, got ${name.length}`);
  if (!/^[A-Za-z_]/.test(name)) throw invalidParam(what, `"${name}" must start with a letter or an underscore`);
  if (!/^[A-Za-z0-9_]+$/.test(name)) throw invalidParam(what, `"${name}" may contain only letters, digits and underscores`);
}
