/**
 * Comparisons of a VarChar column with string constants: == / in, !=, ranges (code-unit order, the
 * same order the scalar indexes sort by) and like. Whole-column loops over the string array, or a
 * scalar index: prefix `like` is a key range, any other pattern is tested once per distinct key.
 */
import { Bitset } from '../../core/bitset.js';
import type { FieldSchema } from '../../core/schema.js';
import type { Ctx, RowTest } from './evaluator.js';
import { Leaf, validRows } from './evaluator.js';
import type { LikeShape } from './like-pattern.js';
import { likeMatcher, likePieces } from './like-pattern.js';
import { isNgramIndex } from '../../index/scalar/index.js';
import { testRows } from './evaluator.js';
import { usableIndex } from './numeric-leaf.js';
import { columnOf } from './values.js';

export type StrSpec =
  | { readonly op: 'eq'; readonly keys: readonly string[] }
  | { readonly op: 'ne'; readonly keys: readonly string[] }
  | { readonly op: 'range'; readonly lo: string | undefined; readonly loInc: boolean; readonly hi: string | undefined; readonly hiInc: boolean }
  | { readonly op: 'like'; readonly shape: LikeShape };

function strTest(spec: StrSpec): (s: string) => boolean {
  switch (spec.op) {
    case 'eq': {
      if (spec.keys.length === 1) {
        const k = spec.keys[0]!;
        return (s) => s === k;
      }
      const set = new Set(spec.keys);
      return (s) => set.has(s);
    }
    case 'ne': {
      const set = new Set(spec.keys);
      return (s) => !set.has(s);
    }
    case 'range': {
      const { lo, loInc, hi, hiInc } = spec;
      return (s) =>
        (lo === undefined || s > lo || (loInc && s === lo)) && (hi === undefined || s < hi || (hiInc && s === hi));
    }
    case 'like':
      return likeMatcher(spec.shape);
  }
}

export class StringLeaf extends Leaf {
  readonly cost: number;
  private readonly test: (s: string) => boolean;

  constructor(
    readonly field: FieldSchema,
    readonly spec: StrSpec,
  ) {
    super();
    this.test = strTest(spec);
    this.cost = spec.op === 'like' ? (spec.shape.kind === 'regex' ? 12 : 7) : spec.op === 'range' ? 6 : 5;
  }

  override known(ctx: Ctx): Bitset {
    return validRows(columnOf(ctx, this.field.name).valid, ctx.n);
  }

  override indexed(ctx: Ctx): boolean {
    return usableIndex(ctx, this.field, 'str') !== undefined;
  }

  override vecTrue(ctx: Ctx): Bitset {
    const n = ctx.n;
    const col = columnOf(ctx, this.field.name);
    const spec = this.spec;
    if (spec.op === 'like') {
      // NGRAM: test only the rows holding every gram of the pattern's literal pieces.
      const ng = ctx.seg.scalarIndex(this.field.name);
      if (isNgramIndex(ng) && ng.rowCount === n) {
        const cand = ng.candidates(likePieces(spec.shape));
        if (cand !== undefined) return testRows(this.tester(ctx), n, cand, 1);
      }
    }
    const idx = usableIndex(ctx, this.field, 'str');
    if (idx !== undefined) {
      switch (spec.op) {
        case 'eq':
          return idx.rowsEqualAny(spec.keys);
        case 'ne':
          return validRows(col.valid, n).andNot(idx.rowsEqualAny(spec.keys));
        case 'range':
          return idx.rowsInRange(spec.lo, spec.loInc, spec.hi, spec.hiInc);
        case 'like':
          if (spec.shape.kind === 'prefix') return idx.rowsWithPrefix(spec.shape.text);
          if (spec.shape.kind === 'exact') return idx.rowsEqualAny([spec.shape.text]);
          return idx.rowsWhereKey((k) => this.test(k as string));
      }
    }
    const data = col.data as string[];
    const valid = col.valid;
    const out = new Bitset(n);
    const words = out.words;
    if (spec.op === 'eq' && spec.keys.length <= 4) {
      // Unrolled membership for short lists: string === on interned strings is a pointer compare.
      const k0 = spec.keys[0];
      const k1 = spec.keys[1] ?? k0;
      const k2 = spec.keys[2] ?? k0;
      const k3 = spec.keys[3] ?? k0;
      for (let base = 0, w = 0; base < n; base += 32, w++) {
        const end = Math.min(32, n - base);
        let bits = 0;
        for (let j = 0; j < end; j++) {
          const s = data[base + j];
          if (s === k0 || s === k1 || s === k2 || s === k3) bits |= 1 << j;
        }
        words[w] = bits;
      }
    } else {
      const test = this.test;
      for (let base = 0, w = 0; base < n; base += 32, w++) {
        const end = Math.min(32, n - base);
        let bits = 0;
        for (let j = 0; j < end; j++) if (test(data[base + j]!)) bits |= 1 << j;
        words[w] = bits;
      }
    }
    return valid === null ? out : out.and(validRows(valid, n));
  }

  tester(ctx: Ctx): RowTest {
    const col = columnOf(ctx, this.field.name);
    const data = col.data as string[];
    const valid = col.valid;
    const test = this.test;
    return (row) => (valid !== null && valid[row] === 0 ? 2 : test(data[row]!) ? 1 : 0);
  }
}
