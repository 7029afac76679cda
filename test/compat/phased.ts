/**
 * Two-phase compat scenarios: the same operations through the embedded client, the official SDK
 * over gRPC (to a real `elanus serve`) and its HttpClient over REST, on one data directory opened
 * twice — phase 1 writes (and the gRPC server of phase 1 is killed with SIGKILL, so its unflushed
 * rows come back from the WAL), phase 2 reopens and reads. A test file gives its own `Ops` (what its
 * phases call) built over an SDK-shaped client and over the HttpClient.
 */
import { after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HttpClient, MilvusClient as SdkClient } from '@zilliz/milvus2-sdk-node';
import { MilvusClient } from '../../src/index.js';
import { startServe, type ServedProcess } from '../server/spawn-server.js';
import type { AnyClient } from './scenarios.js';

export interface Closable {
  close(): Promise<void>;
}

export type Opener<O> = (dir: string, phase: number) => Promise<O>;

export interface PhasedTransports<O extends Closable> {
  embedded: Opener<O>;
  grpc: Opener<O>;
  rest: Opener<O>;
  /** Phase 1 and phase 2 through one transport on a fresh directory; what each phase returned. */
  transcript<A, B>(open: Opener<O>, prefix: string, phase1: (ops: O) => Promise<A>, phase2: (ops: O) => Promise<B>): Promise<{ before: A; after: B }>;
}

/** The three transports for a test file's `Ops`; directories and a server left running are cleaned up after the file. */
export function phasedTransports<O extends Closable>(make: { sdk: (c: AnyClient, onClose: () => Promise<void>) => O; rest: (h: HttpClient, onClose: () => Promise<void>) => O }): PhasedTransports<O> {
  let served: ServedProcess | undefined;
  const dirs: string[] = [];
  after(async () => {
    if (served) await served.stop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });
  return {
    async embedded(dir) {
      const c = new MilvusClient({ address: dir });
      return make.sdk(c as unknown as AnyClient, () => c.close());
    },
    async grpc(dir, phase) {
      const p = (served = await startServe([], { dataDir: dir }));
      const sdk = new SdkClient({ address: p.address, logLevel: 'error' } as ConstructorParameters<typeof SdkClient>[0]);
      await sdk.connectPromise;
      return make.sdk(sdk as unknown as AnyClient, async () => {
        await sdk.closeConnection();
        if (phase === 1) await p.stop({ keepData: true, signal: 'SIGKILL' });
        else assert.equal(await p.stop({ keepData: true }), 0, p.output());
        served = undefined;
      });
    },
    async rest(dir) {
      const p = (served = await startServe([], { dataDir: dir }));
      const h = new HttpClient({ endpoint: `http://${p.restAddress!}` });
      return make.rest(h, async () => {
        assert.equal(await p.stop({ keepData: true }), 0, p.output());
        served = undefined;
      });
    },
    async transcript(open, prefix, phase1, phase2) {
      const dir = mkdtempSync(join(tmpdir(), prefix));
      dirs.push(dir);
      let ops = await open(dir, 1);
      const before = await phase1(ops);
      await ops.close();
      ops = await open(dir, 2);
      const afterward = await phase2(ops);
      await ops.close();
      return { before, after: afterward };
    },
  };
}
