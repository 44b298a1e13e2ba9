import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/index.js';
import { normalCdf, normalMass, normalQuantile, normalUpper, truncatedNormal, truncatedNormalQuantiles } from '../../src/index.js';

describe('normal distribution helpers', () => {
  it('matches reference values, including far tails', () => {
    expect(normalUpper(0)).toBe(0.5);
    expect(normalUpper(1.959963984540054)).toBeCloseTo(0.025, 14);
    expect(normalCdf(-3) / 0.0013498980316301035).toBeCloseTo(1, 12);
    expect(normalUpper(10) / 7.619853024160527e-24).toBeCloseTo(1, 10);
    expect(normalCdf(-37) / 5.725571222524e-300).toBeCloseTo(1, 8);
    expect(normalMass(-1, 1)).toBeCloseTo(0.6826894921370859, 14);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 12);
    expect(normalQuantile(1e-10)).toBeCloseTo(-6.361340902404056, 10);
    // round trips on the tail that holds the precision (near p = 1 the p itself has lost it)
    for (let x = -35; x <= 1; x += 0.37) expect(normalQuantile(normalCdf(x))).toBeCloseTo(x, 9);
    for (let x = 0; x <= 35; x += 0.37) expect(-normalQuantile(normalUpper(x))).toBeCloseTo(x, 9);
  });

  it('draws truncated normals inside the interval, even 40 sd out', () => {
    const rng = createRng(3);
    for (const [a, b] of [[0, Infinity], [-Infinity, -2], [1, 1.001], [40, 41], [-60, -50], [38, Infinity], [-0.5, 0.5]]) {
      for (let i = 0; i < 200; i++) {
        const x = truncatedNormal(rng, a, b);
        expect(x > a && x <= b).toBe(true);
      }
    }
    let s = 0;
    const n = 20000;
    for (let i = 0; i < n; i++) s += truncatedNormal(rng, 0, Infinity);
    expect(s / n).toBeCloseTo(Math.sqrt(2 / Math.PI), 1.5); // half-normal mean 0.798
    expect(() => truncatedNormal(rng, 1, 1)).toThrow(RangeError);
  });

  it('tabulates truncated-normal quantiles: the inverse CDF on the range, monotone, a constant table when degenerate', () => {
    const t = truncatedNormalQuantiles(0, 1, -1, 1, 4);
    const mass = normalMass(-1, 1);
    for (let k = 0; k <= 4; k++) expect(normalMass(-1, t[k]) / mass).toBeCloseTo(k / 4, 12);
    // at or above the mean the table runs down from the upper bound (the upper tail keeps the precision)
    const tail = truncatedNormalQuantiles(10, 2, 30, 31, 4);
    for (let k = 1; k <= 4; k++) expect(tail[k]).toBeLessThan(tail[k - 1]);
    expect(tail[0]).toBeCloseTo(31, 9);
    expect(tail[4]).toBeCloseTo(30, 9);
    expect([...truncatedNormalQuantiles(2, 0, 0, 1, 2)]).toEqual([1, 1, 1]);
    expect([...truncatedNormalQuantiles(0.5, 1, 1, 1, 2)]).toEqual([1, 1, 1]);
  });
});
