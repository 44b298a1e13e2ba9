/**
 * Discretisers for numeric features, as LIME's and Anchors' interpretable representation uses
 * them (reference: `lime/discretize.py`): cut points from training quartiles, deciles, or an
 * entropy-minimising shallow tree on the labels; per bin the training mean, standard deviation,
 * bounds and frequency, which the samplers use to draw values inside a bin.
 *
 * Bins follow numpy's `searchsorted(cuts, x)`: bin 0 is `x <= cuts[0]`, bin i is
 * `cuts[i-1] < x <= cuts[i]`, the last is `x > cuts[last]`, so each bin is exactly one of the
 * rule representation's `le` / `interval` / `gt` conditions.
 */
import type { Dataset } from '../../data/types.js';
import type { ConditionT } from '../../rules/schema.js';

/** The discretisers of numeric features, as the `discretizer` option names them. */
export const DISCRETIZERS = ['quartile', 'decile', 'entropy', 'none'] as const;
export type DiscretizerKind = (typeof DISCRETIZERS)[number];

/** One discretised numeric feature. */
export interface BinnedFeature {
  /** Sorted distinct cut points (bins = cuts.length + 1). */
  cuts: number[];
  /** Per bin: training mean, standard deviation (+1e-11, as the reference), lower and upper bound, row count. */
  means: number[];
  stds: number[];
  mins: number[];
  maxs: number[];
  counts: number[];
}

/** Per feature (schema order): its bins, or null for categorical features. */
export type Discretization = (BinnedFeature | null)[];

/**
 * Bin index of `x` given sorted cut points (the number of cuts strictly below `x`).
 *
 * @example
 * binOf([1, 2, 3], 2); // 1  (1 < 2 <= 2)
 */
export function binOf(cuts: readonly number[], x: number): number {
  let lo = 0;
  let hi = cuts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cuts[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The condition describing bin `bin` of a feature with cut points `cuts`.
 *
 * @example
 * binCondition('age', [30, 47], 2); // { type: 'gt', feature: 'age', threshold: 47 }
 */
export function binCondition(feature: string, cuts: readonly number[], bin: number): ConditionT {
  if (cuts.length === 0) return { type: 'interval', feature, low: null, high: null };
  if (bin === 0) return { type: 'le', feature, threshold: cuts[0] };
  if (bin >= cuts.length) return { type: 'gt', feature, threshold: cuts[cuts.length - 1] };
  return { type: 'interval', feature, low: cuts[bin - 1], high: cuts[bin] };
}

/** numpy's default (linear) percentile of sorted values. */
function percentile(sorted: readonly number[], p: number): number {
  const pos = ((sorted.length - 1) * p) / 100;
  const lo = Math.floor(pos);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/**
 * Fits a discretiser on the numeric columns of `train`. `labels` (a class index per row) are
 * needed for `entropy`.
 *
 * @throws RangeError for `entropy` without labels of the right length.
 * @example
 * const disc = fitDiscretizer(iris, 'quartile'); disc[0]!.cuts; // [5.1, 5.8, 6.4]
 */
export function fitDiscretizer(train: Dataset, kind: Exclude<DiscretizerKind, 'none'>, labels?: ArrayLike<number>): Discretization {
  if (kind === 'entropy' && (!labels || labels.length !== train.rows.length)) throw new RangeError('the entropy discretiser needs one label per training row');
  return train.schema.features.map((f, j) => {
    if (f.type !== 'numeric') return null;
    const pairs: { x: number; y: number }[] = [];
    for (let i = 0; i < train.rows.length; i++) {
      const v = train.rows[i][j];
      if (typeof v === 'number' && Number.isFinite(v) && (kind !== 'entropy' || Number.isFinite(labels![i]))) pairs.push({ x: v, y: kind === 'entropy' ? labels![i] : 0 });
    }
    pairs.sort((a, b) => a.x - b.x);
    const xs = pairs.map((p) => p.x);
    if (xs.length === 0) return { cuts: [], means: [0], stds: [1e-11], mins: [0], maxs: [0], counts: [0] };
    let cuts: number[];
    if (kind === 'quartile') cuts = [25, 50, 75].map((p) => percentile(xs, p));
    else if (kind === 'decile') cuts = [10, 20, 30, 40, 50, 60, 70, 80, 90].map((p) => percentile(xs, p));
    else {
      cuts = entropyCuts(pairs, 3);
      if (cuts.length === 0) cuts = [percentile(xs, 50)];
    }
    cuts = [...new Set(cuts)].sort((a, b) => a - b);
    return binStats(xs, cuts);
  });
}

/** Per-bin statistics of sorted values. */
function binStats(xs: readonly number[], cuts: number[]): BinnedFeature {
  const nb = cuts.length + 1;
  const sum = new Array<number>(nb).fill(0);
  const sq = new Array<number>(nb).fill(0);
  const counts = new Array<number>(nb).fill(0);
  for (const x of xs) {
    const b = binOf(cuts, x);
    sum[b] += x;
    counts[b]++;
  }
  const means = sum.map((s, b) => (counts[b] ? s / counts[b] : 0));
  for (const x of xs) {
    const b = binOf(cuts, x);
    sq[b] += (x - means[b]) ** 2;
  }
  const stds = sq.map((s, b) => (counts[b] ? Math.sqrt(s / counts[b]) : 0) + 1e-11);
  return { cuts, means, stds, mins: [xs[0], ...cuts], maxs: [...cuts, xs[xs.length - 1]], counts };
}

/**
 * Cut points of a depth-limited tree on one feature that greedily maximises information gain
 * (entropy), splitting between distinct values at their midpoint as scikit-learn does. Written by
 * hand: a one-feature tree is a few lines, and ml-cart offers no entropy criterion.
 */
function entropyCuts(pairs: readonly { x: number; y: number }[], depth: number): number[] {
  const classes = [...new Set(pairs.map((p) => p.y))].sort((a, b) => a - b);
  const ci = new Map(classes.map((c, i) => [c, i]));
  const ys = pairs.map((p) => ci.get(p.y)!);
  const c = classes.length;
  const entropy = (counts: number[], n: number) => {
    let h = 0;
    for (const k of counts) if (k > 0) h -= (k / n) * Math.log2(k / n);
    return h;
  };
  const cuts: number[] = [];
  const grow = (lo: number, hi: number, level: number) => {
    if (level >= depth || hi - lo < 2) return;
    const total = new Array<number>(c).fill(0);
    for (let i = lo; i < hi; i++) total[ys[i]]++;
    const n = hi - lo;
    const h = entropy(total, n);
    if (h === 0) return;
    const left = new Array<number>(c).fill(0);
    let best = -1;
    let bestH = Infinity;
    for (let i = lo; i < hi - 1; i++) {
      left[ys[i]]++;
      if (pairs[i].x === pairs[i + 1].x) continue;
      const nl = i - lo + 1;
      const right = total.map((t, k) => t - left[k]);
      const hs = (nl / n) * entropy(left, nl) + ((n - nl) / n) * entropy(right, n - nl);
      if (hs < bestH - 1e-12) {
        bestH = hs;
        best = i;
      }
    }
    if (best < 0) return;
    cuts.push((pairs[best].x + pairs[best + 1].x) / 2);
    grow(lo, best + 1, level + 1);
    grow(best + 1, hi, level + 1);
  };
  grow(0, pairs.length, 0);
  return cuts;
}
