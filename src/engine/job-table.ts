/**
 * The recent jobs of one kind (compactions, imports) by id, for the calls that poll them. Ids are
 * millisecond-based and increasing, so they stay exact as JSON numbers (REST); the oldest jobs are
 * forgotten past a bound.
 */
import { invalidParam } from '../core/errors.js';

/** Jobs kept per kind. */
const MAX_JOBS = 1024;

export class JobTable<J extends { id: bigint }> {
  private nextId = BigInt(Date.now());
  private readonly jobs = new Map<string, J>();

  /**
   * For errors: `kind` names the jobs (`compaction job`), `idField` the request field that names
   * one (`compactionID`), `origin` the call that hands out ids (`compact()`).
   */
  constructor(
    private readonly kind: string,
    private readonly idField: string,
    private readonly origin: string,
  ) {}

  /** Makes a job with a fresh id and keeps it. */
  add(make: (id: bigint) => J): J {
    const job = make(++this.nextId);
    this.jobs.set(String(job.id), job);
    if (this.jobs.size > MAX_JOBS) this.jobs.delete(this.jobs.keys().next().value!);
    return job;
  }

  get(id: unknown): J {
    const key = typeof id === 'bigint' || typeof id === 'number' || typeof id === 'string' ? String(id) : '';
    const job = this.jobs.get(key);
    if (!job) throw invalidParam(this.idField, `no ${this.kind} with id ${key || JSON.stringify(id)} (ids come from ${this.origin})`);
    return job;
  }

  /** Oldest first. */
  all(): J[] {
    return [...this.jobs.values()];
  }
}
