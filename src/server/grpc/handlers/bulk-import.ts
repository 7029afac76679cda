/** Import (bulkInsert), GetImportState, ListImportTasks: the engine's import jobs, SDK-shaped. */
import { formatImportState } from '../../../api/sdk-format.js';
import { collectionReq, dbOf, type HandlerTable } from './types.js';

export const importHandlers: HandlerTable = {
  async Import(req, ctx, env) {
    const partition = req.partition_name;
    const job = env.engine.jobs.bulkImport({ ...collectionReq(req, ctx), ...(partition ? { partition_name: partition } : {}), files: req.files, options: req.options });
    return { tasks: [String(job.id)] };
  },

  async GetImportState(req, _ctx, env) {
    return formatImportState(env.engine.jobs.getImportState({ task: req.task }));
  },

  async ListImportTasks(req, ctx, env) {
    const name = req.collection_name;
    return { tasks: env.engine.jobs.listImportTasks({ db_name: dbOf(req, ctx), ...(name ? { collection_name: name } : {}), limit: Number(req.limit || 0) }).map(formatImportState) };
  },
};
