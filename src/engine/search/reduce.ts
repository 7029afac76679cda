/**
 * Reduction helpers: candidates from every segment become hits — grouped (group_by_field, group_size)
 * in order of each group's best hit, scores rounded (round_decimal), output fields read from the row.
 */
import { outputValue } from '../row-codec.js';
import { readRow, type planOutput } from '../output-fields.js';
import type { Segment } from '../../storage/index.js';
import type { Hit } from '../requests.js';
import type { SearchPlan } from './plan.js';

export interface Candidate {
  seg: Segment;
  row: number;
  score: number;
}

function groupKey(c: Candidate, plan: SearchPlan): unknown {
  const v = outputValue(c.seg.column(plan.groupBy!.field.name)!, c.row);
  return typeof v === 'object' ? JSON.stringify(v) : v;
}

/** Up to `wantGroups` groups of at most group_size hits each, groups in order of their best hit. */
export function pickGroups(cands: Candidate[], plan: SearchPlan, wantGroups: number): Candidate[][] {
  const groups = new Map<unknown, Candidate[]>();
  for (const c of cands) {
    const g = groupKey(c, plan);
    const members = groups.get(g);
    if (members === undefined) {
      if (groups.size >= wantGroups) continue;
      groups.set(g, [c]);
    } else if (members.length < plan.groupBy!.size) members.push(c);
  }
  return [...groups.values()];
}

function round(score: number, decimals: number): number {
  if (decimals < 0) return score;
  const f = 10 ** decimals;
  return Math.round(score * f) / f;
}

export function toHit(c: Candidate, plan: SearchPlan, output: ReturnType<typeof planOutput>): Hit {
  const fields = readRow(c.seg, c.row, output);
  return { pk: c.seg.pkAt(c.row), score: round(c.score, plan.roundDecimal), fields };
}

/**
 * One query's candidates from every segment → its page of hits: best first, grouped when the plan
 * groups, offset applied. `short` says a group came up short (more candidates might fill it).
 */
export function reduceQuery(cands: Candidate[], plan: SearchPlan, output: ReturnType<typeof planOutput>, better: boolean): { hits: Hit[]; short: boolean } {
  const want = plan.limit + plan.offset;
  cands.sort((a, b) => (better ? b.score - a.score : a.score - b.score));
  if (!plan.groupBy) return { hits: cands.slice(plan.offset, want).map((c) => toHit(c, plan, output)), short: false };
  const groups = pickGroups(cands, plan, want);
  const short = groups.length < want || groups.some((g) => g.length < plan.groupBy!.size);
  return { hits: groups.slice(plan.offset).flat().map((c) => toHit(c, plan, output)), short };
}
