// HNSW graph (Malkov & Yashunin) built and searched entirely inside Wasm.
//
// Memory (all u32/i32 unless noted), for n nodes and M (M0 = 2M on level 0):
//   levels   u8[n]                  top level of each node (drawn by the caller, seeded)
//   links0   n × (1 + M0)           level-0 adjacency: count, then neighbour ids
//   upperOff n                      start (in u32 units) of the node's level ≥ 1 blocks in `upper`
//   upper    Σ levels × (1 + M)      level l ≥ 1 block of node i at upperOff[i] + (l-1)(1+M)
//   visited  u16[n]                 generation tags; candidate min-heap and result max-heap scratch
import { heapSortAscending, maxPop, maxPush, minPop, minPush } from '../shared/heap';
import { alloc } from '../shared/alloc';
import { allowed, distMany, distPtr, distRow, rowInv, rowPtr, rowQuery } from '../shared/space';

let n: i32 = 0;
let M: i32 = 0;
let M0: i32 = 0;
let efC: i32 = 0;
let levels: usize = 0;
let links0: usize = 0;
let upperOff: usize = 0;
let upper: usize = 0;
let upperWords: i32 = 0;
let entry: i32 = -1;
let maxLevel: i32 = -1;
let visited: usize = 0;
let tag: i32 = 0;
let candD: usize = 0;
let candI: usize = 0;
let resD: usize = 0;
let resI: usize = 0;
let selD: usize = 0;
let selI: usize = 0;
/** Unvisited neighbours of the node being expanded, and their distances. */
let nbI: usize = 0;
let nbD: usize = 0;

/** Allocate the graph for `count` nodes whose levels the caller wrote at hnswLevels(). Returns 0 on OOM. */
export function hnswAllocLevels(count: i32): usize {
  n = count;
  levels = alloc(<usize>count);
  return levels;
}

export function hnswInit(m: i32, efConstruction: i32): i32 {
  M = m;
  M0 = 2 * m;
  efC = efConstruction;
  links0 = alloc(<usize>n * <usize>(1 + M0) * 4);
  upperOff = alloc(<usize>n * 4);
  if (links0 == 0 || upperOff == 0) return 0;
  memory.fill(links0, 0, <usize>n * <usize>(1 + M0) * 4);
  let words: i32 = 0;
  for (let i = 0; i < n; i++) {
    store<i32>(upperOff + (<usize>i << 2), words);
    words += <i32>load<u8>(levels + i) * (1 + M);
  }
  upperWords = words;
  upper = alloc(<usize>max(words, 1) * 4);
  visited = alloc(<usize>n * 2);
  candD = alloc(<usize>(n + 1) * 4);
  candI = alloc(<usize>(n + 1) * 4);
  resD = alloc(<usize>(n + 2) * 4);
  resI = alloc(<usize>(n + 2) * 4);
  const selCap = <usize>(max(efC, M0) + 2) * 4;
  selD = alloc(selCap);
  selI = alloc(selCap);
  nbI = alloc(<usize>(M0 + 2) * 4);
  nbD = alloc(<usize>(M0 + 2) * 4);
  if (upper == 0 || nbI == 0 || nbD == 0 || visited == 0 || candD == 0 || candI == 0 || resD == 0 || resI == 0 || selD == 0 || selI == 0) return 0;
  memory.fill(upper, 0, <usize>max(words, 1) * 4);
  memory.fill(visited, 0, <usize>n * 2);
  tag = 0;
  entry = -1;
  maxLevel = -1;
  return 1;
}

export function hnswLevels(): usize { return levels; }
export function hnswLinks0(): usize { return links0; }
export function hnswUpper(): usize { return upper; }
export function hnswUpperWords(): i32 { return upperWords; }
export function hnswEntry(): i32 { return entry; }
export function hnswMaxLevel(): i32 { return maxLevel; }
export function hnswSetEntry(e: i32, level: i32): void {
  entry = e;
  maxLevel = level;
}

@inline function linkPtr(node: i32, level: i32): usize {
  if (level == 0) return links0 + <usize>node * <usize>(1 + M0) * 4;
  return upper + (<usize>(load<i32>(upperOff + (<usize>node << 2)) + (level - 1) * (1 + M)) << 2);
}

