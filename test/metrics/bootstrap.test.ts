/**
 * The bootstrap's replicates come from one stream each, so a run split into ranges of replicates
 * (worker threads, machines) gives the same interval as one pass.
 */
import { describe, expect, it } from 'vitest';
import { bootstrapCi95, bootstrapReplicates, fidelity, fidelityWith, percentileInterval95, type Bootstrapper } from '../../src/index.js';

const model = Float64Array.from({ length: 300 }, (_, i) => i % 4);
const surrogate = Float64Array.from(model, (m, i) => (i % 7 === 0 ? (m + 1) % 4 : m));

/** A bootstrapper that computes the replicates in uneven ranges, as a worker pool would. */
const split: Bootstrapper = async (n, stats, resamples, seed) => {
  const cuts = [0, 7, 300, 301, resamples];
  const parts = cuts.slice(1).map((to, k) => bootstrapReplicates(n, stats, seed, cuts[k], to));
  return stats.map((_, s) => Float64Array.from(parts.flatMap((p) => [...p[s]])));
};

describe('bootstrap replicates', () => {
  it('ranges of replicates concatenate to the whole run', () => {
    const stats = [{ kind: 'mean' as const, values: Float64Array.from(model, (m, i) => Number(m === surrogate[i])) }];
    const whole = bootstrapReplicates(model.length, stats, 9, 0, 500)[0];
    const a = bootstrapReplicates(model.length, stats, 9, 0, 123)[0];
    const b = bootstrapReplicates(model.length, stats, 9, 123, 500)[0];
    expect([...a, ...b]).toEqual([...whole]);
    expect(percentileInterval95(whole.slice())).toEqual(bootstrapCi95(model.length, stats[0], 500, 9));
  });

  it('fidelityWith a split bootstrapper equals fidelity, for both tasks', async () => {
    for (const task of ['classification', 'regression'] as const) {
      const opts = { task, bootstrap: 1000, seed: 4 };
      const one = fidelity(surrogate, model, opts);
      expect(await fidelityWith(surrogate, model, opts, split)).toEqual(one);
      expect(one.ci95).not.toBeNull();
    }
  });
});
