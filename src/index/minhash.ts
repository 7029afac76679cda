/**
 * MinHash (Milvus 2.6: the MinHash schema function, the MINHASH_LSH index and the MHJACCARD metric)
 * is not part of Elanus. Every place that reads an index type or a metric calls `refuseMinHash`, so
 * the refusal is the same 1100 error with the same message on every transport.
 */
import { invalidParam } from '../core/errors.js';

export const MINHASH_REFUSAL = 'MinHash (the MinHash function, the MINHASH_LSH index and the MHJACCARD metric) is not supported by Elanus';

/** Throws 1100 naming `param` when `value` is the MINHASH_LSH index type or the MHJACCARD metric. */
export function refuseMinHash(param: 'index_type' | 'metric_type', value: unknown): void {
  const v = typeof value === 'string' ? value.trim().toUpperCase() : '';
  if (v === 'MINHASH_LSH' || v === 'MHJACCARD') throw invalidParam(param, `${String(value)}: ${MINHASH_REFUSAL}`);
}
