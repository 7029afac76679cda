/** The `elanus` command line: `elanus serve | export | import | bench` (see `elanus --help`). */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Command, InvalidArgumentError } from 'commander';
import { serve } from './serve.js';
import { exportCollection } from './export.js';
import { importCollection } from './import.js';
import { benchHeader, formatBench, runBench } from './bench.js';
import type { MetricType } from '../core/data-type.js';

const require = createRequire(import.meta.url);
const VERSION = (require('../../package.json') as { version: string }).version;

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('must be an integer in [0, 65535] (0 picks a free port)');
  return n;
}

function count(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a positive integer');
  return n;
}

/** A message size in bytes: a positive integer, optionally with a KiB/MiB/GiB (or KB/MB/GB, 1024-based) suffix. */
function bytes(value: string): number {
  const m = /^(\d+)\s*(k|m|g)?i?b?$/i.exec(value.trim());
  const unit = { k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[(m?.[2] ?? '').toLowerCase() as 'k' | 'm' | 'g'] ?? 1;
  const n = m ? Number(m[1]) * unit : NaN;
  if (!Number.isSafeInteger(n) || n < 1 || n > 2 ** 31 - 1) throw new InvalidArgumentError('must be a size in bytes in [1, 2 GiB), e.g. 67108864 or 64MiB');
  return n;
}

function positive(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('must be a positive number');
  return n;
}

function jsonObject(value: string): Record<string, unknown> {
  let v: unknown;
  try {
    v = JSON.parse(value);
  } catch {
    throw new InvalidArgumentError('must be a JSON object, e.g. \'{"M": 16}\'');
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new InvalidArgumentError('must be a JSON object');
  return v as Record<string, unknown>;
}

export function buildProgram(): Command {
  const program = new Command('elanus').description('A vector database for Node.js that speaks Milvus.').version(VERSION);
  program
    .command('serve')
    .description('serve the Milvus gRPC API (and RESTful v2) over a data directory')
    .option('--data <dir>', 'data directory', './elanus-data')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--port <port>', 'port to listen on (0 = any free port)', port, 19530)
    .option('--auth', 'require user name and password (root / Milvus by default)', false)
    .option('--tls-cert <file>', 'PEM certificate chain (enables TLS)')
    .option('--tls-key <file>', 'PEM private key')
    .option('--tls-ca <file>', "PEM CA certificate(s): require client certificates signed by it (mutual TLS, Milvus's tlsMode 2)")
    .option('--rest-port <port>', 'Milvus RESTful v2 API port (0 = any free port)', port, 19121)
    .option('--no-rest', 'do not serve the RESTful v2 API')
    .option('--no-console', 'do not serve the web console (at /console/ on the REST port)')
    .option('--metrics-port <port>', 'Prometheus /metrics and /healthz port (0 = any free port)', port, 9091)
    .option('--no-metrics', 'do not serve /metrics and /healthz')
    .option('--max-recv-size <bytes>', "largest gRPC request message (Milvus's proxy.grpc.serverMaxRecvSize; REST bodies may be 4x it)", bytes, 64 * 1024 ** 2)
    .option('--max-send-size <bytes>', "largest gRPC reply message (Milvus's proxy.grpc.serverMaxSendSize)", bytes, 256 * 1024 ** 2)
    .option('--segment-max-size <MB>', "segment max size in MB (Milvus's dataCoord.segment.maxSize): compaction merges small segments up to it", positive, 1024)
    .option('--seal-proportion <fraction>', "seal growing segments at this fraction of the max size (Milvus's dataCoord.segment.sealProportion)", positive, 0.12)
    .option('--trace', 'log every request (JSON lines on stderr)', false)
    .action(async (o: { data: string; host: string; port: number; auth: boolean; tlsCert?: string; tlsKey?: string; tlsCa?: string; trace: boolean; rest: boolean; restPort: number; console: boolean; metrics: boolean; metricsPort: number; maxRecvSize: number; maxSendSize: number; segmentMaxSize: number; sealProportion: number }) => {
      await serve({
        data: o.data,
        host: o.host,
        port: o.port,
        auth: o.auth,
        trace: o.trace,
        version: VERSION,
        maxRecvSize: o.maxRecvSize,
        maxSendSize: o.maxSendSize,
        segmentMaxSize: o.segmentMaxSize,
        sealProportion: o.sealProportion,
        ...(o.rest ? { restPort: o.restPort, console: o.console } : {}),
        ...(o.metrics ? { metricsPort: o.metricsPort } : {}),
        ...(o.tlsCert ? { tlsCert: o.tlsCert } : {}),
        ...(o.tlsKey ? { tlsKey: o.tlsKey } : {}),
        ...(o.tlsCa ? { tlsCa: o.tlsCa } : {}),
      });
    });
  program
    .command('export')
    .description("export a collection in Milvus's bulk-insert formats (schema.json + row-based JSON or Parquet files)")
    .requiredOption('--collection <name>', 'collection to export')
    .requiredOption('--out <dir>', 'output directory')
    .option('--data <dir>', 'data directory (not open by a running server)', './elanus-data')
    .option('--db <name>', 'database', 'default')
    .option('--rows-per-file <n>', 'rows per rows-NNNNNN.json file', Number, 100000)
    .option('--format <format>', 'json (row-based) or parquet (columnar, as Milvus BulkWriter writes it)', 'json')
    .action(async (o: { data: string; collection: string; db: string; out: string; rowsPerFile: number; format: string }) => {
      const r = await exportCollection({ data: o.data, collection: o.collection, db: o.db, out: o.out, rowsPerFile: o.rowsPerFile, format: o.format as 'json' | 'parquet' });
      process.stdout.write(`exported ${r.rows} rows to ${r.files.length} file(s) in ${o.out}\n`);
    });
  program
    .command('import')
    .description('import Milvus bulk-insert files (row-based JSON as `elanus export` writes them, Parquet, CSV or Numpy .npy per field) into a collection')
    .requiredOption('--collection <name>', 'target collection')
    .requiredOption('--in <dir>', 'directory with schema.json and rows-NNNNNN.json, .parquet, .csv or .npy files')
    .option('--data <dir>', 'data directory (not open by a running server)', './elanus-data')
    .option('--db <name>', 'database', 'default')
    .option('--create', 'create the collection from schema.json when missing', false)
    .option('--sep <char>', 'CSV separator (default ,)')
    .option('--nullkey <text>', 'CSV cell text that means null (default: the empty cell)')
    .action(async (o: { data: string; collection: string; db: string; in: string; create: boolean; sep?: string; nullkey?: string }) => {
      const r = await importCollection({ data: o.data, collection: o.collection, db: o.db, in: o.in, create: o.create, ...(o.sep !== undefined ? { sep: o.sep } : {}), ...(o.nullkey !== undefined ? { nullkey: o.nullkey } : {}) });
      process.stdout.write(`imported ${r.rows} rows from ${r.files.length} file(s)${r.created ? ' (collection created)' : ''}\n`);
    });
  program
    .command('bench')
    .description('measure durable ingest, index build, load, search latency/QPS and recall on seeded clustered vectors')
    .option('--data <dir>', 'data directory (default: a scratch directory, removed afterwards)')
    .option('--rows <n>', 'vectors to insert', count, 100_000)
    .option('--dim <n>', 'dimension', count, 128)
    .option('--metric <metric>', 'L2, IP or COSINE', 'L2')
    .option('--index <type>', 'index type (FLAT, IVF_FLAT, IVF_SQ8, IVF_PQ, HNSW, HNSW_SQ, AUTOINDEX)', 'HNSW')
    .option('--params <json>', 'index build parameters', jsonObject, {})
    .option('--search <json>', 'search parameters, e.g. \'{"ef": 64}\'', jsonObject, {})
    .option('--queries <n>', 'queries, one at a time', count, 1000)
    .option('--limit <n>', 'top-k', count, 10)
    .option('--batch <n>', 'rows per insert call', count, 10_000)
    .option('--seed <n>', 'data seed', count, 42)
    .option('--segment-max-size <MB>', "segment max size in MB (Milvus's dataCoord.segment.maxSize, default 1024)", positive)
    .option('--seal-proportion <fraction>', "seal growing segments at this fraction of the max size (default 0.12)", positive)
    .option('--seal-rows <n>', 'seal growing segments at this many rows instead (and merge up to it)', count)
    .option('--json', 'print the result as JSON', false)
    .option('--no-progress', 'no progress bars')
    .action(async (o: { data?: string; rows: number; dim: number; metric: string; index: string; params: Record<string, unknown>; search: Record<string, unknown>; queries: number; limit: number; batch: number; seed: number; json: boolean; progress: boolean; segmentMaxSize?: number; sealProportion?: number; sealRows?: number }) => {
      const opts = { ...o, metric: o.metric.toUpperCase() as MetricType, index: o.index.toUpperCase() };
      // The header first, so a log or a terminal shows what runs while it runs.
      if (!o.json) process.stdout.write(benchHeader(opts));
      const r = await runBench(opts);
      process.stdout.write(o.json ? `${JSON.stringify(r)}\n` : formatBench(r, o.batch, false));
    });
  return program;
}

export async function main(argv: string[] = process.argv): Promise<void> {
  await buildProgram().parseAsync(argv);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: unknown) => {
    process.stderr.write(`elanus: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
