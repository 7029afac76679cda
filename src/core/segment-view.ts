/**
 * What the filter evaluator and the search planner see of one segment: its row count, its columns
 * by field name, its scalar indexes and a primary-key lookup. Growing and sealed segments both
 * provide it; only `rowCount` rows of each column are meaningful.
 */
import type { Column } from './column.js';

export interface SegmentView {
  readonly rowCount: number;
  /** The column of a field, by name (the dynamic field is `$meta`); undefined if absent. */
  column(fieldName: string): Column | undefined;
  /** The scalar index built on a field in this segment, if any (see src/index/scalar). */
  scalarIndex(fieldName: string): unknown;
  /** Row offsets (ascending) in this segment holding any of these primary keys, deleted or not. */
  rowsOfPks(pks: readonly (bigint | string)[]): number[];
  /** Per-field text-match indexes kept with the segment (src/text/match-index.ts); absent = built per use. */
  readonly textIndexes?: Map<string, unknown>;
}
