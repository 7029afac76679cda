/**
 * One instance of the "vector" Wasm module (assembly/vector/): its own linear memory holding one
 * index's rows, graph and scratch. Typed exports plus views that survive memory growth.
 */
import { ErrorCode, MilvusError } from '../../core/errors.js';
import { wasmVariant } from './load.js';
import { KernelInstance, type BaseExports } from './kernel-instance.js';
import * as vectorBins from './wasm/vector.generated.js';

export interface VectorExports extends BaseExports {
  setSpace(kind: number, metric: number, dim: number, base: number, invNorm: number): void;
  setCompact(off: number, step: number, dec: number): void;
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
  invNormsRows(from: number, to: number, out: number): void;
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

export class VectorInstance extends KernelInstance<VectorExports> {
  constructor() {
    super(vectorBins, 'vector index');
  }
}
