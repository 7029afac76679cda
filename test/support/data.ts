/** Seeded data helpers for tests. */

import { rng } from '../../src/index/kernels/rng.js';

export { rng };

export function randomVectors(n: number, dim: number, seed: number): number[][] {
  const r = rng(seed);
  return Array.from({ length: n }, () => Array.from({ length: dim }, () => r() * 2 - 1));
}

/** Independent brute force in float64: returns [index, score] best first. */
export function bruteForce(base: number[][], q: number[], metric: 'L2' | 'IP' | 'COSINE', k: number): [number, number][] {
  const norm = (v: number[]): number => Math.sqrt(v.reduce((s, x) => s + x * x, 0));
  const scored = base.map((v, i): [number, number] => {
    if (metric === 'L2') return [i, v.reduce((s, x, j) => s + (x - q[j]!) ** 2, 0)];
    const ip = v.reduce((s, x, j) => s + x * q[j]!, 0);
    return [i, metric === 'IP' ? ip : ip / (norm(v) * norm(q))];
  });
  scored.sort((a, b) => (metric === 'L2' ? a[1] - b[1] : b[1] - a[1]));
  return scored.slice(0, k);
}
