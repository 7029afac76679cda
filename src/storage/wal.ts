/**
 * The write-ahead log: append-only files `wal/<startLsn, 16 hex digits>.wal`, one sequence for the
 * whole data directory, with group commit (concurrent appends share one write + fdatasync; a caller's
 * `sync(lsn)` resolves only once its record is durable).
 *
 * File layout (little-endian):
 *   header, 24 bytes: magic "ELWL" | format version u32 (= 2; 1 is still replayed) | startLsn u64 |
 *                     reserved u32 | header CRC32C u32 (of bytes 0..19)
 *   version 2: an INSERT record's vector column may carry a validity bitmap (nullable vectors); a
 *   version 1 file never has one, so it replays the same. Appends always go to a fresh file of the
 *   current version (see `open`).
 *   records: length u32 (payload bytes) | CRC32C u32 of the 4 length bytes | CRC32C u32 of the
 *            payload | reserved u32 | payload
 *   payload: type u8 | 7 bytes zero | lsn u64 | type-specific body (wal-record.ts), 8-byte aligned
 * LSNs are contiguous across files (each record's LSN is the previous one's + 1).
 *
 * Visibility: a record's `apply` callback runs (in LSN order, synchronously, before any caller's
 * `sync` resolves) only once the record is durable, so memory never shows a write the disk lacks.
 * Failure: when a write or fdatasync fails, every record not yet durable — the batch in flight and
 * everything queued behind it, a suffix of the LSN sequence — is aborted (`abort` runs, each caller's
 * `sync` rejects with the error) and the WAL is degraded: appends fail fast with
 * "storage degraded: <cause>" until `recover()` cuts the file back to its last durable byte (so
 * nothing that failed can replay) and the LSNs of the failed records are handed out again.
 *
 * Replay: a torn tail in the LAST file — a frame header cut short, a record whose (checksummed)
 * length runs past the end of the file, or an all-zero tail — is truncated away. Anything else (a
 * payload or length checksum failure, an LSN gap, a bad header) is a DataCorrupted error naming the
 * file: a record that is complete on disk but does not verify was damaged, not torn.
 */
