import { MultivariateLinearRegression } from 'ml-regression';
import { describe, expect, it } from 'vitest';
import {
  binCondition,
  binOf,
  createRng,
  explainWithData,
  fitDiscretizer,
  forwardSelection,
  lassoPath,
  normalCdf,
  normalQuantile,
  ridgeFromMoments,
  truncatedNormal,
  truncatedNormalQuantiles,
  weightedGram,
  weightedTarget,
  type Dataset,
} from '../../src/index.js';

describe('weighted ridge', () => {
  const x = new Float64Array([0, 1, 2]);
  it('matches hand-computed fits (intercept unpenalised)', () => {
    const w = new Float64Array([1, 1, 1]);
    const g = weightedGram(x, 3, 1, w);
    const t = weightedTarget(x, [1, 3, 5], 3, g, w);
    const ols = ridgeFromMoments(g, t, [0], 0);
    expect(ols.coef[0]).toBeCloseTo(2, 10);
    expect(ols.intercept).toBeCloseTo(1, 10);
    expect(ols.r2).toBeCloseTo(1, 10);
    const ridge = ridgeFromMoments(g, t, [0], 1); // β = 4 / (2 + 1)
    expect(ridge.coef[0]).toBeCloseTo(4 / 3, 10);
    expect(ridge.intercept).toBeCloseTo(3 - 4 / 3, 10);
  });
  it('weights samples', () => {
    const w = new Float64Array([1, 1, 2]); // x̄ = 1.25, ȳ = 3.5, G = 2.75, c = 5.5
    const g = weightedGram(x, 3, 1, w);
    const t = weightedTarget(x, [1, 3, 5], 3, g, w);
    expect(g.mean[0]).toBeCloseTo(1.25, 12);
    expect(g.gram[0]).toBeCloseTo(2.75, 12);
    expect(ridgeFromMoments(g, t, [0], 1).coef[0]).toBeCloseTo(5.5 / 3.75, 10);
  });
});

describe('feature selection', () => {
  // y = 3·a + 1·b + 0·c on a small grid
  const rng = createRng(1);
  const n = 400;
  const data = new Float64Array(n * 3);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const a = rng.normal();
    const b = rng.normal();
    const c = rng.normal();
    data.set([a, b, c], i * 3);
    y[i] = 3 * a + b + 0.01 * rng.normal();
  }
  const w = new Float64Array(n).fill(1);
  const g = weightedGram(data, n, 3, w);
  const t = weightedTarget(data, y, n, g, w);
  it('forward selection adds the most explanatory column first', () => {
    expect(forwardSelection(g, t, 2)).toEqual([0, 1]);
  });
  it('the lasso path keeps the columns that enter first', () => {
    expect(lassoPath(g, t, 1)).toEqual([0]);
    expect(lassoPath(g, t, 2)).toEqual([0, 1]);
  });
  it('the core orders features by absolute weight', () => {
    const m = explainWithData({ data, n, d: 3, weights: w }, y, { numFeatures: 2, featureSelection: 'lasso_path' });
    expect(m.features.map((f) => f.index)).toEqual([0, 1]);
    expect(m.features[0].weight).toBeCloseTo(3, 1);
    expect(m.r2).toBeGreaterThan(0.99);
  });
});

