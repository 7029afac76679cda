/**
 * flush, flushSync, flushAll, flushAllSync and compaction report the failure of the work they
 * triggered, through the official SDK over gRPC (an in-process server over a data directory, so the
 * storage fault injector reaches it) and the embedded client; once the fault clears the same calls
 * succeed and the data is all there.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { MilvusClient as SdkClient } from '@zilliz/milvus2-sdk-node';
import { DataType } from '../../src/core/data-type.js';
import { Engine } from '../../src/engine/engine.js';
import { engineCredentialStore } from '../../src/server/auth/credential-store.js';
import { GrpcServer } from '../../src/server/grpc/server.js';
import { storageFaults } from '../../src/storage/faults.js';
import { tempDir, until } from './support.js';

type St = { code?: number; error_code?: string | number; reason?: string };
const status = (r: unknown): St => (r as { status?: St }).status ?? (r as St);

test('flush / flushSync / flushAll / flushAllSync / compaction report a failed segment write (SDK over gRPC); all succeed once the fault clears', async () => {
  const dir = tempDir('flush-fail');
  const engine = await Engine.open({ dataDir: dir, recoverMs: 10, onBackgroundError: () => undefined, store: { autoCompact: false } });
  const server = await GrpcServer.start({ engine, credentials: engineCredentialStore(engine), port: 0, auth: false, version: 'test' });
  const sdk = new SdkClient({ address: server.address, logLevel: 'error' } as ConstructorParameters<typeof SdkClient>[0]);
  try {
    await sdk.createCollection({ collection_name: 'c', fields: [{ name: 'id', data_type: DataType.Int64, is_primary_key: true }, { name: 'v', data_type: DataType.FloatVector, dim: 4 }] } as never);
    // Small sealed segments for compaction to merge.
    for (let b = 0; b < 3; b++) {
      await sdk.insert({ collection_name: 'c', data: Array.from({ length: 5 }, (_, i) => ({ id: b * 10 + i, v: [b, i, 0, 1] })) } as never);
      assert.equal(status(await sdk.flush({ collection_names: ['c'] } as never)).code, 0);
    }
    await sdk.insert({ collection_name: 'c', data: [{ id: 100, v: [1, 1, 1, 1] }] } as never);

    // Segment files cannot be written.
    storageFaults.arm({ op: 'write', code: 'ENOSPC', times: Infinity, pathIncludes: '.seg' });
    const flush = status(await sdk.flush({ collection_names: ['c'] } as never));
    assert.equal(flush.code, 1001, 'flush reports the failed seal');
    assert.match(flush.reason ?? '', /ENOSPC/);
    const flushSync = status(await sdk.flushSync({ collection_names: ['c'] } as never));
    assert.equal(flushSync.code, 1001, `flushSync reports it too: ${flushSync.reason}`);
    assert.match(flushSync.reason ?? '', /ENOSPC/);
    const all = status(await sdk.flushAll({} as never));
    assert.equal(all.code, 1001, 'flushAll reports it');
    await assert.rejects(sdk.flushAllSync({} as never), /ENOSPC|storage degraded/, 'flushAllSync throws it');

    const job = (await sdk.compact({ collection_name: 'c' } as never)) as unknown as { compactionID: string; status: St };
    assert.equal(job.status.code, 0);
    let state: { state: string | number; failedPlanNo: string; completedPlanNo: string } | undefined;
    const end = Date.now() + 10_000;
    for (;;) {
      state = (await sdk.getCompactionState({ compactionID: job.compactionID } as never)) as unknown as typeof state;
      if (state!.state === 'Completed' || state!.state === 3) break;
      assert.ok(Date.now() < end, 'compaction finishes');
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.ok(Number(state!.failedPlanNo) > 0, `the failed merge is reported: ${JSON.stringify(state)}`);
    assert.equal(Number(state!.completedPlanNo), 0);

    // The fault clears: recovery redoes the seal; the same calls succeed.
    storageFaults.clear();
    await until(() => engine.dir.health().ok, 'recovery');
    const fs2 = status(await sdk.flushSync({ collection_names: ["c"] } as never));
    assert.equal(fs2.code, 0, fs2.reason);
    assert.equal(status(await sdk.flushAllSync({} as never)).code, 0);
    const job2 = (await sdk.compact({ collection_name: 'c' } as never)) as unknown as { compactionID: string };
    for (;;) {
      state = (await sdk.getCompactionState({ compactionID: job2.compactionID } as never)) as unknown as typeof state;
      if (state!.state === 'Completed' || state!.state === 3) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.equal(Number(state!.failedPlanNo), 0, 'compaction succeeds after the fault clears');
    await sdk.createIndex({ collection_name: 'c', field_name: 'v', index_type: 'FLAT', metric_type: 'L2' } as never);
    await sdk.loadCollection({ collection_name: 'c' } as never);
    const q = (await sdk.query({ collection_name: 'c', filter: 'id >= 0', output_fields: ['id'] } as never)) as unknown as { data: { id: string }[] };
    assert.equal(q.data.length, 16, 'every row is there');
  } finally {
    storageFaults.clear();
    await sdk.closeConnection();
    await server.shutdown(2_000);
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
