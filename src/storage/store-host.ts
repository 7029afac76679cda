/**
 * What a CollectionStore needs from its data directory: ids, the WAL, the serial maintenance queue,
 * manifest commits and file paths / retirement. `memoryHost` is the purely in-memory version
 * (`DataDir.open(null)`, or a store constructed directly): no files, no WAL.
 */
import type { RecordHooks } from './wal.js';

export interface StoreHost {
  /** False for the in-memory host: nothing is written anywhere. */
  readonly durable: boolean;
  allocId(): number;
  /**
   * Appends a WAL record (built lazily, only when durable); returns its LSN (0 when not durable).
   * `hooks.apply` makes the change in memory once the record is durable (at once when not durable),
   * in LSN order; `hooks.abort` runs instead when the write fails.
   */
  append(build: () => Uint8Array, hooks?: RecordHooks): number;
  /** Resolves once the WAL is durable (and applied) up to `lsn`; rejects with the write's error. */
  sync(lsn: number): Promise<void>;
  /** The last LSN handed out. */
  lastLsn(): number;
  /** The last LSN applied in memory: memory shows exactly the records up to it. */
  appliedLsn(): number;
  /** Runs `task` after every maintenance task queued before it (seal writes, compaction, truncate). */
  serial<T>(task: () => Promise<T>): Promise<T>;
  /** Writes the manifest (catalog + every store's files state). */
  commit(): Promise<void>;
  segPath(collectionId: number, segmentId: number): string;
  delPath(collectionId: number, segmentId: number, gen: number): string;
  /** fsync the collection's folder (after creating files in it). */
  syncCollectionDir(collectionId: number): Promise<void>;
  /** Marks a file in use by a reader; `unpin` ends it. Retired files wait for their readers. */
  pin(path: string): void;
  unpin(path: string): void;
  /** Deletes files (now unreferenced by the durable manifest) once no reader holds them. */
  retire(paths: readonly string[]): void;
  /** Deletes the index files of a segment that no longer exists. */
  retireSegmentIndexes(collectionId: number, segmentId: number): void;
  /** A background task (seal, compaction, checkpoint) failed. */
  backgroundError(err: unknown): void;
  /** Before a truncate / partition drop: a degraded WAL reopens its position (the record is small and frees space). */
  beforeFreeing(): Promise<void>;
  /** After one: on a degraded directory, moves on from WAL files that held the removed rows. */
  afterFreeing(): Promise<void>;
  /** Called after durable writes; may start a WAL checkpoint in the background. */
  afterWrite(): void;
  /** The data directory is closing: start no optional background work (compaction). */
  closing(): boolean;
}

export function memoryHost(allocId: () => number): StoreHost {
  let chain: Promise<unknown> = Promise.resolve();
  return {
    durable: false,
    allocId,
    append: (_build, hooks) => {
      hooks?.apply?.(0);
      return 0;
    },
    sync: () => Promise.resolve(),
    lastLsn: () => 0,
    appliedLsn: () => 0,
    serial<T>(task: () => Promise<T>): Promise<T> {
      const p = chain.then(task);
      chain = p.catch(() => undefined);
      return p;
    },
    commit: () => Promise.resolve(),
    segPath: () => '',
    delPath: () => '',
    syncCollectionDir: () => Promise.resolve(),
    pin: () => undefined,
    unpin: () => undefined,
    retire: () => undefined,
    retireSegmentIndexes: () => undefined,
    backgroundError: () => undefined,
    beforeFreeing: () => Promise.resolve(),
    afterFreeing: () => Promise.resolve(),
    afterWrite: () => undefined,
    closing: () => false,
  };
}
