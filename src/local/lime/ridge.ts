/**
 * Weighted ridge regression for LIME's local surrogate, solved from weighted sufficient statistics.
 *
 * ml-regression has no weighted ridge, so this solves (XcᵀWXc + αI)β = XcᵀWyc with ml-matrix's
 * CholeskyDecomposition, where Xc and yc are centred on their weighted means. The intercept is
 * therefore unpenalised (`ȳ_w − x̄_wᵀβ`), as in scikit-learn's `Ridge(fit_intercept=True)` with
 * `sample_weight` (test/local/core.test.ts checks it against ml-regression's least squares on the
 * weighted, augmented design). The O(n·d²) pass over the neighbourhood happens once
 * ({@link weightedGram}); every sub-model used by feature selection is then a d×d solve (../../util/linalg.ts).
 */
import { solveSymmetric } from '../../util/linalg.js';

/** Weighted, centred second moments of a design matrix. */
export interface WeightedGram {
  /** Columns. */
  d: number;
  /** Weighted column means x̄_w. */
  mean: Float64Array;
  /** Σ w (x − x̄_w)(x − x̄_w)ᵀ, d×d row-major. */
  gram: Float64Array;
  /** Σ w. */
  weightSum: number;
}

/** Weighted, centred moments of a target column against a design matrix. */
export interface WeightedTarget {
  /** Weighted mean ȳ_w. */
  mean: number;
  /** Σ w (x − x̄_w)(y − ȳ_w), length d. */
  cross: Float64Array;
  /** Σ w (y − ȳ_w)². */
  total: number;
}

/**
 * Weighted centred Gram matrix of `x` (`n × d`, row-major) under sample weights `w`.
 *
 * numpy computes this with one BLAS call on the weighted, centred design; no BLAS is at hand in
 * Node, so the two shapes LIME produces get a loop each, written by hand for the JS engine:
 * - a sparse design (the binary interpretable columns of a discretised neighbourhood, mostly 0):
 *   Σ w x xᵀ over each row's non-zero entries, then centred as Σ w x xᵀ − (Σ w) x̄ x̄ᵀ;
 * - a dense design (continuous columns without discretiser): rows centred first (which keeps
 *   precision when a column's mean is large against its spread) and accumulated eight at a
 *   time, so that each update of the d(d+1)/2 upper entries does eight rows' work.
 *
 * @example
 * weightedGram(new Float64Array([0, 1, 2]), 3, 1, new Float64Array([1, 1, 1])).gram; // [2]
 */
export function weightedGram(x: Float64Array, n: number, d: number, w: Float64Array): WeightedGram {
  const mean = new Float64Array(d);
  let sw = 0;
  let nonzero = 0;
  for (let i = 0; i < n; i++) {
    const wi = w[i];
    if (wi === 0) continue;
    sw += wi;
    const o = i * d;
    for (let j = 0; j < d; j++) mean[j] += wi * x[o + j];
  }
  if (sw > 0) for (let j = 0; j < d; j++) mean[j] /= sw;
  // Which loop is faster, judged on the first rows (both give the same matrix to rounding).
  const probe = Math.min(n, 64);
  for (let p = 0; p < probe * d; p++) if (x[p] !== 0) nonzero++;
  const gram = nonzero < 0.5 * probe * d ? sparseGram(x, n, d, w, mean, sw) : denseGram(x, n, d, w, mean);
  for (let j = 0; j < d; j++) for (let k = 0; k < j; k++) gram[j * d + k] = gram[k * d + j];
  return { d, mean, gram, weightSum: sw };
}

/** Upper triangle of Σ w x xᵀ over the non-zero entries of each row, centred afterwards. */
function sparseGram(x: Float64Array, n: number, d: number, w: Float64Array, mean: Float64Array, sw: number): Float64Array {
  const gram = new Float64Array(d * d);
  const nz = new Int32Array(d);
  const val = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const wi = w[i];
    if (wi === 0) continue;
    const o = i * d;
    let m = 0;
    for (let j = 0; j < d; j++) {
      const v = x[o + j];
      if (v !== 0) {
        nz[m] = j;
        val[m++] = v;
      }
    }
    for (let p = 0; p < m; p++) {
      const a = wi * val[p];
      const gj = nz[p] * d;
      for (let q = p; q < m; q++) gram[gj + nz[q]] += a * val[q];
    }
  }
  for (let j = 0; j < d; j++) for (let k = j; k < d; k++) gram[j * d + k] -= sw * mean[j] * mean[k];
  return gram;
}

/** Rows per block of {@link denseGram}. */
const BLOCK = 8;

/**
 * Upper triangle of Σ w (x − x̄)(x − x̄)ᵀ: rows centred first and taken {@link BLOCK} at a time,
 * stored column-interleaved (the block's values of column j side by side), so that each of the
 * d(d+1)/2 entries is updated once per block with a dot product of eight.
 */
