/**
 * Role RPCs (Milvus 2.4 RBAC): CreateRole, DropRole, OperateUserRole, SelectRole, SelectUser,
 * OperatePrivilege (object type + name), OperatePrivilegeV2 (database + collection; the object type
 * follows from the privilege), SelectGrant. The engine's `rbac` keeps the state.
 */
import { formatGrant, formatPrivilegeGroups, formatRbacMeta, formatRoles, formatUsers, parseRbacMeta } from '../../../api/sdk-format.js';
import type { GrantMeta } from '../../../storage/index.js';
import type { CallContext } from '../context.js';
import { dbOf, type HandlerEnv, type HandlerTable, type WireReq } from './types.js';

type Named = { name?: string } | null | undefined;

function nameOf(v: unknown): string {
  return (v as Named)?.name ?? '';
}

/** Grants or revokes (`OperatePrivilegeType`: 0 Grant, 1 Revoke; enums arrive as numbers). */
async function operate(req: WireReq, ctx: CallContext, env: HandlerEnv, g: Partial<GrantMeta> & { role: string; privilege: string }): Promise<Record<string, unknown>> {
  if (Number(req.type) === 1) await env.engine.rbac.revoke(g);
  else await env.engine.rbac.grant(g, ctx.user || 'root');
  return {};
}

export const roleHandlers: HandlerTable = {
  async CreateRole(req, _ctx, env) {
    const e = req.entity as { name?: string; description?: string } | undefined;
    await env.engine.rbac.createRole(e?.name ?? '', e?.description ?? '');
    return {};
  },

  async DropRole(req, _ctx, env) {
    await env.engine.rbac.dropRole(req.role_name, req.force_drop === true);
    return {};
  },

  async OperateUserRole(req, _ctx, env) {
    await env.engine.rbac.operateUserRole(req.username, req.role_name, Number(req.type) === 0);
    return {};
  },

  async SelectRole(req, _ctx, env) {
    return { results: formatRoles(env.engine.rbac, nameOf(req.role), req.include_user_info === true) };
  },

  async SelectUser(req, _ctx, env) {
    return { results: formatUsers(env.engine.rbac, env.engine.users.listUsers(), nameOf(req.user), req.include_role_info === true) };
  },

  async OperatePrivilege(req, ctx, env) {
    const e = (req.entity ?? {}) as { role?: Named; object?: Named; object_name?: string; db_name?: string; grantor?: { privilege?: Named } };
    return operate(req, ctx, env, { role: nameOf(e.role), objectType: nameOf(e.object), objectName: e.object_name ?? '*', privilege: nameOf(e.grantor?.privilege), dbName: e.db_name || dbOf(req, ctx) });
  },

  async OperatePrivilegeV2(req, ctx, env) {
    const privilege = nameOf((req.grantor as { privilege?: Named } | undefined)?.privilege);
    return operate(req, ctx, env, { role: nameOf(req.role), privilege, objectName: req.collection_name || '*', dbName: req.db_name || dbOf(req, ctx) });
  },

  async CreatePrivilegeGroup(req, _ctx, env) {
    await env.engine.rbac.createPrivilegeGroup(req.group_name);
    return {};
  },

  async DropPrivilegeGroup(req, _ctx, env) {
    await env.engine.rbac.dropPrivilegeGroup(req.group_name);
    return {};
  },

  async ListPrivilegeGroups(_req, _ctx, env) {
    return { privilege_groups: formatPrivilegeGroups(env.engine.rbac.listPrivilegeGroups()) };
  },

  /** `OperatePrivilegeGroupType`: 0 AddPrivilegesToGroup, 1 RemovePrivilegesFromGroup. */
  async OperatePrivilegeGroup(req, _ctx, env) {
    const privileges = (Array.isArray(req.privileges) ? (req.privileges as Named[]) : []).map(nameOf);
    await env.engine.rbac.operatePrivilegeGroup(req.group_name, privileges, Number(req.type) !== 1);
    return {};
  },

  async BackupRBAC(_req, _ctx, env) {
    return { RBAC_meta: formatRbacMeta(env.engine.rbac.backup()) };
  },

  async RestoreRBAC(req, _ctx, env) {
    await env.engine.rbac.restore(parseRbacMeta(req.RBAC_meta));
    env.authenticator?.invalidate();
    return {};
  },

  async SelectGrant(req, _ctx, env) {
    const e = (req.entity ?? {}) as { role?: Named; object?: Named; object_name?: string; db_name?: string };
    const grants = env.engine.rbac.selectGrants({ role: nameOf(e.role), objectType: nameOf(e.object), objectName: e.object_name ?? '', dbName: e.db_name ?? '' });
    return { entities: grants.map(formatGrant) };
  },
};

