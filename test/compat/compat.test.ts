/**
 * Compatibility suite: the same scenarios through the embedded client and through the official
 * `@zilliz/milvus2-sdk-node` 3.x `MilvusClient` talking to a real `elanus serve` process; every step's
 * result must be the same.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MilvusClient as SdkClient } from '@zilliz/milvus2-sdk-node';
import { MilvusClient } from '../../src/index.js';
import { startServe, type ServedProcess } from '../server/spawn-server.js';
import { clusterScenarios, rbacScenarios, runScenario, scenarios, type AnyClient } from './scenarios.js';
import { textScenarios } from './text-scenarios.js';
import { clientScenarios } from './client-scenarios.js';

let served: ServedProcess;
let sdk: SdkClient;
let embedded: MilvusClient;
let embeddedDir: string;

before(async () => {
  served = await startServe();
  sdk = new SdkClient({ address: served.address, logLevel: 'error' } as ConstructorParameters<typeof SdkClient>[0]);
  await sdk.connectPromise;
  embeddedDir = mkdtempSync(join(tmpdir(), 'elanus-compat-'));
  embedded = new MilvusClient({ address: embeddedDir });
});

after(async () => {
  await sdk?.closeConnection();
  await embedded?.close();
  rmSync(embeddedDir, { recursive: true, force: true });
  const code = await served?.stop();
  assert.equal(code, 0, `elanus serve exited with ${code}:\n${served?.output()}`);
});

for (const s of [...scenarios, ...textScenarios, ...clientScenarios, ...rbacScenarios, ...clusterScenarios]) {
  test(`compat: ${s.name}`, async () => {
    const viaEmbedded = await runScenario(embedded as unknown as AnyClient, s);
    const viaGrpc = await runScenario(sdk as unknown as AnyClient, s);
    for (let i = 0; i < Math.max(viaEmbedded.length, viaGrpc.length); i++) {
      assert.deepEqual(viaGrpc[i], viaEmbedded[i], `step ${i} (${viaEmbedded[i]?.[0] ?? viaGrpc[i]?.[0]}) differs between gRPC and embedded`);
    }
  });
}
