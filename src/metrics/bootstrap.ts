/**
 * Seeded percentile bootstrap (Efron & Tibshirani 1993, ch. 13): resample rows with replacement,
 * recompute a statistic, take the 2.5 % and 97.5 % quantiles of the replicates.
 *
 * Replicate `b` draws its rows from its own random stream (`substream(seed, 'bootstrap', b)`), so
 * that any range of replicates can be computed anywhere (a worker thread, another machine) and
 * the interval is the same however the replicates were split.
 */
import { createRng, substream } from '../util/rng.js';
import { meanAbsoluteError, r2Score } from './regression.js';

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
 * A statistic of a resample as plain data (so that it can be sent to a worker thread), over the
 * rows drawn `idx` (indices into `0..n-1`):
 * - `mean`: the mean of `values[idx[j]]`;
 * - `r2` / `mae`: R² / mean absolute error of `pred` against `ref` over the rows `rows[idx[j]]`
 *   (`rows` maps resample indices to row numbers; all rows when absent).
 */
export type BootstrapStatistic =
  | { kind: 'mean'; values: ArrayLike<number> }
  | { kind: 'r2' | 'mae'; pred: ArrayLike<number>; ref: ArrayLike<number>; rows?: ArrayLike<number> };

/** A statistic of a resample: a {@link BootstrapStatistic}, or any function of the rows drawn. */
export type ResampleStatistic = BootstrapStatistic | ((idx: Uint32Array) => number);

/** The value of `stat` on the rows drawn `idx`. */
export function evaluateStatistic(stat: ResampleStatistic, idx: Uint32Array): number {
  if (typeof stat === 'function') return stat(idx);
  if (stat.kind === 'mean') {
    let s = 0;
    for (let j = 0; j < idx.length; j++) s += stat.values[idx[j]];
    return s / idx.length;
  }
  const rows = stat.rows ? Uint32Array.from(idx, (j) => stat.rows![j]) : idx;
  return stat.kind === 'r2' ? r2Score(stat.pred, stat.ref, rows) : meanAbsoluteError(stat.pred, stat.ref, rows);
}

/**
 * Replicates `from` to `to - 1` of each statistic over `n` rows: one resample per replicate, from
 * the replicate's own stream, shared by all the statistics.
 *
 * @returns one array of `to - from` values per statistic.
 * @example
 * const [reps] = bootstrapReplicates(100, [{ kind: 'mean', values }], 42, 0, 1000);
 */
export function bootstrapReplicates(n: number, stats: readonly ResampleStatistic[], seed: number, from: number, to: number): Float64Array[] {
  const out = stats.map(() => new Float64Array(Math.max(0, to - from)));
  const idx = new Uint32Array(n);
  for (let b = from; b < to; b++) {
    const rng = createRng(substream(seed, 'bootstrap', b));
    for (let i = 0; i < n; i++) idx[i] = rng.int(n);
    for (let s = 0; s < stats.length; s++) out[s][b - from] = evaluateStatistic(stats[s], idx);
  }
  return out;
}

/** The 2.5 % and 97.5 % quantiles of the replicates (sorted in place), or null when there are none. */
export function percentileInterval95(reps: Float64Array): [number, number] | null {
  if (!reps.length) return null;
  reps.sort();
  return [quantileSorted(reps, 0.025), quantileSorted(reps, 0.975)];
}

/**
 * 95 % percentile bootstrap interval of `stat` over `n` rows.
 *
 * @param n number of rows
 * @param stat statistic of a resample: plain data, or a function of the row indices drawn (length n, with repeats)
 * @param resamples number of bootstrap replicates (0 gives null)
 * @param seed seed of the resampling
 * @returns [low, high], or null when resamples or n is 0
 * @example
 * bootstrapCi95(agree.length, { kind: 'mean', values: agree }, 1000, 42);
 */
export function bootstrapCi95(n: number, stat: ResampleStatistic, resamples: number, seed: number): [number, number] | null {
  if (resamples <= 0 || n === 0) return null;
  return percentileInterval95(bootstrapReplicates(n, [stat], seed, 0, resamples)[0]);
}

/**
 * Computes the replicates of a bootstrap: in this thread ({@link localBootstrap}) or split over
 * worker threads. Resolves to one array of `resamples` values per statistic, in replicate order.
 */
export type Bootstrapper = (n: number, stats: readonly BootstrapStatistic[], resamples: number, seed: number) => Promise<Float64Array[]>;

/** The bootstrapper that computes every replicate in this thread. */
export const localBootstrap: Bootstrapper = async (n, stats, resamples, seed) => bootstrapReplicates(n, stats, seed, 0, resamples);