function denseGram(x: Float64Array, n: number, d: number, w: Float64Array, mean: Float64Array): Float64Array {
  const gram = new Float64Array(d * d);
  const c = new Float64Array(d * BLOCK);
  const wc = new Float64Array(d * BLOCK);
  let i = 0;
  for (; i + BLOCK <= n; i += BLOCK) {
    for (let r = 0; r < BLOCK; r++) {
      const o = (i + r) * d;
      const wr = w[i + r];
      for (let j = 0; j < d; j++) {
        const v = x[o + j] - mean[j];
        c[j * BLOCK + r] = v;
        wc[j * BLOCK + r] = wr * v;
      }
    }
    for (let j = 0; j < d; j++) {
      const a = j * BLOCK;
      const a0 = wc[a];
      const a1 = wc[a + 1];
      const a2 = wc[a + 2];
      const a3 = wc[a + 3];
      const a4 = wc[a + 4];
      const a5 = wc[a + 5];
      const a6 = wc[a + 6];
      const a7 = wc[a + 7];
      const g = j * d;
      for (let k = j; k < d; k++) {
        const b = k * BLOCK;
        gram[g + k] += a0 * c[b] + a1 * c[b + 1] + a2 * c[b + 2] + a3 * c[b + 3] + a4 * c[b + 4] + a5 * c[b + 5] + a6 * c[b + 6] + a7 * c[b + 7];
      }
    }
  }
  for (; i < n; i++) {
    const o = i * d;
    const wi = w[i];
    for (let j = 0; j < d; j++) {
      const aj = wi * (x[o + j] - mean[j]);
      const g = j * d;
      for (let k = j; k < d; k++) gram[g + k] += aj * (x[o + k] - mean[k]);
    }
  }
  return gram;
}

/**
 * Weighted centred moments of target `y` against `x`, given the design's {@link WeightedGram}.
 *
 * @example
 * const g = weightedGram(x, n, d, w); const t = weightedTarget(x, y, n, g, w);
 */
export function weightedTarget(x: Float64Array, y: ArrayLike<number>, n: number, g: WeightedGram, w: Float64Array): WeightedTarget {
  const d = g.d;
  let my = 0;
  for (let i = 0; i < n; i++) my += w[i] * y[i];
  if (g.weightSum > 0) my /= g.weightSum;
  const cross = new Float64Array(d);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const wi = w[i];
    if (wi === 0) continue;
    const r = wi * (y[i] - my);
    total += r * (y[i] - my);
    const o = i * d;
    for (let j = 0; j < d; j++) cross[j] += r * (x[o + j] - g.mean[j]);
  }
  return { mean: my, cross, total };
}

/** A fitted weighted ridge model on a subset of the design's columns. */
export interface RidgeFit {
  /** Columns used, in the order of `coef`. */
  features: number[];
  coef: Float64Array;
  intercept: number;
  /** Weighted R² on the fitting sample (1 when the target is constant and fitted exactly). */
  r2: number;
}

/**
 * Fits weighted ridge regression with penalty `alpha` on columns `features`, from precomputed
 * moments. A tiny diagonal jitter is added only if the system is numerically singular (alpha 0
 * with collinear columns).
 *
 * @example
 * const fit = ridgeFromMoments(g, t, [0, 2], 1); // fit.intercept, fit.coef, fit.r2
 */
export function ridgeFromMoments(g: WeightedGram, t: WeightedTarget, features: readonly number[], alpha: number): RidgeFit {
  const k = features.length;
  if (k === 0) return { features: [], coef: new Float64Array(0), intercept: t.mean, r2: t.total > 0 ? 0 : 1 };
  const a: number[][] = [];
  for (let p = 0; p < k; p++) {
    const rowA: number[] = new Array(k);
    for (let q = 0; q < k; q++) rowA[q] = g.gram[features[p] * g.d + features[q]];
    rowA[p] += alpha;
    a.push(rowA);
  }
  const beta = solveSymmetric(a, features.map((f) => [t.cross[f]]));
  const coef = new Float64Array(k);
  if (beta) for (let p = 0; p < k; p++) coef[p] = beta.get(p, 0);
  let intercept = t.mean;
  for (let p = 0; p < k; p++) intercept -= coef[p] * g.mean[features[p]];
  // SSE_w = Σw(yc − Xcβ)² = total − 2βᵀc + βᵀGβ
  let sse = t.total;
  for (let p = 0; p < k; p++) {
    sse -= 2 * coef[p] * t.cross[features[p]];
    let s = 0;
    for (let q = 0; q < k; q++) s += g.gram[features[p] * g.d + features[q]] * coef[q];
    sse += coef[p] * s;
  }
  if (sse < 0) sse = 0;
  const r2 = t.total > 1e-300 ? 1 - sse / t.total : sse <= 1e-12 ? 1 : 0;
  return { features: [...features], coef, intercept, r2 };
}

/**
 * Weighted R² of predictions `pred` against `y` under weights `w`: 1 − Σw(y−ŷ)² / Σw(y−ȳ_w)².
 *
 * @example
 * weightedR2([1, 2, 3], [1, 2, 3], new Float64Array([1, 1, 1])); // 1
 */
export function weightedR2(y: ArrayLike<number>, pred: ArrayLike<number>, w: ArrayLike<number>): number {
  let sw = 0;
  let my = 0;
  for (let i = 0; i < y.length; i++) {
    sw += w[i];
    my += w[i] * y[i];
  }
  if (!(sw > 0)) return NaN;
  my /= sw;
  let sse = 0;
  let sst = 0;
  for (let i = 0; i < y.length; i++) {
    sse += w[i] * (y[i] - pred[i]) ** 2;
    sst += w[i] * (y[i] - my) ** 2;
  }
  if (sst <= 1e-300) return sse <= 1e-12 ? 1 : 0;
  return 1 - sse / sst;
}
