/** A text's term frequencies as a sparse row: the analyzer's tokens, by Milvus's term hash (BM25 function input → output). */
import type { SparseRow } from '../core/column.js';
import type { Analyzer } from './analyzer.js';
import { tokenHash } from './hash.js';

export function termFrequencies(analyzer: Analyzer, text: string): SparseRow {
  const counts = new Map<number, number>();
  for (const t of analyzer.analyze(text)) {
    const h = tokenHash(t.token);
    counts.set(h, (counts.get(h) ?? 0) + 1);
  }
  const ix = [...counts.keys()].sort((a, b) => a - b);
  return { indices: Uint32Array.from(ix), values: Float32Array.from(ix, (i) => counts.get(i)!) };
}
