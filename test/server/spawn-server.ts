/**
 * Starts a real `elanus serve` process from source (`node --import tsx src/cli/main.ts serve ...`) on
 * an ephemeral port over a temporary data directory, and waits for the address it prints.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { unexpected } from '../../src/core/errors.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface ServedProcess {
  address: string;
  /** host:port of the RESTful v2 API (absent with --no-rest). */
  restAddress?: string;
  /** host:port of /metrics and /healthz (absent with --no-metrics). */
  metricsAddress?: string;
  port: number;
  dataDir: string;
  child: ChildProcess;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  /** SIGTERM, wait for exit; returns the exit code. Removes the data directory unless `keepData`. */
  stop(opts?: { keepData?: boolean; signal?: NodeJS.Signals }): Promise<number | null>;
}

export async function startServe(args: string[] = [], opts: { dataDir?: string; nodeArgs?: string[] } = {}): Promise<ServedProcess> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'elanus-serve-'));
  const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), '--import', 'tsx', join(ROOT, 'src/cli/main.ts'), 'serve', '--data', dataDir, '--port', '0', '--rest-port', '0', '--metrics-port', '0', ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr!.on('data', (b: Buffer) => (out += b.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const withRest = !args.includes('--no-rest');
  const withMetrics = !args.includes('--no-metrics');
  let restAddress: string | undefined;
  let metricsAddress: string | undefined;
  const address = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(unexpected(`elanus serve did not start within 30 s:\n${out}`)), 30_000);
    const onData = (): void => {
      const m = /serving the Milvus gRPC API on (\S+:\d+)/.exec(out);
      const r = /RESTful v2 API on http:\/\/(\S+:\d+)/.exec(out);
      const x = /metrics on http:\/\/(\S+:\d+)\/metrics/.exec(out);
      if (m && (r || !withRest) && (x || !withMetrics)) {
        restAddress = r?.[1];
        metricsAddress = x?.[1];
        clearTimeout(timer);
        child.stdout!.off('data', onData);
        resolve(m[1]!);
      }
    };
    child.stdout!.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(unexpected(`elanus serve exited with ${code} before it was ready:\n${out}`));
    });
  });
  return {
    address,
    ...(restAddress ? { restAddress } : {}),
    ...(metricsAddress ? { metricsAddress } : {}),
    port: Number(address.slice(address.lastIndexOf(':') + 1)),
    dataDir,
    child,
    output: () => out,
    async stop({ keepData = false, signal = 'SIGTERM' } = {}) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      const code = await exited;
      if (!keepData) rmSync(dataDir, { recursive: true, force: true });
      return code;
    },
  };
}
