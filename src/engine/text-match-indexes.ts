/**
 * Keeps the text-match indexes (src/text/match-index.ts) of a collection's resident segments built:
 * after an insert or upsert the growing segments' indexes take in the new rows, and a load builds
 * them for the sealed segments it read, so text_match / phrase_match do not pay for it. The filter
 * still catches an index up itself on use, so this is only about when the work is done.
 */
import type { CollectionSchema } from '../core/schema.js';
import type { Segment } from '../storage/index.js';
import { matchFields, matchIndexOf } from '../text/index.js';

export function refreshMatchIndexes(schema: CollectionSchema, segments: readonly Segment[]): void {
  const fields = matchFields(schema);
  if (fields.length === 0) return;
  for (const seg of segments) {
    if (!seg.resident) continue;
    for (const f of fields) matchIndexOf(seg, f);
  }
}
