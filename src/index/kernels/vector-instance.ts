/**
 * One instance of the "vector" Wasm module (assembly/vector/): its own linear memory holding one
 * index's rows, graph and scratch. Typed exports plus views that survive memory growth.
 */
import { ErrorCode, MilvusError } from '../../core/errors.js';
import { instantiate, wasmVariant, type WasmMemory } from './load.js';
import * as vectorBins from './wasm/vector.generated.js';

export interface VectorExports {
  memory: WasmMemory;
  alloc(bytes: number): number;
  heapMark(): number;
  heapRelease(mark: number): void;
  setSpace(kind: number, metric: number, dim: number, base: number, invNorm: number): void;
  setBase(base: number, invNorm: number): void;
  l2F32(a: number, b: number, dim: number): number;
  ipF32(a: number, b: number, dim: number): number;
  l2I8(a: number, b: number, dim: number): number;
  ipI8(a: number, b: number, dim: number): number;
  hamming(a: number, b: number, bytes: number): number;
  jaccard(a: number, b: number, bytes: number): number;
  flatSearch(
    nq: number, queries: number, qInvs: number, n: number, k: number, allow: number,
    lo: number, hi: number, outD: number, outI: number, sizes: number,
  ): void;
  normalizeF32(p: number, n: number, dim: number): void;
  invNormsI8(p: number, n: number, dim: number, out: number): void;
  hnswAllocLevels(count: number): number;
  hnswInit(m: number, efConstruction: number): number;
  hnswInsert(id: number): void;
  hnswSearch(q: number, qInv: number, k: number, ef: number, allow: number, outD: number, outI: number): number;
  hnswLevels(): number;
  hnswLinks0(): number;
  hnswUpper(): number;
  hnswUpperWords(): number;
  hnswEntry(): number;
  hnswMaxLevel(): number;
  hnswSetEntry(entry: number, level: number): void;
}

/** Which Wasm build the kernels run ('relaxed' = relaxed SIMD with FMA, else baseline SIMD). */
export function vectorKernelVariant(): string {
  return wasmVariant(vectorBins);
}

/** CapacityExceeded: one Wasm memory holds at most 4 GiB (one instance per segment index). */
export function outOfMemory(what: string): MilvusError {
  return new MilvusError(ErrorCode.CapacityExceeded, `vector index needs more than the 4 GiB a Wasm memory can hold (asked ${what})`);
}

export class VectorInstance {
  readonly x: VectorExports;

  constructor() {
    this.x = instantiate(vectorBins).exports as unknown as VectorExports;
  }

  /** 16-byte aligned bytes in this instance's memory; throws CapacityExceeded past 4 GiB. */
  alloc(bytes: number): number {
    const p = this.x.alloc(Math.max(0, Math.ceil(bytes)));
    if (p === 0) throw outOfMemory(`${bytes} more bytes`);
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
  f32(p: number, n: number): Float32Array {
    return new Float32Array(this.buffer, p, n);
  }
  i32(p: number, n: number): Int32Array {
    return new Int32Array(this.buffer, p, n);
  }

  /** Bytes of linear memory in use by this instance. */
  memoryBytes(): number {
    return this.buffer.byteLength;
  }

  /** Run `fn` with scratch allocations that are released afterwards. */
  scratch<T>(fn: () => T): T {
    const mark = this.x.heapMark();
    try {
      return fn();
    } finally {
      this.x.heapRelease(mark);
    }
  }
}
