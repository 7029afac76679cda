/**
 * The load service: load and release of collections and partitions through the LoadController's
 * state machine, loading progress, and where the (one) replica is placed (resource groups).
 */
import { loadMatchIndexes } from './text-match-indexes.js';
import { isVectorType, LoadState } from '../core/data-type.js';
import { ErrorCode, MilvusError, invalidParam, milvusInvalidParam } from '../core/errors.js';
import { LoadController } from './load-controller.js';
import type { CollectionRuntime } from './collection-runtime.js';
import { DEFAULT_RESOURCE_GROUP, type ResourceGroups } from './cluster.js';
import { replicas, type ReplicaInfo } from './maintenance.js';
import type { CollectionReq } from './requests.js';
import type { CollectionRef, EngineContext } from './context.js';

function collectionNotLoadedIn(name: string): MilvusError {
  return new MilvusError(ErrorCode.CollectionNotLoaded, `collection not loaded[collection=${name}]`);
}

export class LoadService {
  /** Load / release, one state machine per collection. */
  private readonly controller = new LoadController((rt) => this.loadWork(rt));

  constructor(
    private readonly ctx: EngineContext,
    private readonly resourceGroups: ResourceGroups,
  ) {}


  /**
   * Starts loading the collection (`partition_names`: those partitions, else all) or widens the
   * running load, and returns at once; progress and failure show in getLoadState / getLoadingProgress.
   */
  startLoad(req: CollectionReq & { partition_names?: string[]; replica_number?: number; resource_groups?: string[] }): void {
    const rt = this.ctx.runtime(req);
    // One query node: more replicas than the group's nodes is refused as Milvus standalone refuses it.
    const group = this.resourceGroups.checkLoad(req.resource_groups ?? [], Number(req.replica_number ?? 0));
    if (group !== this.ctx.replicaGroupOf(rt.meta.id) && rt.load.state === LoadState.NotLoad) {
      const placed = (this.ctx.dir.catalog.replicaGroups ??= {});
      if (group === DEFAULT_RESOURCE_GROUP) delete placed[String(rt.meta.id)];
      else placed[String(rt.meta.id)] = group;
    }
    for (const f of rt.meta.schema.fields) {
      if (isVectorType(f.dataType) && !rt.meta.indexes.some((i) => i.fieldName === f.name)) {
        throw new MilvusError(ErrorCode.IndexNotFound, `index not found[collection=${rt.meta.name}]: there is no vector index on field "${f.name}"; create an index before loading`);
      }
    }
    const partIds = req.partition_names?.length ? req.partition_names.map((n) => this.ctx.partition(rt, n).id) : null;
    this.controller.start(rt, partIds);
  }

  /** Loads the collection (or the named partitions) and waits until it is loaded; throws if the load fails. */
  async loadCollection(req: CollectionReq & { partition_names?: string[] }): Promise<void> {
    this.startLoad(req);
    await this.controller.settled(this.ctx.runtime(req));
  }

  /** What loading a collection does: its segments, then every index on them. */
  private async loadWork(rt: CollectionRuntime): Promise<void> {
    const started = performance.now();
    const report = (stage: 'started' | 'segments read' | 'loaded', percent: number): void =>
      this.ctx.reportProgress?.({ task: 'load', collection: rt.meta.name, stage, percent, ms: Math.round(performance.now() - started) });
    report('started', rt.load.progress);
    await this.ctx.dir.loadStore(rt.meta);
    rt.load.progress = 50;
    report('segments read', rt.load.progress);
    for (const meta of rt.meta.indexes) rt.indexes.ensureAll(meta);
    await loadMatchIndexes(rt.meta.schema, rt.store.segments(), this.ctx.matchHost(rt.meta.id));
    await rt.indexes.idle();
    if (rt.load.state === LoadState.Loading) report('loaded', 100);
  }

