import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DataType } from '../core/data-type.js';
import { MilvusError } from '../core/errors.js';
import { buildVectorIndex, exactSearch, loadVectorIndex, resolveVectorIndexSpec } from './index.js';
import { clusteredColumn, queriesFrom } from './kernels/testing.js';

const is1100 = (re: RegExp) => (e: unknown) => e instanceof MilvusError && e.code === 1100 && re.test(e.message);

test('AUTOINDEX and empty metric resolve like Milvus', () => {
  const f = { dataType: DataType.FloatVector, dim: 16, name: 'v' } as const;
  const a = resolveVectorIndexSpec(f, 'AUTOINDEX', '', { M: 99 });
  assert.equal(a.indexType, 'HNSW');
  assert.equal(a.metricType, 'COSINE');
  assert.deepEqual(a.params, { M: 18, efConstruction: 240 });
  assert.equal(resolveVectorIndexSpec(f, '', 'L2', {}).metricType, 'L2');
  assert.equal(resolveVectorIndexSpec(f, 'FLAT', '', {}).metricType, 'COSINE');
  const b = resolveVectorIndexSpec({ dataType: DataType.BinaryVector, dim: 64, name: 'b' }, 'AUTOINDEX', '', {});
  assert.equal(b.metricType, 'HAMMING');
  assert.ok(['BIN_FLAT', 'BIN_IVF_FLAT'].includes(b.indexType));
});

test('unknown types, wrong metrics and params are 1100 naming the problem', () => {
  const f = { dataType: DataType.FloatVector, dim: 16, name: 'v' } as const;
  assert.throws(() => resolveVectorIndexSpec(f, 'NOPE', 'L2', {}), is1100(/index_type.*NOPE/));
  assert.throws(() => resolveVectorIndexSpec(f, 'BIN_FLAT', 'HAMMING', {}), is1100(/index_type.*BIN_FLAT/));
  assert.throws(() => resolveVectorIndexSpec(f, 'FLAT', 'HAMMING', {}), is1100(/metric_type.*HAMMING/));
  // A key the type does not use is ignored, as Milvus's index checkers do.
  assert.deepEqual(resolveVectorIndexSpec(f, 'FLAT', 'L2', { foo: 1, nlist: 128 }).params, {});
  assert.deepEqual(resolveVectorIndexSpec(f, 'flat', 'l2', { metric_type: 'L2', index_type: 'FLAT' }).params, {});
});

test('FLAT and BIN_FLAT indexes search exactly and round-trip their files', async () => {
  for (const [type, metric] of [[DataType.FloatVector, 'COSINE'], [DataType.Int8Vector, 'COSINE'], [DataType.BinaryVector, 'JACCARD'], [DataType.Float16Vector, 'L2']] as const) {
    const dim = type === DataType.BinaryVector ? 64 : 19;
    const col = clusteredColumn(type, 1000, dim, 4);
    const q = queriesFrom(col, [3, 500]);
    const spec = resolveVectorIndexSpec({ dataType: type, dim, name: 'v' }, type === DataType.BinaryVector ? 'BIN_FLAT' : 'FLAT', metric, {});
    const idx = await buildVectorIndex(spec, col, 900);
    assert.equal(idx.rowCount, 900);
    const want = exactSearch(col, 900, q, { metric, k: 7, allow: null });
    const got = idx.search(q, { metric, k: 7, allow: null });
    assert.deepEqual([...got.ids], [...want.ids]);
    const again = loadVectorIndex(idx.serialize());
    assert.deepEqual([...again.search(q, { metric, k: 7, allow: null }).ids], [...want.ids]);
    assert.ok(idx.memoryBytes() > 0);
  }
});

test('every index type loads its file identically from a Node Buffer (as read from disk), not only from the Uint8Array it wrote', async () => {
  const dim = 32;
  const n = 3000;
  const dense = clusteredColumn(DataType.FloatVector, n, dim, 5, 20);
  const bits = clusteredColumn(DataType.BinaryVector, n, 64, 6, 20);
  const cases: [typeof dense, string, string, Record<string, unknown>][] = [
    [dense, 'FLAT', 'L2', {}],
    [dense, 'HNSW', 'L2', { M: 8, efConstruction: 32 }],
    [dense, 'HNSW_SQ', 'COSINE', { M: 8, efConstruction: 32, sq_type: 'SQ8', refine: true, refine_type: 'FLAT' }],
    [dense, 'HNSW_SQ', 'L2', { M: 8, efConstruction: 32, sq_type: 'FP16' }],
    [dense, 'IVF_FLAT', 'L2', { nlist: 64 }],
    [dense, 'IVF_SQ8', 'IP', { nlist: 64 }],
    [dense, 'IVF_PQ', 'L2', { nlist: 32, m: 8, nbits: 8 }],
    [bits, 'BIN_FLAT', 'HAMMING', {}],
    [bits, 'BIN_IVF_FLAT', 'JACCARD', { nlist: 32 }],
  ];
  for (const [col, type, metric, params] of cases) {
    const spec = resolveVectorIndexSpec({ dataType: col.type, dim: col.dim, name: 'v' }, type, metric, params);
    const idx = await buildVectorIndex(spec, col, n);
    const q = queriesFrom(col, [0, 1500, 2999]);
    const opts = { metric: spec.metricType, k: 10, allow: null, params: { nprobe: 8, ef: 32 } };
    const want = idx.search(q, opts);
    // A Buffer over a larger pooled ArrayBuffer, at an odd offset: what a file read can hand back.
    const file = idx.serialize();
    const pool = Buffer.alloc(file.length + 13);
    pool.set(file, 7);
    const fromDisk = loadVectorIndex(pool.subarray(7, 7 + file.length));
    const got = fromDisk.search(q, opts);
    assert.deepEqual(Array.from(got.ids), Array.from(want.ids), `${type} ids`);
    assert.deepEqual(Array.from(got.scores), Array.from(want.scores), `${type} scores`);
    idx.dispose();
    fromDisk.dispose();
  }
});
