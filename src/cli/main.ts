/** The `elanus` command line: `elanus serve [--data <dir>] [--host 127.0.0.1] [--port 19530] ...`. */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Command, InvalidArgumentError } from 'commander';
import { serve } from './serve.js';

const require = createRequire(import.meta.url);
const VERSION = (require('../../package.json') as { version: string }).version;

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('must be an integer in [0, 65535] (0 picks a free port)');
  return n;
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
    .option('--rest-port <port>', 'Milvus RESTful v2 API port (0 = any free port)', port, 19121)
    .option('--no-rest', 'do not serve the RESTful v2 API')
    .option('--trace', 'log every request to stderr', false)
    .action(async (o: { data: string; host: string; port: number; auth: boolean; tlsCert?: string; tlsKey?: string; trace: boolean; rest: boolean; restPort: number }) => {
      await serve({
        data: o.data,
        host: o.host,
        port: o.port,
        auth: o.auth,
        trace: o.trace,
        version: VERSION,
        ...(o.rest ? { restPort: o.restPort } : {}),
        ...(o.tlsCert ? { tlsCert: o.tlsCert } : {}),
        ...(o.tlsKey ? { tlsKey: o.tlsKey } : {}),
      });
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
