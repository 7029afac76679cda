/**
 * Prometheus metrics for a served Elanus (prom-client): requests by transport, method and Milvus
 * status code, their latency, calls in flight, and — collected at scrape time from the engine —
 * rows, load state, resident memory and index build backlog per collection, plus the process
 * metrics prom-client collects (RSS, heap, event-loop lag, GC).
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Engine } from '../../engine/engine.js';
import type { CollectionStats } from '../../engine/maintenance.js';

export type Transport = 'grpc' | 'rest';

/** Called when a request starts; the returned function when it ends, with its status code. */
export interface RequestObserver {
  start(transport: Transport, method: string): (code: number | string) => void;
}

export class ServerMetrics implements RequestObserver {
  /** ok, or the storage fault that makes writes fail (for /healthz). */
  storageHealth(): { ok: boolean; cause: string } {
    return this.engine.dir.health();
  }

  readonly registry = new Registry();
  private readonly requests: Counter<'transport' | 'method' | 'code'>;
  private readonly latency: Histogram<'transport' | 'method'>;
  private readonly inFlight: Gauge<'transport'>;
  /** The engine's collection figures, taken at the start of the current scrape. */
  private scraped: CollectionStats[] = [];

  constructor(private readonly engine: Engine) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.requests = new Counter({ name: 'elanus_requests_total', help: 'Requests handled, by transport, method and Milvus status code (0 = success)', labelNames: ['transport', 'method', 'code'], registers });
    this.latency = new Histogram({
      name: 'elanus_request_duration_seconds',
      help: 'Time from a request arriving to its reply, by transport and method',
      labelNames: ['transport', 'method'],
      buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.inFlight = new Gauge({ name: 'elanus_requests_in_flight', help: 'Requests being handled', labelNames: ['transport'], registers });

    // Collection figures are read from the engine once per scrape (in text()), never kept between.
    const stats = (): CollectionStats[] => this.scraped;
    const perCollection = (name: string, help: string, value: (s: CollectionStats) => number): void => {
      new Gauge({
        name,
        help,
        labelNames: ['db', 'collection'],
        registers,
        collect() {
          this.reset();
          for (const s of stats()) this.set({ db: s.db, collection: s.name }, value(s));
        },
      });
    };
    const engineRef = this.engine;
    new Gauge({
      name: 'elanus_storage_degraded',
      help: '1 while a storage fault (full disk, I/O error) makes writes fail; reads go on and writes are retried',
      registers,
      collect() {
        this.set(engineRef.dir.health().ok ? 0 : 1);
      },
    });
    new Gauge({
      name: 'elanus_storage_degraded_events',
      help: 'Times storage went from healthy to degraded since the server started',
      registers,
      collect() {
        this.set(engineRef.dir.health().degradedCount);
      },
    });
    perCollection('elanus_collection_rows', 'Live rows (inserted and not deleted)', (s) => s.rows);
    perCollection('elanus_collection_loaded', '1 when the collection is loaded for search and query', (s) => (s.loaded ? 1 : 0));
    perCollection('elanus_collection_memory_bytes', 'Segment data held in memory', (s) => s.memoryBytes);
    perCollection('elanus_collection_segments', 'Segments (growing and sealed)', (s) => s.segments);
    new Gauge({
      name: 'elanus_index_pending_rows',
      help: 'Rows of sealed segments still waiting for their index build',
      labelNames: ['db', 'collection', 'index'],
      registers,
      collect() {
        this.reset();
        for (const s of stats()) for (const i of s.indexes) this.set({ db: s.db, collection: s.name, index: i.name }, i.pendingRows);
      },
    });
    new Gauge({
      name: 'elanus_collections',
      help: 'Collections, in every database',
      registers,
      collect() {
        this.set(stats().length);
      },
    });
  }

  start(transport: Transport, method: string): (code: number | string) => void {
    this.inFlight.inc({ transport });
    const t0 = process.hrtime.bigint();
    return (code) => {
      this.inFlight.dec({ transport });
      this.requests.inc({ transport, method, code: String(code) });
      this.latency.observe({ transport, method }, Number(process.hrtime.bigint() - t0) / 1e9);
    };
  }

  /** The exposition text. */
  text(): Promise<string> {
    this.scraped = this.engine.catalog.stats();
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
