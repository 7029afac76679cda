/**
 * Operational views of collections, as Milvus's maintenance RPCs report them: manual compaction
 * jobs (ManualCompaction → GetCompactionState), segment listings (GetPersistentSegmentInfo: every
 * segment; GetQuerySegmentInfo: the segments a loaded collection serves) and the one in-process
 * replica of a loaded collection (GetReplicas).
 */
import { LoadState } from '../core/data-type.js';
import { collectionNotLoaded, MilvusError } from '../core/errors.js';
import { JobTable } from './job-table.js';
import type { CollectionRuntime } from './collection-runtime.js';

/** The Milvus API version Elanus speaks (GetVersion; clients gate features on it). */
export const MILVUS_API_VERSION = 'v2.6.0';

export type CompactionState = 'Executing' | 'Completed';

export interface CompactionJob {
  id: bigint;
  collectionId: number;
  state: CompactionState;
  /** Merge groups planned when the job started. */
  planCount: number;
  /** Merges done (once completed). */
  merged: number;
  /** Each merge's source segments and the segment they became (GetCompactionStateWithPlans). */
  mergeInfos: { sources: number[]; target: number }[];
  error: MilvusError | null;
}

export class CompactionJobs {
  private readonly jobs = new JobTable<CompactionJob>('compaction job', 'compactionID', 'compact()');

  /** Starts `run` (returns the merges it did) as job for `collectionId`; resolves at once. */
  start(collectionId: number, planCount: number, run: (onMerge: (sources: number[], target: number) => void) => Promise<number>): CompactionJob {
    const job = this.jobs.add((id) => ({ id, collectionId, state: 'Executing', planCount, merged: 0, mergeInfos: [], error: null }));
    run((sources, target) => job.mergeInfos.push({ sources, target })).then(
      (merged) => {
        job.merged = merged;
        job.state = 'Completed';
      },
      (err: unknown) => {
        job.error = MilvusError.from(err);
        job.state = 'Completed';
      },
    );
    return job;
  }

  get(id: unknown): CompactionJob {
    return this.jobs.get(id);
  }
}

export type SegmentStateName = 'Growing' | 'Flushing' | 'Flushed';

export interface SegmentInfo {
  segmentID: number;
  collectionID: number;
  partitionID: number;
  /** Rows stored in the segment (deleted rows count until compaction drops them, as in Milvus). */
  numRows: number;
  memSize: number;
  state: SegmentStateName;
  /** The vector index built on the segment, if any. */
  indexName: string;
  indexID: number;
}

/**
 * Segments of a collection. `served`: only what a loaded collection searches (its loaded
 * partitions' growing and resident sealed segments); a released collection is an error (101).
 */
export function segmentInfos(rt: CollectionRuntime, served: boolean): SegmentInfo[] {
  if (served && rt.load.state !== LoadState.Loaded) throw collectionNotLoaded(rt.meta.name);
  const parts = rt.load.partitions;
  const segs = served ? rt.store.segments().filter((s) => parts === null || parts.has(s.partitionId)) : rt.store.allSegments();
  return segs.map((s) => {
    const indexName = [...s.vectorIndexes.keys()][0] ?? '';
    return {
      segmentID: s.id,
      collectionID: rt.meta.id,
      partitionID: s.partitionId,
      numRows: s.rowCount,
      memSize: s.resident ? s.memoryBytes() : 0,
      state: !s.sealed ? 'Growing' : s.durable ? 'Flushed' : 'Flushing',
      indexName,
      indexID: rt.meta.indexes.find((i) => i.indexName === indexName)?.indexID ?? 0,
    };
  });
}

export interface ReplicaInfo {
  replicaID: number;
  collectionID: number;
  partitionIDs: number[];
  nodeIDs: number[];
  resourceGroup: string;
}

/** The node id Elanus reports for itself (one process is one query node). */
export const LOCAL_NODE_ID = 1;

/** A loaded collection has one replica, on this process. */
export function replicas(rt: CollectionRuntime): ReplicaInfo[] {
  if (rt.load.state !== LoadState.Loaded) throw collectionNotLoaded(rt.meta.name);
  const parts = rt.load.partitions;
  return [
    {
      replicaID: rt.meta.id,
      collectionID: rt.meta.id,
      partitionIDs: rt.meta.partitions.filter((p) => parts === null || parts.has(p.id)).map((p) => p.id),
      nodeIDs: [LOCAL_NODE_ID],
      resourceGroup: '__default_resource_group',
    },
  ];
}

export interface CollectionStats {
  db: string;
  name: string;
  rows: number;
  loaded: boolean;
  /** Bytes of segment data held in memory (indexes not included). */
  memoryBytes: number;
  segments: number;
  indexes: { name: string; indexedRows: number; pendingRows: number; failed: boolean }[];
}

/** What a metrics scrape reports about one collection. */
export function collectionStats(rt: CollectionRuntime): CollectionStats {
  return {
    db: rt.meta.dbName,
    name: rt.meta.name,
    rows: rt.store.rowCount,
    loaded: rt.load.state === LoadState.Loaded,
    memoryBytes: rt.store.memoryBytes(),
    segments: rt.store.allSegments().length,
    indexes: rt.meta.indexes.map((m) => {
      const p = rt.indexes.progress(m);
      return { name: m.indexName, indexedRows: p.indexedRows, pendingRows: p.pendingRows, failed: p.failReason !== '' };
    }),
  };
}
