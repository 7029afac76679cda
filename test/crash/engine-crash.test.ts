/**
 * Crash test of the whole stack: a child (engine-child.ts) drives the embedded MilvusClient —
 * auto-id inserts, upserts, deletes, flushes, release/load — and is SIGKILLed at random moments.
 * After each kill we reopen the directory with a fresh client, load the collection and query every
 * row: acknowledged writes present at their latest version, no deleted row back, auto-ids never
 * reissued. 20 trials by default; ELANUS_CRASH_TRIALS=500 for a long run.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { MilvusClient } from '../../src/index.js';
import { apply, checkState, runChild, type Model } from './crash-harness.js';

const TRIALS = Number(process.env.ELANUS_CRASH_TRIALS ?? 20);
const CHILD = fileURLToPath(new URL('./engine-child.ts', import.meta.url));

async function readBack(dir: string): Promise<Model> {
  const client = new MilvusClient({ address: dir, sealRows: 120 });
  try {
    const has = await client.hasCollection({ collection_name: 'crash' });
    assert.equal(has.status.error_code, 'Success', has.status.reason);
    if (!has.value) return new Map();
    const state = await client.getLoadState({ collection_name: 'crash' });
    assert.equal(state.state, 'LoadStateNotLoad', 'collections come back released');
    // The child may have been killed between create and create-index: then there is nothing to load yet.
    await client.createIndex({ collection_name: 'crash', field_name: 'vec', index_type: 'FLAT', metric_type: 'L2', params: {} });
    const load = await client.loadCollection({ collection_name: 'crash' });
    assert.equal(load.error_code, 'Success', load.reason);
    const q = await client.query({ collection_name: 'crash', filter: 'id >= 0', output_fields: ['id', 'v'] });
    assert.equal(q.status.error_code, 'Success', q.status.reason);
    const out: Model = new Map();
    for (const row of q.data) {
      const id = String(row.id);
      assert.ok(!out.has(id), `duplicate live id ${id}`);
      out.set(id, Number(row.v));
    }
    return out;
  } finally {
    await client.close();
  }
}

test(`the embedded client survives SIGKILL at random moments (${TRIALS} trials)`, { timeout: 60_000 + TRIALS * 8_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'elanus-engine-crash-'));
  let model: Model = new Map();
  const everIssued = new Set<string>();
  let seed = Number(process.env.ELANUS_CRASH_SEED ?? Date.now() % 100_000) + 7;
  const log: string[] = [];
  try {
    for (let trial = 0; trial < TRIALS; trial++) {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      const ms = 30 + (seed % 400);
      const { acked, inflight, errors } = await runChild(CHILD, join(dir, 'data'), seed || 1, ms);
      assert.deepEqual(errors, [], `trial ${trial} (seed ${seed}): child errors`);
      for (const op of acked) {
        if (op.op === 'insert') {
          for (const pk of op.pks ?? []) {
            assert.ok(!everIssued.has(pk), `trial ${trial}: auto-id ${pk} issued twice`);
            everIssued.add(pk);
          }
        }
        apply(model, op);
      }
      const actual = await readBack(join(dir, 'data'));
      // The engine's upsert is one WAL record per partition: a kill never leaves a row missing.
      assert.equal(checkState(model, inflight, actual, true), null, `trial ${trial} (seed ${seed})`);
      for (const pk of actual.keys()) everIssued.add(pk);
      log.push(`trial ${trial}: ${acked.length} ops acked, ${actual.size} rows`);
      model = actual;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  t.diagnostic(log.join('\n'));
  assert.ok(
    log.some((l) => !l.includes(': 0 ops')),
    'the child acknowledged some operations',
  );
});
