/** Alias RPCs. */
import { dbOf, type HandlerTable } from './types.js';

export const aliasHandlers: HandlerTable = {
  async CreateAlias(req, ctx, env) {
    await env.engine.catalog.createAlias({ db_name: dbOf(req, ctx), collection_name: req.collection_name, alias: req.alias });
    return {};
  },

  async DropAlias(req, ctx, env) {
    await env.engine.catalog.dropAlias({ db_name: dbOf(req, ctx), alias: req.alias });
    return {};
  },

  async AlterAlias(req, ctx, env) {
    await env.engine.catalog.alterAlias({ db_name: dbOf(req, ctx), collection_name: req.collection_name, alias: req.alias });
    return {};
  },

  async DescribeAlias(req, ctx, env) {
    const a = env.engine.catalog.describeAlias({ db_name: dbOf(req, ctx), alias: req.alias });
    return { db_name: a.dbName, alias: a.alias, collection: a.collection };
  },

  async ListAliases(req, ctx, env) {
    const name = req.collection_name;
    const a = env.engine.catalog.listAliases({ db_name: dbOf(req, ctx), ...(name ? { collection_name: name } : {}) });
    return { db_name: a.dbName, collection_name: a.collectionName, aliases: a.aliases };
  },
};
