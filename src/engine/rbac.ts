/**
 * Role-based access control with Milvus's model (2.4): privileges are granted to roles on objects —
 * `Global` (object name `*`), `Collection` (a collection name or `*`), `User` (a user name or `*`) —
 * within a database (or `*`); users hold roles. Built in: `root` may do everything, the `admin`
 * role may do everything, and every user holds `public`, which may DescribeCollection,
 * ShowCollections and IndexDetail everywhere. A privilege `*` covers every privilege of its object
 * type; the Global privilege `All` covers everything. This module keeps the catalog's roles, user
 * roles and grants, and answers "may this user do that"; transports decide what each call needs.
 */
import { ErrorCode, invalidParam, MilvusError } from '../core/errors.js';
import type { CatalogState, GrantMeta, RoleMeta } from '../storage/index.js';
import { checkName } from './names.js';

export type ObjectType = 'Global' | 'Collection' | 'User';

/** Privilege names by object type (Milvus's table; case-sensitive). */
export const PRIVILEGES: Readonly<Record<ObjectType, readonly string[]>> = {
  Collection: [
    'CreateIndex', 'DropIndex', 'IndexDetail', 'Load', 'GetLoadingProgress', 'GetLoadState', 'Release', 'Insert', 'Delete', 'Upsert',
    'Search', 'Flush', 'GetFlushState', 'Query', 'GetStatistics', 'Compaction', 'Import', 'LoadBalance', 'CreatePartition', 'DropPartition',
    'ShowPartitions', 'HasPartition',
  ],
  Global: [
    'All', 'CreateCollection', 'DropCollection', 'DescribeCollection', 'ShowCollections', 'RenameCollection', 'FlushAll', 'CreateOwnership',
    'DropOwnership', 'SelectOwnership', 'ManageOwnership', 'CreateResourceGroup', 'DropResourceGroup', 'DescribeResourceGroup',
    'ListResourceGroups', 'TransferNode', 'TransferReplica', 'CreateDatabase', 'DropDatabase', 'ListDatabases', 'CreateAlias', 'DropAlias',
    'DescribeAlias', 'ListAliases',
  ],
  User: ['UpdateUser', 'SelectUser'],
};

export const ROOT_USER_NAME = 'root';
export const ADMIN_ROLE = 'admin';
export const PUBLIC_ROLE = 'public';
const BUILTIN_ROLES = [ADMIN_ROLE, PUBLIC_ROLE];

/** What every user may do through the `public` role (listed by SelectGrant, never stored). */
const PUBLIC_GRANTS: readonly GrantMeta[] = [
  { role: PUBLIC_ROLE, objectType: 'Global', objectName: '*', privilege: 'DescribeCollection', dbName: '*', grantor: ROOT_USER_NAME },
  { role: PUBLIC_ROLE, objectType: 'Global', objectName: '*', privilege: 'ShowCollections', dbName: '*', grantor: ROOT_USER_NAME },
  { role: PUBLIC_ROLE, objectType: 'Collection', objectName: '*', privilege: 'IndexDetail', dbName: '*', grantor: ROOT_USER_NAME },
];

/** The object type a privilege belongs to (how the V2 grant API finds it). */
export function objectTypeOf(privilege: string): ObjectType | undefined {
  return (Object.keys(PRIVILEGES) as ObjectType[]).find((t) => PRIVILEGES[t].includes(privilege));
}

/** The same privilege on the same object for the same role (the grantor does not matter). */
function sameGrant(a: GrantMeta, b: GrantMeta): boolean {
  return a.role === b.role && a.objectType === b.objectType && a.objectName === b.objectName && a.privilege === b.privilege && a.dbName === b.dbName;
}

export interface GrantFilter {
  role: string;
  objectType?: string;
  objectName?: string;
  dbName?: string;
}

export class Rbac {
  constructor(
    private readonly catalog: () => CatalogState,
    private readonly commit: () => Promise<void>,
  ) {}

  private customRoles(): RoleMeta[] {
    return (this.catalog().roles ??= []);
  }

  private grants(): GrantMeta[] {
    return (this.catalog().grants ??= []);
  }

  private user(name: string): { name: string; roles?: string[] } {
    const u = this.catalog().users.find((x) => x.name === name);
    if (!u) throw new MilvusError(ErrorCode.UserNotFound, `user not found: ${name}`);
    return u;
  }

  hasRole(name: string): boolean {
    return BUILTIN_ROLES.includes(name) || this.customRoles().some((r) => r.name === name);
  }

  private requireRole(name: string): void {
    if (!this.hasRole(name)) throw invalidParam('role_name', `role not found: ${name}`);
  }

  /** Every role, built-in first. */
  roles(): RoleMeta[] {
    return [...BUILTIN_ROLES.map((name) => ({ name, description: '', createdAt: 0 })), ...this.customRoles()];
  }

