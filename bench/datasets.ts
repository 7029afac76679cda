/**
 * Benchmark datasets: Fashion-MNIST from Debian's `dataset-fashion-mnist` (60k training images as
 * base vectors, the first test images as queries, 784-d) and a synthetic clustered set. Each dataset
 * is also written as raw little-endian f32 files (base.f32, queries.f32) plus exact ground truth
 * (gt.i32, k ids a query) under a cache directory, so the Python anchors read the very same data.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { DataType } from '../src/core/data-type.js';
import { ErrorCode, MilvusError } from '../src/core/errors.js';
import { exactSearch } from '../src/index/index.js';
import { clusteredF32 } from '../src/index/kernels/testing.js';

export interface Dataset {
  name: string;
  dim: number;
  base: Float32Array;
  n: number;
  queries: Float32Array;
  nq: number;
  /** Exact top-k ids (L2), nq × gtK. */
  gt: Int32Array;
  gtK: number;
  /** Directory holding base.f32, queries.f32, gt.i32 for the anchors. */
  dir: string;
}

export const FASHION_DIR = '/usr/share/datasets/fashion-mnist';

function readIdxImages(file: string, limit: number): { data: Float32Array; count: number; dim: number } {
  const raw = gunzipSync(readFileSync(file));
  const dv = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  if (dv.getUint32(0) !== 0x00000803) throw new MilvusError(ErrorCode.DataCorrupted, `${file}: not an IDX3 image file`);
  const count = Math.min(limit, dv.getUint32(4));
  const dim = dv.getUint32(8) * dv.getUint32(12);
  const data = new Float32Array(count * dim);
  for (let i = 0; i < count * dim; i++) data[i] = raw[16 + i]!;
  return { data, count, dim };
}

function cacheDir(root: string, name: string): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  return dir;
}

function withTruth(name: string, dim: number, base: Float32Array, queries: Float32Array, root: string, gtK: number): Dataset {
  const dir = cacheDir(root, name);
  const n = base.length / dim;
  const nq = queries.length / dim;
  const gtFile = join(dir, `gt.i32`);
  writeFileSync(join(dir, 'base.f32'), new Uint8Array(base.buffer, base.byteOffset, base.byteLength));
  writeFileSync(join(dir, 'queries.f32'), new Uint8Array(queries.buffer, queries.byteOffset, queries.byteLength));
  let gt: Int32Array;
  const meta = join(dir, 'gt.json');
  const key = JSON.stringify({ n, nq, dim, gtK });
  if (existsSync(gtFile) && existsSync(meta) && readFileSync(meta, 'utf8') === key) {
    const b = readFileSync(gtFile);
    gt = new Int32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
  } else {
    const hits = exactSearch({ type: DataType.FloatVector, dim, data: base, valid: null }, n, { type: DataType.FloatVector, dim, nq, data: queries }, { metric: 'L2', k: gtK, allow: null });
    gt = hits.ids;
    writeFileSync(gtFile, new Uint8Array(gt.buffer, gt.byteOffset, gt.byteLength));
    writeFileSync(meta, key);
  }
  return { name, dim, base, n, queries, nq, gt, gtK, dir };
}

/** Fashion-MNIST: 60k base, first `nq` test images as queries, raw pixel values 0..255 as floats. */
export function fashionMnist(root: string, nq = 1000, gtK = 100): Dataset {
  const train = join(FASHION_DIR, 'train-images-idx3-ubyte.gz');
  if (!existsSync(train)) throw new MilvusError(ErrorCode.IoFailed, `${train} missing: apt-get install -y dataset-fashion-mnist`);
  const b = readIdxImages(train, 60000);
  const q = readIdxImages(join(FASHION_DIR, 't10k-images-idx3-ubyte.gz'), nq);
  return withTruth('fashion-mnist-784', b.dim, b.data, q.data, root, gtK);
}

/** Synthetic clustered set: n base + nq query vectors from the same 100-cluster mixture. */
export function synthetic(root: string, n = 200_000, dim = 128, nq = 1000, gtK = 100): Dataset {
  const all = clusteredF32(n + nq, dim, 42, 100);
  return withTruth(`synthetic-${n}x${dim}`, dim, all.slice(0, n * dim), all.slice(n * dim), root, gtK);
}
