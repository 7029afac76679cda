/** Database RPCs. `use({db_name})` in the SDK only changes the `dbname` header. */
import { kvToRecord, recordToKv } from '../codecs/schema.js';
import { hybridTs, type HandlerTable } from './types.js';

export const databaseHandlers: HandlerTable = {
  async CreateDatabase(req, _ctx, env) {
    const props = kvToRecord(req.properties);
    await env.engine.catalog.createDatabase({ db_name: req.db_name, ...(Object.keys(props).length ? { properties: props } : {}) });
    return {};
  },

  async DropDatabase(req, _ctx, env) {
    await env.engine.catalog.dropDatabase({ db_name: req.db_name });
    return {};
  },

  async ListDatabases(_req, _ctx, env) {
    const l = env.engine.catalog.listDatabases();
    return { db_names: l.names, db_ids: l.ids, created_timestamp: l.createdAt.map(hybridTs) };
  },

  async DescribeDatabase(req, _ctx, env) {
    const d = env.engine.catalog.describeDatabase({ db_name: req.db_name });
    return { db_name: d.name, dbID: d.id, created_timestamp: hybridTs(d.createdAt), properties: recordToKv(d.properties) };
  },

  async AlterDatabase(req, _ctx, env) {
    await env.engine.catalog.alterDatabase({ db_name: req.db_name, properties: kvToRecord(req.properties), delete_keys: req.delete_keys });
    return {};
  },
};
