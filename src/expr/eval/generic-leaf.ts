/**
 * Predicates evaluated row by row through value getters: JSON paths, array elements, whole arrays,
 * field-to-field comparisons, is null / exists. The test closure is built once per segment.
 */
import type { Ctx, RowTest } from './evaluator.js';
import { Leaf } from './evaluator.js';

export class GenericLeaf extends Leaf {
  constructor(
    readonly cost: number,
    private readonly make: (ctx: Ctx) => RowTest,
  ) {
    super();
  }

  tester(ctx: Ctx): RowTest {
    return this.make(ctx);
  }
}
