export { DataDir, type DataDirOptions } from './data-dir.js';
export { CollectionStore, defaultStoreOptions, type StoreOptions, type SealListener } from './collection-store.js';
export { Segment, type PrimaryKey } from './segment.js';
export { checkSegmentSizing, estimateRowBytes, segmentLimits, storeSizing, SEGMENT_DEFAULTS, type SegmentLimits } from './segment-size.js';
export * from './catalog.js';
export { emptyColumn, gatherRows, copyRows } from './column-builder.js';
export { crc32c } from '../core/checksum.js';
export { readUserFile } from './read-file.js';
export { writeUserFile, appendUserFile, listDir, listFilesDeep, makeDir, makeTempDir, removeDir } from './export-files.js';
