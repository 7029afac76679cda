/**
 * Compaction planning and merging (pure, in memory): which sealed segments of a partition to merge,
 * and the merged columns with deleted rows dropped. CollectionStore runs it in the background and
 * swaps the result in; old files are removed only once the new manifest is durable and no reader
 * holds them.
 */
import type { Bitset } from '../core/bitset.js';
import type { Column } from '../core/column.js';
import type { CollectionSchema } from '../core/schema.js';
import { copyRows, emptyColumn } from './column-builder.js';
import { fillAbsent } from './added-fields.js';
import { SEGMENT_DEFAULTS } from './segment-size.js';
import type { Segment } from './segment.js';
import { DataType } from '../core/data-type.js';
import { INSERT_TS } from './insert-time.js';

export interface CompactionOptions {
  /** Live rows a merged segment may reach (the segment max size in rows). */
  maxRows: number;
  /** A segment with at least this fraction of rows deleted is rewritten even alone. */
  deletedRatio: number;
  /** A bucket of small segments is merged once it has this many (auto: 3 as Milvus; manual: 2). */
  minSegments: number;
  /** The collection TTL's cutoff (ms since the epoch; 0: no TTL): expired rows count as deleted. */
  expireBefore?: number;
  /** Rewrite a segment holding any expired row (manual compaction), not only a heavy one. */
  rewriteExpired?: boolean;
}

/**
 * Groups of durable sealed segments (same partition) worth merging or rewriting: Milvus's mix
 * compaction (segment-size.ts) — small segments packed largest first into buckets of at most
 * `maxRows`, merged when a bucket is big enough in count or in rows; heavily deleted segments
 * rewritten alone.
 */
export function planCompaction(segs: readonly Segment[], opts: CompactionOptions): Segment[][] {
  const byPart = new Map<number, Segment[]>();
  for (const s of segs) {
    if (!s.sealed || !s.durable) continue;
    let l = byPart.get(s.partitionId);
    if (!l) byPart.set(s.partitionId, (l = []));
    l.push(s);
  }
  const smallBelow = opts.maxRows * SEGMENT_DEFAULTS.smallProportion;
  const groups: Segment[][] = [];
  for (const list of byPart.values()) {
    const cutoff = opts.expireBefore ?? 0;
    const heavy = (s: Segment): boolean => {
      if (s.rowCount === 0) return false;
      const expired = s.expiredCount(cutoff);
      if (expired > 0 && opts.rewriteExpired) return true;
      return s.deletedCount + expired >= s.rowCount * opts.deletedRatio;
    };
    const small = list.filter((s) => s.liveCount < smallBelow).sort((a, b) => b.liveCount - a.liveCount);
    while (small.length > 0) {
      const first = small.shift()!;
      const bucket = [first];
      let free = opts.maxRows - first.liveCount;
      for (let i = 0; i < small.length && bucket.length < SEGMENT_DEFAULTS.maxSegmentsToMerge; ) {
        if (small[i]!.liveCount <= free) {
          free -= small[i]!.liveCount;
          bucket.push(small.splice(i, 1)[0]!);
        } else i++;
      }
      const rows = opts.maxRows - free;
      const merge = bucket.length >= 2 && (bucket.length >= opts.minSegments || rows > opts.maxRows * SEGMENT_DEFAULTS.compactableProportion);
      if (merge || (bucket.length === 1 && heavy(first))) groups.push(bucket);
      else if (bucket.length >= 2) for (const s of bucket) if (heavy(s)) groups.push([s]);
    }
    for (const s of list) if (s.liveCount >= smallBelow && heavy(s)) groups.push([s]);
  }
  return groups;
}

export interface MergeSource {
  /** The field columns and, when the source has them, the insert times (`$ts`, insert-time.ts). */
  columns: ReadonlyMap<string, Column>;
  deleted: Bitset;
  rowCount: number;
}

/**
 * The live rows of `sources`, concatenated, with their insert times (`$ts`); rows deleted or, given a
 * TTL cutoff, inserted before it are dropped. `maps[i][row]` is the merged row of source i's `row`,
 * or -1 when it was dropped.
 */
export function mergeColumns(schema: CollectionSchema, sources: readonly MergeSource[], expireBefore = 0): { columns: Map<string, Column>; rows: number; maps: Int32Array[] } {
  let total = 0;
  const maps: Int32Array[] = [];
  /** Source i's kept rows are merged rows [starts[i], starts[i + 1]). */
  const starts: number[] = [];
  for (const s of sources) {
    starts.push(total);
    const m = new Int32Array(s.rowCount).fill(-1);
    const ts = s.columns.get(INSERT_TS)?.data as Float64Array | undefined;
    for (let r = 0; r < s.rowCount; r++) {
      if (s.deleted.get(r)) continue;
      const t = ts?.[r] ?? 0;
      if (expireBefore > 0 && t > 0 && t < expireBefore) continue;
      m[r] = total++;
    }
    maps.push(m);
  }
  starts.push(total);
  const columns = new Map<string, Column>();
  const times = new Float64Array(total);
  sources.forEach((s, i) => {
    const ts = s.columns.get(INSERT_TS)?.data as Float64Array | undefined;
    if (!ts) return; // a file written before insert times were kept: 0, never expires
    const m = maps[i]!;
    for (let r = 0; r < s.rowCount; r++) if (m[r]! >= 0) times[m[r]!] = ts[r]!;
  });
  columns.set(INSERT_TS, { type: DataType.Double, data: times, valid: null } as Column);
  for (const f of schema.fields) {
    const out = emptyColumn(f, total);
    sources.forEach((s, i) => {
      const src = s.columns.get(f.name);
      const m = maps[i]!;
      // A source written before the field was added: its kept rows read default or null.
      if (!src) return fillAbsent(out, f, starts[i]!, starts[i + 1]!);
      let r = 0;
      while (r < s.rowCount) {
        if (m[r]! < 0) {
          r++;
          continue;
        }
        let end = r + 1;
        while (end < s.rowCount && m[end]! >= 0) end++;
        copyRows(out, m[r]!, src, end - r, r);
        r = end;
      }
    });
    columns.set(f.name, out);
  }
  return { columns, rows: total, maps };
}
