/**
 * A real full disk: a small tmpfs (mounted by the test; needs root, skipped with a message
 * otherwise) under a real `elanus serve`, driven through the official SDK. Rows fill it until an
 * insert meets ENOSPC: that insert is not visible, /healthz says 503 "storage degraded" and the
 * metric says 1, later writes fail fast, reads go on; dropping a collection frees the space (its
 * manifest write uses the reserve), the server recovers by itself, writes go through again and a
 * restart shows the same rows.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MilvusClient } from '@zilliz/milvus2-sdk-node';
import { DataType } from '../../src/core/data-type.js';
import { startServe, type ServedProcess } from '../server/spawn-server.js';

type St = { code?: number; reason?: string };
const status = (r: unknown): St => (r as { status?: St }).status ?? (r as St);

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
let mountable = isRoot;
const probeDir = isRoot ? mkdtempSync(join(tmpdir(), 'elanus-tmpfs-probe-')) : '';
if (isRoot) {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', probeDir], { stdio: 'ignore' });
    execFileSync('umount', [probeDir], { stdio: 'ignore' });
  } catch {
    mountable = false;
  }
  rmSync(probeDir, { recursive: true, force: true });
}
const skip = !isRoot ? 'needs root to mount a small tmpfs (run as root for the real-ENOSPC test)' : !mountable ? 'mount -t tmpfs is not permitted here (no CAP_SYS_ADMIN)' : false;

function fields(dim: number): unknown[] {
  return [
    { name: 'id', data_type: DataType.Int64, is_primary_key: true },
    { name: 'v', data_type: DataType.FloatVector, dim },
  ];
}

async function health(served: ServedProcess): Promise<{ status: number; text: string; metric: number }> {
  const h = await fetch(`http://${served.metricsAddress}/healthz`);
  const text = await h.text();
  const m = await (await fetch(`http://${served.metricsAddress}/metrics`)).text();
  const line = m.split('\n').find((l) => l.startsWith('elanus_storage_degraded '));
  return { status: h.status, text, metric: Number(line?.split(' ')[1]) };
}

/** Fills what is left of the file system with a file of zeros (another program filling the disk). */
function fillRest(path: string): void {
  const fd = openSync(path, 'w');
  const chunk = Buffer.alloc(64 << 10);
  try {
    for (;;) writeSync(fd, chunk);
  } catch {
    /* ENOSPC: full */
  } finally {
    closeSync(fd);
  }
}

