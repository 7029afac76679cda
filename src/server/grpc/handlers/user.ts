/**
 * Credential RPCs. The SDKs send passwords base64-encoded (`CreateCredential.password`,
 * `UpdateCredential.oldPassword/newPassword`).
 */
import { type HandlerTable } from './types.js';

function fromBase64(v: string): string {
  return Buffer.from(v, 'base64').toString('utf8');
}

export const userHandlers: HandlerTable = {
  async CreateCredential(req, _ctx, env) {
    await env.credentials.createUser(req.username, fromBase64(req.password));
    return {};
  },

  async UpdateCredential(req, _ctx, env) {
    await env.credentials.updatePassword(req.username, fromBase64(req.oldPassword), fromBase64(req.newPassword));
    env.authenticator?.invalidate();
    return {};
  },

  async DeleteCredential(req, _ctx, env) {
    await env.credentials.deleteUser(req.username);
    env.authenticator?.invalidate();
    return {};
  },

  async ListCredUsers(_req, _ctx, env) {
    return { usernames: await env.credentials.listUsers() };
  },
};
