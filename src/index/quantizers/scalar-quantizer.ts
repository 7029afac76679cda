/**
 * 8-bit scalar quantizer with a per-dimension range (FAISS QT_8bit, as Milvus's IVF_SQ8 uses):
 * trained as each dimension's min and max over the training rows; a value x encodes to
 * floor(255 · clamp((x - vmin) / vdiff, 0, 1)) and decodes to vmin + (code + 0.5) · vdiff / 255.
 */

export interface Sq8Params {
  vmin: Float32Array;
  /** vdiff / 255 per dimension (0 for a constant dimension). */
  step: Float32Array;
}

/** Per-dimension min/max over `n` rows of `dim` floats. */
export function trainSq8(rows: Float32Array, n: number, dim: number): Sq8Params {
  const vmin = new Float32Array(dim).fill(Infinity);
  const vmax = new Float32Array(dim).fill(-Infinity);
  for (let r = 0; r < n; r++) {
    const o = r * dim;
    for (let d = 0; d < dim; d++) {
      const x = rows[o + d]!;
      if (x < vmin[d]!) vmin[d] = x;
      if (x > vmax[d]!) vmax[d] = x;
    }
  }
  const step = new Float32Array(dim);
  for (let d = 0; d < dim; d++) {
    if (n === 0) vmin[d] = 0;
    else step[d] = (vmax[d]! - vmin[d]!) / 255;
  }
  return { vmin, step };
}

/** Encode one row (`src` at `so`) into `out` at `oo`; returns |decoded|². */
export function encodeSq8(p: Sq8Params, src: ArrayLike<number>, so: number, dim: number, out: Uint8Array, oo: number): number {
  let norm = 0;
  for (let d = 0; d < dim; d++) {
    const st = p.step[d]!;
    let code = 0;
    if (st > 0) {
      const t = (src[so + d]! - p.vmin[d]!) / (st * 255);
      code = t <= 0 ? 0 : t >= 1 ? 255 : Math.floor(255 * t);
    }
    out[oo + d] = code;
    const x = p.vmin[d]! + (code + 0.5) * st;
    norm += x * x;
  }
  return norm;
}

/** Decode one code into `out` at `oo`. */
export function decodeSq8(p: Sq8Params, code: Uint8Array, co: number, dim: number, out: Float32Array, oo: number): void {
  for (let d = 0; d < dim; d++) out[oo + d] = p.vmin[d]! + (code[co + d]! + 0.5) * p.step[d]!;
}
