/**
 * A data directory: the catalog plus one CollectionStore per collection, made durable with a WAL,
 * segment files, delete files and an atomically replaced manifest (see README.md for the layout).
 * `DataDir.open(null)` gives a purely in-memory instance (used by tests that do not exercise
 * durability).
 *
 * Open: take the lock, read the manifest (source of truth), replay the WAL (truncating a torn tail),
 * commit a fresh manifest, delete files nothing references. Collections come back released: only
 * growing segments (rebuilt from the WAL) and delete bitmaps are in memory until `loadStore`.
 */
import { existsSync, mkdirSync, readdirSync, rmSync, unlinkSync } from 'node:fs';
import { readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { emptyCatalog, type CatalogState, type CollectionMeta } from './catalog.js';
import { CollectionStore, defaultStoreOptions, type StoreOptions } from './collection-store.js';
import { fsyncDir, ioError, replaceFileAtomic } from './fs-util.js';
import { acquireLock, releaseLock } from './lock.js';
import { encodeManifest, readManifest, type CollectionFiles, type ManifestState } from './manifest.js';
import type { StoreHost } from './store-host.js';
import { Wal } from './wal.js';
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
      dd.wal = await Wal.open(join(path, 'wal'), { fileBytes: opts.walFileBytes ?? 64 << 20 }, (type, lsn, r) => {
        opening.replay(type, lsn, r);
        replayed++;
      });
      for (const s of dd.stores.values()) s.afterReplay();
      if (!manifest || replayed > 0) await dd.commit();
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
    const p = this.commitChain.then(() => this.writeManifest());
    this.commitChain = p.catch(() => undefined);
    return p;
  }

  private async writeManifest(): Promise<void> {
    if (this.shut) throw new MilvusError(ErrorCode.ServiceNotReady, `data directory ${this.path} is closed; manifest not written`);
    const collections: Record<string, CollectionFiles> = {};
    for (const c of this.catalog.collections) {
      const st = this.stores.get(c.id);
      const files = this.droppedIds.has(c.id) ? { growingFloor: this.wal!.lastLsn + 1, sealed: [], dead: [] } : (st?.filesState() ?? this.persisted[String(c.id)]);
      if (files) collections[String(c.id)] = files;
    }
    const state: ManifestState = { catalog: this.catalog, collections };
    const bytes = encodeManifest(state);
    await replaceFileAtomic(join(this.path!, 'MANIFEST'), bytes);
    this.persisted = collections;
    let needed = this.wal!.lastLsn + 1;
    for (const f of Object.values(collections)) {
      needed = Math.min(needed, f.growingFloor);
      for (const s of f.sealed) needed = Math.min(needed, s.delLsn + 1);
    }
    await this.wal!.removeBefore(needed);
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
      append: (build) => {
        if (!this.wal) return 0;
        if (this.closed) throw new MilvusError(ErrorCode.ServiceNotReady, `data directory ${this.path} is closed`);
        return this.wal.append(build());
      },
      sync: (lsn) => (this.wal ? this.wal.sync(lsn) : Promise.resolve()),
      lastLsn: () => this.wal?.lastLsn ?? 0,
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
      afterWrite: () => this.maybeCheckpoint(),
      closing: () => this.closed,
    };
  }

  private backgroundError(err: unknown): void {
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