@inline function newTag(): void {
  tag++;
  if (tag > 0xffff) {
    memory.fill(visited, 0, <usize>n * 2);
    tag = 1;
  }
}

@inline function seen(node: i32): bool {
  const p = visited + (<usize>node << 1);
  if (<i32>load<u16>(p) == tag) return true;
  store<u16>(p, <u16>tag);
  return false;
}

/** Greedy descent on one level; returns the closest node found, its distance in `lastD`. */
let lastD: f32 = 0;
/** Sink for the touching load in searchLayer. */
let linkSink: i32 = 0;
export function hnswLinkSink(): i32 {
  return linkSink;
}
function greedy(q: usize, qInv: f32, start: i32, startD: f32, level: i32): i32 {
  let cur = start;
  let curD = startD;
  let changed = true;
  while (changed) {
    changed = false;
    const lp = linkPtr(cur, level);
    const cnt = load<i32>(lp);
    for (let j = 0; j < cnt; j++) {
      const nb = load<i32>(lp + 4 + (<usize>j << 2));
      const d = distRow(q, qInv, nb);
      if (d < curD) {
        curD = d;
        cur = nb;
        changed = true;
      }
    }
  }
  lastD = curD;
  return cur;
}

/** Beam search on one level; leaves up to `ef` results as a max-heap in resD/resI, returns its size. */
function searchLayer(q: usize, qInv: f32, ep: i32, epD: f32, ef: i32, level: i32, allow: usize): i32 {
  newTag();
  let cs = 0;
  let rs = 0;
  let bound: f32 = Infinity;
  seen(ep);
  if (allowed(allow, ep)) {
    rs = maxPush(resD, resI, rs, epD, ep);
    bound = epD;
  }
  cs = minPush(candD, candI, cs, epD, ep);
  while (cs > 0) {
    const cd = load<f32>(candD);
    const c = load<i32>(candI);
    if (cd > bound && (rs >= ef || allow == 0)) break;
    cs = minPop(candD, candI, cs);
    // Touch the next candidate's link list so its cache miss overlaps this expansion.
    if (cs > 0) linkSink += load<i32>(linkPtr(load<i32>(candI), level));
    const lp = linkPtr(c, level);
    const cnt = load<i32>(lp);
    let m = 0;
    for (let j = 0; j < cnt; j++) {
      const nb = load<i32>(lp + 4 + (<usize>j << 2));
      if (!seen(nb)) {
        store<i32>(nbI + (<usize>m << 2), nb);
        m++;
      }
    }
    distMany(q, qInv, nbI, m, nbD);
    for (let j = 0; j < m; j++) {
      const nb = load<i32>(nbI + (<usize>j << 2));
      const d = load<f32>(nbD + (<usize>j << 2));
      if (rs < ef || d < bound) {
        cs = minPush(candD, candI, cs, d, nb);
        if (allowed(allow, nb)) {
          rs = maxPush(resD, resI, rs, d, nb);
          if (rs > ef) rs = maxPop(resD, resI, rs);
          bound = load<f32>(resD);
        }
      }
    }
  }
  return rs;
}

/**
 * Keep at most `maxM` of `size` candidates sorted ascending at (d, ids): a candidate survives when
 * it is closer to the base than to every survivor before it. In place; returns the count kept.
 */
function heuristic(d: usize, ids: usize, size: i32, maxM: i32): i32 {
  if (size <= maxM) return size;
  let kept = 0;
  for (let i = 0; i < size && kept < maxM; i++) {
    const ci = load<i32>(ids + (<usize>i << 2));
    const cd = load<f32>(d + (<usize>i << 2));
    const cp = rowQuery(ci, 2);
    const cInv = rowInv(ci);
    let good = true;
    for (let j = 0; j < kept; j++) {
      const sj = load<i32>(ids + (<usize>j << 2));
      if (distPtr(cp, cInv, rowPtr(sj), rowInv(sj)) < cd) {
        good = false;
        break;
      }
    }
    if (good) {
      store<f32>(d + (<usize>kept << 2), cd);
      store<i32>(ids + (<usize>kept << 2), ci);
      kept++;
    }
  }
  return kept;
}

