/**
 * One instance of the "ivf" Wasm module (kernels/assembly/ivf/): its own linear memory holding one
 * IVF index (centroids, lists, codes) or, during a build, the training data. Typed exports plus
 * helpers to copy arrays in and view them (views are re-taken after every allocation because memory
 * growth detaches the old buffer).
 */
import { ErrorCode, MilvusError } from '../../core/errors.js';
import { instantiate } from '../kernels/load.js';
import type { WasmMemory } from '../kernels/load.js';
import * as ivfBins from '../kernels/wasm/ivf.generated.js';

export interface IvfExports {
  memory: WasmMemory;
  alloc(bytes: number): number;
  heapMark(): number;
  heapRelease(mark: number): void;
  setIndex(
    codec: number, metric: number, dim: number, nlist: number, nrows: number, codeBytes: number,
    centroids: number, cnorms: number, listStart: number, codes: number, ids: number,
  ): void;
  setSq(vmin: number, step: number, norms: number): void;
  setPq(m: number, nbits: number, books: number): void;
  search(
    nq: number, queries: number, k: number, nprobe: number, allow: number, lo: number, hi: number,
    outD: number, outI: number, sizes: number,
  ): void;
  dotU8I16(codes: number, a: number, n: number): number;
  kmAssign(x: number, n: number, dim: number, c: number, cn: number, k: number, ip: number, outA: number, outD: number): void;
  kmNorms(c: number, k: number, dim: number, out: number): void;
  kmAccumulate(x: number, n: number, dim: number, assign: number, sums: number, counts: number): void;
}

type Typed = Float32Array | Int32Array | Uint8Array | Int16Array | Uint16Array;

export class IvfInstance {
  readonly x: IvfExports;

  constructor() {
    this.x = instantiate(ivfBins).exports as unknown as IvfExports;
  }

  /** 16-byte aligned bytes; throws CapacityExceeded when the 4 GiB Wasm memory is exhausted. */
  alloc(bytes: number): number {
    const p = this.x.alloc(Math.max(0, Math.ceil(bytes)));
    if (p === 0) throw new MilvusError(ErrorCode.CapacityExceeded, `IVF index needs more than the 4 GiB a Wasm memory can hold (asked ${bytes} more bytes)`);
    return p;
  }

  /** Allocate and copy `src` in; returns its address. */
  put(src: Typed): number {
    const p = this.alloc(src.byteLength);
    new Uint8Array(this.x.memory.buffer, p, src.byteLength).set(new Uint8Array(src.buffer, src.byteOffset, src.byteLength));
    return p;
  }

  f32(p: number, n: number): Float32Array {
    return new Float32Array(this.x.memory.buffer, p, n);
  }
  i32(p: number, n: number): Int32Array {
    return new Int32Array(this.x.memory.buffer, p, n);
  }
  u8(p: number, n: number): Uint8Array {
    return new Uint8Array(this.x.memory.buffer, p, n);
  }

  memoryBytes(): number {
    return this.x.memory.buffer.byteLength;
  }

  /** Run `fn` with scratch allocations released afterwards. */
  scratch<T>(fn: () => T): T {
    const mark = this.x.heapMark();
    try {
      return fn();
    } finally {
      this.x.heapRelease(mark);
    }
  }
}
