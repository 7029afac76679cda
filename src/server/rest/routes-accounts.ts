/** `databases/*`, `users/*` and `roles/*` (the engine's RBAC: roles, user roles, grants). */
import { ErrorCode, MilvusError } from '../../core/errors.js';
import { PUBLIC_ROLE } from '../../engine/rbac.js';
import type { GrantMeta } from '../../storage/index.js';
import { keyValues, optObj, optStr, optStrList, reqStr, reqStrList } from './body.js';
import type { RestContext, RestRoute } from './route.js';

function dbName(ctx: RestContext): string {
  return reqStr(ctx.body, 'dbName');
}

function describeDatabase(ctx: RestContext): Record<string, unknown> {
  const d = ctx.engine.catalog.describeDatabase({ db_name: dbName(ctx) });
  return { dbName: d.name, dbID: d.id, createdTime: d.createdAt, properties: keyValues(d.properties) };
}

/** The roles granted to a user (the implicit public role is not listed). */
function describeUser(ctx: RestContext): string[] {
  const user = reqStr(ctx.body, 'userName');
  if (!ctx.engine.users.listUsers().includes(user)) throw new MilvusError(ErrorCode.UserNotFound, `user not found: ${user}`);
  return ctx.engine.rbac.rolesOf(user).filter((r) => r !== PUBLIC_ROLE);
}

function grantOf(ctx: RestContext, v2: boolean): Partial<GrantMeta> & { role: string; privilege: string } {
  const b = ctx.body;
  const base = { role: reqStr(b, 'roleName'), privilege: reqStr(b, 'privilege'), dbName: optStr(b, 'dbName') ?? ctx.db };
  if (v2) return { ...base, objectName: optStr(b, 'collectionName') ?? '*' };
  return { ...base, objectType: reqStr(b, 'objectType'), objectName: reqStr(b, 'objectName') };
}

function describeRole(ctx: RestContext): Record<string, unknown>[] {
  return ctx.engine.rbac
    .selectGrants({ role: reqStr(ctx.body, 'roleName') })
    .map((g) => ({ objectType: g.objectType, objectName: g.objectName, privilege: g.privilege, dbName: g.dbName, grantor: g.grantor }));
}

export function accountRoutes(): [string, RestRoute][] {
  return [
    ['databases/create', (ctx) => ctx.engine.catalog.createDatabase({ db_name: dbName(ctx), properties: optObj(ctx.body, 'properties') ?? {} })],
    ['databases/drop', (ctx) => ctx.engine.catalog.dropDatabase({ db_name: dbName(ctx) })],
    ['databases/list', (ctx) => ctx.engine.catalog.listDatabases().names],
    ['databases/describe', describeDatabase],
    ['databases/alter', (ctx) => ctx.engine.catalog.alterDatabase({ db_name: dbName(ctx), properties: optObj(ctx.body, 'properties') ?? {} })],
    ['databases/drop_properties', (ctx) => ctx.engine.catalog.alterDatabase({ db_name: dbName(ctx), delete_keys: optStrList(ctx.body, 'propertyKeys') ?? [] })],

    ['users/create', (ctx) => ctx.engine.users.createUser({ username: reqStr(ctx.body, 'userName'), password: reqStr(ctx.body, 'password') })],
    ['users/drop', (ctx) => ctx.engine.users.deleteUser({ username: reqStr(ctx.body, 'userName') })],
    ['users/list', (ctx) => ctx.engine.users.listUsers()],
    ['users/describe', describeUser],
    [
      'users/update_password',
      (ctx) => ctx.engine.users.updatePassword({ username: reqStr(ctx.body, 'userName'), oldPassword: reqStr(ctx.body, 'password'), newPassword: reqStr(ctx.body, 'newPassword') }),
    ],
    ['users/grant_role', (ctx) => ctx.engine.rbac.operateUserRole(reqStr(ctx.body, 'userName'), reqStr(ctx.body, 'roleName'), true)],
    ['users/revoke_role', (ctx) => ctx.engine.rbac.operateUserRole(reqStr(ctx.body, 'userName'), reqStr(ctx.body, 'roleName'), false)],

    ['roles/list', (ctx) => ctx.engine.rbac.roles().map((r) => r.name)],
    ['roles/create', (ctx) => ctx.engine.rbac.createRole(reqStr(ctx.body, 'roleName'))],
    ['roles/drop', (ctx) => ctx.engine.rbac.dropRole(reqStr(ctx.body, 'roleName'), ctx.body.forceDrop === true)],
    ['roles/describe', describeRole],
    ['roles/grant_privilege', (ctx) => ctx.engine.rbac.grant(grantOf(ctx, false), ctx.user || 'root')],
    ['roles/revoke_privilege', (ctx) => ctx.engine.rbac.revoke(grantOf(ctx, false))],
    ['roles/grant_privilege_v2', (ctx) => ctx.engine.rbac.grant(grantOf(ctx, true), ctx.user || 'root')],
    ['roles/revoke_privilege_v2', (ctx) => ctx.engine.rbac.revoke(grantOf(ctx, true))],

    // Milvus's REST privilege groups: `privilegeGroupName`, `privileges`; list joins each group's privileges with ",".
    ['privilege_groups/create', (ctx) => ctx.engine.rbac.createPrivilegeGroup(reqStr(ctx.body, 'privilegeGroupName'))],
    ['privilege_groups/drop', (ctx) => ctx.engine.rbac.dropPrivilegeGroup(reqStr(ctx.body, 'privilegeGroupName'))],
    [
      'privilege_groups/list',
      (ctx) => ({ privilegeGroups: ctx.engine.rbac.listPrivilegeGroups().map((g) => ({ privilegeGroupName: g.name, privileges: g.privileges.join(',') })) }),
    ],
    ['privilege_groups/add_privileges_to_group', (ctx) => ctx.engine.rbac.operatePrivilegeGroup(reqStr(ctx.body, 'privilegeGroupName'), reqStrList(ctx.body, 'privileges'), true)],
    ['privilege_groups/remove_privileges_from_group', (ctx) => ctx.engine.rbac.operatePrivilegeGroup(reqStr(ctx.body, 'privilegeGroupName'), reqStrList(ctx.body, 'privileges'), false)],
  ];
}
