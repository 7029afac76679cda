/** Import (bulkInsert), GetImportState, ListImportTasks: the engine's import jobs, SDK-shaped. */
import { formatImportState } from '../../../api/sdk-format.js';
import { collectionReq, dbOf, kvs, str, strs, type HandlerTable } from './types.js';

export const importHandlers: HandlerTable = {
  async Import(req, ctx, env) {
    const partition = str(req, 'partition_name');
    const job = env.engine.jobs.bulkImport({ ...collectionReq(req, ctx), ...(partition ? { partition_name: partition } : {}), files: strs(req, 'files'), options: kvs(req, 'options') });
    return { tasks: [String(job.id)] };
  },

  async GetImportState(req, _ctx, env) {
    return formatImportState(env.engine.jobs.getImportState({ task: str(req, 'task') }));
  },

  async ListImportTasks(req, ctx, env) {
    const name = str(req, 'collection_name');
    return { tasks: env.engine.jobs.listImportTasks({ db_name: dbOf(req, ctx), ...(name ? { collection_name: name } : {}), limit: Number(str(req, 'limit') || 0) }).map(formatImportState) };
  },
};
