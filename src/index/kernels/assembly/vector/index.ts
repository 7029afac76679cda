// Wasm module "vector": the shared allocator and space plus exact (flat) search and HNSW.
export { alloc, heapMark, heapRelease } from '../shared/alloc';
export { setSpace, setCompact, setBase, touchedSink } from '../shared/space';
export { hamming, ipF32, ipI8, jaccard, l2F32, l2I8 } from '../shared/distance';
export { flatSearch, normalizeF32, invNormsI8, invNormsRows } from './flat';
export {
  hnswAllocLevels, hnswInit, hnswLevels, hnswInsert, hnswSearch, hnswLinks0, hnswUpper, hnswUpperWords,
  hnswEntry, hnswMaxLevel, hnswSetEntry, hnswLinkSink,
} from './hnsw';
