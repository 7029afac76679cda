/**
 * What every Wasm kernel instance shares: one linear memory per instance (so the 4 GiB limit is per
 * index), a bump allocator with scratch marks, and typed views re-taken after each allocation
 * (memory growth detaches the old buffer).
 */
import { ErrorCode, MilvusError } from '../../core/errors.js';
import { instantiate, type WasmMemory } from './load.js';

export interface BaseExports {
  memory: WasmMemory;
  alloc(bytes: number): number;
  heapMark(): number;
  heapRelease(mark: number): void;
}

type Typed = Float32Array | Int32Array | Uint8Array | Int8Array | Int16Array | Uint16Array;

export class KernelInstance<X extends BaseExports> {
  readonly x: X;

  constructor(
    bins: Parameters<typeof instantiate>[0],
    /** Names the index kind in the out-of-memory message. */
    private readonly what: string,
  ) {
    this.x = instantiate(bins).exports as unknown as X;
  }

  /** 16-byte aligned bytes in this instance's memory; throws CapacityExceeded past 4 GiB. */
  alloc(bytes: number): number {
    const p = this.x.alloc(Math.max(0, Math.ceil(bytes)));
    if (p === 0) throw new MilvusError(ErrorCode.CapacityExceeded, `${this.what} needs more than the 4 GiB a Wasm memory can hold (asked ${bytes} more bytes)`);
    return p;
  }

  /** Allocates and copies `src` in; returns its address. */
  put(src: Typed): number {
    const p = this.alloc(src.byteLength);
    new Uint8Array(this.buffer, p, src.byteLength).set(new Uint8Array(src.buffer, src.byteOffset, src.byteLength));
    return p;
  }

  get buffer(): ArrayBuffer {
    return this.x.memory.buffer;
  }

  u8(p: number, n: number): Uint8Array {
    return new Uint8Array(this.buffer, p, n);
  }
  i8(p: number, n: number): Int8Array {
    return new Int8Array(this.buffer, p, n);
  }
  u16(p: number, n: number): Uint16Array {
    return new Uint16Array(this.buffer, p, n);
  }
  f32(p: number, n: number): Float32Array {
    return new Float32Array(this.buffer, p, n);
  }
  i32(p: number, n: number): Int32Array {
    return new Int32Array(this.buffer, p, n);
  }

  /** Bytes of linear memory held by this instance. */
  memoryBytes(): number {
    return this.buffer.byteLength;
  }

  /** Runs `fn` with scratch allocations released afterwards. */
  scratch<T>(fn: () => T): T {
    const mark = this.x.heapMark();
    try {
      return fn();
    } finally {
      this.x.heapRelease(mark);
    }
  }
}
