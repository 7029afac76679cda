/**
 * Hybrid-search fusion: the hit lists of several searches merged per query by RRF (1 / (k + rank),
 * k = params.k, default 60) or by a weighted sum of normalised scores (params.weights), then paged
 * and rounded. A decay reranker replaces both (decay.ts).
 */
import { higherIsBetter } from '../../core/data-type.js';
import type { Hit } from '../requests.js';

export interface Fusion {
  strategy: 'rrf' | 'weighted';
  k: number;
  weights: readonly number[] | undefined;
}

/** Fuses per-search hit lists (`results[i].hits[q]`) into one page of hits per query. */
export function fuse(results: readonly { hits: Hit[][]; metric: string }[], f: Fusion, offset: number, limit: number, roundDecimal: number): Hit[][] {
  const nq = results[0]?.hits.length ?? 0;
  const hits: Hit[][] = [];
  for (let q = 0; q < nq; q++) {
    const fused = new Map<string, Hit & { fusedScore: number }>();
    results.forEach((r, i) => {
      const better = higherIsBetter(r.metric as never);
      r.hits[q]!.forEach((h, rank) => {
        const key = String(h.pk);
        const s = f.strategy === 'rrf' ? 1 / (f.k + rank + 1) : f.weights![i]! * normalise(h.score, r.metric, better);
        const cur = fused.get(key);
        if (cur) cur.fusedScore += s;
        else fused.set(key, { ...h, fusedScore: s });
      });
    });
    const sorted = [...fused.values()].sort((a, b) => b.fusedScore - a.fusedScore);
    const rd = roundDecimal;
    hits.push(sorted.slice(offset, offset + limit).map((h) => ({ pk: h.pk, fields: h.fields, score: rd >= 0 ? Math.round(h.fusedScore * 10 ** rd) / 10 ** rd : h.fusedScore })));
  }
  return hits;
}

/** Milvus's weighted-ranker normalisation: arctan for distances and IP, (1+cos)/2 for COSINE. */
function normalise(score: number, metric: string, better: boolean): number {
  if (metric === 'COSINE') return (1 + score) / 2;
  if (metric === 'IP') return 0.5 + Math.atan(score) / Math.PI;
  return better ? score : 1 - (2 * Math.atan(score)) / Math.PI;
}
