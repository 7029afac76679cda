/**
 * Text-match index files: a sealed segment's index is saved when it seals and read back on load;
 * a damaged file (or one for another row count / analyzer) is ignored and rebuilt, and answers
 * never change. Real data directory, real restarts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataType } from '../core/data-type.js';
import { buildAnalyzer, decodeMatchIndex, encodeMatchIndex, MatchIndex } from '../text/index.js';
import { Engine } from './engine.js';

const WORDS = ['alpha', 'beta', 'gamma', 'delta', 'the', 'omega'];
const rows = Array.from({ length: 300 }, (_, i) => ({
  id: i,
  t: Array.from({ length: 1 + (i % 6) }, (_, k) => WORDS[((i * 2654435761 + k * 40503) >>> 7) % WORDS.length]).join(' '),
  v: [i % 3, 1],
}));
const FILTERS = ['text_match(t, "alpha delta")', 'phrase_match(t, "beta delta", 2)', 'text_match(t, "gamma omega alpha", minimum_should_match=2) and id > 10'];

async function answers(e: Engine): Promise<number[][]> {
  const out: number[][] = [];
  for (const filter of FILTERS) {
    const r = (await e.search.query({ collection_name: 'c', filter, output_fields: ['id'], limit: 1000 })) as { id: bigint }[];
    out.push(r.map((x) => Number(x.id)).sort((a, b) => a - b));
  }
  return out;
}

function matchFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const f of readdirSync(d, { withFileTypes: true })) {
      if (f.isDirectory()) walk(join(d, f.name));
      else if (/^idx-\d+-746d[0-9a-f]*\.idx$/.test(f.name)) out.push(join(d, f.name)); // "tm…" in hex
    }
  };
  walk(dir);
  return out;
}

test('text-match index files: saved on seal, read on load, rebuilt when damaged; answers unchanged', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'elanus-tmfile-'));
  try {
    let e = await Engine.open({ dataDir: dir });
    await e.catalog.createCollection({
      collection_name: 'c',
      fields: [
        { name: 'id', data_type: DataType.Int64, is_primary_key: true },
        { name: 't', data_type: DataType.VarChar, max_length: 200, enable_analyzer: true, enable_match: true, analyzer_params: { type: 'english' } },
        { name: 'v', data_type: DataType.FloatVector, dim: 2 },
      ],
    } as Parameters<Engine['catalog']['createCollection']>[0]);
    await e.indexes.createIndex({ collection_name: 'c', field_name: 'v', index_type: 'FLAT', metric_type: 'L2' });
    await e.loads.loadCollection({ collection_name: 'c' });
    await e.writes.insert({ collection_name: 'c', data: rows.slice(0, 200) });
    const growing = await answers(e);
    await e.writes.flush({ collection_names: ['c'] });
    // the seal saves the file in the background
    for (let i = 0; i < 200 && matchFiles(dir).length === 0; i++) await new Promise((r) => setTimeout(r, 25));
    await e.writes.insert({ collection_name: 'c', data: rows.slice(200) });
    const before = await answers(e);
    assert.ok(before.every((a) => a.length > 0 && a.length < rows.length), `filters pick some rows: ${before.map((a) => a.length).join(' ')}`);
    assert.ok(growing.every((a, i) => a.every((id) => before[i]!.includes(id))));
    const files = matchFiles(dir);
    assert.equal(files.length, 1, 'one sealed segment, one text-match field: one file');
    await e.close();

    e = await Engine.open({ dataDir: dir });
    await e.loads.loadCollection({ collection_name: 'c' });
    assert.deepEqual(await answers(e), before, 'after restart, from the file');
    await e.close();

    const good = readFileSync(files[0]!);
    const bad = Buffer.from(good);
    bad[Math.floor(bad.length / 2)]! ^= 0xff;
    writeFileSync(files[0]!, bad);
    e = await Engine.open({ dataDir: dir });
    await e.loads.loadCollection({ collection_name: 'c' });
    assert.deepEqual(await answers(e), before, 'after restart with a damaged file: rebuilt');
    await e.close();
    assert.deepEqual(readFileSync(files[0]!), good, 'the rebuilt index was saved again, byte for byte');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('text-match index file format: round trip; magic, version, checksum, row count and analyzer are checked', () => {
  const analyzer = buildAnalyzer(undefined);
  const idx = new MatchIndex(analyzer);
  idx.extend(rows.map((r) => r.t), null, rows.length);
  const bytes = encodeMatchIndex(idx, '');
  const back = decodeMatchIndex(bytes, analyzer, '', rows.length);
  assert.ok(back);
  assert.equal(back.termCount, idx.termCount);
  for (const q of ['alpha', 'beta gamma', 'omega the delta']) {
    assert.deepEqual([...back.textMatch(q, 2, rows.length).indices()], [...idx.textMatch(q, 2, rows.length).indices()]);
    assert.deepEqual([...back.phraseMatch(q, 1, rows.length).indices()], [...idx.phraseMatch(q, 1, rows.length).indices()]);
  }
  assert.equal(new TextDecoder().decode(bytes.subarray(0, 4)), 'ELTM');
  assert.equal(decodeMatchIndex(bytes, analyzer, '{"type":"english"}', rows.length), undefined, 'another analyzer');
  assert.equal(decodeMatchIndex(bytes, analyzer, '', rows.length + 1), undefined, 'another row count');
  assert.equal(decodeMatchIndex(bytes.subarray(0, bytes.length - 1), analyzer, '', rows.length), undefined, 'truncated');
  for (const at of [0, 4, 9, 30, bytes.length - 2]) {
    const b = Uint8Array.from(bytes);
    b[at]! ^= 1;
    assert.equal(decodeMatchIndex(b, analyzer, '', rows.length), undefined, `flipped byte ${at}`);
  }
});
