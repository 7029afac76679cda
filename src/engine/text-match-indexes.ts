/**
 * Keeps the text-match indexes (src/text/match-index.ts) of a collection's resident segments built:
 * after an insert or upsert the growing segments' indexes take in the new rows; when a segment is
 * sealed its index is saved as an index file next to it (src/text/match-index-file.ts); a load
 * reads those files back (or rebuilds and saves the index when a file is missing, damaged or for
 * another analyzer). The filter still catches an index up itself on use, so none of this changes
 * answers, only when the work is done.
 */
import type { CollectionSchema, FieldSchema } from '../core/schema.js';
import type { CollectionStore, Segment } from '../storage/index.js';
import { buildAnalyzer, decodeMatchIndex, encodeMatchIndex, MatchIndex, matchFields, matchIndexOf } from '../text/index.js';

export interface MatchIndexHost {
  save(segmentId: number, name: string, bytes: Uint8Array): Promise<void>;
  read(segmentId: number, name: string): Promise<Uint8Array | undefined>;
  onError(err: unknown): void;
}

/** The index file name of a field's text-match index (one per sealed segment). */
export function matchFileName(f: FieldSchema): string {
  return `tm${f.fieldID}`;
}

const keyOf = (f: FieldSchema): string => f.typeParams['analyzer_params'] ?? '';

/** Growing segments after an insert/upsert: their indexes take in the new rows. */
export function refreshMatchIndexes(schema: CollectionSchema, segments: readonly Segment[]): void {
  const fields = matchFields(schema);
  if (fields.length === 0) return;
  for (const seg of segments) {
    if (!seg.resident) continue;
    for (const f of fields) matchIndexOf(seg, f);
  }
}

async function save(seg: Segment, f: FieldSchema, host: MatchIndexHost): Promise<void> {
  const idx = seg.textIndexes.get(f.name);
  if (idx instanceof MatchIndex && idx.rowCount === seg.rowCount) await host.save(seg.id, matchFileName(f), encodeMatchIndex(idx, keyOf(f)));
}

/** Saves the index of every segment the store seals (flush, size threshold, compaction) while resident. */
export function watchSealing(store: CollectionStore, schema: () => CollectionSchema, host: MatchIndexHost): void {
  store.onSealed((seg) => {
    const fields = matchFields(schema());
    if (fields.length === 0) return;
    setImmediate(() => {
      if (!seg.resident) return;
      void (async () => {
        for (const f of fields) {
          matchIndexOf(seg, f);
          await save(seg, f, host);
        }
      })().catch((err: unknown) => host.onError(err));
    });
  });
}

/** After a load: sealed segments get their index from its file, or built (and saved) from the column. */
export async function loadMatchIndexes(schema: CollectionSchema, segments: readonly Segment[], host: MatchIndexHost): Promise<void> {
  const fields = matchFields(schema);
  for (const seg of segments) {
    if (!seg.resident) continue;
    for (const f of fields) {
      const have = seg.textIndexes.get(f.name);
      if (!seg.sealed || (have instanceof MatchIndex && have.rowCount === seg.rowCount)) {
        matchIndexOf(seg, f);
        continue;
      }
      let bytes: Uint8Array | undefined;
      try {
        bytes = await host.read(seg.id, matchFileName(f));
      } catch (err) {
        host.onError(err);
      }
      const idx = bytes === undefined ? undefined : decodeMatchIndex(bytes, buildAnalyzer(f.typeParams['analyzer_params']), keyOf(f), seg.rowCount);
      if (idx !== undefined) {
        seg.textIndexes.set(f.name, idx);
        continue;
      }
      seg.textIndexes.delete(f.name);
      matchIndexOf(seg, f);
      await save(seg, f, host).catch((err: unknown) => host.onError(err));
    }
  }
}
