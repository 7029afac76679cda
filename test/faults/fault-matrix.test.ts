/**
 * The fault matrix: each kind of write × each kind of storage fault (injected at the storage
 * layer's file seam) → the caller gets the error, nothing of the write is visible (query, count,
 * search), later writes fail fast with "storage degraded" while reads go on, the database recovers
 * without a restart once the fault clears, and a restart shows exactly what memory showed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { MilvusError } from '../../src/core/errors.js';
import { storageFaults, type FaultCode, type FaultOp } from '../../src/storage/faults.js';
import type { Engine } from '../../src/engine/engine.js';
import { expected, makeCollection, openEngine, sorted, tempDir, until, vec, visible } from './support.js';

type Kind = 'insert' | 'upsert' | 'delete' | 'flush';

const faults: { op: FaultOp; code: FaultCode }[] = [
  { op: 'write', code: 'ENOSPC' },
  { op: 'write', code: 'EIO' },
  { op: 'fsync', code: 'EIO' },
  { op: 'fsync', code: 'ENOSPC' },
  { op: 'rename', code: 'EIO' },
];

/** The write under test, and what it does to the model when it succeeds. */
function action(kind: Kind, e: Engine, model: Map<number, number[]>, round: number): { run: () => Promise<unknown>; commit: () => void } {
  const ids = [100 + round * 2, 101 + round * 2];
  switch (kind) {
    case 'insert':
      return { run: () => e.writes.insert({ collection_name: 'c', data: ids.map((id) => ({ id, v: vec(id) })) } as never), commit: () => ids.forEach((id) => model.set(id, vec(id))) };
    case 'upsert':
      // Replaces row 1 and adds a new one.
      return {
        run: () => e.writes.upsert({ collection_name: 'c', data: [{ id: 1, v: vec(1, round + 1) }, { id: ids[0], v: vec(ids[0]!) }] } as never),
        commit: () => {
          model.set(1, vec(1, round + 1));
          model.set(ids[0]!, vec(ids[0]!));
        },
      };
    case 'delete':
      return { run: () => e.writes.delete({ collection_name: 'c', filter: `id in [${2 + round}, ${12 + round}]` } as never), commit: () => [2 + round, 12 + round].forEach((id) => model.delete(id)) };
    case 'flush':
      return { run: () => e.writes.flush({ collection_names: ['c'] }), commit: () => undefined };
  }
}

/** Which faults a kind of write meets: WAL writes never rename; a flush writes segments and the manifest. */
function applies(kind: Kind, op: FaultOp): boolean {
  return kind === 'flush' || op !== 'rename';
}

