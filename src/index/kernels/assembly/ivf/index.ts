// Wasm module "ivf": inverted-file indexes (IVF_FLAT, IVF_SQ8, IVF_PQ, BIN_IVF_FLAT). One instance
// per index; `search` runs coarse quantization, list scans (with the allow bitset) and top-k for a
// whole batch of queries in one call. `train.ts` holds the k-means and PQ-encoding kernels the
// builder uses.
export { alloc, heapMark, heapRelease } from '../shared/alloc';
export { setIndex, setSq, setPq } from './layout';
export { search, dotU8I16 } from './scan';
export { kmAssign, kmNorms, kmAccumulate } from './train';
