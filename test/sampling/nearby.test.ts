import { describe, expect, it } from 'vitest';
import { createRng, fitNearby, sampleNearby, type Feature, type Row } from '../../src/index.js';

const features: Feature[] = [
  { name: 'count', type: 'numeric' },
  { name: 'size', type: 'numeric' },
  { name: 'colour', type: 'categorical', categories: ['red', 'blue'] },
];
/** Two tight clusters far apart: count 0..3 near size 0 (red), count 20..23 near size 10 (blue). */
function rows(): Row[] {
  const rng = createRng(3);
  return Array.from({ length: 80 }, (_, i) => (i % 2 ? [rng.int(4), rng.normal() * 0.1, 'red'] : [20 + rng.int(4), 10 + rng.normal() * 0.1, 'blue']));
}

describe('fitNearby / sampleNearby (ANN-DT interpolation)', () => {
  it('draws around the training rows (never between the clusters), keeps integer columns integer, and is seeded', () => {
    const nb = fitNearby(rows(), features, createRng(1), { k: 3 });
    expect(nb.integer).toEqual([true, false, false]);
    const a = sampleNearby(nb, 500, createRng(9));
    expect(sampleNearby(nb, 500, createRng(9))).toEqual(a);
    for (const r of a) {
      expect(Number.isInteger(r[0])).toBe(true);
      const near0 = Math.abs(r[1] as number) < 2;
      const near10 = Math.abs((r[1] as number) - 10) < 2;
      expect(near0 || near10).toBe(true);
      // Each drawn row stays with its cluster's colour and counts.
      if (near0) expect(r[2]).toBe('red');
      else expect(r[0] as number).toBeGreaterThanOrEqual(15);
    }
    // Not copies of the centres: the numeric columns move.
    expect(new Set(a.map((r) => r[1])).size).toBeGreaterThan(400);
  });

  it('keeps every row inside a region, refuses a region no training row lies in', () => {
    const nb = fitNearby(rows(), features, createRng(1));
    const region = [{ type: 'gt' as const, feature: 'size', threshold: 5 }];
    const drawn = sampleNearby(nb, 200, createRng(2), { region });
    expect(drawn.every((r) => (r[1] as number) > 5)).toBe(true);
    expect(() => sampleNearby(nb, 10, createRng(2), { region: [{ type: 'gt', feature: 'size', threshold: 50 }] })).toThrow('no training row lies in the region');
    expect(() => fitNearby([[1, null, 'red']], features, createRng(1))).toThrow(/column "size" has a missing value/);
  });
});
