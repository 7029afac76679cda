/**
 * Crash test: a child process (storage-child.ts) inserts / upserts / deletes / flushes / compacts in
 * a loop and reports each acknowledged operation; we SIGKILL it at random moments, reopen the data
 * directory and check that every acknowledged write is there (with its latest acknowledged version),
 * no deleted row reappears, every column value is intact, and the directory opens cleanly.
 * 20 trials by default; ELANUS_CRASH_TRIALS=500 for a long run.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { DataDir } from '../../src/storage/data-dir.js';
import { checkRowValues, liveRows } from '../../src/storage/testing.js';
import { apply, checkState, runChild, type Model } from './crash-harness.js';
import { CRASH_DIR_OPTIONS } from './storage-crash-setup.js';

const TRIALS = Number(process.env.ELANUS_CRASH_TRIALS ?? 20);
const CHILD = fileURLToPath(new URL('./storage-child.ts', import.meta.url));

test(`storage survives SIGKILL at random moments (${TRIALS} trials)`, { timeout: 60_000 + TRIALS * 5_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'elanus-crash-'));
  let model: Model = new Map();
  let seed = Number(process.env.ELANUS_CRASH_SEED ?? Date.now() % 100_000);
  const log: string[] = [];
  try {
    for (let trial = 0; trial < TRIALS; trial++) {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      const ms = 30 + (seed % 400);
      const { acked, inflight, errors } = await runChild(CHILD, dir, seed || 1, ms);
      assert.deepEqual(errors, [], `trial ${trial} (seed ${seed}): child errors`);
      for (const op of acked) apply(model, op);

      const dd = await DataDir.open(dir, CRASH_DIR_OPTIONS);
      try {
        const meta = dd.catalog.collections[0];
        const rows = meta ? liveRows(await dd.loadStore(meta)) : new Map<bigint, number>();
        const actual: Model = new Map([...rows].map(([pk, v]) => [String(pk), v]));
        if (meta) assert.equal(checkRowValues(dd.store(meta)), null, `trial ${trial}: column values`);
        assert.equal(checkState(model, inflight, actual), null, `trial ${trial} (seed ${seed})`);
        if (meta) {
          const next = BigInt(meta.nextAutoId);
          for (const pk of rows.keys()) assert.ok(pk < next, `auto-id watermark ${next} would reissue pk ${pk}`);
          assert.equal(dd.store(meta).rowCount, actual.size, 'rowCount agrees with live rows');
        }
        log.push(`trial ${trial}: ${acked.length} ops acked, ${actual.size} rows`);
        model = actual; // settles the in-flight op either way
      } finally {
        await dd.close();
      }
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
