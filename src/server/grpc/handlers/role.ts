/**
 * Role RPCs (Milvus 2.4 RBAC): CreateRole, DropRole, OperateUserRole, SelectRole, SelectUser,
 * OperatePrivilege (object type + name), OperatePrivilegeV2 (database + collection; the object type
 * follows from the privilege), SelectGrant. The engine's `rbac` keeps the state.
 */
import { formatGrant, formatRoles, formatUsers } from '../../../client/format.js';
import { dbOf, str, type HandlerTable, type WireReq } from './types.js';


type Named = { name?: string } | null | undefined;

function nameOf(v: unknown): string {
  return (v as Named)?.name ?? '';
}

/** `OperatePrivilegeType`: 0 Grant, 1 Revoke (enums arrive as numbers). */
const isRevoke = (req: WireReq): boolean => Number(req['type']) === 1;

export const roleHandlers: HandlerTable = {
  async CreateRole(req, _ctx, env) {
    const e = req['entity'] as { name?: string; description?: string } | undefined;
    await env.engine.rbac.createRole(e?.name ?? '', e?.description ?? '');
    return {};
  },

  async DropRole(req, _ctx, env) {
    await env.engine.rbac.dropRole(str(req, 'role_name'), req['force_drop'] === true);
    return {};
  },

  async OperateUserRole(req, _ctx, env) {
    await env.engine.rbac.operateUserRole(str(req, 'username'), str(req, 'role_name'), Number(req['type']) === 0);
    return {};
  },

  async SelectRole(req, _ctx, env) {
    return { results: formatRoles(env.engine.rbac, nameOf(req['role']), req['include_user_info'] === true) };
  },

  async SelectUser(req, _ctx, env) {
    return { results: formatUsers(env.engine.rbac, env.engine.listUsers(), nameOf(req['user']), req['include_role_info'] === true) };
  },

  async OperatePrivilege(req, ctx, env) {
    const e = (req['entity'] ?? {}) as { role?: Named; object?: Named; object_name?: string; db_name?: string; grantor?: { privilege?: Named } };
    const g = { role: nameOf(e.role), objectType: nameOf(e.object), objectName: e.object_name ?? '*', privilege: nameOf(e.grantor?.privilege), dbName: e.db_name || dbOf(req, ctx) };
    if (isRevoke(req)) await env.engine.rbac.revoke(g);
    else await env.engine.rbac.grant(g, ctx.user || 'root');
    return {};
  },

  async OperatePrivilegeV2(req, ctx, env) {
    const privilege = nameOf((req['grantor'] as { privilege?: Named } | undefined)?.privilege);
    const g = { role: nameOf(req['role']), privilege, objectName: str(req, 'collection_name') || '*', dbName: str(req, 'db_name') || dbOf(req, ctx) };
    if (isRevoke(req)) await env.engine.rbac.revoke(g);
    else await env.engine.rbac.grant(g, ctx.user || 'root');
    return {};
  },

  async SelectGrant(req, _ctx, env) {
    const e = (req['entity'] ?? {}) as { role?: Named; object?: Named; object_name?: string; db_name?: string };
    const grants = env.engine.rbac.selectGrants({ role: nameOf(e.role), objectType: nameOf(e.object), objectName: e.object_name ?? '', dbName: e.db_name ?? '' });
    return { entities: grants.map(formatGrant) };
  },
};

