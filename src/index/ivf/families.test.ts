// Parameter validation of the IVF families through the engine API (index.ts): Milvus names, ranges
// and defaults; 1100 errors name the parameter and its rule.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DataType } from '../../core/data-type.js';
import { MilvusError } from '../../core/errors.js';
import { registerIndexFamily, resolveSearchParams, resolveVectorIndexSpec } from '../index.js';
import { ivfFamilies } from './families.js';

for (const f of ivfFamilies) registerIndexFamily(f);

const dense = { dataType: DataType.FloatVector, dim: 64, name: 'v' };
const binary = { dataType: DataType.BinaryVector, dim: 128, name: 'b' };

function rejects(fn: () => unknown, param: string, rule: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof MilvusError);
    assert.equal(e.code, 1100);
    assert.match(e.message, new RegExp(`"${param}"`));
    assert.match(e.message, rule);
    return true;
  });
}

test('defaults: nlist 128, nbits 8, nprobe 8', () => {
  assert.deepEqual(resolveVectorIndexSpec(dense, 'IVF_FLAT', 'L2', {}).params, { nlist: 128 });
  assert.deepEqual(resolveVectorIndexSpec(dense, 'ivf_sq8', 'IP', { nlist: '256' }).params, { nlist: 256 });
  assert.deepEqual(resolveVectorIndexSpec(dense, 'IVF_PQ', 'COSINE', { m: 8 }).params, { nlist: 128, m: 8, nbits: 8 });
  assert.deepEqual(resolveVectorIndexSpec(binary, 'BIN_IVF_FLAT', 'JACCARD', { nlist: 64 }).params, { nlist: 64 });
  const spec = resolveVectorIndexSpec(dense, 'IVF_FLAT', 'L2', { nlist: 16 });
  assert.equal(resolveSearchParams(spec, {}, 10).nprobe, 8);
  // nprobe above nlist is accepted (the index scans every list), as in Milvus.
  assert.equal(resolveSearchParams(spec, { nprobe: 100 }, 10).nprobe, 100);
});

test('out-of-range and unknown build parameters → 1100 naming the parameter and range', () => {
  rejects(() => resolveVectorIndexSpec(dense, 'IVF_FLAT', 'L2', { nlist: 0 }), 'nlist', /\[1, 65536\]/);
  rejects(() => resolveVectorIndexSpec(dense, 'IVF_SQ8', 'L2', { nlist: 65537 }), 'nlist', /\[1, 65536\]/);
  rejects(() => resolveVectorIndexSpec(dense, 'IVF_FLAT', 'L2', { nlist: 1.5 }), 'nlist', /integer/);
  rejects(() => resolveVectorIndexSpec(dense, 'IVF_PQ', 'L2', { m: 8, nbits: 17 }), 'nbits', /\[1, 16\]/);
  rejects(() => resolveVectorIndexSpec(dense, 'IVF_PQ', 'L2', { m: 0 }), 'm', /\[1, 65536\]/);
  rejects(() => resolveVectorIndexSpec(dense, 'IVF_PQ', 'L2', { m: 7 }), 'm', /divide/);
  rejects(() => resolveVectorIndexSpec(dense, 'IVF_PQ', 'L2', {}), 'm', /required/);
  // A key the type does not read is ignored (as Milvus), the keys it reads keep their ranges.
  assert.deepEqual(resolveVectorIndexSpec(dense, 'IVF_FLAT', 'L2', { nlsit: 10, M: 8 }).params, resolveVectorIndexSpec(dense, 'IVF_FLAT', 'L2', {}).params);
  rejects(() => resolveVectorIndexSpec(dense, 'IVF_FLAT', 'L2', { nlsit: 10, nlist: 0 }), 'nlist', /\[1, 65536\]/);
});

test('metrics and field types: binary IVF takes HAMMING/JACCARD only, dense IVF no binary fields', () => {
  rejects(() => resolveVectorIndexSpec(binary, 'BIN_IVF_FLAT', 'L2', {}), 'metric_type', /HAMMING, JACCARD/);
  rejects(() => resolveVectorIndexSpec(dense, 'IVF_FLAT', 'HAMMING', {}), 'metric_type', /L2, IP, COSINE/);
  rejects(() => resolveVectorIndexSpec(binary, 'IVF_FLAT', 'HAMMING', {}), 'index_type', /BinaryVector/);
  rejects(() => resolveVectorIndexSpec(dense, 'BIN_IVF_FLAT', 'HAMMING', {}), 'index_type', /FloatVector/);
});

test('out-of-range search parameters → 1100 naming nprobe and its range', () => {
  const spec = resolveVectorIndexSpec(dense, 'IVF_SQ8', 'L2', {});
  rejects(() => resolveSearchParams(spec, { nprobe: 0 }, 10), 'nprobe', /\[1, 65536\]/);
  rejects(() => resolveSearchParams(spec, { nprobe: 65537 }, 10), 'nprobe', /\[1, 65536\]/);
  rejects(() => resolveSearchParams(spec, { nprobe: 'many' }, 10), 'nprobe', /number/);
});