import { closeSync, ftruncateSync, fsyncSync, openSync, readdirSync, unlinkSync, writeSync } from 'node:fs';
import { open, readFile, unlink, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { dataCorrupted, ErrorCode, MilvusError } from '../core/errors.js';
import { ByteReader } from './bytes.js';
import { crc32c } from '../core/checksum.js';
import { faultPoint } from './faults.js';
import { advance, fsyncDir, fsyncDirSync, ioError } from './fs-util.js';

const MAGIC = 0x4c574c45; // "ELWL"
const VERSION = 2;
/** Versions replay understands (see the header comment). */
const READABLE = new Set([1, 2]);
export const WAL_HEADER = 24;
/** Record frame: length u32 | CRC32C of the length bytes u32 | payload CRC32C u32 | reserved u32. */
export const FRAME = 16;
/** Offset of the LSN inside a framed record (frame + type + 7 pad). */
export const LSN_OFFSET = 24;
const PAYLOAD_MIN = 16;

export interface WalFile {
  path: string;
  startLsn: number;
  size: number;
}

export interface WalOptions {
  /** Start a new file once the current one exceeds this many bytes. */
  fileBytes: number;
}

function fileName(startLsn: number): string {
  return `${startLsn.toString(16).padStart(16, '0')}.wal`;
}

function header(startLsn: number): Uint8Array {
  const b = new Uint8Array(WAL_HEADER);
  const dv = new DataView(b.buffer);
  dv.setUint32(0, MAGIC, true);
  dv.setUint32(4, VERSION, true);
  dv.setUint32(8, startLsn % 0x100000000, true);
  dv.setUint32(12, Math.floor(startLsn / 0x100000000), true);
  dv.setUint32(20, crc32c(b.subarray(0, 20)), true);
  return b;
}

export type ReplayFn = (type: number, lsn: number, payload: ByteReader) => void;

interface Waiter {
  lsn: number;
  resolve: () => void;
  reject: (e: unknown) => void;
}

/** What happens to a record's change in memory: `apply` once durable, `abort` if it never will be. */
export interface RecordHooks {
  apply?: (lsn: number) => void;
  abort?: () => void;
}

interface Pending extends RecordHooks {
  lsn: number;
}

/** The error appends get while the WAL is degraded. */
export function degradedError(cause: MilvusError): MilvusError {
  return new MilvusError(ErrorCode.IoFailed, `storage degraded: ${cause.message}`, true);
}

export class Wal {
  private files: WalFile[] = [];
  private fh: FileHandle | null = null;
  private queue: Uint8Array[] = [];
  private queuedLsn = 0;
  private waiters: Waiter[] = [];
  /** Records appended and not yet applied or aborted, in LSN order. */
  private pending: Pending[] = [];
  private running = false;
  private failed: MilvusError | null = null;
  private idle: Promise<void> = Promise.resolve();
  private idleResolve: (() => void) | null = null;
  lastLsn = 0;
  durableLsn = 0;
  /** The last LSN whose change is applied in memory (everything up to it is durable). */
  appliedLsn = 0;
  /** An `apply` callback threw (a bug): reported, the WAL goes on. */
  onApplyError: (err: unknown) => void = () => undefined;

  private constructor(
    readonly dir: string,
    private readonly opts: WalOptions,
  ) {}

  /**
   * Opens the WAL in `dir`: replays every record (in LSN order) through `replay`, truncates a torn
   * tail, then starts a fresh file for appends. `minLsn`: records below it may be skipped by the caller.
   */
  static async open(dir: string, opts: WalOptions, replay: ReplayFn): Promise<Wal> {
    const wal = new Wal(dir, opts);
    const names = readdirSync(dir)
      .filter((n) => /^[0-9a-f]{16}\.wal$/.test(n))
      .sort();
    let expect = -1;
    for (let i = 0; i < names.length; i++) {
      const path = join(dir, names[i]!);
      const last = i === names.length - 1;
      const end = await wal.replayFile(path, last, expect, replay);
      if (end.removed) continue;
      wal.files.push({ path, startLsn: end.startLsn, size: end.validBytes });
      expect = end.nextLsn;
    }
    wal.lastLsn = wal.durableLsn = wal.appliedLsn = Math.max(0, expect - 1);
    await wal.startFile(wal.lastLsn + 1);
    return wal;
  }

  private async replayFile(
    path: string,
    last: boolean,
    expect: number,
    replay: ReplayFn,
  ): Promise<{ removed: boolean; startLsn: number; nextLsn: number; validBytes: number }> {
    let buf: Uint8Array;
    try {
      buf = await readFile(path);
    } catch (err) {
      throw ioError('reading WAL file', path, err);
    }
    if (buf.length < WAL_HEADER) {
      if (!last) throw dataCorrupted(path, `WAL file header truncated (${buf.length} bytes)`);
      unlinkSync(path);
      return { removed: true, startLsn: 0, nextLsn: expect, validBytes: 0 };
    }
    const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    if (dv.getUint32(0, true) !== MAGIC) throw dataCorrupted(path, 'bad magic (not an Elanus WAL file)');
    const version = dv.getUint32(4, true);
    if (!READABLE.has(version)) throw dataCorrupted(path, `unsupported WAL format version ${version}`);
    if (crc32c(buf.subarray(0, 20)) !== dv.getUint32(20, true)) throw dataCorrupted(path, 'WAL file header checksum mismatch');
    const startLsn = dv.getUint32(8, true) + dv.getUint32(12, true) * 0x100000000;
    if (expect >= 0 && startLsn !== expect) throw dataCorrupted(path, `WAL starts at LSN ${startLsn}, expected ${expect} (a WAL file is missing)`);
    let lsnNext = startLsn;
    let off = WAL_HEADER;
    let torn = false;
    while (off < buf.length) {
      const rest = buf.length - off;
      if (rest < FRAME) {
        if (last) {
          torn = true; // a frame header cut short
          break;
        }
        throw dataCorrupted(path, `truncated WAL record frame at byte ${off}`);
      }
      const len = dv.getUint32(off, true);
      if (crc32c(buf.subarray(off, off + 4)) !== dv.getUint32(off + 4, true) || len < PAYLOAD_MIN) {
        if (last && allZero(buf, off)) {
          torn = true; // zero-filled tail
          break;
        }
        throw dataCorrupted(path, `bad WAL record frame (length checksum) at byte ${off} (LSN ${lsnNext})`);
      }
      if (off + FRAME + len > buf.length) {
        if (last) {
          torn = true; // the last record was cut short
          break;
        }
        throw dataCorrupted(path, `WAL record at byte ${off} runs past the end of the file`);
      }
      const payload = buf.subarray(off + FRAME, off + FRAME + len);
      if (crc32c(payload) !== dv.getUint32(off + 8, true)) throw dataCorrupted(path, `checksum mismatch in WAL record at byte ${off} (LSN ${lsnNext})`);
      const r = new ByteReader(payload, path);
      const type = r.u8();
      r.pos = 8;
      const lsn = r.u64();
      if (lsn !== lsnNext) throw dataCorrupted(path, `WAL record at byte ${off} has LSN ${lsn}, expected ${lsnNext}`);
      replay(type, lsn, r);
      lsnNext++;
      off += FRAME + len;
    }
    if (torn) {
      const fd = openSync(path, 'r+');
      try {
        ftruncateSync(fd, off);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    }
    return { removed: false, startLsn, nextLsn: lsnNext, validBytes: off };
  }

  private async startFile(startLsn: number): Promise<void> {
    const path = join(this.dir, fileName(startLsn));
    try {
      const old = this.fh;
      this.fh = null;
      if (old) await old.close();
      const fd = openSync(path, 'w');
      try {
        faultPoint('write', path);
        writeSync(fd, header(startLsn));
        faultPoint('fsync', path);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      fsyncDirSync(this.dir);
      this.fh = await open(path, 'a');
    } catch (err) {
      // A file that never got its header is nothing; remove it so replay never sees it.
      try {
        unlinkSync(path);
      } catch {
        /* not created */
      }
      throw ioError('creating WAL file', path, err);
    }
    if (this.files.at(-1)?.path === path) this.files.pop();
    this.files.push({ path, startLsn, size: WAL_HEADER });
  }

  /** Total bytes in WAL files. */
  get totalBytes(): number {
    let n = 0;
    for (const f of this.files) n += f.size;
    return n;
  }

  /** The fault that degraded the WAL, or null when healthy. */
  get degraded(): MilvusError | null {
    return this.failed;
  }

  /**
   * Appends a framed record (built by wal-record.ts, frame fields blank): assigns the next LSN,
   * checksums it and queues it for the next group write. Returns the LSN. `hooks.apply` runs once
   * the record is durable (in LSN order), `hooks.abort` if the write fails.
   */
  append(rec: Uint8Array, hooks: RecordHooks = {}): number {
    if (this.failed) throw degradedError(this.failed);
    const lsn = ++this.lastLsn;
    const dv = new DataView(rec.buffer, rec.byteOffset, rec.byteLength);
    dv.setUint32(LSN_OFFSET, lsn % 0x100000000, true);
    dv.setUint32(LSN_OFFSET + 4, Math.floor(lsn / 0x100000000), true);
    dv.setUint32(0, rec.length - FRAME, true);
    dv.setUint32(4, crc32c(rec.subarray(0, 4)), true);
    dv.setUint32(8, crc32c(rec.subarray(FRAME)), true);
    this.queue.push(rec);
    this.queuedLsn = lsn;
    this.pending.push({ lsn, apply: hooks.apply, abort: hooks.abort });
    this.kick();
    return lsn;
  }

  /** Resolves once every record up to `lsn` is on disk (fdatasync'd) and applied. */
  sync(lsn: number): Promise<void> {
    if (lsn <= this.durableLsn) return Promise.resolve();
    if (this.failed) return Promise.reject(this.failed);
    return new Promise((resolve, reject) => {
      this.waiters.push({ lsn, resolve, reject });
      this.kick();
    });
  }

  private kick(): void {
    if (this.running || this.queue.length === 0) return;
    this.running = true;
    this.idle = new Promise((r) => (this.idleResolve = r));
    void this.loop();
  }

  private async loop(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const batch = this.queue;
        const upto = this.queuedLsn;
        this.queue = [];
        const fh = this.fh;
        const file = this.files[this.files.length - 1]!;
        if (!fh) throw ioError('writing WAL', file.path, 'no open WAL file');
        let pending: Uint8Array[] = batch;
        let bytes = 0;
        for (const b of batch) bytes += b.length;
        while (pending.length > 0) {
          faultPoint('write', file.path);
          const { bytesWritten } = await fh.writev(pending.slice(0, 1024));
          pending = advance(pending, bytesWritten);
        }
        faultPoint('fsync', file.path);
        await fh.datasync();
        file.size += bytes;
        this.durableLsn = upto;
        this.applyUpTo(upto);
        const still: Waiter[] = [];
        for (const w of this.waiters) {
          if (w.lsn <= upto) w.resolve();
          else still.push(w);
        }
        this.waiters = still;
        if (this.files[this.files.length - 1]!.size >= this.opts.fileBytes) await this.startFile(upto + 1);
      }
    } catch (err) {
      this.fail(ioError('writing WAL', this.files.at(-1)?.path ?? this.dir, err));
    } finally {
      this.running = false;
      this.idleResolve?.();
      if (this.queue.length > 0 && !this.failed) this.kick();
    }
  }

  private applyUpTo(upto: number): void {
    let i = 0;
    for (; i < this.pending.length && this.pending[i]!.lsn <= upto; i++) {
      const p = this.pending[i]!;
      this.appliedLsn = p.lsn;
      try {
        p.apply?.(p.lsn);
      } catch (err) {
        this.onApplyError(err);
      }
    }
    this.pending = this.pending.slice(i);
    this.appliedLsn = upto;
  }

  /** Aborts every record not yet durable, rejects their callers and degrades the WAL. */
  private fail(err: MilvusError): void {
    this.failed = err;
    const aborted = this.pending;
    this.pending = [];
    this.queue = [];
    this.lastLsn = this.queuedLsn = this.durableLsn;
    for (const p of aborted) {
      try {
        p.abort?.();
      } catch (e) {
        this.onApplyError(e);
      }
    }
    for (const w of this.waiters) w.reject(err);
    this.waiters = [];
    // Best effort now (recover() repeats it): cut what the failed batch may have left on disk.
    this.truncateTail();
  }

  /** Cuts the current file back to its last durable byte; true when that is on disk. */
  private truncateTail(): boolean {
    const file = this.files.at(-1);
    if (!file || !this.fh) return false;
    try {
      faultPoint('write', file.path);
      ftruncateSync(this.fh.fd, file.size);
      faultPoint('fsync', file.path);
      fsyncSync(this.fh.fd);
      return true;
    } catch {
      return false;
    }
  }

  /**
   * Leaves the degraded state once the disk takes writes again: the current file is cut back to
   * its last durable record (or a fresh file is started when there is none open). Returns true when
   * the WAL accepts appends again; false (still degraded, the cause updated) otherwise.
   */
  async recover(): Promise<boolean> {
    if (!this.failed) return true;
    if (this.running) await this.idle;
    try {
      if (!this.fh) await this.startFile(this.durableLsn + 1);
      else if (!this.truncateTail()) throw ioError('truncating WAL', this.files.at(-1)!.path, 'ftruncate/fsync failed');
      this.failed = null;
      return true;
    } catch (err) {
      this.failed = ioError('recovering WAL', this.dir, err);
      return false;
    }
  }

  /** Starts a new file once everything queued is written, so older files can be removed. */
  async rotate(): Promise<void> {
    await this.drain();
    if (this.failed) throw degradedError(this.failed);
    if (this.files.at(-1)!.size > WAL_HEADER) await this.startFile(this.lastLsn + 1);
  }

  /** Waits until nothing is queued or being written. */
  async drain(): Promise<void> {
    while (this.running || this.queue.length > 0) {
      this.kick();
      await this.idle;
    }
  }

  /** Deletes whole files whose records all have LSN < `lsn` (never the current file). */
  async removeBefore(lsn: number): Promise<void> {
    let removed = false;
    while (this.files.length > 1 && this.files[1]!.startLsn <= lsn) {
      const f = this.files[0]!;
      try {
        await unlink(f.path);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw ioError('removing WAL file', f.path, err);
      }
      this.files.shift();
      removed = true;
    }
    if (removed) await fsyncDir(this.dir);
  }

  async close(): Promise<void> {
    await this.drain();
    // Degraded: records that failed must not replay on the next open.
    if (this.failed) this.truncateTail();
    if (this.fh) await this.fh.close();
    this.fh = null;
  }
}

function allZero(buf: Uint8Array, from: number): boolean {
  for (let i = from; i < buf.length; i++) if (buf[i] !== 0) return false;
  return true;
}
