/** array_contains / _all / _any on an Array field: per row over the elements, or the field's index. */
import type { Bitset } from '../../core/bitset.js';
import type { FieldSchema } from '../../core/schema.js';
import type { Ctx, RowTest } from './evaluator.js';
import { Leaf, validRows } from './evaluator.js';
import type { Key } from '../../index/scalar/index.js';
import { usableIndex } from './numeric-leaf.js';
import { columnOf, valuesEqual } from './values.js';

export class ArrayContainsLeaf extends Leaf {
  readonly cost = 15;

  /** `keys`: the values in the index's key space (undefined entries can never match). */
  constructor(
    readonly field: FieldSchema,
    readonly mode: 'one' | 'all' | 'any',
    readonly values: readonly unknown[],
    readonly keys: readonly (Key | undefined)[],
    readonly keyKind: 'f64' | 'i64' | 'str',
  ) {
    super();
  }

  override known(ctx: Ctx): Bitset {
    const col = columnOf(ctx, this.field.name);
    const out = validRows(col.valid, ctx.n);
    const data = col.data as (unknown[] | null)[];
    for (let r = 0; r < ctx.n; r++) if (data[r] === null || data[r] === undefined) out.clear(r);
    return out;
  }

  override indexed(ctx: Ctx): boolean {
    return usableIndex(ctx, this.field, this.keyKind, true) !== undefined;
  }

  override vecTrue(ctx: Ctx): Bitset | undefined {
    const idx = usableIndex(ctx, this.field, this.keyKind, true);
    if (idx === undefined || (this.mode === 'all' && this.keys.length === 0)) return undefined;
    const present = this.keys.filter((k): k is Key => k !== undefined);
    if (this.mode !== 'all') return idx.rowsEqualAny(present);
    if (present.length < this.keys.length) return idx.rowsEqualAny([]);
    let acc: Bitset | undefined;
    for (const k of present) {
      const b = idx.rowsEqualAny([k]);
      acc = acc === undefined ? b : acc.and(b);
    }
    return acc;
  }

  tester(ctx: Ctx): RowTest {
    const col = columnOf(ctx, this.field.name);
    const data = col.data as (unknown[] | null)[];
    const valid = col.valid;
    const values = this.values;
    const has = (arr: unknown[], v: unknown): boolean => arr.some((e) => valuesEqual(e, v));
    const mode = this.mode;
    return (row) => {
      if (valid !== null && valid[row] === 0) return 2;
      const arr = data[row];
      if (arr === null || arr === undefined) return 2;
      if (mode === 'all') return values.every((v) => has(arr, v)) ? 1 : 0;
      return values.some((v) => has(arr, v)) ? 1 : 0;
    };
  }
}
