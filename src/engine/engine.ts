/**
 * The engine over a data directory, composed of small services that share one EngineContext:
 *
 *   catalog   databases, collections, partitions, aliases (catalog transactions, frozen describes)
 *   indexes   createIndex / describe / list / drop / alter
 *   loads     load and release (a state machine per collection), replicas and resource groups
 *   writes    insert, upsert, delete, flush
 *   search    query, get, count, search, hybrid search
 *   users     users and passwords; rbac: roles, grants, privilege groups
 *   jobs      compaction, flushAll, segment listings, bulk import
 *
 * Methods are named like the official Node SDK's MilvusClient methods and take the request model
 * (requests.ts); they return plain results and throw MilvusError. The embedded client and the
 * servers wrap them into SDK / protobuf / REST responses.
 */
import { LoadState } from '../core/data-type.js';
import { DataDir, type DataDirOptions } from '../storage/index.js';
import type { ProgressListener } from './progress.js';
import { Rbac } from './rbac.js';
import { ResourceGroups, DEFAULT_RESOURCE_GROUP } from './cluster.js';
import { EngineContext } from './context.js';
import { CatalogService } from './catalog.js';
import { IndexService } from './indexes.js';
import { LoadService } from './loads.js';
import { WriteService } from './writes.js';
import { SearchService } from './search/service.js';
import { UserService } from './accounts.js';
import { JobService } from './jobs.js';

export { DEFAULT_DB, DEFAULT_PARTITION, LIMITS, dbOf, type CollectionRef } from './context.js';

export interface EngineOptions extends DataDirOptions {
  /** Data directory; null keeps everything in memory. */
  dataDir: string | null;
  /** Progress of index builds and loads (`elanus serve` logs each event). */
  onProgress?: ProgressListener;
}

export class Engine {
  private closed = false;
  private readonly ctx: EngineContext;
  readonly catalog: CatalogService;
  readonly indexes: IndexService;
  /** Resource groups (kept in the catalog): the default one holds this process's query node. */
  readonly resourceGroups: ResourceGroups;
  readonly loads: LoadService;
  readonly writes: WriteService;
  readonly search: SearchService;
  readonly users: UserService;
  /** Roles, user roles and grants (kept in the catalog); transports decide what each call needs. */
  readonly rbac: Rbac;
  readonly jobs: JobService;

  private constructor(readonly dir: DataDir, reportBackgroundError?: (err: unknown) => void, reportProgress?: ProgressListener) {
    const ctx = (this.ctx = new EngineContext(dir, reportBackgroundError, reportProgress));
    for (const meta of dir.catalog.collections) ctx.attach(meta);
    this.catalog = new CatalogService(ctx);
    this.indexes = new IndexService(ctx);
    this.resourceGroups = new ResourceGroups(() => dir.catalog, () => ctx.commit(), (g) => this.loadedInGroup(g));
    this.loads = new LoadService(ctx, this.resourceGroups);
    this.writes = new WriteService(ctx);
    this.search = new SearchService(ctx);
    this.users = new UserService(ctx);
    this.rbac = new Rbac(() => dir.catalog, (fn) => ctx.change(fn));
    this.jobs = new JobService(ctx, this.writes);
  }

  static async open(opts: EngineOptions): Promise<Engine> {
    const dir = await DataDir.open(opts.dataDir, opts);
    return new Engine(dir, opts.onBackgroundError, opts.onProgress);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.jobs.idle();
    for (const rt of this.ctx.runtimes.values()) await rt.indexes.idle().catch(() => undefined);
    await this.dir.close();
  }

  /** Names of the loaded collections whose replica is in resource group `group`. */
  private loadedInGroup(group: string): string[] {
    const placed = this.dir.catalog.replicaGroups ?? {};
    return [...this.ctx.runtimes.values()].filter((rt) => rt.load.state !== LoadState.NotLoad && (placed[String(rt.meta.id)] ?? DEFAULT_RESOURCE_GROUP) === group).map((rt) => rt.meta.name);
  }
}
