/**
 * One instance of the "ivf" Wasm module (kernels/assembly/ivf/): its own linear memory holding one
 * IVF index (centroids, lists, codes) or, during a build, the training data. Typed exports plus
 * helpers to copy arrays in and view them (views are re-taken after every allocation because memory
 * growth detaches the old buffer).
 */
import { KernelInstance, type BaseExports } from './kernel-instance.js';
import * as ivfBins from './wasm/ivf.generated.js';

export interface IvfExports extends BaseExports {
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

export class IvfInstance extends KernelInstance<IvfExports> {
  constructor() {
    super(ivfBins, 'IVF index');
  }
}
