/** `jobs/import/*`: the engine's bulk import jobs (JSON, Parquet, CSV or Numpy files on this machine). */
import { invalidParam } from '../../core/errors.js';
import { importProgress, type ImportJob } from '../../engine/bulk-import.js';
import { optStr, reqStr } from './body.js';
import { collectionOf } from './convert.js';
import type { RestContext, RestRoute } from './route.js';

const STATE: Record<ImportJob['state'], string> = { ImportPending: 'Pending', ImportStarted: 'Importing', ImportCompleted: 'Completed', ImportFailed: 'Failed' };

/** `files` is a list of file groups (`[["a.json"], ["x/id.npy", "x/vector.npy"]]`), passed on as groups. */
function files(ctx: RestContext): string[][] {
  const raw = ctx.body.files;
  if (!Array.isArray(raw) || raw.length === 0) throw invalidParam('files', 'needs a non-empty list of file lists, e.g. [["/data/rows-000001.json"]]');
  return raw.map((group) => (Array.isArray(group) ? group : [group]).map((f) => String(f)));
}

function progress(job: ImportJob): Record<string, unknown> {
  const state = STATE[job.state];
  return {
    jobId: String(job.id),
    collectionName: job.collectionName,
    state,
    progress: importProgress(job),
    totalRows: job.total,
    importedRows: job.rows,
    reason: job.reason,
    completeTime: job.state === 'ImportCompleted' || job.state === 'ImportFailed' ? new Date().toISOString() : '',
    details: job.files.map((fileName) => ({ fileName, state, progress: importProgress(job) })),
  };
}

export function jobRoutes(): [string, RestRoute][] {
  return [
    [
      'jobs/import/create',
      (ctx) => {
        const partition = optStr(ctx.body, 'partitionName');
        const job = ctx.engine.jobs.bulkImport({ ...collectionOf(ctx), ...(partition ? { partition_name: partition } : {}), files: files(ctx), options: ctx.body.options });
        return { jobId: String(job.id) };
      },
    ],
    ['jobs/import/get_progress', (ctx) => progress(ctx.engine.jobs.getImportState({ task: reqStr(ctx.body, 'jobId') }))],
    [
      'jobs/import/list',
      (ctx) => {
        const name = optStr(ctx.body, 'collectionName');
        const jobs = ctx.engine.jobs.listImportTasks({ db_name: ctx.db, ...(name ? { collection_name: name } : {}) });
        return { records: jobs.map((j) => ({ collectionName: j.collectionName, jobId: String(j.id), progress: importProgress(j), state: STATE[j.state] })) };
      },
    ],
  ];
}
