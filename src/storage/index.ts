export { DataDir, type DataDirOptions } from './data-dir.js';
export { CollectionStore, type StoreOptions } from './collection-store.js';
export { Segment, type PrimaryKey } from './segment.js';
export * from './catalog.js';
export { emptyColumn, gatherRows, copyRows } from './column-builder.js';
