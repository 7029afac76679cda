// Exact search: a blocked scan of all rows (or the rows an allow-bitset admits) for a batch of
// queries, each keeping its top-k in a max-heap. Rows are visited in blocks that fit in L2 so a
// batch of queries shares each block's memory traffic.
import { heapSortAscending, offer } from '../shared/heap';
import { ipF32, ipI8 } from '../shared/distance';
import { allowed, dim, distPtr, queryBytes, rowBytes, rowInv, rowPtr, rowQuery } from '../shared/space';

/**
 * `queries`: nq vectors in the query layout (the stored layout; f32 for scalar-quantized rows); `qInvs`: nq f32 1/|q| (int8 COSINE) or 0. Keeps rows with
 * lo <= d < hi (internal "lower is closer" distance). Per query q the best `k` land sorted at
 * outD/outI + q*k (4-byte entries) and their count at sizes + 4q.
 */
export function flatSearch(
  nq: i32, queries: usize, qInvs: usize, n: i32, k: i32, allow: usize,
  lo: f32, hi: f32, outD: usize, outI: usize, sizes: usize,
): void {
  for (let q = 0; q < nq; q++) store<i32>(sizes + (<usize>q << 2), 0);
  let block = (262144 / max(rowBytes, 1)) & ~31;
  if (block < 32) block = 32;
  const stride = <usize>k << 2;
  for (let b0 = 0; b0 < n; b0 += block) {
    const b1 = min(n, b0 + block);
    for (let q = 0; q < nq; q++) {
      const qp = queries + <usize>q * <usize>queryBytes;
      const qInv = qInvs == 0 ? <f32>1 : load<f32>(qInvs + (<usize>q << 2));
      const hd = outD + <usize>q * stride;
      const hi_ = outI + <usize>q * stride;
      let size = load<i32>(sizes + (<usize>q << 2));
      if (allow == 0) {
        for (let r = b0; r < b1; r++) {
          const d = distPtr(qp, qInv, rowPtr(r), rowInv(r));
          if (d >= lo && d < hi) size = offer(hd, hi_, size, k, d, r);
        }
      } else {
        for (let w = b0 >>> 5; (w << 5) < b1; w++) {
          let bits = load<u32>(allow + (<usize>w << 2));
          while (bits != 0) {
            const r = (w << 5) + <i32>ctz(bits);
            bits &= bits - 1;
            if (r >= b1) break;
            const d = distPtr(qp, qInv, rowPtr(r), rowInv(r));
            if (d >= lo && d < hi) size = offer(hd, hi_, size, k, d, r);
          }
        }
      }
      store<i32>(sizes + (<usize>q << 2), size);
    }
  }
  for (let q = 0; q < nq; q++) {
    heapSortAscending(outD + <usize>q * stride, outI + <usize>q * stride, load<i32>(sizes + (<usize>q << 2)));
  }
}

/** Scale each of n f32 rows of `dim` at `p` to unit length (zero rows stay zero). */
export function normalizeF32(p: usize, n: i32, dim: i32): void {
  const bytes = <usize>dim << 2;
  for (let r = 0; r < n; r++) {
    const v = p + <usize>r * bytes;
    const s = ipF32(v, v, dim);
    if (s <= 0) continue;
    const inv = <f32>(1.0 / Math.sqrt(<f64>s));
    const m = f32x4.splat(inv);
    let i = 0;
    for (; i + 4 <= dim; i += 4) {
      const o = v + (<usize>i << 2);
      v128.store(o, f32x4.mul(v128.load(o), m));
    }
    for (; i < dim; i++) {
      const o = v + (<usize>i << 2);
      store<f32>(o, load<f32>(o) * inv);
    }
  }
}

/** out[r] = 1/|row r| for n int8 rows (0 for zero rows). */
export function invNormsI8(p: usize, n: i32, dim: i32, out: usize): void {
  for (let r = 0; r < n; r++) {
    const v = p + <usize>r * <usize>dim;
    const s = ipI8(v, v, dim);
    store<f32>(out + (<usize>r << 2), s <= 0 ? <f32>0 : <f32>(1.0 / Math.sqrt(<f64>s)));
  }
}

/** out[r - from] = 1/|row r| (0 for zero rows) for rows [from, to) of the current space, decoded as queries. */
export function invNormsRows(from: i32, to: i32, out: usize): void {
  for (let r = from; r < to; r++) {
    const v = rowQuery(r, 0);
    const s = ipF32(v, v, dim);
    store<f32>(out + (<usize>(r - from) << 2), s <= 0 ? <f32>0 : <f32>(1.0 / Math.sqrt(<f64>s)));
  }
}

export { allowed };
