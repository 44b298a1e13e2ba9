/**
 * Seeded percentile bootstrap (Efron & Tibshirani 1993, ch. 13): resample rows with replacement,
 * recompute a statistic, take the 2.5 % and 97.5 % quantiles of the replicates.
 */
import { createRng } from '../util/rng.js';

/**
 * Quantile `p` of sorted numbers, linear interpolation between order statistics (R's type 7,
 * numpy's default).
 *
 * @example
 * quantileSorted([1, 2, 3, 4], 0.5); // 2.5
 */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/**
 * 95 % percentile bootstrap interval of `stat` over `n` rows.
 *
 * @param n number of rows
 * @param stat statistic of a resample, given the row indices drawn (length n, with repeats)
 * @param resamples number of bootstrap replicates (0 gives null)
 * @param seed seed of the resampling
 * @returns [low, high], or null when resamples or n is 0
 * @example
 * bootstrapCi95(agree.length, (idx) => mean(idx.map((i) => agree[i])), 1000, 42);
 */
export function bootstrapCi95(n: number, stat: (idx: Uint32Array) => number, resamples: number, seed: number): [number, number] | null {
  if (resamples <= 0 || n === 0) return null;
  const rng = createRng(seed);
  const reps = new Float64Array(resamples);
  const idx = new Uint32Array(n);
  for (let b = 0; b < resamples; b++) {
    for (let i = 0; i < n; i++) idx[i] = rng.int(n);
    reps[b] = stat(idx);
  }
  reps.sort();
  return [quantileSorted(reps, 0.025), quantileSorted(reps, 0.975)];
}
