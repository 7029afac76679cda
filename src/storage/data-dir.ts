/**
 * A data directory: the catalog plus one CollectionStore per collection, made durable with a WAL,
 * segment files, delete files and an atomically replaced manifest (see README.md for the layout).
 * `DataDir.open(null)` gives a purely in-memory instance (used by tests that do not exercise
 * durability).
 *
 * Open: take the lock, read the manifest (source of truth), replay the WAL (truncating a torn tail),
 * commit a fresh manifest, delete files nothing references. Collections come back released: only
 * growing segments (rebuilt from the WAL) and delete bitmaps are in memory until `loadStore`.
 *
 * Faults: a failed WAL write, segment write or manifest write degrades the directory (`health()`):
 * writes fail fast with "storage degraded: <cause>" while reads go on, and a timer retries every
 * `recoverMs` — the WAL is cut back to its last durable byte once a probe write succeeds, failed
 * segment writes are redone, a manifest that failed is written again. `RESERVE` (`reserveBytes` of
 * zeros) is space held back for the manifest: a manifest write that meets a full disk deletes it
 * and retries, so dropping or truncating a collection can always free space; it is made again once
 * the disk takes writes.
 */
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, unlinkSync } from 'node:fs';
import { readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { emptyCatalog, type CatalogState, type CollectionMeta } from './catalog.js';
import { CollectionStore, defaultStoreOptions, type StoreOptions } from './collection-store.js';
import { cloneCatalog, recordChange } from './catalog-change.js';
import { fsyncDir, ioError, replaceFileAtomic, writeFileDurable } from './fs-util.js';
import { acquireLock, releaseLock } from './lock.js';
import { encodeManifest, readManifest, type CollectionFiles, type ManifestState } from './manifest.js';
import type { StoreHost } from './store-host.js';
import { degradedError, Wal } from './wal.js';
import { readCollectionId, readDelete, readInsert, readUpsert, RecordType, type InsertBody } from './wal-record.js';
import type { ByteReader } from './bytes.js';
import { DataType } from '../core/data-type.js';
import { ErrorCode, MilvusError } from '../core/errors.js';

export interface DataDirOptions {
  store?: Partial<StoreOptions>;
  /** Start a new WAL file past this size (default 64 MiB). */
  walFileBytes?: number;
  /** Seal everything and drop old WAL files once the WAL exceeds this (default 256 MiB). */
  walCheckpointBytes?: number;
  /** Background task failures (seal writes, compaction); default: printed to stderr. */
  onBackgroundError?: (err: unknown) => void;
  /** Open only an existing data directory (one with a `wal/` folder); never create one. */
  mustExist?: boolean;
  /** While degraded, retry the failed writes this often (default 1000 ms). */
  recoverMs?: number;
  /** Bytes kept in `RESERVE` for manifest writes on a full disk (default 2 MiB; 0 = none). */
  reserveBytes?: number;
}

/** What `health()` reports: ok, or degraded with the fault's message. */
export interface StorageHealth {
  ok: boolean;
  /** The fault that degraded the directory ("" when ok). */
  cause: string;
  /** Times the directory went from healthy to degraded since it was opened. */
  degradedCount: number;
}

export class DataDir {
  private readonly stores = new Map<number, CollectionStore>();
  private readonly storeOpts: StoreOptions;
  private wal: Wal | null = null;
  private persisted: Record<string, CollectionFiles> = {};
  private commitChain: Promise<unknown> = Promise.resolve();
  private serialChain: Promise<unknown> = Promise.resolve();
  private readonly pins = new Map<string, number>();
  private readonly retired = new Set<string>();
  private readonly droppedIds = new Set<number>();
  private checkpointing: Promise<void> | null = null;
  private pendingSerial = 0;
  /** close() finished: nothing may write the manifest any more (another process may own the directory). */
  private shut = false;
  private closed = false;
  private readonly host: StoreHost;
  /** The catalog as the durable manifest has it (what a failed change rolls memory back to). */
  private committedCatalog: CatalogState | null = null;
  /** Bytes of the durable manifest (written back if a rename went through but its dir fsync failed). */
  private committedBytes: Uint8Array | null = null;
  /** A manifest or segment write failed and has not been redone yet. */
  private writeFault: MilvusError | null = null;
  private recoverTimer: NodeJS.Timeout | null = null;
  private recovering: Promise<boolean> | null = null;
  private reserveMissing = false;
  private reserveTriedAt = 0;
  private degradedCount = 0;
  private wasHealthy = true;

  private constructor(
    readonly path: string | null,
    readonly catalog: CatalogState,
    private readonly opts: DataDirOptions,
  ) {
    this.storeOpts = { ...defaultStoreOptions, ...opts.store };
    this.host = this.makeHost();
  }

  static async open(path: string | null, opts: DataDirOptions = {}): Promise<DataDir> {
    if (path === null) return new DataDir(null, emptyCatalog(), opts);
    if (opts.mustExist && !existsSync(join(path, 'wal'))) {
      throw new MilvusError(ErrorCode.IoFailed, existsSync(path) ? `${path} is not an Elanus data directory (it has no wal/ folder)` : `data directory ${path} does not exist`);
    }
    try {
      mkdirSync(join(path, 'wal'), { recursive: true });
      mkdirSync(join(path, 'collections'), { recursive: true });
    } catch (err) {
      throw ioError('creating data directory', path, err);
    }
    const lock = join(path, 'LOCK');
    acquireLock(lock);
    let dd: DataDir | undefined;
    try {
      const manifest = readManifest(join(path, 'MANIFEST'));
      dd = new DataDir(path, manifest?.catalog ?? emptyCatalog(), opts);
      dd.persisted = manifest?.collections ?? {};
      // Before any background work starts: files the manifest does not name are crash leftovers.
      dd.removeOrphans();
      let replayed = 0;
      const opening = dd;
      const openWal = (): Promise<Wal> =>
        Wal.open(join(path, 'wal'), { fileBytes: opts.walFileBytes ?? 64 << 20 }, (type, lsn, r) => {
          opening.replay(type, lsn, r);
          replayed++;
        });
      try {
        dd.wal = await openWal();
      } catch (err) {
        // A full disk: the reserve makes room for the new WAL file (replay starts over).
        if (!isNoSpace(err) || !dd.dropReserve()) throw err;
        dd = new DataDir(path, manifest?.catalog ?? emptyCatalog(), opts);
        dd.persisted = manifest?.collections ?? {};
        const again = dd;
        replayed = 0;
        dd.wal = await Wal.open(join(path, 'wal'), { fileBytes: opts.walFileBytes ?? 64 << 20 }, (type, lsn, r) => {
          again.replay(type, lsn, r);
          replayed++;
        });
      }
      for (const s of dd.stores.values()) s.afterReplay();
      const ready = dd;
      dd.wal.onApplyError = (err) => ready.backgroundError(err);
      if (!manifest || replayed > 0) await dd.commit();
      dd.committedCatalog ??= cloneCatalog(dd.catalog);
      await dd.makeReserve();
      return dd;
    } catch (err) {
      await dd?.wal?.close().catch(() => undefined);
      releaseLock(lock);
      throw err;
    }
  }

  /** A fresh id for a database, collection, partition, index or segment. */
  allocId(): number {
    return this.catalog.nextId++;
  }

  /** Makes the current catalog state (and every store's files state) durable: atomic manifest replace. */
  async commit(): Promise<void> {
    if (!this.path) return;
    const p = this.commitChain.then(() => this.writeManifest(this.catalog));
    this.commitChain = p.catch(() => undefined);
    return p;
  }

  /**
   * A catalog change as a transaction: `change` runs (at the head of the commit queue, so it sees
   * every earlier change) against the catalog, which is then put back as it was in the same tick;
   * the changed catalog is written as the manifest and only once that is durable does memory take
   * the change. A failed write leaves memory exactly as before and throws. Ids handed out by
   * `allocId` inside `change` stay used either way. Returns what `change` returned.
   */
  async change<T>(change: (catalog: CatalogState) => T): Promise<T> {
    const run = async (): Promise<T> => {
      let draft: CatalogState | null = null;
      const { result, change: ch } = recordChange(this.catalog, (cat) => {
        const r = change(cat);
        draft = cloneCatalog(cat);
        return r;
      });
      if (!ch.changed || !draft) return result;
      if (this.path) await this.writeManifest(draft);
      ch.redo();
      return result;
    };
    const p = this.commitChain.then(run);
    this.commitChain = p.catch(() => undefined);
    return p;
  }

  private async writeManifest(catalog: CatalogState): Promise<void> {
    if (this.shut) throw new MilvusError(ErrorCode.ServiceNotReady, `data directory ${this.path} is closed; manifest not written`);
    const collections: Record<string, CollectionFiles> = {};
    const dropFloor = this.wal!.lastLsn + 1;
    for (const c of catalog.collections) {
      const st = this.stores.get(c.id);
      const files = this.droppedIds.has(c.id) ? { growingFloor: dropFloor, sealed: [], dead: [] } : (st?.filesState() ?? this.persisted[String(c.id)]);
      if (files) collections[String(c.id)] = files;
    }
    // The id counter only grows (ids handed out meanwhile must not be handed out again).
    const state: ManifestState = { catalog: { ...catalog, nextId: Math.max(catalog.nextId, this.catalog.nextId) }, collections };
    const bytes = encodeManifest(state);
    await this.replaceManifest(bytes);
    this.committedCatalog = cloneCatalog(state.catalog);
    this.committedBytes = bytes;
    this.persisted = collections;
    let needed = this.wal!.lastLsn + 1;
    for (const f of Object.values(collections)) {
      needed = Math.min(needed, f.growingFloor);
      for (const s of f.sealed) needed = Math.min(needed, s.delLsn + 1);
    }
    await this.wal!.removeBefore(needed);
  }

  /**
   * Writes the manifest; on a full disk deletes `RESERVE` and tries once more. When the rename went
   * through but the directory fsync failed, the previous manifest is put back (memory keeps the
   * previous state, so the disk must too).
   */
  private async replaceManifest(bytes: Uint8Array): Promise<void> {
    const path = join(this.path!, 'MANIFEST');
    try {
      try {
        await replaceFileAtomic(path, bytes);
      } catch (err) {
        if (!isNoSpace(err) || !this.dropReserve()) throw err;
        await replaceFileAtomic(path, bytes);
      }
    } catch (err) {
      const e = ioError('writing manifest', path, err);
      if (e.message.includes('syncing the directory') && this.committedBytes) {
        await replaceFileAtomic(path, this.committedBytes).catch(() => undefined);
      }
      this.noteFault(e);
      throw e;
    }
  }

  private reservePath(): string {
    return join(this.path!, 'RESERVE');
  }

  /** Creates `RESERVE` when missing (best effort: a full disk just leaves it missing, retried after later writes). */
  private async makeReserve(): Promise<void> {
    const size = this.opts.reserveBytes ?? 2 << 20;
    if (!this.path || size <= 0) return;
    const p = this.reservePath();
    this.reserveTriedAt = Date.now();
    try {
      if (existsSync(p) && statSync(p).size === size) {
        this.reserveMissing = false;
        return;
      }
      await writeFileDurable(p, [new Uint8Array(size)]);
      this.reserveMissing = false;
    } catch {
      this.reserveMissing = true;
    }
  }

  /** After a write: a missing reserve is made again (at most once a second, in the background). */
  private retryReserve(): void {
    if (!this.reserveMissing || this.closed || this.degradedCause() !== null || Date.now() - this.reserveTriedAt < 1000) return;
    this.reserveTriedAt = Date.now();
    void this.serial(() => this.makeReserve());
  }

  private dropReserve(): boolean {
    if (!this.path || !existsSync(this.reservePath())) return false;
    try {
      unlinkSync(this.reservePath());
      this.reserveMissing = true;
      return true;
    } catch {
      return false;
    }
  }

  /** ok, or the fault that degraded the directory (WAL, manifest or segment write). */
  health(): StorageHealth {
    const f = this.degradedCause();
    return { ok: f === null, cause: f?.message ?? '', degradedCount: this.degradedCount };
  }

  private degradedCause(): MilvusError | null {
    return this.wal?.degraded ?? this.writeFault;
  }

  /** A write failed: degraded until the retry timer gets it through. */
  private noteFault(err: unknown): void {
    if (!this.path || this.closed) return;
    if (!this.writeFault) this.writeFault = MilvusError.from(err);
    this.watchRecovery();
  }

  private watchRecovery(): void {
    if (this.wasHealthy && this.degradedCause()) {
      this.wasHealthy = false;
      this.degradedCount++;
    }
    if (this.recoverTimer || this.closed) return;
    this.recoverTimer = setInterval(() => void this.tryRecover(), this.opts.recoverMs ?? 1000);
    this.recoverTimer.unref();
  }

  /** One recovery attempt: probe the disk, reopen the WAL position, redo failed writes (one at a time). */
  tryRecover(): Promise<boolean> {
    this.recovering ??= this.recoverOnce().finally(() => (this.recovering = null));
    return this.recovering;
  }

  private async recoverOnce(): Promise<boolean> {
    if (!this.path || !this.wal || this.closed) return false;
    if (this.degradedCause() === null) return this.recovered();
    try {
      // A write that must succeed before the WAL takes records again (a full disk fails it).
      const probe = join(this.path, 'wal', 'PROBE');
      await writeFileDurable(probe, [new Uint8Array(4096)]);
      await unlink(probe);
    } catch (err) {
      if (!this.wal.degraded) this.writeFault = ioError('probing', this.path, err);
      return false;
    }
    if (!(await this.wal.recover())) return false;
    if (this.writeFault) {
      this.writeFault = null;
      try {
        for (const s of this.stores.values()) s.retryPersist();
        await this.commit();
      } catch {
        return false;
      }
    }
    return this.recovered();
  }

  private async recovered(): Promise<boolean> {
    if (this.degradedCause() !== null) return false;
    if (this.recoverTimer) clearInterval(this.recoverTimer);
    this.recoverTimer = null;
    this.wasHealthy = true;
    await this.makeReserve();
    return true;
  }

  /** The store of a collection (created on first use; sealed segments start non-resident). */
  store(meta: CollectionMeta): CollectionStore {
    let s = this.stores.get(meta.id);
    if (!s) {
      s = new CollectionStore(meta, () => this.allocId(), this.storeOpts, this.host);
      if (this.path) {
        mkdirSync(this.collectionDir(meta.id), { recursive: true });
        const files = this.persisted[String(meta.id)];
        if (files) s.restore(files);
      }
      this.stores.set(meta.id, s);
      this.droppedIds.delete(meta.id);
    }
    return s;
  }

  /** Reads a collection's sealed segments into memory (no-op when already resident). */
  async loadStore(meta: CollectionMeta): Promise<CollectionStore> {
    const s = this.store(meta);
    await s.load();
    return s;
  }

  /** Drops a collection's sealed segment data from memory (it stays on disk; growing data stays). */
  releaseStore(id: number): void {
    this.stores.get(id)?.release();
  }

  /** Deletes a collection's data for good. */
  async dropStore(id: number): Promise<void> {
    this.stores.delete(id);
    if (!this.path) return;
    this.droppedIds.add(id);
    await this.serial(async () => {
      await this.commit();
      rmSync(this.collectionDir(id), { recursive: true, force: true });
    });
    await this.reclaimIfDegraded();
  }

  /**
   * On a degraded directory (a full disk, most likely) a drop or truncate should give space back,
   * but the rows it removed may still sit in the current WAL file: start a new one, seal the other
   * collections' growing rows (small) and commit, so the old WAL files can go. Best effort.
   */
  async reclaimIfDegraded(): Promise<void> {
    if (!this.wal || this.degradedCause() === null || this.closed) return;
    try {
      if (!(await this.wal.recover())) return;
      await this.wal.rotate();
      for (const s of [...this.stores.values()]) await s.checkpoint();
      await this.commit();
    } catch {
      /* still no room: the recovery timer goes on trying */
    }
    void this.tryRecover();
  }

  /** Seals all growing data of every collection and checkpoints deletes (Milvus flush_all). */
  async flushAll(): Promise<void> {
    for (const c of this.catalog.collections) await this.store(c).flush();
    await this.commit();
  }

  /** Writes (atomically replaces) an index file of a sealed segment. The bytes carry their own magic/version/CRC. */
  async saveIndexFile(collectionId: number, segmentId: number, name: string, bytes: Uint8Array): Promise<void> {
    if (!this.path) return;
    mkdirSync(this.collectionDir(collectionId), { recursive: true });
    await replaceFileAtomic(this.indexPath(collectionId, segmentId, name), bytes);
  }

  /** An index file's bytes, or undefined when there is none. */
  async readIndexFile(collectionId: number, segmentId: number, name: string): Promise<Uint8Array | undefined> {
    if (!this.path) return undefined;
    const p = this.indexPath(collectionId, segmentId, name);
    try {
      return await readFile(p);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw ioError('reading index file', p, err);
    }
  }

  /** Deletes index files of a collection: all, one segment's, one index name's, or one exactly. */
  async deleteIndexFiles(collectionId: number, segmentId?: number, name?: string): Promise<void> {
    if (!this.path) return;
    const dir = this.collectionDir(collectionId);
    if (!existsSync(dir)) return;
    const seg = segmentId === undefined ? undefined : `${segmentId}`;
    const nm = name === undefined ? undefined : Buffer.from(name).toString('hex');
    for (const f of readdirSync(dir)) {
      const m = /^idx-(\d+)-([0-9a-f]*)\.idx$/.exec(f);
      if (!m || (seg !== undefined && m[1] !== seg) || (nm !== undefined && m[2] !== nm)) continue;
      await unlink(join(dir, f)).catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.path) {
      await this.checkpointing;
      // Background seals may queue more work (a compaction check) as they finish: wait until quiet.
      while (this.pendingSerial > 0) await this.serialChain;
      if (this.recoverTimer) clearInterval(this.recoverTimer);
      this.recoverTimer = null;
      await this.recovering;
      await this.wal?.close();
      await this.commitChain;
      this.shut = true;
      releaseLock(join(this.path, 'LOCK'));
    }
    this.stores.clear();
  }

  // ---------------------------------------------------------------- internals

  private collectionDir(id: number): string {
    return join(this.path!, 'collections', String(id));
  }

  private indexPath(collectionId: number, segmentId: number, name: string): string {
    return join(this.collectionDir(collectionId), `idx-${segmentId}-${Buffer.from(name).toString('hex')}.idx`);
  }

  private serial<T>(task: () => Promise<T>): Promise<T> {
    this.pendingSerial++;
    const p = this.serialChain.then(task).finally(() => this.pendingSerial--);
    this.serialChain = p.catch(() => undefined);
    return p;
  }

  private unlinkNow(path: string): void {
    try {
      unlinkSync(path);
    } catch {
      /* already gone */
    }
  }

  private makeHost(): StoreHost {
    return {
      durable: this.path !== null,
      allocId: () => this.allocId(),
      append: (build, hooks) => {
        if (!this.wal) {
          hooks?.apply?.(0);
          return 0;
        }
        if (this.closed) throw new MilvusError(ErrorCode.ServiceNotReady, `data directory ${this.path} is closed`);
        if (this.writeFault && !this.wal.degraded) throw degradedError(this.writeFault);
        return this.wal.append(build(), hooks);
      },
      sync: (lsn) => {
        if (!this.wal) return Promise.resolve();
        return this.wal.sync(lsn).catch((err: unknown) => {
          this.watchRecovery();
          throw err;
        });
      },
      lastLsn: () => this.wal?.lastLsn ?? 0,
      appliedLsn: () => this.wal?.appliedLsn ?? 0,
      serial: (task) => this.serial(task),
      commit: () => this.commit(),
      // In memory there are no files; compaction still asks for the merged segment's (unused) path.
      segPath: (c, s) => (this.path === null ? '' : join(this.collectionDir(c), `seg-${s}.seg`)),
      delPath: (c, s, g) => (this.path === null ? '' : join(this.collectionDir(c), `seg-${s}-${g}.del`)),
      syncCollectionDir: (c) => fsyncDir(this.collectionDir(c)),
      pin: (p) => this.pins.set(p, (this.pins.get(p) ?? 0) + 1),
      unpin: (p) => {
        const n = (this.pins.get(p) ?? 1) - 1;
        if (n > 0) this.pins.set(p, n);
        else {
          this.pins.delete(p);
          if (this.retired.delete(p)) this.unlinkNow(p);
        }
      },
      retire: (paths) => {
        for (const p of paths) {
          if (this.pins.has(p)) this.retired.add(p);
          else this.unlinkNow(p);
        }
      },
      retireSegmentIndexes: (c, s) => {
        void this.deleteIndexFiles(c, s).catch((err: unknown) => this.backgroundError(err));
      },
      backgroundError: (err) => this.backgroundError(err),
      beforeFreeing: async () => {
        const cause = this.degradedCause();
        if (!cause || !this.wal) return;
        // Its WAL record is tiny, but a full disk has no room at all: the reserve gives some.
        if (isNoSpace(cause)) this.dropReserve();
        await this.wal.recover();
      },
      afterFreeing: () => this.reclaimIfDegraded(),
      afterWrite: () => {
        this.maybeCheckpoint();
        this.retryReserve();
      },
      closing: () => this.closed,
    };
  }

  private backgroundError(err: unknown): void {
    if (err instanceof MilvusError && err.code === ErrorCode.IoFailed) this.noteFault(err);
    if (this.opts.onBackgroundError) this.opts.onBackgroundError(err);
    else console.error('elanus storage background task failed:', err);
  }

  /** Once the WAL grows past the threshold: seal everything, checkpoint deletes, drop old WAL files. */
  private maybeCheckpoint(): void {
    if (!this.wal || this.checkpointing || this.closed) return;
    if (this.wal.totalBytes < (this.opts.walCheckpointBytes ?? 256 << 20)) return;
    this.checkpointing = (async () => {
      for (const s of [...this.stores.values()]) await s.checkpoint();
      await this.commit();
    })()
      .catch((err: unknown) => this.backgroundError(err))
      .finally(() => (this.checkpointing = null));
  }

  private replay(type: number, lsn: number, r: ByteReader): void {
    const cid = readCollectionId(r);
    const meta = this.catalog.collections.find((c) => c.id === cid);
    if (!meta) return;
    const st = this.store(meta);
    const bump = (segId: number): void => {
      if (this.catalog.nextId <= segId) this.catalog.nextId = segId + 1;
    };
    const autoIds = (ins: InsertBody): void => {
      const pk = meta.schema.fields.find((f) => f.isPrimaryKey);
      const col = pk?.autoID ? ins.columns.get(pk.name) : undefined;
      if (!col || col.type !== DataType.Int64) return;
      let next = BigInt(meta.nextAutoId || '0');
      for (let i = 0; i < ins.rows; i++) if (col.data[i]! >= next) next = col.data[i]! + 1n;
      meta.nextAutoId = next.toString();
    };
    switch (type) {
      case RecordType.Insert: {
        const ins = readInsert(r);
        bump(ins.segmentId);
        autoIds(ins);
        st.replayInsert(lsn, ins);
        break;
      }
      case RecordType.Delete:
        st.replayDelete(lsn, readDelete(r));
        break;
      case RecordType.Upsert: {
        const { del, ins } = readUpsert(r);
        bump(ins.segmentId);
        autoIds(ins);
        st.replayDelete(lsn, del);
        st.replayInsert(lsn, ins);
        break;
      }
      case RecordType.Truncate:
        st.replayRemove(lsn, null);
        break;
      case RecordType.DropPartition:
        r.u64();
        st.replayRemove(lsn, r.u64());
        break;
      default:
        throw new MilvusError(ErrorCode.DataCorrupted, `data corrupted in ${r.file}: unknown WAL record type ${type} at LSN ${lsn}`);
    }
  }

  /** Deletes files the manifest does not reference (left by a crash mid-seal / mid-compaction / mid-drop). */
  private removeOrphans(): void {
    const root = join(this.path!, 'collections');
    const live = new Map<string, CollectionFiles>(Object.entries(this.persisted));
    for (const dir of readdirSync(root)) {
      const files = live.get(dir);
      const full = join(root, dir);
      if (!files || !this.catalog.collections.some((c) => String(c.id) === dir)) {
        rmSync(full, { recursive: true, force: true });
        continue;
      }
      const keep = new Set<string>();
      const segIds = new Set<string>();
      for (const s of files.sealed) {
        keep.add(`seg-${s.id}.seg`);
        if (s.delGen > 0) keep.add(`seg-${s.id}-${s.delGen}.del`);
        segIds.add(String(s.id));
      }
      for (const f of readdirSync(full)) {
        const idx = /^idx-(\d+)-/.exec(f);
        if (idx ? segIds.has(idx[1]!) && !f.endsWith('.tmp') : keep.has(f)) continue;
        this.unlinkNow(join(full, f));
      }
    }
  }
}

function isNoSpace(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOSPC' || code === 'EDQUOT' || (err instanceof Error && /ENOSPC|no space left/i.test(err.message));
}
