// The layout of one IVF index inside its Wasm instance: coarse centroids, inverted lists stored
// contiguously in list order (codes + row ids), and the codec's side tables. Set once by the
// TypeScript side after it copies the arrays in (build or load); read by scan.ts.

export const CODEC_F32: i32 = 0;
export const CODEC_SQ8: i32 = 1;
export const CODEC_PQ: i32 = 2;
export const CODEC_BIN: i32 = 3;

// Metric numbers match shared/space.ts; COSINE arrives here as IP over unit vectors.
export const METRIC_L2: i32 = 0;
export const METRIC_IP: i32 = 1;
export const METRIC_HAMMING: i32 = 3;
export const METRIC_JACCARD: i32 = 4;

export let codec: i32 = 0;
export let metric: i32 = 0;
export let dim: i32 = 0;
export let nlist: i32 = 0;
export let nrows: i32 = 0;
/** Bytes of one stored code (one list entry). */
export let codeBytes: i32 = 0;
/** nlist centroids: f32 × dim each (binary: dim/8 bytes each). */
export let centroids: usize = 0;
/** f32 |c|² per centroid (dense L2), else 0. */
export let cnorms: usize = 0;
/** nlist + 1 i32 offsets: list l holds positions [listStart[l], listStart[l+1]). */
export let listStart: usize = 0;
/** Codes in list order, codeBytes each. */
export let codes: usize = 0;
/** i32 row id (segment offset) per list position. */
export let ids: usize = 0;

// SQ8: per-dimension vmin and step (= vdiff / 255), zero-padded to dimPad. rowNorms per list
// position: |x̂|² (SQ8) or |x̂|² − |centroid|² (PQ), x̂ = centroid + decoded residual.
export let sqVmin: usize = 0;
export let sqStep: usize = 0;
export let rowNorms: usize = 0;
/** dim rounded up to 16: SQ8 codes are stored zero-padded to this many bytes. */
export let dimPad: i32 = 0;

// PQ: m sub-quantizers of ksub = 2^nbits codewords of dsub = dim/m floats; codes are 1 byte per
// sub-quantizer when nbits <= 8, else 2 (little endian).
export let pqM: i32 = 0;
export let pqKsub: i32 = 0;
export let pqDsub: i32 = 0;
export let pqWide: bool = false;
export let pqBooks: usize = 0;

export function setIndex(
  codec_: i32, metric_: i32, dim_: i32, nlist_: i32, nrows_: i32, codeBytes_: i32,
  centroids_: usize, cnorms_: usize, listStart_: usize, codes_: usize, ids_: usize,
): void {
  codec = codec_;
  metric = metric_;
  dim = dim_;
  nlist = nlist_;
  nrows = nrows_;
  codeBytes = codeBytes_;
  centroids = centroids_;
  cnorms = cnorms_;
  listStart = listStart_;
  codes = codes_;
  ids = ids_;
  dimPad = (dim_ + 15) & ~15;
}

export function setSq(vmin: usize, step: usize, norms: usize): void {
  sqVmin = vmin;
  sqStep = step;
  rowNorms = norms;
}

export function setPq(m: i32, nbits: i32, books: usize): void {
  pqM = m;
  pqKsub = 1 << nbits;
  pqDsub = dim / m;
  pqWide = nbits > 8;
  pqBooks = books;
}
