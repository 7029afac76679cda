/**
 * Credential RPCs. The SDKs send passwords base64-encoded (`CreateCredential.password`,
 * `UpdateCredential.oldPassword/newPassword`).
 */
import { str, type HandlerTable } from './types.js';

function fromBase64(v: string): string {
  return Buffer.from(v, 'base64').toString('utf8');
}

export const userHandlers: HandlerTable = {
  async CreateCredential(req, _ctx, env) {
    await env.credentials.createUser(str(req, 'username'), fromBase64(str(req, 'password')));
    return {};
  },

  async UpdateCredential(req, _ctx, env) {
    await env.credentials.updatePassword(str(req, 'username'), fromBase64(str(req, 'oldPassword')), fromBase64(str(req, 'newPassword')));
    env.authenticator?.invalidate();
    return {};
  },

  async DeleteCredential(req, _ctx, env) {
    await env.credentials.deleteUser(str(req, 'username'));
    env.authenticator?.invalidate();
    return {};
  },

  async ListCredUsers(_req, _ctx, env) {
    return { usernames: await env.credentials.listUsers() };
  },
};
