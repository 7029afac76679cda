// Binary heaps over parallel arrays in linear memory: `d` (f32 distances) and `id` (i32), both with
// room for `cap` entries. Max-heaps keep the k best (worst on top); min-heaps order candidates.
// Ties compare by id (larger id is "worse") so results match the reference's (score, id) order.

@inline function worse(da: f32, ia: i32, db: f32, ib: i32): bool {
  return da > db || (da == db && ia > ib);
}

@inline function dAt(d: usize, i: i32): f32 {
  return load<f32>(d + (<usize>i << 2));
}
@inline function iAt(id: usize, i: i32): i32 {
  return load<i32>(id + (<usize>i << 2));
}
@inline function put(d: usize, id: usize, i: i32, dv: f32, iv: i32): void {
  store<f32>(d + (<usize>i << 2), dv);
  store<i32>(id + (<usize>i << 2), iv);
}

/** Push onto a max-heap of `size` entries; returns the new size. */
export function maxPush(d: usize, id: usize, size: i32, dv: f32, iv: i32): i32 {
  let i = size;
  while (i > 0) {
    const p = (i - 1) >> 1;
    const pd = dAt(d, p);
    const pi = iAt(id, p);
    if (!worse(dv, iv, pd, pi)) break;
    put(d, id, i, pd, pi);
    i = p;
  }
  put(d, id, i, dv, iv);
  return size + 1;
}

/** Replace the top of a max-heap of `size` entries with (dv, iv) and sift down. */
export function maxReplaceTop(d: usize, id: usize, size: i32, dv: f32, iv: i32): void {
  let i = 0;
  while (true) {
    const l = 2 * i + 1;
    if (l >= size) break;
    let c = l;
    let cd = dAt(d, l);
    let ci = iAt(id, l);
    const r = l + 1;
    if (r < size) {
      const rd = dAt(d, r);
      const ri = iAt(id, r);
      if (worse(rd, ri, cd, ci)) {
        c = r;
        cd = rd;
        ci = ri;
      }
    }
    if (!worse(cd, ci, dv, iv)) break;
    put(d, id, i, cd, ci);
    i = c;
  }
  put(d, id, i, dv, iv);
}

/** Pop the top of a max-heap; returns the new size. */
export function maxPop(d: usize, id: usize, size: i32): i32 {
  const n = size - 1;
  if (n > 0) maxReplaceTop(d, id, n, dAt(d, n), iAt(id, n));
  return n;
}

/** Offer (dv, iv) to a max-heap holding at most k; returns the new size. */
@inline export function offer(d: usize, id: usize, size: i32, k: i32, dv: f32, iv: i32): i32 {
  if (size < k) return maxPush(d, id, size, dv, iv);
  if (worse(dAt(d, 0), iAt(id, 0), dv, iv)) maxReplaceTop(d, id, size, dv, iv);
  return size;
}

/** Sort a max-heap in place into ascending (best first) order. */
export function heapSortAscending(d: usize, id: usize, size: i32): void {
  let n = size;
  while (n > 1) {
    const td = dAt(d, 0);
    const ti = iAt(id, 0);
    n = maxPop(d, id, n);
    put(d, id, n, td, ti);
  }
}

/** Push onto a min-heap (smallest distance on top). */
export function minPush(d: usize, id: usize, size: i32, dv: f32, iv: i32): i32 {
  let i = size;
  while (i > 0) {
    const p = (i - 1) >> 1;
    const pd = dAt(d, p);
    if (pd <= dv) break;
    put(d, id, i, pd, iAt(id, p));
    i = p;
  }
  put(d, id, i, dv, iv);
  return size + 1;
}

/** Pop the top of a min-heap; returns the new size. */
export function minPop(d: usize, id: usize, size: i32): i32 {
  const n = size - 1;
  if (n <= 0) return 0;
  const dv = dAt(d, n);
  const iv = iAt(id, n);
  let i = 0;
  while (true) {
    const l = 2 * i + 1;
    if (l >= n) break;
    let c = l;
    let cd = dAt(d, l);
    const r = l + 1;
    if (r < n) {
      const rd = dAt(d, r);
      if (rd < cd) {
        c = r;
        cd = rd;
      }
    }
    if (cd >= dv) break;
    put(d, id, i, cd, iAt(id, c));
    i = c;
  }
  put(d, id, i, dv, iv);
  return n;
}
