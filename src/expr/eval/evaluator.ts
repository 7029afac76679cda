/**
 * Compiled filters are trees of Evaluators over one segment. Each node answers two questions with a
 * bitset: which rows are TRUE and which are FALSE; rows in neither are UNKNOWN (null operands, see
 * plan.ts). `not` swaps the two, `and`/`or` combine them per SQL three-valued logic.
 *
 * `within` restricts the work: the result must be a subset of it. `and` passes each child the rows
 * still alive, so later conjuncts only look at surviving rows; a leaf switches from its vectorised
 * whole-column loop to testing just those rows once they are sparse.
 */
import { Bitset } from '../../core/bitset.js';
import type { SegmentView } from '../../core/segment-view.js';

export interface Ctx {
  readonly seg: SegmentView;
  readonly n: number;
}

export interface Evaluator {
  /** Relative cost per row, used to order the children of and/or (cheap and selective first). */
  readonly cost: number;
  /** Rows where the node is TRUE (a fresh bitset, subset of `within` when given). */
  t(ctx: Ctx, within: Bitset | null): Bitset;
  /** Rows where the node is FALSE (a fresh bitset, subset of `within` when given). */
  f(ctx: Ctx, within: Bitset | null): Bitset;
}

/** 0 false, 1 true, 2 unknown. */
export type Tri = 0 | 1 | 2;
export type RowTest = (row: number) => Tri;

/**
 * True when testing `within`'s rows one by one beats a whole-column loop. The dearer a leaf's
 * per-row work (string matching, JSON), the denser a candidate set may be and still win.
 */
export function isSparse(within: Bitset, n: number, cost = 0, indexed = false): boolean {
  // An index lookup costs about one bit per matching row, so only very small sets beat it.
  const factor = indexed ? 64 : cost >= 10 ? 2 : cost >= 5 ? 4 : 16;
  return within.count() * factor < n;
}

/** Rows of `within` (or of all n rows) whose test gives `want`. */
export function testRows(test: RowTest, n: number, within: Bitset | null, want: Tri): Bitset {
  const out = new Bitset(n);
  const w = out.words;
  if (within === null) {
    for (let r = 0; r < n; r++) if (test(r) === want) w[r >>> 5]! |= 1 << (r & 31);
    return out;
  }
  const src = within.words;
  for (let i = 0; i < src.length; i++) {
    let v = src[i]!;
    while (v !== 0) {
      const bit = v & -v;
      const r = (i << 5) + 31 - Math.clz32(bit);
      if (test(r) === want) w[i]! |= bit;
      v ^= bit;
    }
  }
  return out;
}

/** A bitset of the rows whose validity byte is set (all rows when `valid` is null). */
export function validRows(valid: Uint8Array | null, n: number): Bitset {
  if (valid === null) return Bitset.full(n);
  const out = new Bitset(n);
  const w = out.words;
  for (let base = 0, wi = 0; base < n; base += 32, wi++) {
    const end = Math.min(32, n - base);
    let bits = 0;
    for (let j = 0; j < end; j++) if (valid[base + j] !== 0) bits |= 1 << j;
    w[wi] = bits;
  }
  return out;
}

export function restrict(b: Bitset, within: Bitset | null): Bitset {
  return within === null ? b : b.and(within);
}

/**
 * A predicate on one or two operands. Subclasses give a per-row test and, where they can, a
 * vectorised (or index-backed) TRUE set and the set of rows whose answer is known.
 */
export abstract class Leaf implements Evaluator {
  abstract readonly cost: number;
  abstract tester(ctx: Ctx): RowTest;
  /** TRUE rows over the whole segment by a typed-array loop or an index; undefined = use the tester. */
  vecTrue(_ctx: Ctx): Bitset | undefined {
    return undefined;
  }
  /** Whether vecTrue would be answered by a scalar index in this segment. */
  indexed(_ctx: Ctx): boolean {
    return false;
  }
  /** Rows whose answer is known (TRUE or FALSE); undefined when only the tester can tell. */
  known(_ctx: Ctx): Bitset | undefined {
    return undefined;
  }