describe('discretisers', () => {
  const ds: Dataset = {
    source: 't',
    schema: { features: [{ name: 'x', type: 'numeric' }, { name: 'c', type: 'categorical', categories: ['a'] }] },
    rows: [1, 2, 3, 4, 5, 6, 7, 8].map((v) => [v, 'a']),
    missing: 0,
  };
  it('quartiles follow numpy percentiles, with bin statistics', () => {
    const [f, c] = fitDiscretizer(ds, 'quartile');
    expect(c).toBeNull();
    expect(f!.cuts).toEqual([2.75, 4.5, 6.25]);
    expect(f!.counts).toEqual([2, 2, 2, 2]);
    expect(f!.means).toEqual([1.5, 3.5, 5.5, 7.5].map((m) => m));
    expect(f!.mins).toEqual([1, 2.75, 4.5, 6.25]);
    expect(f!.maxs).toEqual([2.75, 4.5, 6.25, 8]);
  });
  it('entropy cuts split where the labels change', () => {
    const [f] = fitDiscretizer(ds, 'entropy', [0, 0, 0, 1, 1, 1, 1, 1]);
    expect(f!.cuts).toEqual([3.5]);
  });
  it('bins map to le / interval / gt conditions', () => {
    expect(binOf([1, 2, 3], 1)).toBe(0);
    expect(binOf([1, 2, 3], 2.5)).toBe(2);
    expect(binOf([1, 2, 3], 9)).toBe(3);
    expect(binCondition('x', [1, 2, 3], 0)).toEqual({ type: 'le', feature: 'x', threshold: 1 });
    expect(binCondition('x', [1, 2, 3], 2)).toEqual({ type: 'interval', feature: 'x', low: 2, high: 3 });
    expect(binCondition('x', [1, 2, 3], 3)).toEqual({ type: 'gt', feature: 'x', threshold: 3 });
  });
});

describe('weighted ridge against ml-regression', () => {
  it('equals ordinary least squares on the weighted, augmented design (intercept unpenalised)', () => {
    // min Σ w (y − b − xβ)² + α|β|²  ≡  OLS of √w·y on [√w·x, √w] with √α·I rows appended (target 0)
    const rng = createRng(11);
    const n = 60;
    const d = 3;
    const x = Float64Array.from({ length: n * d }, () => rng.normal());
    const y = Array.from({ length: n }, (_, i) => 1.5 + 2 * x[i * d] - x[i * d + 1] + 0.3 * rng.normal());
    const w = Float64Array.from({ length: n }, () => 0.1 + rng.uniform());
    for (const alpha of [0, 1, 25]) {
      const g = weightedGram(x, n, d, w);
      const fit = ridgeFromMoments(g, weightedTarget(x, y, n, g, w), [0, 1, 2], alpha);
      const rows: number[][] = [];
      const ys: number[][] = [];
      for (let i = 0; i < n; i++) {
        const s = Math.sqrt(w[i]);
        rows.push([...Array.from({ length: d }, (_, j) => s * x[i * d + j]), s]);
        ys.push([s * y[i]]);
      }
      for (let j = 0; j < d; j++) {
        rows.push(Array.from({ length: d + 1 }, (_, k) => (k === j ? Math.sqrt(alpha) : 0)));
        ys.push([0]);
      }
      const ols = new MultivariateLinearRegression(rows, ys, { intercept: false, statistics: false });
      for (let j = 0; j < d; j++) expect(fit.coef[j]).toBeCloseTo(ols.weights[j][0], 9);
      expect(fit.intercept).toBeCloseTo(ols.weights[d][0], 9);
    }
  });
});

describe('normal distribution helpers (the sampling module LIME uses)', () => {
  it('CDF and quantile', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
    expect(normalCdf(1.959963985)).toBeCloseTo(0.975, 6);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963985, 6);
    expect(normalQuantile(0.001)).toBeCloseTo(-3.090232306, 6);
  });
  it('truncated normal draws stay in the bounds, also far in the tail', () => {
    const rng = createRng(3);
    for (let i = 0; i < 200; i++) {
      const a = truncatedNormal(rng, 0.5, 1);
      expect(a).toBeGreaterThanOrEqual(0.5);
      expect(a).toBeLessThanOrEqual(1);
      const b = truncatedNormal(rng, 9, 10);
      expect(b).toBeGreaterThanOrEqual(9);
      expect(b).toBeLessThanOrEqual(10);
    }
  });
  it('tabulated bin quantiles stay in the bin, far in the tail too', () => {
    for (const [mean, std, low, high] of [[0, 1, 0.5, 1], [0, 1, 9, 10], [5, 2, -60, -50], [3, 1, 1, 3]]) {
      const t = truncatedNormalQuantiles(mean, std, low, high, 64);
      for (const x of t) expect(x >= low && x <= high).toBe(true);
    }
  });
});
