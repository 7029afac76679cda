// k-means, the 8-bit scalar quantizer and the product quantizer on small seeded data.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clusteredF32 } from '../kernels/testing.js';
import { IvfInstance } from '../kernels/ivf-instance.js';
import { assignRows, kmeans, sampleIndices, seededRandom } from './kmeans.js';
import { decodePq, encodePq, pqCodeBytes, trainPq } from './product-quantizer.js';
import { decodeSq8, encodeSq8, trainSq8 } from './scalar-quantizer.js';

test('k-means is deterministic and its assignment is the nearest centroid (odd dim)', async () => {
  const n = 900;
  const dim = 13;
  const x = clusteredF32(n, dim, 4, 6);
  const run = async (): Promise<{ c: Float32Array; a: Int32Array }> => {
    const inst = new IvfInstance();
    const xp = inst.put(x);
    const c = await kmeans(inst, xp, n, dim, { k: 6, iterations: 8, ip: false, seed: 9 });
    return { c, a: assignRows(inst, xp, n, dim, c, 6, false) };
  };
  const r1 = await run();
  const r2 = await run();
  assert.deepEqual(r1.c, r2.c);
  for (let i = 0; i < n; i += 37) {
    let best = -1;
    let bd = Infinity;
    for (let c = 0; c < 6; c++) {
      let d = 0;
      for (let j = 0; j < dim; j++) d += (x[i * dim + j]! - r1.c[c * dim + j]!) ** 2;
      if (d < bd - 1e-3) {
        bd = d;
        best = c;
      }
    }
    assert.equal(r1.a[i], best);
  }
});

test('sampleIndices draws distinct rows', () => {
  const s = sampleIndices(100, 40, seededRandom(1));
  assert.equal(new Set(s).size, 40);
  assert.equal(sampleIndices(10, 40, seededRandom(1)).length, 10);
});

test('SQ8 decodes within half a step of the input, clamping outside the trained range', () => {
  const dim = 19;
  const x = clusteredF32(500, dim, 5);
  const p = trainSq8(x, 400, dim);
  const code = new Uint8Array(dim);
  const out = new Float32Array(dim);
  for (let r = 0; r < 400; r++) {
    encodeSq8(p, x, r * dim, dim, code, 0);
    decodeSq8(p, code, 0, dim, out, 0);
    for (let d = 0; d < dim; d++) assert.ok(Math.abs(out[d]! - x[r * dim + d]!) <= p.step[d]! * 0.5 + 1e-5);
  }
  const far = new Float32Array(dim).fill(1e6);
  encodeSq8(p, far, 0, dim, code, 0);
  assert.ok(code.every((c) => c === 255));
});

test('PQ reconstruction error shrinks with more bits; wide (nbits > 8) codes round-trip', async () => {
  const n = 2000;
  const dim = 12;
  const x = clusteredF32(n, dim, 6, 30);
  const err = async (nbits: number): Promise<number> => {
    const inst = new IvfInstance();
    const p = await trainPq(inst, x, n, dim, { m: 4, nbits, iterations: 6, seed: 2 });
    const codes = await encodePq(inst, p, x, n, dim);
    assert.equal(codes.length, n * pqCodeBytes(4, nbits));
    const out = new Float32Array(dim);
    let e = 0;
    for (let r = 0; r < n; r++) {
      decodePq(p, dim, codes, r * pqCodeBytes(4, nbits), out, 0);
      for (let d = 0; d < dim; d++) e += (out[d]! - x[r * dim + d]!) ** 2;
    }
    return e / n;
  };
  const e2 = await err(2);
  const e6 = await err(6);
  const e9 = await err(9);
  assert.ok(e6 < e2 && e9 < e6, `errors ${e2} ${e6} ${e9}`);
});
