/**
 * Spatial filter benchmark: a collection of 1M geometries (98% random lon/lat points, 2% small
 * polygons), queried through the embedded client with ST_WITHIN (axis-aligned box), ST_INTERSECTS
 * (a pentagon) and ST_DWITHIN (meters around a point) at a few selectivities — count(*) latency
 * (median) without an index and with RTREE, the RTREE build time (createIndex on the loaded
 * collection) and the heap the geometry cache and the R-tree take.
 *   npm run bench -- spatial [--quick]          (--quick: 100k rows)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { MilvusClient, DataType } from '../src/index.js';

const COLLECTION = 'spatial';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s / 4294967296;
  };
}

function square(cx: number, cy: number, half: number): string {
  const [x0, y0, x1, y1] = [cx - half, cy - half, cx + half, cy + half].map((v) => v.toFixed(6));
  return `POLYGON((${x0} ${y0},${x1} ${y0},${x1} ${y1},${x0} ${y1},${x0} ${y0}))`;
}

function pentagon(cx: number, cy: number, r: number): string {
  const pts: string[] = [];
  for (let i = 0; i <= 5; i++) {
    const a = ((i % 5) * 2 * Math.PI) / 5;
    pts.push(`${(cx + r * Math.cos(a)).toFixed(6)} ${(cy + r * Math.sin(a)).toFixed(6)}`);
  }
  return `POLYGON((${pts.join(',')}))`;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1]!;
}

async function settle(): Promise<number> {
  const gc = (globalThis as { gc?: () => void }).gc;
  for (let i = 0; i < 3; i++) {
    gc?.();
    await new Promise((r) => setTimeout(r, 50));
  }
  return process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
}

const mib = (n: number): string => (n / 2 ** 20).toFixed(1);

export async function run(opts: { quick?: boolean; rows?: number } = {}): Promise<void> {
  const rows = opts.rows ?? (opts.quick ? 100_000 : 1_000_000);
  const dir = mkdtempSync(join(tmpdir(), 'elanus-spatial-'));
  const c = new MilvusClient({ address: dir });
  try {
    await c.createCollection({
      collection_name: COLLECTION,
      fields: [
        { name: 'id', data_type: DataType.Int64, is_primary_key: true },
        { name: 'v', data_type: DataType.FloatVector, dim: 2 },
        { name: 'geo', data_type: DataType.Geometry },
      ],
    });
    await c.createIndex({ collection_name: COLLECTION, field_name: 'v', index_type: 'FLAT', metric_type: 'L2' });
    const rnd = rng(7);
    const t0 = performance.now();
    const BATCH = 50_000;
    for (let i = 0; i < rows; i += BATCH) {
      const data = [];
      for (let j = i; j < Math.min(rows, i + BATCH); j++) {
        const x = rnd() * 360 - 180;
        const y = rnd() * 170 - 85;
        const geo = rnd() < 0.02 ? square(Math.max(-179, Math.min(179, x)), Math.max(-84, Math.min(84, y)), 0.05 + rnd() * 0.5) : `POINT(${x.toFixed(6)} ${y.toFixed(6)})`;
        data.push({ id: j, v: [x, y], geo });
      }
      await c.insert({ collection_name: COLLECTION, data });
    }
    await c.flush({ collection_names: [COLLECTION] });
    const ingestS = (performance.now() - t0) / 1000;
    await c.loadCollection({ collection_name: COLLECTION });
    const segments = (await c.getQuerySegmentInfo({ collectionName: COLLECTION })).infos?.length ?? 0;

    // Box sides for ~0.01%, 0.1%, 1% and 10% of the lon/lat area (360 × 170 degrees).
    const area = 360 * 170;
    const fractions = [0.0001, 0.001, 0.01, 0.1];
    const filters: { label: string; filter: string }[] = [];
    for (const f of fractions) filters.push({ label: `ST_WITHIN box ${(f * 100).toFixed(2)}%`, filter: `ST_WITHIN(geo, '${square(10, 20, Math.sqrt(f * area) / 2)}')` });
    for (const f of fractions.slice(0, 3)) filters.push({ label: `ST_INTERSECTS pentagon ~${(f * 100).toFixed(2)}%`, filter: `ST_INTERSECTS(geo, '${pentagon(-40, -10, Math.sqrt((f * area) / 2.378))}')` });
    for (const km of [10, 100, 1000]) filters.push({ label: `ST_DWITHIN ${km} km`, filter: `ST_DWITHIN(geo, 'POINT(10 20)', ${km * 1000})` });

    const measure = async (filter: string, reps: number): Promise<{ ms: number; count: number }> => {
      const times: number[] = [];
      let count = 0;
      for (let i = 0; i < reps; i++) {
        const s = performance.now();
        const res = await c.query({ collection_name: COLLECTION, filter, output_fields: ['count(*)'] });
        times.push(performance.now() - s);
        count = Number((res.data[0] as Record<string, unknown>)['count(*)']);
      }
      return { ms: median(times), count };
    };

    const heap0 = await settle();
    // The first spatial query parses every row (the geometry cache); time it once on its own.
    const firstParse = performance.now();
    await measure(filters[0]!.filter, 1);
    const parseMs = performance.now() - firstParse;
    const heapCache = await settle();
    const plain: { ms: number; count: number }[] = [];
    for (const f of filters) plain.push(await measure(f.filter, 3));

    const b0 = performance.now();
    await c.createIndex({ collection_name: COLLECTION, field_name: 'geo', index_type: 'RTREE' });
    const buildMs = performance.now() - b0;
    const heapTree = await settle();
    const indexed: { ms: number; count: number }[] = [];
    for (const f of filters) indexed.push(await measure(f.filter, 7));

    console.log(`\nSpatial filters on ${rows.toLocaleString('en-US')} geometries (98% points, 2% polygons), ${segments} sealed segment(s); ingest+flush ${ingestS.toFixed(1)} s`);
    console.log(`first spatial query (parses every row into the geometry cache): ${parseMs.toFixed(0)} ms; geometry cache ${mib(heapCache - heap0)} MiB`);
    console.log(`RTREE createIndex (build on the loaded segments): ${buildMs.toFixed(0)} ms; R-tree ${mib(heapTree - heapCache)} MiB`);
    console.log('\n| filter | matches | no index (ms) | RTREE (ms) | speed-up |');
    console.log('|---|---:|---:|---:|---:|');
    filters.forEach((f, i) => {
      const a = plain[i]!;
      const b = indexed[i]!;
      assert.equal(b.count, a.count, `${f.label}: the RTREE must not change the answer`);
      console.log(`| ${f.label} | ${a.count.toLocaleString('en-US')} | ${a.ms.toFixed(1)} | ${b.ms.toFixed(2)} | ${(a.ms / b.ms).toFixed(0)}× |`);
    });
  } finally {
    await c.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run({ quick: process.argv.includes('--quick') });
