import { describe, expect, it } from 'vitest';
import { createRng, substream } from '../../src/index.js';

describe('substream', () => {
  it('is a fixed function of the seed and the name', () => {
    expect(substream(42, 'sampling')).toBe(substream(42, 'sampling'));
    // pinned: a change here changes every seeded output of the toolkit
    expect([substream(42, 'sampling'), substream(42, 'marginals'), substream(0, 'bootstrap')]).toEqual([427899865, -1831910871, -1415222254]);
    expect(substream(42.9, 'sampling')).toBe(substream(42, 'sampling')); // seeds are 32-bit integers, as in createRng
    expect(() => substream(NaN, 'x')).toThrow(RangeError);
  });

  it('gives distinct, uncorrelated streams for names and for neighbouring seeds', () => {
    const seeds = new Set<number>();
    for (const seed of [0, 1, 2, 3, 42]) {
      seeds.add(seed);
      for (const name of ['sampling', 'marginals', 'bootstrap', 'holdout']) seeds.add(substream(seed, name));
    }
    expect(seeds.size).toBe(25);
    // first draws of 'sampling' for seeds 1..200 against those of the seed's own stream: no correlation
    const a: number[] = [];
    const b: number[] = [];
    for (let s = 1; s <= 200; s++) {
      a.push(createRng(s).uniform());
      b.push(createRng(substream(s, 'sampling')).uniform());
    }
    const mean = (x: number[]) => x.reduce((p, q) => p + q, 0) / x.length;
    const ma = mean(a);
    const mb = mean(b);
    const cov = mean(a.map((x, i) => (x - ma) * (b[i] - mb)));
    const r = cov / Math.sqrt(mean(a.map((x) => (x - ma) ** 2)) * mean(b.map((x) => (x - mb) ** 2)));
    expect(Math.abs(r)).toBeLessThan(0.25);
  });
});
