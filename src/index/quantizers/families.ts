/** Index families implemented in this folder, for the registry (see src/index/README.md). */
import type { IndexFamily } from '../registry.js';
import { hnswSqFamily } from './hnsw-sq.js';

export const quantizerFamilies: readonly IndexFamily[] = [hnswSqFamily];
