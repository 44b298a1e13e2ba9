/**
 * Bootstrap replicates over worker threads: each thread computes a range of replicates, each
 * replicate from its own random stream, so the interval is the same whatever the split.
 */
import { localBootstrap, type Bootstrapper } from '../metrics/bootstrap.js';
import { settleAll, WorkerPool } from './pool.js';

/** Resampled values (rows × replicates) from which the threads are used: below, starting them costs more than it saves. */
export const BOOTSTRAP_POOL_MIN_DRAWS = 2_000_000;

/**
 * A {@link Bootstrapper} that splits the replicates over `workers` threads when the bootstrap is
 * large enough ({@link BOOTSTRAP_POOL_MIN_DRAWS}), else computes them in this thread.
 *
 * @example
 * const score = await scoreRuleSetWith(rs, rows, labels, truth, { bootstrap: 10000 }, threadBootstrapper(4));
 */
export function threadBootstrapper(workers: number, note?: (text: string) => void): Bootstrapper {
  return async (n, stats, resamples, seed) => {
    if (workers <= 1 || n * resamples < BOOTSTRAP_POOL_MIN_DRAWS) return localBootstrap(n, stats, resamples, seed);
    const parts = Math.min(resamples, workers * 4);
    const cuts = Array.from({ length: parts + 1 }, (_, k) => Math.round((k * resamples) / parts));
    const threads = Math.min(workers, parts);
    note?.(`bootstrap: ${resamples} resamples in ${threads} worker threads`);
    const pool = new WorkerPool(threads, { bootstrap: { n, stats: [...stats], seed } });
    try {
      const ranges = await settleAll(cuts.slice(1).map((to, k) => pool.run<Float64Array[]>({ kind: 'bootstrap', from: cuts[k], to })));
      return stats.map((_, s) => {
        const all = new Float64Array(resamples);
        ranges.forEach((r, k) => all.set(r[s], cuts[k]));
        return all;
      });
    } finally {
      await pool.close();
    }
  };
}
