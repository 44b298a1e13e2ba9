/**
 * Bootstrap replicates over threads (this one and worker threads): each computes ranges of
 * replicates, each replicate from its own random stream, so the interval is the same whatever the
 * split.
 */
import { bootstrapReplicates, localBootstrap, type Bootstrapper } from '../metrics/bootstrap.js';
import { shareWork, threadsText, WorkerPool } from './pool.js';

/** Resampled values (rows × replicates) from which the threads are used: below, starting them costs more than it saves. */
export const BOOTSTRAP_POOL_MIN_DRAWS = 2_000_000;

/**
 * A {@link Bootstrapper} that splits the replicates over `workers` threads (this one among them)
 * when the bootstrap is large enough ({@link BOOTSTRAP_POOL_MIN_DRAWS}), else computes them in
 * this thread.
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
    if (threads < 2) return localBootstrap(n, stats, resamples, seed);
    note?.(`bootstrap: ${resamples} resamples in ${threadsText(threads, true)}`);
    const pool = new WorkerPool(threads - 1, { bootstrap: { n, stats: [...stats], seed } }, { tasksPerThread: 2 });
    try {
      const ranges = await shareWork(parts, pool, (k) => pool.run<Float64Array[]>({ kind: 'bootstrap', from: cuts[k], to: cuts[k + 1] }), {
        here: (k) => bootstrapReplicates(n, stats, seed, cuts[k], cuts[k + 1]),
      });
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