  t(ctx: Ctx, within: Bitset | null): Bitset {
    if (within !== null && isSparse(within, ctx.n, this.cost, this.indexed(ctx))) return testRows(this.tester(ctx), ctx.n, within, 1);
    const v = this.vecTrue(ctx);
    return restrict(v ?? testRows(this.tester(ctx), ctx.n, null, 1), within);
  }

  f(ctx: Ctx, within: Bitset | null): Bitset {
    if (within !== null && isSparse(within, ctx.n, this.cost, this.indexed(ctx))) return testRows(this.tester(ctx), ctx.n, within, 0);
    const known = this.known(ctx);
    if (known !== undefined) {
      const v = this.vecTrue(ctx);
      if (v !== undefined) return restrict(known.andNot(v), within);
    }
    return restrict(testRows(this.tester(ctx), ctx.n, null, 0), within);
  }
}

export class ConstEval implements Evaluator {
  readonly cost = 0;
  constructor(readonly value: boolean) {}
  t(ctx: Ctx, within: Bitset | null): Bitset {
    return this.value ? (within?.clone() ?? Bitset.full(ctx.n)) : new Bitset(ctx.n);
  }
  f(ctx: Ctx, within: Bitset | null): Bitset {
    return this.value ? new Bitset(ctx.n) : (within?.clone() ?? Bitset.full(ctx.n));
  }
}

export class NotEval implements Evaluator {
  readonly cost: number;
  constructor(readonly child: Evaluator) {
    this.cost = child.cost;
  }
  t(ctx: Ctx, within: Bitset | null): Bitset {
    return this.child.f(ctx, within);
  }
  f(ctx: Ctx, within: Bitset | null): Bitset {
    return this.child.t(ctx, within);
  }
}

/** Intersection chain: each child only looks at the rows the previous ones kept. */
function chain(children: readonly Evaluator[], ctx: Ctx, within: Bitset | null, want: 't' | 'f'): Bitset {
  let acc = within;
  for (const c of children) {
    acc = want === 't' ? c.t(ctx, acc) : c.f(ctx, acc);
    if (acc.count() === 0) break;
  }
  return acc ?? Bitset.full(ctx.n);
}

/** Union: each child only looks at the rows not yet in the answer. */
function union(children: readonly Evaluator[], ctx: Ctx, within: Bitset | null, want: 't' | 'f'): Bitset {
  let acc: Bitset | null = null;
  for (const c of children) {
    const rest: Bitset | null = acc === null ? within : (within?.clone() ?? Bitset.full(ctx.n)).andNot(acc);
    const part: Bitset = want === 't' ? c.t(ctx, rest) : c.f(ctx, rest);
    acc = acc === null ? part : acc.or(part);
  }
  return acc ?? new Bitset(ctx.n);
}

function byCost(children: readonly Evaluator[]): Evaluator[] {
  return [...children].sort((a, b) => a.cost - b.cost);
}

export class AndEval implements Evaluator {
  readonly cost: number;
  readonly children: readonly Evaluator[];
  constructor(children: readonly Evaluator[]) {
    this.children = byCost(children);
    this.cost = this.children.reduce((s, c) => s + c.cost, 0);
  }
  t(ctx: Ctx, within: Bitset | null): Bitset {
    return chain(this.children, ctx, within, 't');
  }
  f(ctx: Ctx, within: Bitset | null): Bitset {
    return union(this.children, ctx, within, 'f');
  }
}

export class OrEval implements Evaluator {
  readonly cost: number;
  readonly children: readonly Evaluator[];
  constructor(children: readonly Evaluator[]) {
    this.children = byCost(children);
    this.cost = this.children.reduce((s, c) => s + c.cost, 0);
  }
  t(ctx: Ctx, within: Bitset | null): Bitset {
    return union(this.children, ctx, within, 't');
  }
  f(ctx: Ctx, within: Bitset | null): Bitset {
    return chain(this.children, ctx, within, 'f');
  }
}
