/**
 * The user service: users and passwords (scrypt hashes in the catalog; root created at first start,
 * as Milvus does). Roles and grants are the Rbac service's.
 */
import { ErrorCode, MilvusError, invalidParam } from '../core/errors.js';
import { checkName } from './names.js';
import { hashPassword, verifyPasswordAsync, ROOT_USER, DEFAULT_ROOT_PASSWORD } from './users.js';
import type { UserReq } from './requests.js';
import type { EngineContext } from './context.js';

export class UserService {
  constructor(private readonly ctx: EngineContext) {
    // Milvus creates root at first start: RBAC calls naming root work before anything lists users.
    this.ensureRoot();
  }


  private ensureRoot(): void {
    const users = this.ctx.dir.catalog.users;
    if (!users.some((u) => u.name === ROOT_USER)) users.push({ name: ROOT_USER, passwordHash: hashPassword(DEFAULT_ROOT_PASSWORD), createdAt: Date.now() });
  }

  async createUser(req: UserReq): Promise<void> {
    this.ensureRoot();
    checkName('username', req.username);
    const pw = req.password ?? '';
    if (pw.length < 6 || pw.length > 256) throw invalidParam('password', 'must be 6 to 256 characters long');
    const passwordHash = hashPassword(pw);
    await this.ctx.change((cat) => {
      if (cat.users.some((u) => u.name === req.username)) throw new MilvusError(ErrorCode.UserAlreadyExist, `user already exists: ${req.username}`);
      cat.users.push({ name: req.username, passwordHash, createdAt: Date.now() });
    });
  }

  async deleteUser(req: UserReq): Promise<void> {
    this.ensureRoot();
    if (req.username === ROOT_USER) throw invalidParam('username', 'the root user cannot be deleted');
    await this.ctx.change((cat) => {
      // Idempotent as Milvus's DeleteCredential ("Delete a not existed credential should succeed").
      if (!cat.users.some((u) => u.name === req.username)) return;
      cat.users = cat.users.filter((u) => u.name !== req.username);
    });
  }

  async updatePassword(req: UserReq): Promise<void> {
    this.ensureRoot();
    const u = this.ctx.dir.catalog.users.find((x) => x.name === req.username);
    if (!u) throw new MilvusError(ErrorCode.UserNotFound, `user not found: ${req.username}`);
    if (!(await verifyPasswordAsync(req.oldPassword ?? '', u.passwordHash))) throw new MilvusError(ErrorCode.PrivilegeNotAuthenticated, 'old password is not correct');
    const pw = req.newPassword ?? '';
    if (pw.length < 6 || pw.length > 256) throw invalidParam('newPassword', 'must be 6 to 256 characters long');
    const passwordHash = hashPassword(pw);
    await this.ctx.change((cat) => {
      const v = cat.users.find((x) => x.name === req.username);
      if (!v) throw new MilvusError(ErrorCode.UserNotFound, `user not found: ${req.username}`);
      v.passwordHash = passwordHash;
    });
  }

  listUsers(): string[] {
    this.ensureRoot();
    return this.ctx.dir.catalog.users.map((u) => u.name);
  }

  /** The user's stored password hash (changes with the password), or undefined when there is no such user. */
  credentialStamp(username: string): string | undefined {
    this.ensureRoot();
    return this.ctx.dir.catalog.users.find((x) => x.name === username)?.passwordHash;
  }

  /** True when the user exists and the password matches (scrypt on the thread pool, not the event loop). */
  async verifyCredentials(username: string, password: string): Promise<boolean> {
    this.ensureRoot();
    const u = this.ctx.dir.catalog.users.find((x) => x.name === username);
    return u !== undefined && (await verifyPasswordAsync(password, u.passwordHash));
  }}
