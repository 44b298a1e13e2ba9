/**
 * LIME's generic core (Ribeiro, Singh, Guestrin 2016, "Why should I trust you?"), kept apart from
 * any data type as the reference `lime_base.py` is: given a neighbourhood in the interpretable
 * representation (row 0 is the instance), the model's output on each neighbour and each
 * neighbour's kernel weight, select features, fit a weighted ridge and report.
 */
import { ridgeFromMoments, weightedGram, weightedTarget, type WeightedGram } from './ridge.js';
import { selectFeatures, type FeatureSelection } from './selection.js';

/** A kernel turning a distance into a sample weight, given the kernel width. */
export type KernelFn = (distance: number, width: number) => number;

/**
 * LIME's default exponential kernel, sqrt(exp(−d²/w²)).
 *
 * @example
 * exponentialKernel(0, 1); // 1
 */
export const exponentialKernel: KernelFn = (distance, width) => Math.sqrt(Math.exp(-(distance * distance) / (width * width)));

/** A neighbourhood in the interpretable representation. */
export interface Neighbourhood {
  /** `n × d` row-major; row 0 is the explained instance. */
  data: Float64Array;
  n: number;
  d: number;
  /** Kernel weight of each row. */
  weights: Float64Array;
}

/** What the core reports for one explained output. */
export interface LocalModel {
  intercept: number;
  /** Selected columns with their weights, by decreasing |weight| (ties: lower column first). */
  features: { index: number; weight: number }[];
  /** Weighted R² of the local model on the neighbourhood it was fitted to. */
  r2: number;
  /** The local model's prediction at the instance (row 0). */
  localPrediction: number;
}

export interface CoreOptions {
  /** How many columns to keep (default 10). */
  numFeatures?: number;
  featureSelection?: FeatureSelection;
  /** Ridge penalty of the final model (default 1, as the reference). */
  alpha?: number;
}

/**
 * Fits LIME's local model for one output column `y` (the model's output on each neighbour).
 * `gram` may be passed to reuse the design's moments across several outputs (labels).
 *
 * @example
 * const m = explainWithData({ data, n, d, weights }, probs, { numFeatures: 5 });
 * m.features[0]; // { index: 2, weight: 0.31 }
 */
export function explainWithData(nb: Neighbourhood, y: ArrayLike<number>, opts: CoreOptions = {}, gram?: WeightedGram): LocalModel {
  const { data, n, d, weights } = nb;
  const k = opts.numFeatures ?? 10;
  const g = gram ?? weightedGram(data, n, d, weights);
  const t = weightedTarget(data, y, n, g, weights);
  const first = data.subarray(0, d);
  const used = selectFeatures(opts.featureSelection ?? 'auto', g, t, first, k);
  const fit = ridgeFromMoments(g, t, used, opts.alpha ?? 1);
  let local = fit.intercept;
  for (let p = 0; p < used.length; p++) local += fit.coef[p] * first[used[p]];
  const features = used
    .map((index, p) => ({ index, weight: fit.coef[p] }))
    .sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight) || a.index - b.index);
  return { intercept: fit.intercept, features, r2: fit.r2, localPrediction: local };
}

/**
 * Kernel weights for distances: `kernel(d, width)` per entry.
 *
 * @example
 * kernelWeights(new Float64Array([0, 1]), 1); // [1, 0.6065...]
 */
export function kernelWeights(distances: Float64Array, width: number, kernel: KernelFn = exponentialKernel): Float64Array {
  const w = new Float64Array(distances.length);
  if (kernel === exponentialKernel) {
    const inv = 1 / (width * width);
    for (let i = 0; i < w.length; i++) w[i] = Math.exp(-0.5 * distances[i] * distances[i] * inv);
  } else for (let i = 0; i < w.length; i++) w[i] = kernel(distances[i], width);
  return w;
}
