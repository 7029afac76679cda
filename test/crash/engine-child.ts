/**
 * Crash-test child driving the whole stack (embedded MilvusClient → engine → storage): auto-id
 * inserts, upserts, deletes, flushes and release/load cycles in a loop. Prints `B <json>` before and
 * `A <json>` after each acknowledged operation; the parent SIGKILLs it at a random moment.
 *
 * Usage: node --import tsx test/crash/engine-child.ts <dataDir> <seed>
 */
import { MilvusClient, DataType } from '../../src/index.js';

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
const C = 'crash';
const DIM = 8;
const vec = (v: number): number[] => Array.from({ length: DIM }, (_, d) => v + d / 8);

function ok<T extends { status?: { error_code: string | number; reason: string } }>(r: T, what: string): T {
  const s = r.status ?? (r as unknown as { error_code: string | number; reason: string });
  if (s.error_code !== 'Success' && s.error_code !== 0) throw new TypeError(`${what}: ${s.reason}`);
  return r;
}

async function main(): Promise<void> {
  const client = new MilvusClient({ address: dir!, sealRows: 120 });
  if (!ok(await client.hasCollection({ collection_name: C }), 'has').value) {
    ok(
      { status: await client.createCollection({
        collection_name: C,
        fields: [
          { name: 'id', data_type: DataType.Int64, is_primary_key: true, autoID: true },
          { name: 'vec', data_type: DataType.FloatVector, dim: DIM },
          { name: 'v', data_type: DataType.Int64 },
        ],
      }) },
      'create',
    );
  }
  await client.createIndex({ collection_name: C, field_name: 'vec', index_type: 'FLAT', metric_type: 'L2', params: {} });
  ok({ status: await client.loadCollection({ collection_name: C }) }, 'load');
  const rows = ok(await client.query({ collection_name: C, filter: 'id >= 0', output_fields: ['id'] }), 'query').data;
  const live = rows.map((r) => String(r.id));
  out('READY');
  for (;;) {
    const r = rand();
    if (r < 0.4) {
      const n = 1 + Math.floor(rand() * 30);
      out(`B {"op":"insert","n":${n}}`);
      const res = ok(await client.insert({ collection_name: C, data: Array.from({ length: n }, () => ({ vec: vec(0), v: 0 })) }), 'insert');
      const ids = (res.IDs as { int_id: { data: string[] } }).int_id.data;
      live.push(...ids);
      out(`A ${JSON.stringify({ op: 'insert', pks: ids })}`);
    } else if (r < 0.6 && live.length > 0) {
      const pks = [...new Set(Array.from({ length: 1 + Math.floor(rand() * 8) }, () => pick(live)))];
      const ver = 1 + Math.floor(rand() * 1000);
      out(`B ${JSON.stringify({ op: 'upsert', pks, ver })}`);
      ok(await client.upsert({ collection_name: C, data: pks.map((id) => ({ id, vec: vec(ver), v: ver })) }), 'upsert');
      out(`A ${JSON.stringify({ op: 'upsert', pks, ver })}`);
    } else if (r < 0.8 && live.length > 0) {
      const pks = [...new Set(Array.from({ length: 1 + Math.floor(rand() * 8) }, () => pick(live)))];
      out(`B ${JSON.stringify({ op: 'delete', pks })}`);
      ok(await client.delete({ collection_name: C, ids: pks }), 'delete');
      const gone = new Set(pks);
      for (let i = live.length - 1; i >= 0; i--) if (gone.has(live[i]!)) live.splice(i, 1);
      out(`A ${JSON.stringify({ op: 'delete', pks })}`);
    } else if (r < 0.93) {
      out('B {"op":"flush"}');
      ok(await client.flush({ collection_names: [C] }), 'flush');
      out('A {"op":"flush"}');
    } else {
      out('B {"op":"release"}');
      ok({ status: await client.releaseCollection({ collection_name: C }) }, 'release');
      ok({ status: await client.loadCollection({ collection_name: C }) }, 'load');
      out('A {"op":"release"}');
    }
  }
}

main().catch((err: unknown) => {
  out(`ERROR ${err instanceof Error ? err.stack : String(err)}`);
  process.exit(1);
});
