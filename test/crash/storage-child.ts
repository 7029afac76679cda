/**
 * Crash-test child: opens a data directory and runs random inserts / upserts / deletes / flushes /
 * compactions / load-release cycles until killed. Before each operation it prints `B <json>`, after
 * the operation is acknowledged (durable) `A <json>`. The parent SIGKILLs it at a random moment and
 * checks the reopened directory against the acknowledged operations.
 *
 * Usage: node --import tsx test/crash/storage-child.ts <dataDir> <seed>
 */
import { DataDir } from '../../src/storage/data-dir.js';
import { liveRows, makeBatch } from '../../src/storage/testing.js';
import { CRASH_DIR_OPTIONS, ensureCollection } from './storage-crash-setup.js';

const [dir, seedArg] = process.argv.slice(2);
let seed = Number(seedArg ?? 1) >>> 0 || 1;
function rand(): number {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return (seed >>> 0) / 0x100000000;
}
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;

const out = (line: string): boolean => process.stdout.write(`${line}\n`);
const big = (k: string, v: unknown): unknown => (typeof v === 'bigint' ? v.toString() : v);

async function main(): Promise<void> {
  const dd = await DataDir.open(dir!, CRASH_DIR_OPTIONS);
  const meta = await ensureCollection(dd);
  const st = await dd.loadStore(meta);
  const live = [...liveRows(st).keys()];
  let next = BigInt(meta.nextAutoId);
  let limit = next;
  out('READY');
  for (;;) {
    const r = rand();
    const part = pick(meta.partitions).id;
    if (r < 0.4) {
      const n = 1 + Math.floor(rand() * 40);
      if (next + BigInt(n) > limit) {
        limit = next + 1000n;
        meta.nextAutoId = limit.toString();
        await dd.commit(); // id block reserved durably before use
      }
      const pks = Array.from({ length: n }, (_, i) => next + BigInt(i));
      next += BigInt(n);
      out(`B ${JSON.stringify({ op: 'insert', pks }, big)}`);
      await st.insert(part, makeBatch(meta.schema, pks), n);
      live.push(...pks);
      out(`A ${JSON.stringify({ op: 'insert', pks }, big)}`);
    } else if (r < 0.6 && live.length > 0) {
      const pks = [...new Set(Array.from({ length: 1 + Math.floor(rand() * 10) }, () => pick(live)))];
      const ver = 1 + Math.floor(rand() * 1998);
      out(`B ${JSON.stringify({ op: 'upsert', pks, ver }, big)}`);
      await st.upsert(part, makeBatch(meta.schema, pks, ver), pks.length);
      out(`A ${JSON.stringify({ op: 'upsert', pks, ver }, big)}`);
    } else if (r < 0.8 && live.length > 0) {
      const pks = [...new Set(Array.from({ length: 1 + Math.floor(rand() * 10) }, () => pick(live)))];
      out(`B ${JSON.stringify({ op: 'delete', pks }, big)}`);
      await st.deletePks(pks);
      const gone = new Set(pks);
      for (let i = live.length - 1; i >= 0; i--) if (gone.has(live[i]!)) live.splice(i, 1);
      out(`A ${JSON.stringify({ op: 'delete', pks }, big)}`);
    } else if (r < 0.9) {
      out(`B {"op":"flush"}`);
      await st.flush();
      out(`A {"op":"flush"}`);
    } else if (r < 0.903) {
      out(`B {"op":"truncate"}`);
      await st.truncate();
      live.length = 0;
      out(`A {"op":"truncate"}`);
    } else if (r < 0.95) {
      out(`B {"op":"compact"}`);
      await st.compact();
      out(`A {"op":"compact"}`);
    } else {
      out(`B {"op":"release"}`);
      dd.releaseStore(meta.id);
      await dd.loadStore(meta);
      out(`A {"op":"release"}`);
    }
  }
}

main().catch((err: unknown) => {
  out(`ERROR ${err instanceof Error ? err.stack : String(err)}`);
  process.exit(1);
});
