/**
 * Crash test: a child process (storage-child.ts) inserts / upserts / deletes / flushes / compacts in
 * a loop and reports each acknowledged operation; we SIGKILL it at random moments, reopen the data
 * directory and check that every acknowledged write is there (with its latest acknowledged version),
 * no deleted row reappears, every column value is intact, and the directory opens cleanly.
 * 20 trials by default; ELANUS_CRASH_TRIALS=500 for a long run.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { DataDir } from '../../src/storage/data-dir.js';
import { checkRowValues, liveRows } from '../../src/storage/testing.js';
import { CRASH_DIR_OPTIONS } from './storage-crash-setup.js';

const TRIALS = Number(process.env.ELANUS_CRASH_TRIALS ?? 20);
const CHILD = fileURLToPath(new URL('./storage-child.ts', import.meta.url));

interface Op {
  op: string;
  pks?: string[];
  ver?: number;
}

/** pk → version; absent = not present. */
type Model = Map<bigint, number>;

function apply(model: Model, op: Op): void {
  const pks = (op.pks ?? []).map((p) => BigInt(p));
  if (op.op === 'insert') for (const pk of pks) model.set(pk, 0);
  else if (op.op === 'upsert') for (const pk of pks) model.set(pk, op.ver!);
  else if (op.op === 'delete') for (const pk of pks) model.delete(pk);
}

/** Runs the child until killed after `ms` (measured from its READY line); returns acknowledged ops and the op in flight. */
function runChild(dir: string, seed: number, ms: number): Promise<{ acked: Op[]; inflight: Op | null; errors: string[] }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dir, String(seed)], { stdio: ['ignore', 'pipe', 'pipe'] });
    const acked: Op[] = [];
    const errors: string[] = [];
    let inflight: Op | null = null;
    let buf = '';
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (line === 'READY') setTimeout(() => child.kill('SIGKILL'), ms);
        else if (line.startsWith('B ')) inflight = JSON.parse(line.slice(2)) as Op;
        else if (line.startsWith('A ')) {
          acked.push(JSON.parse(line.slice(2)) as Op);
          inflight = null;
        } else if (line.startsWith('ERROR') || line.startsWith('BGERROR')) errors.push(line);
      }
    });
    const guard = setTimeout(() => child.kill('SIGKILL'), ms + 20_000);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(guard);
      if (signal !== 'SIGKILL') errors.push(`child exited with code ${code}: ${stderr.slice(-2000)}`);
      resolve({ acked, inflight, errors });
    });
  });
}

test(`storage survives SIGKILL at random moments (${TRIALS} trials)`, { timeout: 60_000 + TRIALS * 5_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'elanus-crash-'));
  let model: Model = new Map();
  let seed = Number(process.env.ELANUS_CRASH_SEED ?? Date.now() % 100_000);
  const log: string[] = [];
  try {
    for (let trial = 0; trial < TRIALS; trial++) {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      const ms = 30 + (seed % 400);
      const { acked, inflight, errors } = await runChild(dir, seed || 1, ms);
      assert.deepEqual(errors, [], `trial ${trial} (seed ${seed}): child errors`);
      for (const op of acked) apply(model, op);
      const before = new Map(model);
      const after = new Map(model);
      if (inflight) apply(after, inflight);
      const maybe = new Set((inflight?.pks ?? []).map((p) => BigInt(p)));

      const dd = await DataDir.open(dir, CRASH_DIR_OPTIONS);
      try {
        const meta = dd.catalog.collections[0];
        const actual: Model = meta ? liveRows(await dd.loadStore(meta)) : new Map();
        if (meta) assert.equal(checkRowValues(dd.store(meta)), null, `trial ${trial}: column values`);
        for (const [pk, ver] of model) {
          if (maybe.has(pk)) continue;
          assert.equal(actual.get(pk), ver, `trial ${trial} (seed ${seed}): acknowledged pk ${pk} should be version ${ver}`);
        }
        for (const [pk, ver] of actual) {
          if (maybe.has(pk)) {
            assert.ok(before.get(pk) === ver || after.get(pk) === ver, `trial ${trial}: in-flight pk ${pk} has version ${ver}`);
            continue;
          }
          assert.ok(model.has(pk), `trial ${trial} (seed ${seed}): pk ${pk} present but was deleted or never acknowledged`);
        }
        if (meta) {
          const next = BigInt(meta.nextAutoId);
          for (const pk of actual.keys()) assert.ok(pk < next, `auto-id watermark ${next} would reissue pk ${pk}`);
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