  async createRole(name: string, description = ''): Promise<void> {
    checkName('role_name', name);
    if (this.hasRole(name)) throw invalidParam('role_name', `role already exists: ${name}`);
    this.customRoles().push({ name, description, createdAt: Date.now() });
    await this.commit();
  }

  /** Drops a custom role; with grants left it needs `force`, which revokes them too. */
  async dropRole(name: string, force: boolean): Promise<void> {
    if (BUILTIN_ROLES.includes(name)) throw invalidParam('role_name', `the built-in role ${name} cannot be dropped`);
    this.requireRole(name);
    const held = this.grants().filter((g) => g.role === name);
    if (held.length > 0 && !force) throw invalidParam('role_name', `role ${name} still has ${held.length} privilege(s); revoke them first or drop with force_drop`);
    const cat = this.catalog();
    cat.roles = this.customRoles().filter((r) => r.name !== name);
    cat.grants = this.grants().filter((g) => g.role !== name);
    for (const u of cat.users) if (u.roles) u.roles = u.roles.filter((r) => r !== name);
    await this.commit();
  }

  async operateUserRole(username: string, role: string, add: boolean): Promise<void> {
    const u = this.user(username);
    this.requireRole(role);
    if (role === PUBLIC_ROLE) throw invalidParam('role_name', 'every user holds the public role');
    const roles = new Set(u.roles ?? []);
    if (add) roles.add(role);
    else roles.delete(role);
    u.roles = [...roles];
    await this.commit();
  }

  /** The roles a user holds (public included); root holds admin. */
  rolesOf(username: string): string[] {
    const u = this.catalog().users.find((x) => x.name === username);
    const own = u?.roles ?? [];
    return [...(username === ROOT_USER_NAME ? [ADMIN_ROLE] : []), ...own, PUBLIC_ROLE];
  }

  usersOf(role: string): string[] {
    return this.catalog()
      .users.filter((u) => this.rolesOf(u.name).includes(role))
      .map((u) => u.name);
  }

  /** Validates and normalises one grant (object name and database default to `*` / `default`). */
  private grantOf(g: Partial<GrantMeta> & { role: string; privilege: string }, grantor: string): GrantMeta {
    this.requireRole(g.role);
    if (g.role === ADMIN_ROLE) throw invalidParam('role_name', 'the admin role holds every privilege already');
    const objectType = g.objectType ?? objectTypeOf(g.privilege);
    if (!objectType || !(objectType in PRIVILEGES)) throw invalidParam('object', `must be Global, Collection or User, got ${String(objectType)}`);
    const type = objectType as ObjectType;
    if (g.privilege !== '*' && !PRIVILEGES[type].includes(g.privilege)) {
      throw invalidParam('privilege', `${g.privilege} is not a ${type} privilege; one of ${PRIVILEGES[type].join(', ')} or *`);
    }
    const objectName = g.objectName && g.objectName !== '' ? g.objectName : '*';
    if (type === 'Global' && objectName !== '*') throw invalidParam('object_name', 'must be * for Global privileges');
    return { role: g.role, objectType: type, objectName, privilege: g.privilege, dbName: g.dbName && g.dbName !== '' ? g.dbName : 'default', grantor };
  }

  async grant(g: Partial<GrantMeta> & { role: string; privilege: string }, grantor: string): Promise<void> {
    const entry = this.grantOf(g, grantor);
    if (this.grants().some((x) => sameGrant(x, entry))) return;
    this.grants().push(entry);
    await this.commit();
  }

  async revoke(g: Partial<GrantMeta> & { role: string; privilege: string }): Promise<void> {
    const entry = this.grantOf(g, '');
    const cat = this.catalog();
    cat.grants = this.grants().filter((x) => !sameGrant(x, entry));
    await this.commit();
  }

  /** Grants of a role (public's built-in ones included), narrowed by object type, name and database. */
  selectGrants(f: GrantFilter): GrantMeta[] {
    this.requireRole(f.role);
    const all = [...(f.role === PUBLIC_ROLE ? PUBLIC_GRANTS : []), ...this.grants().filter((g) => g.role === f.role)];
    return all.filter(
      (g) =>
        (!f.objectType || g.objectType === f.objectType) &&
        (!f.objectName || g.objectName === f.objectName) &&
        (!f.dbName || f.dbName === '*' || g.dbName === '*' || g.dbName === f.dbName),
    );
  }

  /** May `username` use `privilege` on the object (`objectName` a collection or user name) in `db`? */
  allowed(username: string, objectType: ObjectType, objectName: string, privilege: string, db: string): boolean {
    const roles = this.rolesOf(username);
    if (roles.includes(ADMIN_ROLE)) return true;
    const held = [...PUBLIC_GRANTS, ...this.grants()].filter((g) => roles.includes(g.role) && (g.dbName === '*' || g.dbName === db));
    return held.some(
      (g) =>
        (g.objectType === 'Global' && g.privilege === 'All') ||
        (g.objectType === objectType && (g.privilege === '*' || g.privilege === privilege) && (g.objectName === '*' || g.objectName === objectName)),
    );
  }
}
