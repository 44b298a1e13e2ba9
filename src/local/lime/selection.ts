/**
 * Choosing which interpretable features enter LIME's local model (Ribeiro et al. 2016, §3.4 and
 * the reference `lime_base.py`): forward selection, highest weights, the lasso path, none, or auto
 * (forward selection for 6 features or fewer, otherwise highest weights).
 *
 * Everything works from the weighted moments of {@link weightedGram}, so each candidate model is a
 * small solve rather than a pass over the neighbourhood.
 */
import { FEATURE_SELECTIONS, type FeatureSelection } from './options.js';
import { ridgeFromMoments, type WeightedGram, type WeightedTarget } from './ridge.js';

export { FEATURE_SELECTIONS, type FeatureSelection };

/**
 * Indices of the columns to use, at most `k` of them.
 *
 * @param g weighted moments of the design
 * @param t weighted moments of the explained output
 * @param first the instance's own row of the design (used by `highest_weights`)
 * @example
 * selectFeatures('auto', g, t, x.subarray(0, d), 5); // e.g. [3, 0, 7, 1, 2]
 */
export function selectFeatures(method: FeatureSelection, g: WeightedGram, t: WeightedTarget, first: ArrayLike<number>, k: number): number[] {
  const d = g.d;
  const all = Array.from({ length: d }, (_, i) => i);
  if (k >= d && method !== 'lasso_path') return all;
  switch (method) {
    case 'none':
      return all;
    case 'forward_selection':
      return forwardSelection(g, t, k);
    case 'highest_weights':
      return highestWeights(g, t, first, k);
    case 'lasso_path':
      return lassoPath(g, t, k);
    case 'auto':
      return k <= 6 ? forwardSelection(g, t, k) : highestWeights(g, t, first, k);
  }
}

/**
 * Greedy forward selection: repeatedly add the column whose unpenalised weighted least-squares
 * fit (with the columns already chosen) has the highest weighted R². Ties go to the lower index.
 */
export function forwardSelection(g: WeightedGram, t: WeightedTarget, k: number): number[] {
  const used: number[] = [];
  const free = new Set(Array.from({ length: g.d }, (_, i) => i));
  while (used.length < Math.min(k, g.d)) {
    let best = -1;
    let bestScore = -Infinity;
    for (const f of free) {
      const s = ridgeFromMoments(g, t, [...used, f], 0).r2;
      if (s > bestScore) {
        bestScore = s;
        best = f;
      }
    }
    used.push(best);
    free.delete(best);
  }
  return used;
}

/**
 * Fits a lightly penalised ridge (alpha 0.01) on all columns and keeps the `k` columns whose
 * contribution at the instance, |coef × first|, is largest (stable order on ties).
 */
export function highestWeights(g: WeightedGram, t: WeightedTarget, first: ArrayLike<number>, k: number): number[] {
  const all = Array.from({ length: g.d }, (_, i) => i);
  const fit = ridgeFromMoments(g, t, all, 0.01);
  return all
    .map((j) => ({ j, s: Math.abs(fit.coef[j] * first[j]) }))
    .sort((a, b) => b.s - a.s || a.j - b.j)
    .slice(0, k)
    .map((e) => e.j);
}

/**
 * Lasso path: the least penalised point of the weighted lasso path (on the weighted, centred data,
 * as the reference builds it for LARS) with at most `k` non-zero weights; its non-zero columns in
 * order of entry into the path.
 *
 * Written by hand (no installed library fits a lasso): coordinate descent on the Gram matrix with
 * warm starts over 100 penalties spaced geometrically from λmax (where every weight is 0) down to
 * λmax·1e-4.
 */
export function lassoPath(g: WeightedGram, t: WeightedTarget, k: number): number[] {
  const d = g.d;
  let lmax = 0;
  for (let j = 0; j < d; j++) lmax = Math.max(lmax, Math.abs(t.cross[j]));
  if (!(lmax > 0)) return [];
  const beta = new Float64Array(d);
  const entry: number[] = [];
  let chosen: number[] = [];
  const steps = 100;
  for (let s = 0; s < steps; s++) {
    const lambda = lmax * Math.pow(1e-4, (s + 1) / steps);
    for (let sweep = 0; sweep < 1000; sweep++) {
      let change = 0;
      for (let j = 0; j < d; j++) {
        const gjj = g.gram[j * d + j];
        if (!(gjj > 0)) continue;
        let r = t.cross[j];
        for (let q = 0; q < d; q++) if (q !== j) r -= g.gram[j * d + q] * beta[q];
        const nb = r > lambda ? (r - lambda) / gjj : r < -lambda ? (r + lambda) / gjj : 0;
        change = Math.max(change, Math.abs(nb - beta[j]) * Math.sqrt(gjj));
        beta[j] = nb;
      }
      if (change <= 1e-9 * Math.sqrt(Math.max(t.total, 1e-300))) break;
    }
    for (let j = 0; j < d; j++) if (beta[j] !== 0 && !entry.includes(j)) entry.push(j);
    const nonzero = entry.filter((j) => beta[j] !== 0);
    if (nonzero.length <= k) chosen = nonzero;
  }
  return chosen;
}
