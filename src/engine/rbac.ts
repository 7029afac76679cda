/**
 * Role-based access control with Milvus's model (2.4): privileges are granted to roles on objects —
 * `Global` (object name `*`), `Collection` (a collection name or `*`), `User` (a user name or `*`) —
 * within a database (or `*`); users hold roles. Built in: `root` may do everything, the `admin`
 * role may do everything, and every user holds `public`, which may DescribeCollection,
 * ShowCollections and IndexDetail everywhere. A privilege `*` covers every privilege of its object
 * type; the Global privilege `All` covers everything. This module keeps the catalog's roles, user
 * roles and grants, and answers "may this user do that"; transports decide what each call needs.
 */
import { ErrorCode, invalidParam, MilvusError, milvusInvalidParam } from '../core/errors.js';
import type { CatalogState, GrantMeta, PrivilegeGroupMeta, RoleMeta, UserMeta } from '../storage/index.js';
import { checkName } from './names.js';
import { BUILTIN_PRIVILEGE_GROUPS, builtinGroup, isBuiltinV2Group, LEGACY_PRIVILEGE_GROUPS, privilegeLevel } from './privilege-groups.js';

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
    'DropOwnership', 'SelectOwnership', 'ManageOwnership', 'BackupRBAC', 'RestoreRBAC', 'CreateResourceGroup', 'UpdateResourceGroups',
    'DropResourceGroup', 'DescribeResourceGroup', 'ListResourceGroups', 'TransferNode', 'TransferReplica', 'CreateDatabase', 'DropDatabase',
    'ListDatabases', 'AlterDatabase', 'DescribeDatabase', 'CreateAlias', 'DropAlias', 'DescribeAlias', 'ListAliases', 'CreatePrivilegeGroup',
    'DropPrivilegeGroup', 'ListPrivilegeGroups', 'OperatePrivilegeGroup',
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

/** Milvus's GetObjectType: the built-in privileges' type, else Global (privilege groups, custom or built in). */
function storedObjectType(privilege: string): ObjectType {
  if (privilege === 'ReadOnly' || privilege === 'ReadWrite') return 'Collection';
  return objectTypeOf(privilege) ?? 'Global';
}

/** A privilege name Milvus defines (a single privilege or a built-in group). */
function isDefinedPrivilege(name: string): boolean {
  return objectTypeOf(name) !== undefined || builtinGroup(name) !== undefined;
}

