/**
 * Users and passwords for `elanus serve --auth`. `CredentialStore` is the seam the gRPC server checks
 * credentials against; `engineCredentialStore` adapts the engine's users API (persisted in the
 * catalog, scrypt-hashed, `root` with Milvus's default password `Milvus`).
 */
import type { Engine } from '../../engine/engine.js';

export interface CredentialStore {
  createUser(username: string, password: string): Promise<void>;
  deleteUser(username: string): Promise<void>;
  updatePassword(username: string, oldPassword: string, newPassword: string): Promise<void>;
  listUsers(): Promise<string[]>;
  /** True when the user exists and the password matches. */
  verify(username: string, password: string): Promise<boolean>;
  /** What changes whenever the user's password does (undefined: no such user); credential caches compare it. */
  stamp(username: string): string | undefined;
}

export function engineCredentialStore(engine: Engine): CredentialStore {
  return {
    createUser: (username, password) => engine.users.createUser({ username, password }),
    deleteUser: (username) => engine.users.deleteUser({ username }),
    updatePassword: (username, oldPassword, newPassword) => engine.users.updatePassword({ username, oldPassword, newPassword }),
    listUsers: async () => engine.users.listUsers(),
    verify: async (username, password) => engine.users.verifyCredentials(username, password),
    stamp: (username) => engine.users.credentialStamp(username),
  };
}