/** Sort (d, ids) of `size` ascending by d (insertion sort; size is at most M0 + 1). */
function sortSmall(d: usize, ids: usize, size: i32): void {
  for (let i = 1; i < size; i++) {
    const kd = load<f32>(d + (<usize>i << 2));
    const ki = load<i32>(ids + (<usize>i << 2));
    let j = i - 1;
    while (j >= 0 && load<f32>(d + (<usize>j << 2)) > kd) {
      store<f32>(d + (<usize>(j + 1) << 2), load<f32>(d + (<usize>j << 2)));
      store<i32>(ids + (<usize>(j + 1) << 2), load<i32>(ids + (<usize>j << 2)));
      j--;
    }
    store<f32>(d + (<usize>(j + 1) << 2), kd);
    store<i32>(ids + (<usize>(j + 1) << 2), ki);
  }
}

/** Add `newId` (at distance dNew) to node's links on `level`, pruning with the heuristic when full. */
function connect(node: i32, newId: i32, dNew: f32, level: i32): void {
  const cap = level == 0 ? M0 : M;
  const lp = linkPtr(node, level);
  const cnt = load<i32>(lp);
  if (cnt < cap) {
    store<i32>(lp + 4 + (<usize>cnt << 2), newId);
    store<i32>(lp, cnt + 1);
    return;
  }
  const np = rowQuery(node, 1);
  const nInv = rowInv(node);
  for (let j = 0; j < cnt; j++) {
    const nb = load<i32>(lp + 4 + (<usize>j << 2));
    store<i32>(selI + (<usize>j << 2), nb);
    store<f32>(selD + (<usize>j << 2), distRow(np, nInv, nb));
  }
  store<i32>(selI + (<usize>cnt << 2), newId);
  store<f32>(selD + (<usize>cnt << 2), dNew);
  sortSmall(selD, selI, cnt + 1);
  const kept = heuristic(selD, selI, cnt + 1, cap);
  for (let j = 0; j < kept; j++) store<i32>(lp + 4 + (<usize>j << 2), load<i32>(selI + (<usize>j << 2)));
  store<i32>(lp, kept);
}

/** Insert node `id` (its vector is row `id` of the space). */
export function hnswInsert(id: i32): void {
  const level = <i32>load<u8>(levels + id);
  if (entry < 0) {
    entry = id;
    maxLevel = level;
    return;
  }
  const q = rowQuery(id, 0);
  const qInv = rowInv(id);
  let cur = entry;
  let curD = distRow(q, qInv, cur);
  for (let l = maxLevel; l > level; l--) {
    cur = greedy(q, qInv, cur, curD, l);
    curD = lastD;
  }
  for (let l = min(level, maxLevel); l >= 0; l--) {
    const rs = searchLayer(q, qInv, cur, curD, efC, l, 0);
    heapSortAscending(resD, resI, rs);
    const kept = heuristic(resD, resI, rs, M);
    const lp = linkPtr(id, l);
    for (let j = 0; j < kept; j++) store<i32>(lp + 4 + (<usize>j << 2), load<i32>(resI + (<usize>j << 2)));
    store<i32>(lp, kept);
    for (let j = 0; j < kept; j++) connect(load<i32>(resI + (<usize>j << 2)), id, load<f32>(resD + (<usize>j << 2)), l);
    cur = load<i32>(resI);
    curD = load<f32>(resD);
  }
  if (level > maxLevel) {
    entry = id;
    maxLevel = level;
  }
}

/**
 * k nearest of query `q` (stored layout; `qInv` for int8 COSINE) among rows `allow` admits (0 = all),
 * beam width ef >= k. Writes ascending (d, id) to outD/outI; returns how many were found.
 */
export function hnswSearch(q: usize, qInv: f32, k: i32, ef: i32, allow: usize, outD: usize, outI: usize): i32 {
  if (entry < 0) return 0;
  let cur = entry;
  let curD = distRow(q, qInv, cur);
  for (let l = maxLevel; l > 0; l--) {
    cur = greedy(q, qInv, cur, curD, l);
    curD = lastD;
  }
  const rs = searchLayer(q, qInv, cur, curD, min(max(ef, k), n), 0, allow);
  heapSortAscending(resD, resI, rs);
  const cnt = min(k, rs);
  memory.copy(outD, resD, <usize>cnt << 2);
  memory.copy(outI, resI, <usize>cnt << 2);
  return cnt;
}
