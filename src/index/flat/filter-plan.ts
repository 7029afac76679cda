/**
 * The filtered-search plan: when few rows pass the filter (and the delete mask), scanning just those
 * rows exactly beats walking an ANN structure that must skip most of what it visits. The ANN cost
 * grows as 1/selectivity; the exact cost is the number of passing rows.
 */

/**
 * True when an exact scan of the `passing` rows is cheaper than an ANN search over `total` rows that
 * touches about `annVisits` vectors unfiltered. ANN filtered ≈ annVisits · total / passing; exact ≈ passing.
 */
export function preferExact(passing: number, total: number, annVisits: number): boolean {
  if (passing <= 0) return true;
  if (passing <= annVisits + 256) return true;
  return passing * passing <= annVisits * total;
}