  async releaseCollection(req: CollectionReq): Promise<void> {
    const rt = this.ctx.runtime(req);
    await this.controller.release(rt);
    await rt.indexes.idle();
    rt.indexes.unloadAll();
    this.ctx.dir.releaseStore(rt.meta.id);
  }

  /** startLoad for named partitions (at least one). */
  startLoadPartitions(req: CollectionReq & { partition_names: string[]; replica_number?: number; resource_groups?: string[] }): void {
    if (!req.partition_names?.length) throw invalidParam('partition_names', 'name at least one partition to load');
    this.startLoad(req);
  }

  async loadPartitions(req: CollectionReq & { partition_names: string[] }): Promise<void> {
    this.startLoadPartitions(req);
    await this.controller.settled(this.ctx.runtime(req));
  }

  async releasePartitions(req: CollectionReq & { partition_names: string[] }): Promise<void> {
    const rt = this.ctx.runtime(req);
    if (!req.partition_names?.length) throw invalidParam('partition_names', 'name at least one partition to release');
    const ids = req.partition_names.map((n) => this.ctx.partition(rt, n).id);
    if (rt.load.state === LoadState.NotLoad) return;
    const loaded = rt.load.partitions ?? new Set(rt.meta.partitions.map((p) => p.id));
    for (const id of ids) loaded.delete(id);
    if (loaded.size === 0) return this.releaseCollection(req);
    rt.load.partitions = loaded;
  }

  getLoadState(req: CollectionReq & { partition_names?: string[] }): LoadState {
    const rt = this.ctx.runtime(req);
    if (req.partition_names?.length) {
      const ids = req.partition_names.map((n) => this.ctx.partition(rt, n).id);
      if (rt.load.state === LoadState.NotLoad) return LoadState.NotLoad;
      if (rt.load.partitions !== null && !ids.every((id) => rt.load.partitions!.has(id))) return LoadState.NotLoad;
    }
    return rt.load.state;
  }

  getLoadingProgress(req: CollectionReq & { partition_names?: string[] }): number {
    const rt = this.ctx.runtime(req);
    if (rt.load.error) throw rt.load.error;
    return rt.load.state === LoadState.Loaded ? 100 : rt.load.progress;
  }

  /** Replicas of a loaded collection, found by id (as GetReplicas asks) or by name. */
  getReplicas(req: CollectionRef): ReplicaInfo[] {
    return replicas(this.ctx.runtimeByRef(req));
  }

  /** Moves a loaded collection's replica to another resource group (one replica; the target needs a node). */
  async transferReplica(req: CollectionReq & { source_resource_group: string; target_resource_group: string; num_replica: unknown }): Promise<void> {
    const source = this.resourceGroups.get(req.source_resource_group);
    const target = this.resourceGroups.get(req.target_resource_group);
    const rt = this.ctx.runtime(req);
    const n = Number(req.num_replica);
    if (!Number.isInteger(n) || n <= 0) throw milvusInvalidParam(`transfer replica num can't be [${String(req.num_replica)}]`);
    if (rt.load.state === LoadState.NotLoad) throw collectionNotLoadedIn(rt.meta.name);
    const held = this.ctx.replicaGroupOf(rt.meta.id) === source.name ? 1 : 0;
    if (held < n) throw milvusInvalidParam(`only found [${held}] replicas of collection [${rt.meta.name}] in source resource group [${source.name}], but [${n}] requested`);
    if (target.nodes.length < n) throw new MilvusError(ErrorCode.ResourceGroupNodeNotEnough, `resource group node not enough[rg=${target.name}][currentNodeNum=${target.nodes.length}][expectedNodeNum=${n}]`);
    const placed = (this.ctx.dir.catalog.replicaGroups ??= {});
    if (target.name === DEFAULT_RESOURCE_GROUP) delete placed[String(rt.meta.id)];
    else placed[String(rt.meta.id)] = target.name;
    await this.ctx.commit();
  }

}
