/** `databases/*` and `users/*`. Roles are not modelled: every user is described with no roles. */
import { ErrorCode, MilvusError } from '../../core/errors.js';
import { keyValues, optObj, reqStr } from './body.js';
import type { RestContext, RestRoute } from './route.js';

function dbName(ctx: RestContext): string {
  return reqStr(ctx.body, 'dbName');
}

function describeDatabase(ctx: RestContext): Record<string, unknown> {
  const d = ctx.engine.describeDatabase({ db_name: dbName(ctx) });
  return { dbName: d.name, dbID: d.id, createdTime: d.createdAt, properties: keyValues(d.properties) };
}

function describeUser(ctx: RestContext): string[] {
  const user = reqStr(ctx.body, 'userName');
  if (!ctx.engine.listUsers().includes(user)) throw new MilvusError(ErrorCode.UserNotFound, `user not found: ${user}`);
  return [];
}

export function accountRoutes(): [string, RestRoute][] {
  return [
    ['databases/create', (ctx) => ctx.engine.createDatabase({ db_name: dbName(ctx), properties: optObj(ctx.body, 'properties') ?? {} })],
    ['databases/drop', (ctx) => ctx.engine.dropDatabase({ db_name: dbName(ctx) })],
    ['databases/list', (ctx) => ctx.engine.listDatabases().names],
    ['databases/describe', describeDatabase],
    ['databases/alter', (ctx) => ctx.engine.alterDatabase({ db_name: dbName(ctx), properties: optObj(ctx.body, 'properties') ?? {} })],

    ['users/create', (ctx) => ctx.engine.createUser({ username: reqStr(ctx.body, 'userName'), password: reqStr(ctx.body, 'password') })],
    ['users/drop', (ctx) => ctx.engine.deleteUser({ username: reqStr(ctx.body, 'userName') })],
    ['users/list', (ctx) => ctx.engine.listUsers()],
    ['users/describe', describeUser],
    [
      'users/update_password',
      (ctx) => ctx.engine.updatePassword({ username: reqStr(ctx.body, 'userName'), oldPassword: reqStr(ctx.body, 'password'), newPassword: reqStr(ctx.body, 'newPassword') }),
    ],
  ];
}
