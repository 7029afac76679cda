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
  assert.throws(() => resolveVectorIndexSpec(f, 'FLAT', 'L2', { foo: 1 }), is1100(/"foo"/));
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
