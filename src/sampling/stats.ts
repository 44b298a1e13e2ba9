/**
 * Training statistics and the Gaussian perturbation sampler built on them (the neighbourhood
 * sampler of LIME's tabular explainer: Ribeiro, Singh & Guestrin 2016).
 */
import { max, mean, min, sampleStandardDeviation } from 'simple-statistics';
import { InputError } from '../util/errors.js';
import type { Rng } from '../util/rng.js';
import type { Dataset, Row, Value } from '../data/types.js';

export type FeatureStats =
  | { name: string; type: 'numeric'; mean: number; std: number; min: number; max: number }
  | { name: string; type: 'categorical'; categories: string[]; frequencies: number[] };

/** Per-feature statistics of the training data (plain JSON). */
export interface TrainingStats {
  features: FeatureStats[];
}

/** The present numbers of column `j`. */
export function numericColumn(ds: Dataset, j: number): number[] {
  const out: number[] = [];
  if (ds.table) {
    const col = ds.table.columns[j];
    for (let i = 0; i < col.length; i++) if (!Number.isNaN(col[i])) out.push(col[i]);
    return out;
  }
  for (const r of ds.rows) if (typeof r[j] === 'number') out.push(r[j] as number);
  return out;
}

/** Share of each category among the present values of column `j` (uniform when none is present). */
export function categoryFrequencies(ds: Dataset, j: number, categories: readonly string[]): number[] {
  const idx = new Map(categories.map((c, k) => [c, k]));
  const counts = new Array<number>(categories.length).fill(0);
  let n = 0;
  if (ds.table) {
    // Codes count per level first, then each level's count goes to its category (if it has one).
    const levels = ds.table.levels[j] ?? [];
    const byCode = new Array<number>(levels.length).fill(0);
    const col = ds.table.columns[j];
    for (let i = 0; i < col.length; i++) if (col[i] >= 0) byCode[col[i]]++;
    levels.forEach((l, c) => {
      const k = idx.get(l);
      if (k !== undefined) {
        counts[k] += byCode[c];
        n += byCode[c];
      }
    });
    return n > 0 ? counts.map((c) => c / n) : counts.map(() => 1 / categories.length);
  }
  for (const r of ds.rows) {
    const v = r[j];
    if (v === null) continue;
    const k = idx.get(String(v));
    if (k !== undefined) {
      counts[k]++;
      n++;
    }
  }
  return n > 0 ? counts.map((c) => c / n) : counts.map(() => 1 / categories.length);
}

/**
 * Mean, sample standard deviation (0 for fewer than 2 values), minimum and maximum of each numeric
 * feature, and the share of each category of each categorical feature, over the present values.
 *
 * @throws InputError naming a numeric column without values or a categorical one without categories.
 * @example
 * fitTrainingStats(iris).features[0]; // { name: 'sepal_length', type: 'numeric', mean: 5.843..., std: 0.828..., min: 4.3, max: 7.9 }
 */
export function fitTrainingStats(ds: Dataset): TrainingStats {
  return {
    features: ds.schema.features.map((f, j): FeatureStats => {
      if (f.type === 'numeric') {
        const xs = numericColumn(ds, j);
        if (xs.length === 0) throw new InputError('has no values to take statistics from', { file: ds.source, column: f.name });
        return {
          name: f.name,
          type: 'numeric',
          mean: mean(xs),
          std: xs.length > 1 ? sampleStandardDeviation(xs) : 0,
          min: min(xs),
          max: max(xs),
        };
      }
      if (f.categories.length === 0) throw new InputError('has no categories', { file: ds.source, column: f.name });
      return { name: f.name, type: 'categorical', categories: [...f.categories], frequencies: categoryFrequencies(ds, j, f.categories) };
    }),
  };
}

/**
 * `n` rows of Gaussian perturbations: each numeric feature drawn from N(centre, std²), where the
 * centre is the training mean or, with `around`, the instance's value (its mean when missing);
 * each categorical feature drawn by its training frequency. Draws go row by row, feature by
 * feature, so the same rng state gives the same rows.
 *
 * @param stats training statistics ({@link fitTrainingStats}).
 * @param n number of rows.
 * @param rng seeded generator.
 * @param opts `around`: an instance (raw row in schema order) to centre numeric features on.
 * @example
 * const rows = sampleGaussian(fitTrainingStats(train), 5000, createRng(42), { around: train.rows[0] });
 */
export function sampleGaussian(stats: TrainingStats, n: number, rng: Rng, opts: { around?: Row } = {}): Row[] {
  const centre = stats.features.map((f, j) => {
    if (f.type !== 'numeric') return 0;
    const v = opts.around?.[j];
    return typeof v === 'number' && Number.isFinite(v) ? v : f.mean;
  });
  const cumulative = stats.features.map((f) => (f.type === 'categorical' ? cumsum(f.frequencies) : null));
  const rows: Row[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const row: Value[] = new Array(stats.features.length);
    for (let j = 0; j < stats.features.length; j++) {
      const f = stats.features[j];
      if (f.type === 'numeric') row[j] = centre[j] + f.std * rng.normal();
      else row[j] = f.categories[pickCumulative(cumulative[j]!, rng.uniform())];
    }
    rows[i] = row;
  }
  return rows;
}

/** Running sums of `w`. */
export function cumsum(w: readonly number[]): Float64Array {
  const c = new Float64Array(w.length);
  let s = 0;
  for (let k = 0; k < w.length; k++) c[k] = s += w[k];
  return c;
}

/** Index k with `c[k-1] <= u * total < c[k]` (binary search over running sums `c`). */
export function pickCumulative(c: Float64Array, u: number): number {
  const target = u * c[c.length - 1];
  let lo = 0;
  let hi = c.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (c[mid] > target) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