/** What BackupRBAC returns and RestoreRBAC takes (Milvus's RBACMeta, in the catalog's terms). */
export interface RbacSnapshot {
  users: { name: string; passwordHash: string; roles: string[] }[];
  roles: string[];
  grants: GrantMeta[];
  privilegeGroups: PrivilegeGroupMeta[];
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
    /** Runs a catalog change as a transaction (DataDir.change). */
    private readonly change: (fn: (cat: CatalogState) => void) => Promise<void>,
  ) {}

  private customRoles(): RoleMeta[] {
    return (this.catalog().roles ??= []);
  }

  private grants(): GrantMeta[] {
    return (this.catalog().grants ??= []);
  }

  private customGroups(): PrivilegeGroupMeta[] {
    return (this.catalog().privilegeGroups ??= []);
  }

  private customGroup(name: string): PrivilegeGroupMeta | undefined {
    return this.customGroups().find((g) => g.name === name);
  }

  /** The privileges a group holds (custom or built in), or undefined when `name` is no group. */
  private groupPrivileges(name: string): readonly string[] | undefined {
    return this.customGroup(name)?.privileges ?? builtinGroup(name);
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
    await this.change(() => {
      if (this.hasRole(name)) throw invalidParam('role_name', `role already exists: ${name}`);
      this.customRoles().push({ name, description, createdAt: Date.now() });
    });
  }

  /** Drops a custom role; with grants left it needs `force`, which revokes them too. */
  async dropRole(name: string, force: boolean): Promise<void> {
    if (BUILTIN_ROLES.includes(name)) throw invalidParam('role_name', `the built-in role ${name} cannot be dropped`);
    await this.change((cat) => {
      this.requireRole(name);
      const held = this.grants().filter((g) => g.role === name);
      if (held.length > 0 && !force) throw invalidParam('role_name', `role ${name} still has ${held.length} privilege(s); revoke them first or drop with force_drop`);
      cat.roles = this.customRoles().filter((r) => r.name !== name);
      cat.grants = this.grants().filter((g) => g.role !== name);
      for (const u of cat.users) if (u.roles) u.roles = u.roles.filter((r) => r !== name);
    });
  }

  async operateUserRole(username: string, role: string, add: boolean): Promise<void> {
    await this.change(() => {
      const u = this.user(username);
      this.requireRole(role);
      if (role === PUBLIC_ROLE) return; // every user holds public already: Milvus answers Success
      const roles = new Set(u.roles ?? []);
      if (add) roles.add(role);
      else roles.delete(role);
      u.roles = [...roles];
    });
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

  /**
   * Validates and normalises one grant (object name and database default to `*` / `default`). Without
   * `objectType` it is a V2 grant (OperatePrivilegeV2): the privilege may be a privilege group, whose
   * level decides which database / collection it may name; the stored object type is Milvus's
   * GetObjectType of the privilege.
   */
  private grantOf(g: Partial<GrantMeta> & { role: string; privilege: string }, grantor: string): GrantMeta {
    this.requireRole(g.role);
    if (g.role === ADMIN_ROLE) throw invalidParam('role_name', 'the admin role holds every privilege already');
    const dbName = g.dbName && g.dbName !== '' ? g.dbName : 'default';
    const named = g.objectName && g.objectName !== '' ? g.objectName : '*';
    if (g.objectType === undefined || g.objectType === '') {
      const p = g.privilege;
      if (p !== '*' && !this.customGroup(p) && !isDefinedPrivilege(p)) throw new MilvusError(ErrorCode.Unexpected, `not found the privilege name[${p}]`);
      this.checkGroupLevel(p, dbName, named);
      const type = storedObjectType(p);
      const grouped = this.groupPrivileges(p) !== undefined;
      return { role: g.role, objectType: type, objectName: type === 'Global' && !grouped ? '*' : named, privilege: p, dbName, grantor };
    }
    const objectType = g.objectType;
    if (!(objectType in PRIVILEGES)) throw invalidParam('object', `must be Global, Collection or User, got ${String(objectType)}`);
    const type = objectType as ObjectType;
    if (this.customGroup(g.privilege)) throw new MilvusError(ErrorCode.Unexpected, `can not operate the custom privilege group [${g.privilege}]`);
    if (isBuiltinV2Group(g.privilege)) throw new MilvusError(ErrorCode.Unexpected, `can not operate the built-in privilege group [${g.privilege}]`);
    const legacy = g.privilege in LEGACY_PRIVILEGE_GROUPS && storedObjectType(g.privilege) === type;
    if (g.privilege !== '*' && !legacy && !PRIVILEGES[type].includes(g.privilege)) {
      throw invalidParam('privilege', `${g.privilege} is not a ${type} privilege; one of ${PRIVILEGES[type].join(', ')} or *`);
    }
    if (type === 'Global' && named !== '*' && !legacy) throw invalidParam('object_name', 'must be * for Global privileges');
    return { role: g.role, objectType: type, objectName: named, privilege: g.privilege, dbName, grantor };
  }

  /** Milvus's validatePrivilegeGroupParams: a group's level limits the database and collection it may name. */
  private checkGroupLevel(privilege: string, dbName: string, collection: string): void {
    const privs = this.groupPrivileges(privilege);
    if (!privs || privs.length === 0) return;
    const level = privilegeLevel(privs[0]!);
    if (level === 'Cluster' && (dbName !== '*' || collection !== '*')) {
      throw milvusInvalidParam(`dbName and collectionName should be * for the cluster level privilege: ${privilege}`);
    }
    if (level === 'Database' && collection !== '*') throw milvusInvalidParam(`collectionName should be * for the database level privilege: ${privilege}`);
    if (level === 'Collection' && dbName === '*' && collection !== '*') {
      throw milvusInvalidParam(`please specify database name for the collection level privilege: ${privilege}`);
    }
    if (level === '') throw new MilvusError(ErrorCode.Unexpected, 'not found the privilege level');
  }

  async grant(g: Partial<GrantMeta> & { role: string; privilege: string }, grantor: string): Promise<void> {
    await this.change(() => {
      const entry = this.grantOf(g, grantor);
      if (this.grants().some((x) => sameGrant(x, entry))) return;
      this.grants().push(entry);
    });
  }

  async revoke(g: Partial<GrantMeta> & { role: string; privilege: string }): Promise<void> {
    await this.change((cat) => {
      const entry = this.grantOf(g, '');
      cat.grants = this.grants().filter((x) => !sameGrant(x, entry));
    });
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

  /** May `username` use `privilege` on the object (`objectName` a collection or user name) in `db`? Groups count as their privileges. */
  allowed(username: string, objectType: ObjectType, objectName: string, privilege: string, db: string): boolean {
    const roles = this.rolesOf(username);
    if (roles.includes(ADMIN_ROLE)) return true;
    const held = [...PUBLIC_GRANTS, ...this.grants()].filter((g) => roles.includes(g.role) && (g.dbName === '*' || g.dbName === db));
    return held.some((g) => {
      if (g.objectType === 'Global' && g.privilege === 'All') return true;
      const group = this.groupPrivileges(g.privilege);
      if (!group) return g.objectType === objectType && (g.privilege === '*' || g.privilege === privilege) && (g.objectName === '*' || g.objectName === objectName);
      // Milvus's expandPrivilegeGroups: each privilege of the group on the grant's object (Global ones on `*`).
      if (!group.includes(privilege) || storedObjectType(privilege) !== objectType) return false;
      return objectType === 'Global' || g.objectName === '*' || g.objectName === objectName;
    });
  }

  // ---------------------------------------------------------------- privilege groups

  async createPrivilegeGroup(name: string): Promise<void> {
    const n = typeof name === 'string' ? name.trim() : name;
    if (n === '') throw milvusInvalidParam('privilege group name is empty');
    checkName('group_name', n);
    if (this.customGroup(n)) throw milvusInvalidParam(`privilege group name [${n}] is defined by users`);
    if (isDefinedPrivilege(n)) throw milvusInvalidParam(`privilege group name [${n}] is defined by built in privileges or privilege groups in system`);
    await this.change(() => {
      this.customGroups().push({ name: n, privileges: [] });
    });
  }

  /** Drops a custom group; one that does not exist is no error (as Milvus), one in use by a role is. */
  async dropPrivilegeGroup(name: string): Promise<void> {
    if (name === '') throw milvusInvalidParam('privilege group name is empty');
    checkName('group_name', name);
    if (!this.customGroup(name)) return;
    const user = this.grants().find((g) => g.privilege === name);
    if (user) throw milvusInvalidParam(`privilege group [${name}] is used by role [${user.role}], Use REVOKE API to revoke it first`);
    await this.change((cat) => {
      cat.privilegeGroups = this.customGroups().filter((g) => g.name !== name);
    });
  }

  /** Custom groups first, then the nine built-in ones (as Milvus lists them). */
  listPrivilegeGroups(): PrivilegeGroupMeta[] {
    return [...this.customGroups().map((g) => ({ name: g.name, privileges: [...g.privileges] })), ...BUILTIN_PRIVILEGE_GROUPS.map((g) => ({ name: g.name, privileges: [...g.privileges] }))];
  }

  /** Adds (`add`) or removes privileges of a custom group; every privilege of a group must be of one level. */
  async operatePrivilegeGroup(name: string, privileges: string[], add: boolean): Promise<void> {
    if (name === '') throw milvusInvalidParam('privilege group name is empty');
    const group = this.customGroup(name);
    if (!group) throw milvusInvalidParam(`there is no privilege group name [${name}] defined in system to operate`);
    if (privileges.length === 0) throw milvusInvalidParam('privileges is empty when alter the privilege group');
    for (const p of privileges) {
      if (!isDefinedPrivilege(p) && !this.customGroup(p)) throw milvusInvalidParam(`there is no privilege name or privilege group name [${p}] defined in system to operate`);
    }
    if (add) {
      const levels = new Set([...privileges, ...group.privileges].map(privilegeLevel));
      if (levels.size > 1) throw milvusInvalidParam('privileges are not the same privilege level');
    }
    await this.change(() => {
      group.privileges = add ? [...new Set([...group.privileges, ...privileges])] : group.privileges.filter((p) => !privileges.includes(p));
    });
  }

  // ---------------------------------------------------------------- backup / restore

  /** Custom roles, users (root aside) with their roles and password hashes, grants and custom groups. */
  backup(): RbacSnapshot {
    const cat = this.catalog();
    return {
      users: cat.users.filter((u) => u.name !== ROOT_USER_NAME).map((u) => ({ name: u.name, passwordHash: u.passwordHash, roles: [...(u.roles ?? [])] })),
      roles: this.customRoles().map((r) => r.name),
      grants: this.grants().map((g) => ({ ...g })),
      privilegeGroups: this.customGroups().map((g) => ({ name: g.name, privileges: [...g.privileges] })),
    };
  }

  /** Adds a backup's roles, groups, users and grants; nothing is changed when any of them exists already. */
  async restore(meta: RbacSnapshot): Promise<void> {
    const cat = this.catalog();
    const roles = meta.roles.filter((r) => !BUILTIN_ROLES.includes(r));
    const dupRoles = roles.filter((r) => this.hasRole(r));
    if (dupRoles.length > 0) throw milvusInvalidParam(`roles [${dupRoles.join(', ')}] already exist`);
    const dupGroups = meta.privilegeGroups.filter((g) => this.customGroup(g.name) || isDefinedPrivilege(g.name)).map((g) => g.name);
    if (dupGroups.length > 0) throw milvusInvalidParam(`privilege group [${dupGroups.join(', ')}] already exists`);
    const dupUsers = meta.users.filter((u) => cat.users.some((x) => x.name === u.name)).map((u) => u.name);
    if (dupUsers.length > 0) throw milvusInvalidParam(`users [${dupUsers.join(', ')}] already exist`);
    const known = new Set([...BUILTIN_ROLES, ...this.customRoles().map((r) => r.name), ...roles]);
    for (const u of meta.users) for (const r of u.roles) if (!known.has(r)) throw milvusInvalidParam(`role [${r}] does not exist`);
    for (const g of meta.grants) if (!known.has(g.role)) throw milvusInvalidParam(`role [${g.role}] does not exist`);
    const now = Date.now();
    await this.change(() => {
      for (const r of roles) this.customRoles().push({ name: r, description: '', createdAt: now });
      for (const g of meta.privilegeGroups) this.customGroups().push({ name: g.name, privileges: [...g.privileges] });
      for (const u of meta.users) {
        const user: UserMeta = { name: u.name, passwordHash: u.passwordHash, createdAt: now };
        const own = u.roles.filter((r) => r !== PUBLIC_ROLE);
        if (own.length > 0) user.roles = own;
        cat.users.push(user);
      }
      for (const g of meta.grants) if (!this.grants().some((x) => sameGrant(x, g))) this.grants().push({ ...g });
    });
  }
}
