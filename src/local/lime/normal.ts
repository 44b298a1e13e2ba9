/**
 * The standard normal distribution's CDF and quantile, and draws from a truncated normal, as the
 * tabular sampler needs them (Latin hypercube columns, values inside a discretiser's bin).
 *
 * Written by hand: simple-statistics only has a table-based CDF (two decimals) and a coarse
 * inverse, which are too rough for sampling tails.
 */
import type { Rng } from '../../util/rng.js';

/**
 * Complementary error function, Numerical Recipes' Chebyshev fit (fractional error below 1.2e-7
 * everywhere, accurate in the far tails).
 *
 * @example
 * erfc(0); // 1
 */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/**
 * Standard normal CDF Φ(x).
 *
 * @example
 * normalCdf(0); // 0.5
 */
export function normalCdf(x: number): number {
  return 0.5 * erfc(-x / Math.SQRT2);
}

/**
 * Standard normal quantile Φ⁻¹(p) (Acklam's rational approximation, relative error 1.2e-9).
 * Returns ∓Infinity at p = 0 and 1.
 *
 * @example
 * normalQuantile(0.975); // 1.959963...
 */
export function normalQuantile(p: number): number {
  if (p <= 0) return -Infinity;
  if (p >= 1) return Infinity;
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const lo = 0.02425;
  if (p < lo) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  if (p > 1 - lo) {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    return -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

/**
 * One draw from N(mean, std²) truncated to [low, high], by inverting the CDF on the truncated
 * range (mirrored into the lower tail for accuracy). When the range has no probability mass the
 * value is clamped: the mean if it lies inside, else the nearer bound.
 *
 * @example
 * truncatedNormal(createRng(1), 0, 1, 0.5, 1); // a value in [0.5, 1]
 */
export function truncatedNormal(rng: Rng, mean: number, std: number, low: number, high: number): number {
  if (!(std > 0) || !(high > low)) return Math.min(high, Math.max(low, mean));
  let a = (low - mean) / std;
  let b = (high - mean) / std;
  const flip = a > 0;
  if (flip) [a, b] = [-b, -a];
  const pa = normalCdf(a);
  const pb = normalCdf(b);
  if (!(pb - pa > 1e-300)) return Math.min(high, Math.max(low, mean));
  let z = normalQuantile(pa + rng.uniform() * (pb - pa));
  if (z < a) z = a;
  if (z > b) z = b;
  const x = mean + std * (flip ? -z : z);
  return Math.min(high, Math.max(low, x));
}

/**
 * The quantile function of N(mean, std²) truncated to [low, high], tabulated at `knots` + 1
 * equally spaced probabilities 0, 1/knots, …, 1 (mirrored into the lower tail for accuracy, as
 * {@link truncatedNormal}). Interpolating it linearly at a uniform draw samples the truncated
 * normal to within about 1e-4 standard deviations for the bins LIME uses; a degenerate range gives
 * a constant table (the mean clamped to the range).
 *
 * @example
 * truncatedNormalQuantiles(0, 1, -1, 1, 2); // [-1, 0, 1]
 */
export function truncatedNormalQuantiles(mean: number, std: number, low: number, high: number, knots: number): Float64Array {
  const table = new Float64Array(knots + 1);
  const clamped = Math.min(high, Math.max(low, mean));
  let a = (low - mean) / std;
  let b = (high - mean) / std;
  const flip = a > 0;
  if (flip) [a, b] = [-b, -a];
  const pa = normalCdf(a);
  const width = normalCdf(b) - pa;
  if (!(std > 0) || !(high > low) || !(width > 1e-300)) return table.fill(clamped);
  for (let k = 0; k <= knots; k++) {
    let z = k === 0 ? a : k === knots ? b : normalQuantile(pa + (k / knots) * width);
    if (z < a) z = a;
    else if (z > b) z = b;
    const x = mean + (flip ? -std : std) * z;
    table[k] = x < low ? low : x > high ? high : x;
  }
  return table;
}
