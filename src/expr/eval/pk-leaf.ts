/** `pk == v` / `pk in [...]`: answered by the segment's primary-key lookup, never a column scan. */
import { Bitset } from '../../core/bitset.js';
import type { FieldSchema } from '../../core/schema.js';
import type { Ctx, RowTest } from './evaluator.js';
import { Leaf } from './evaluator.js';
import { columnOf } from './values.js';

export class PkLeaf extends Leaf {
  readonly cost = 1;
  private readonly set: Set<bigint | string>;

  constructor(
    readonly field: FieldSchema,
    readonly keys: readonly (bigint | string)[],
  ) {
    super();
    this.set = new Set(keys);
  }

  override known(ctx: Ctx): Bitset {
    return Bitset.full(ctx.n);
  }

  override vecTrue(ctx: Ctx): Bitset {
    if (this.keys.length === 0) return new Bitset(ctx.n);
    return Bitset.fromIndices(ctx.n, ctx.seg.rowsOfPks(this.keys));
  }

  tester(ctx: Ctx): RowTest {
    const data = columnOf(ctx, this.field.name).data as ArrayLike<bigint | string>;
    const set = this.set;
    return (row) => (set.has(data[row]!) ? 1 : 0);
  }
}