for (const kind of ['insert', 'upsert', 'delete', 'flush'] as Kind[]) {
  test(`fault matrix: ${kind} × write/fsync/rename × ENOSPC/EIO → error, nothing visible, degraded, recovery, restart identical`, async () => {
    for (const f of faults) {
      if (!applies(kind, f.op)) continue;
      const label = `${kind} with ${f.op} ${f.code}`;
      const dir = tempDir('faults');
      let e = await openEngine(dir);
      try {
        await makeCollection(e, 'c');
        const model = new Map<number, number[]>();
        const base = Array.from({ length: 20 }, (_, i) => ({ id: i, v: vec(i) }));
        await e.writes.insert({ collection_name: 'c', data: base.slice(0, 10) } as never);
        await e.writes.flush({ collection_names: ['c'] });
        await e.writes.insert({ collection_name: 'c', data: base.slice(10) } as never); // growing rows too
        for (const r of base) model.set(r.id, r.v);
        const before = await visible(e, 'c');
        assert.deepEqual(sorted(before), expected(model), `${label}: baseline`);

        // The fault stays until cleared (a disk that stays full / a device that keeps failing).
        storageFaults.arm({ op: f.op, code: f.code, times: Infinity });
        const a = action(kind, e, model, 0);
        const hitsBefore = storageFaults.hits;
        const err = await a.run().then(
          () => null,
          (x: unknown) => x,
        );
        assert.ok(err instanceof MilvusError, `${label}: the caller gets a MilvusError, got ${String(err)}`);
        assert.equal(err.code, 1001, `${label}: ${err.message}`);
        assert.match(err.message, new RegExp(f.code), label);
        assert.ok(storageFaults.hits > hitsBefore, `${label}: the fault was hit`);
        assert.deepEqual(sorted(await visible(e, 'c')), sorted(before), `${label}: nothing of the failed write is visible`);
        assert.equal(e.dir.health().ok, false, `${label}: health says degraded`);
        assert.match(e.dir.health().cause, new RegExp(f.code), label);

        // Degraded: writes fail fast, reads go on.
        const fast = await e.writes.insert({ collection_name: 'c', data: [{ id: 999, v: vec(999) }] } as never).then(
          () => null,
          (x: unknown) => x as MilvusError,
        );
        assert.ok(fast, `${label}: a write while degraded fails`);
        assert.match(fast.message, /storage degraded|ENOSPC|EIO/, label);
        assert.deepEqual(sorted(await visible(e, 'c')), sorted(before), `${label}: reads keep working while degraded`);

        // The fault clears: the database recovers by itself and the write goes through.
        storageFaults.clear();
        await until(() => e.dir.health().ok, `${label}: recovery`);
        await a.run();
        a.commit();
        const after = await visible(e, 'c');
        assert.deepEqual(sorted(after), expected(model), `${label}: the retried write is visible`);
        const again = action(kind, e, model, 1);
        await again.run();
        again.commit();
        const shown = await visible(e, 'c');
        assert.deepEqual(sorted(shown), expected(model), `${label}: later writes work`);

        // Restart: exactly what memory showed.
        await e.close();
        e = await openEngine(dir);
        await e.loads.loadCollection({ collection_name: 'c' });
        assert.deepEqual(sorted(await visible(e, 'c')), sorted(shown), `${label}: restart state identical`);
      } finally {
        storageFaults.clear();
        await e.close();
        rmSync(dir, { recursive: true, force: true });
      }
    }
  });
}

test('a failed group commit: every concurrent writer sharing it gets the error and none of their rows is visible, to anyone', async () => {
  const dir = tempDir('faults-group');
  let e = await openEngine(dir);
  try {
    await makeCollection(e, 'c');
    const model = new Map<number, number[]>();
    await e.writes.insert({ collection_name: 'c', data: [{ id: 0, v: vec(0) }, { id: 1, v: vec(1) }] } as never);
    model.set(0, vec(0)).set(1, vec(1));
    for (const code of ['ENOSPC', 'EIO'] as FaultCode[]) {
      storageFaults.arm({ op: 'fsync', code, times: 1, pathIncludes: '.wal' });
      const writers = [
        e.writes.insert({ collection_name: 'c', data: [{ id: 10, v: vec(10) }] } as never),
        e.writes.insert({ collection_name: 'c', data: [{ id: 11, v: vec(11) }] } as never),
        e.writes.upsert({ collection_name: 'c', data: [{ id: 0, v: vec(0, 7) }] } as never),
        e.writes.delete({ collection_name: 'c', filter: 'id in [1]' } as never),
      ];
      // A reader while the writes are in flight sees none of them.
      const during = await visible(e, 'c');
      const results = await Promise.allSettled(writers);
      for (const [i, r] of results.entries()) {
        assert.equal(r.status, 'rejected', `${code}: writer ${i} gets the error`);
        const reason = (r as PromiseRejectedResult).reason as MilvusError;
        assert.equal(reason.code, 1001);
        assert.match(reason.message, new RegExp(code));
      }
      assert.deepEqual(sorted(during), expected(model), `${code}: nothing visible while in flight`);
      assert.deepEqual(sorted(await visible(e, 'c')), expected(model), `${code}: nothing visible after`);
      storageFaults.clear();
      await until(() => e.dir.health().ok, 'recovery');
    }
    await e.writes.insert({ collection_name: 'c', data: [{ id: 20, v: vec(20) }] } as never);
    model.set(20, vec(20));
    await e.close();
    e = await openEngine(dir);
    await e.loads.loadCollection({ collection_name: 'c' });
    assert.deepEqual(sorted(await visible(e, 'c')), expected(model), 'restart: the failed writes never come back');
  } finally {
    storageFaults.clear();
    await e.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
