/**
 * Segment sizes as Milvus 2.6 chooses them: by bytes, not rows.
 *
 * - `segmentMaxSize` (MB, Milvus `dataCoord.segment.maxSize`, default 1024) is the size compaction
 *   merges small sealed segments up to; `sealProportion` (`dataCoord.segment.sealProportion`,
 *   default 0.12) is the fraction of it at which a growing segment is sealed (≈ 123 MB).
 * - Rows per segment come from an estimated row size, computed from the schema the way Milvus's
 *   `typeutil.EstimateSizePerRecord` does: fixed-width types by width, vectors by dim, VarChar by
 *   `max_length` capped at 256 bytes, JSON / Array (and sparse vectors here) 512 bytes.
 * - Mix compaction (Milvus `compactionTrigger`): a sealed segment is *small* below
 *   `smallProportion` (0.5) of the max rows; small segments of a partition are packed, largest
 *   first, into buckets of at most the max rows; a bucket is merged when it has at least
 *   `minSegmentsToMerge` (`dataCoord.compaction.min.segment`, 3) segments or would exceed
 *   `compactableProportion` (0.85) of the max rows.
 *
 * An explicit `sealRows` (embedded client option, tests) overrides both the seal point and the
 * merge target with a row count, as before.
 */
import { DataType } from '../core/data-type.js';
import { invalidParam } from '../core/errors.js';
import type { CollectionSchema, FieldSchema } from '../core/schema.js';

/** Milvus `DynamicFieldMaxLength`: the estimate for a JSON or Array value. */
const VARIABLE_BYTES = 512;
/** Milvus caps a VarChar's estimate at 256 bytes. */
const VARCHAR_CAP = 256;

export const SEGMENT_DEFAULTS = {
  segmentMaxSize: 1024,
  sealProportion: 0.12,
  smallProportion: 0.5,
  compactableProportion: 0.85,
  minSegmentsToMerge: 3,
  maxSegmentsToMerge: 30,
} as const;

/** Estimated bytes of one row (≥ 1). */
export function estimateRowBytes(schema: CollectionSchema): number {
  let n = 0;
  for (const f of schema.fields) n += fieldBytes(f);
  return Math.max(1, n);
}

function fieldBytes(f: FieldSchema): number {
  const dim = f.dim ?? 0;
  switch (f.dataType) {
    case DataType.Bool:
    case DataType.Int8:
      return 1;
    case DataType.Int16:
      return 2;
    case DataType.Int32:
    case DataType.Float:
      return 4;
    case DataType.Int64:
    case DataType.Double:
    case DataType.Timestamptz:
      return 8;
    case DataType.VarChar:
    case DataType.String:
    case DataType.Text:
      return Math.min(f.maxLength ?? VARCHAR_CAP, VARCHAR_CAP);
    case DataType.BinaryVector:
      return Math.ceil(dim / 8);
    case DataType.FloatVector:
      return dim * 4;
    case DataType.Float16Vector:
    case DataType.BFloat16Vector:
      return dim * 2;
    case DataType.Int8Vector:
      return dim;
    default:
      // JSON, Array, Geometry, sparse vectors: variable length.
      return VARIABLE_BYTES;
  }
}

export interface SegmentSizing {
  /** Explicit row override (seal point and merge target). */
  sealRows?: number | undefined;
  /** MB. */
  segmentMaxSize: number;
  sealProportion: number;
}

export interface SegmentLimits {
  /** A growing segment is sealed once it holds this many rows. */
  sealRows: number;
  /** Compaction merges small segments up to this many live rows. */
  maxRows: number;
}

export function segmentLimits(schema: CollectionSchema, s: SegmentSizing): SegmentLimits {
  if (s.sealRows !== undefined) return { sealRows: s.sealRows, maxRows: s.sealRows };
  const maxRows = Math.max(1, Math.floor((s.segmentMaxSize * 1024 * 1024) / estimateRowBytes(schema)));
  return { sealRows: Math.max(1, Math.floor(maxRows * s.sealProportion)), maxRows };
}

/** Checks user-given sizing options; throws 1100 naming the option. */
export function checkSegmentSizing(o: { sealRows?: unknown; segmentMaxSize?: unknown; sealProportion?: unknown }): void {
  if (o.sealRows !== undefined && (!Number.isSafeInteger(o.sealRows) || (o.sealRows as number) < 1)) {
    throw invalidParam('sealRows', `must be a positive integer, got ${String(o.sealRows)}`);
  }
  if (o.segmentMaxSize !== undefined && (typeof o.segmentMaxSize !== 'number' || !Number.isFinite(o.segmentMaxSize) || o.segmentMaxSize <= 0 || o.segmentMaxSize > 1024 * 1024)) {
    throw invalidParam('segmentMaxSize', `must be a number of MB in (0, 1048576], got ${String(o.segmentMaxSize)}`);
  }
  if (o.sealProportion !== undefined && (typeof o.sealProportion !== 'number' || !(o.sealProportion > 0 && o.sealProportion <= 1))) {
    throw invalidParam('sealProportion', `must be a number in (0, 1], got ${String(o.sealProportion)}`);
  }
}

/** The store options a user's sizing settings give (only the ones set). */
export function storeSizing(o: { sealRows?: number | undefined; segmentMaxSize?: number | undefined; sealProportion?: number | undefined }): { sealRows?: number; segmentMaxSize?: number; sealProportion?: number } {
  return {
    ...(o.sealRows !== undefined ? { sealRows: o.sealRows } : {}),
    ...(o.segmentMaxSize !== undefined ? { segmentMaxSize: o.segmentMaxSize } : {}),
    ...(o.sealProportion !== undefined ? { sealProportion: o.sealProportion } : {}),
  };
}