test('a real full disk (tmpfs): the failed insert is invisible, health says degraded, dropping a collection frees space, the server recovers, restart agrees', { skip }, async () => {
  const mnt = mkdtempSync(join(tmpdir(), 'elanus-tmpfs-'));
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=24m', 'tmpfs', mnt]);
  const data = join(mnt, 'data');
  let served: ServedProcess | undefined;
  let sdk: MilvusClient | undefined;
  try {
    served = await startServe([], { dataDir: data });
    sdk = new MilvusClient({ address: served.address, logLevel: 'error' } as ConstructorParameters<typeof MilvusClient>[0]);
    assert.equal(status(await sdk.createCollection({ collection_name: 'keep', fields: fields(4) } as never)).code, 0);
    const keep = Array.from({ length: 10 }, (_, i) => ({ id: i, v: [i, 1, 0, 0] }));
    assert.equal(status(await sdk.insert({ collection_name: 'keep', data: keep } as never)).code, 0);
    assert.equal(status(await sdk.flush({ collection_names: ['keep'] } as never)).code, 0);
    await sdk.createIndex({ collection_name: 'keep', field_name: 'v', index_type: 'FLAT', metric_type: 'L2' } as never);
    await sdk.loadCollection({ collection_name: 'keep' } as never);
    assert.equal((await health(served)).status, 200);

    const stats = async (name: string): Promise<number> => {
      const r = (await sdk!.getCollectionStatistics({ collection_name: name } as never)) as unknown as { data: { row_count: string } };
      return Number(r.data.row_count);
    };
    const shownIds = async (): Promise<number[]> => {
      const q = (await sdk!.query({ collection_name: 'keep', filter: 'id >= 0', output_fields: ['id'] } as never)) as unknown as { status: St; data: { id: string }[] };
      assert.equal(q.status.code, 0, 'reads keep working');
      return q.data.map((r) => Number(r.id)).sort((a, b) => a - b);
    };
    const expectIds = keep.map((r) => r.id);
    let shown: number[] = [];
    // Round 1 frees space by truncating the collection that filled the disk, round 2 by dropping it.
    for (const free of ['truncate', 'drop'] as const) {
      // Rows fill the disk until an insert meets ENOSPC.
      if (free === 'truncate') assert.equal(status(await sdk.createCollection({ collection_name: 'filler', fields: fields(256) } as never)).code, 0);
      let acked = 0;
      let failure: St | undefined;
      for (let b = 0; b < 200 && !failure; b++) {
        const rows = Array.from({ length: 1000 }, (_, i) => ({ id: b * 1000 + i, v: Array.from({ length: 256 }, (_, d) => (i + d) % 7) }));
        const st = status(await sdk.insert({ collection_name: 'filler', data: rows } as never));
        if (st.code === 0) acked += rows.length;
        else failure = st;
      }
      assert.ok(failure, `${free}: the disk filled up`);
      assert.equal(failure.code, 1001, failure.reason);
      assert.match(failure.reason ?? '', /ENOSPC|no space left/i);
      // Something else takes the rest of the disk too, so nothing Elanus frees by itself suffices.
      const other = join(mnt, `other-program-${free}.bin`);
      fillRest(other);

      assert.equal(await stats('filler'), acked, `${free}: the failed insert is not counted`);
      const h = await health(served);
      assert.equal(h.status, 503, `${free}: /healthz`);
      assert.match(h.text, /^storage degraded: .*(ENOSPC|no space left)/i);
      assert.equal(h.metric, 1);

      const fast = status(await sdk.insert({ collection_name: 'keep', data: [{ id: 100, v: [9, 9, 9, 9] }] } as never));
      assert.equal(fast.code, 1001, `${free}: a write while the disk is full fails`);
      assert.match(fast.reason ?? '', /storage degraded|ENOSPC|no space/i);
      assert.deepEqual(await shownIds(), expectIds, `${free}: reads keep working, nothing of the failed writes shows`);

      // Truncating or dropping frees space even on a full disk (the reserve pays for its records).
      const freed: St = free === 'truncate' ? status(await sdk.truncateCollection({ collection_name: 'filler' } as never)) : status(await sdk.dropCollection({ collection_name: 'filler' } as never));
      assert.equal(freed.code, 0, `${free}: ${freed.reason}`);
      const end = Date.now() + 20_000;
      while ((await health(served)).status !== 200) {
        assert.ok(Date.now() < end, `${free}: the server recovers by itself once there is space`);
        await new Promise((r) => setTimeout(r, 100));
      }
      rmSync(other);
      assert.equal((await health(served)).metric, 0);
      const id = free === 'truncate' ? 100 : 101;
      assert.equal(status(await sdk.insert({ collection_name: 'keep', data: [{ id, v: [9, 9, 9, 9] }] } as never)).code, 0, `${free}: writes work again`);
      expectIds.push(id);
      shown = await shownIds();
      assert.deepEqual(shown, expectIds);
    }

    await sdk.closeConnection();
    await served.stop({ keepData: true });
    served = await startServe([], { dataDir: data });
    sdk = new MilvusClient({ address: served.address, logLevel: 'error' } as ConstructorParameters<typeof MilvusClient>[0]);
    await sdk.loadCollection({ collection_name: 'keep' } as never);
    const q3 = (await sdk.query({ collection_name: 'keep', filter: 'id >= 0', output_fields: ['id'] } as never)) as unknown as { data: { id: string }[] };
    assert.deepEqual(q3.data.map((r) => Number(r.id)).sort((a, b) => a - b), shown, 'restart shows the same rows');
    const cols = (await sdk.showCollections()) as unknown as { data: { name: string }[] };
    assert.deepEqual(cols.data.map((c) => c.name), ['keep']);
  } finally {
    await sdk?.closeConnection();
    await served?.stop({ keepData: true });
    try {
      execFileSync('umount', [mnt]);
    } catch {
      execFileSync('umount', ['-l', mnt]);
    }
    rmSync(mnt, { recursive: true, force: true });
  }
});
