/**
 * Load and release as an explicit state machine per collection:
 *
 *   NotLoad ──start──▶ Loading ──done──▶ Loaded
 *      ▲                  │                 │
 *      └──── failed ──────┘◀──── release ───┘   (release also cancels a running load)
 *
 * `start` begins a load (or joins the running one) and returns nothing; `settled` awaits the load the
 * collection is in. A failed load is recorded (state back to NotLoad, `error` kept for
 * getLoadingProgress) by the controller itself, so no caller ever holds a promise it must swallow.
 */
import { LoadState } from '../core/data-type.js';
import { MilvusError } from '../core/errors.js';
import type { CollectionRuntime } from './collection-runtime.js';

export class LoadController {
  constructor(private readonly work: (rt: CollectionRuntime) => Promise<void>) {}

  /**
   * Starts loading `partitions` (ids; null = the whole collection), or widens the running load.
   * Returns at once; `settled(rt)` waits for the outcome.
   */
  start(rt: CollectionRuntime, partitions: readonly number[] | null): void {
    const l = rt.load;
    if (l.state === LoadState.Loaded && partitions === null && l.partitions === null) return;
    const prev = l.partitions;
    // Loading partitions of a collection that is (being) loaded whole keeps it whole.
    const whole = partitions === null || (l.state !== LoadState.NotLoad && prev === null);
    const next = whole ? null : new Set([...(l.state !== LoadState.NotLoad && prev ? prev : []), ...partitions]);
    if (l.state === LoadState.Loaded && next !== null && partitions !== null && partitions.every((id) => prev?.has(id))) {
      l.partitions = next;
      return;
    }
    l.partitions = next;
    l.state = LoadState.Loading;
    l.progress = 0;
    delete l.error;
    const run = this.work(rt).then(
      () => {
        if (rt.load.state === LoadState.Loading && rt.load.promise === run) {
          rt.load.state = LoadState.Loaded;
          rt.load.progress = 100;
        }
      },
      (err: unknown) => {
        if (rt.load.promise !== run) return;
        rt.load.state = LoadState.NotLoad;
        rt.load.error = MilvusError.from(err);
      },
    );
    l.promise = run;
  }

  /** Waits for the collection's current load; throws its error when it failed. */
  async settled(rt: CollectionRuntime): Promise<void> {
    while (rt.load.promise && rt.load.state === LoadState.Loading) await rt.load.promise;
    if (rt.load.state !== LoadState.Loaded && rt.load.error) throw rt.load.error;
  }

  /** Back to NotLoad, after the running load (if any) has stopped. */
  async release(rt: CollectionRuntime): Promise<void> {
    const running = rt.load.promise;
    rt.load = { state: LoadState.NotLoad, partitions: null, progress: 0 };
    await running;
  }
}
