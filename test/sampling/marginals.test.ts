import { describe, expect, it } from 'vitest';
import {
  createRng, evalConjunction, featureIndex, fitMarginals, loadCsv, loadDataset, sampleMarginals, silvermanBandwidth,
  type ConditionT, type Row,
} from '../../src/index.js';

function colMean(rows: Row[], j: number): number {
  return rows.reduce((s, r) => s + (r[j] as number), 0) / rows.length;
}
function share(rows: Row[], j: number, v: string): number {
  return rows.filter((r) => r[j] === v).length / rows.length;
}

describe('fitMarginals', () => {
  it("uses Silverman's bandwidth and subsamples kernel centres", async () => {
    expect(silvermanBandwidth([1, 2, 3, 4, 5])).toBeCloseTo(0.9 * Math.min(Math.sqrt(2.5), 2 / 1.34) * Math.pow(5, -0.2), 12);
    expect(silvermanBandwidth([2, 2, 2])).toBe(0);
    const xor = await loadDataset('builtin:xor?n=3000');
    const m = fitMarginals(xor, { maxPoints: 500, seed: 1 });
    const f = m.features[0];
    expect(f.type === 'numeric' && f.points.length).toBe(500);
    expect(fitMarginals(xor, { maxPoints: 500, seed: 1 })).toEqual(m);
    expect(fitMarginals(xor, { maxPoints: 500, seed: 2 })).not.toEqual(m);
    const full = fitMarginals(xor).features[0];
    expect(full.type === 'numeric' && full.points.length).toBe(3000);
    expect(full.type === 'numeric' && f.type === 'numeric' && f.bandwidth === full.bandwidth).toBe(true);
    const fixed = fitMarginals(xor, { bandwidth: 0.1 }).features[3];
    expect(fixed.type === 'numeric' && fixed.bandwidth).toBe(0.1);
  });
});

describe('sampleMarginals', () => {
  it('matches training means and frequencies; same seed, same rows', async () => {
    const pen = await loadDataset('builtin:penguins');
    const m = fitMarginals(pen);
    const rows = sampleMarginals(m, 20000, createRng(1));
    expect(rows.every((r) => r.every((v) => v !== null))).toBe(true);
    const masses = pen.rows.map((r) => r[4]).filter((v): v is number => v !== null);
    const mean = masses.reduce((s, v) => s + v, 0) / masses.length;
    expect(Math.abs(colMean(rows, 4) - mean)).toBeLessThan(20); // sd ~800 g; standard error ~6 g
    expect(share(rows, 0, 'Biscoe')).toBeCloseTo(168 / 344, 1.5);
    expect(share(rows, 5, 'MALE')).toBeCloseTo(168 / 333, 1.5);
    expect(sampleMarginals(m, 100, createRng(4))).toEqual(sampleMarginals(m, 100, createRng(4)));
  });

  it('keeps every row inside a region of atomic conditions, intersecting conditions on one feature', async () => {
    const pen = await loadDataset('builtin:penguins');
    const m = fitMarginals(pen);
    const region: ConditionT[] = [
      { type: 'gt', feature: 'beak_length_mm', threshold: 40 },
      { type: 'le', feature: 'beak_length_mm', threshold: 50 },
      { type: 'interval', feature: 'beak_length_mm', low: 38, high: 45 },
      { type: 'notIn', feature: 'island', values: ['Dream'] },
      { type: 'neq', feature: 'island', value: 'Torgersen' },
      { type: 'in', feature: 'sex', values: ['MALE', 'FEMALE'] },
      { type: 'le', feature: 'body_mass_g', threshold: 3000 },
    ];
    const rows = sampleMarginals(m, 5000, createRng(2), region);
    const idx = featureIndex(pen.schema);
    expect(rows.every((r) => evalConjunction(region, r, idx))).toBe(true);
    expect(rows.every((r) => r[0] === 'Biscoe' && (r[1] as number) > 40 && (r[1] as number) <= 45)).toBe(true);
    expect(sampleMarginals(m, 50, createRng(2), region)).toEqual(rows.slice(0, 50));
  });

  it('is exact: region samples match rejection from the unrestricted marginals', async () => {
    const iris = await loadDataset('builtin:iris');
    const m = fitMarginals(iris);
    const region: ConditionT[] = [
      { type: 'gt', feature: 'petal_width', threshold: 1.75 },
      { type: 'le', feature: 'sepal_length', threshold: 6 },
    ];
    const idx = featureIndex(iris.schema);
    const free = sampleMarginals(m, 200000, createRng(7)).filter((r) => evalConjunction(region, r, idx));
    const inRegion = sampleMarginals(m, 20000, createRng(8), region);
    for (const j of [0, 1, 3]) expect(colMean(inRegion, j)).toBeCloseTo(colMean(free, j), 1);
    expect(free.length).toBeGreaterThan(5000);
  });

  it('satisfies M-of-N conditions, by rejection and by forcing when rare', async () => {
    const xor = await loadDataset('builtin:xor?n=2000');
    const m = fitMarginals(xor);
    const idx = featureIndex(xor.schema);
    const easy: ConditionT[] = [
      { type: 'gt', feature: 'x5', threshold: 0.5 },
      {
        type: 'mofn',
        m: 2,
        conditions: [
          { type: 'le', feature: 'x0', threshold: 0.3 },
          { type: 'gt', feature: 'x1', threshold: 0.6 },
          { type: 'mofn', m: 1, conditions: [{ type: 'gt', feature: 'x2', threshold: 0.9 }, { type: 'le', feature: 'x3', threshold: 0.1 }] },
        ],
      },
    ];
    const rows = sampleMarginals(m, 3000, createRng(3), easy);
    expect(rows.every((r) => evalConjunction(easy, r, idx))).toBe(true);
    // exactness of the rejection path: compare with filtering free samples
    const free = sampleMarginals(m, 100000, createRng(9)).filter((r) => evalConjunction(easy, r, idx));
    expect(colMean(rows, 0)).toBeCloseTo(colMean(free, 0), 1);

    const rare: ConditionT[] = [
      { type: 'mofn', m: 3, conditions: ['x0', 'x1', 'x2', 'x3'].map((f) => ({ type: 'gt' as const, feature: f, threshold: 0.995 })) },
      { type: 'le', feature: 'x1', threshold: 0.999 },
    ];
    const r2 = sampleMarginals(m, 300, createRng(4), rare, { maxTries: 20 });
    expect(r2.every((r) => evalConjunction(rare, r, idx))).toBe(true);
  });

  it('samples a region far outside the data', async () => {
    const m = fitMarginals(await loadDataset('builtin:xor?n=500'));
    const rows = sampleMarginals(m, 200, createRng(1), [{ type: 'gt', feature: 'x0', threshold: 100 }, { type: 'le', feature: 'x1', threshold: -50 }]);
    expect(rows.every((r) => (r[0] as number) > 100 && (r[1] as number) <= -50)).toBe(true);
  });

  it('handles constant columns (bandwidth 0)', () => {
    const ds = loadCsv('c,x,y\n2,1,a\n2,2,b\n2,3,a\n', 'k.csv');
    const m = fitMarginals(ds);
    expect(sampleMarginals(m, 20, createRng(1)).every((r) => r[0] === 2)).toBe(true);
    expect(sampleMarginals(m, 20, createRng(1), [{ type: 'le', feature: 'c', threshold: 2 }]).every((r) => r[0] === 2)).toBe(true);
    expect(sampleMarginals(m, 20, createRng(1), [{ type: 'gt', feature: 'c', threshold: 5 }]).every((r) => (r[0] as number) > 5)).toBe(true);
  });

  it('rejects empty regions and bad conditions', async () => {
    const pen = await loadDataset('builtin:penguins');
    const m = fitMarginals(pen);
    const rng = createRng(1);
    expect(() => sampleMarginals(m, 5, rng, [{ type: 'gt', feature: 'body_mass_g', threshold: 5000 }, { type: 'le', feature: 'body_mass_g', threshold: 4000 }]))
      .toThrow('column "body_mass_g": the region is empty: no value satisfies');
    expect(() => sampleMarginals(m, 5, rng, [{ type: 'eq', feature: 'island', value: 'Atlantis' }])).toThrow('column "island": the region is empty');
    expect(() => sampleMarginals(m, 5, rng, [{ type: 'in', feature: 'island', values: ['Dream'] }, { type: 'eq', feature: 'island', value: 'Biscoe' }])).toThrow('the region is empty');
    expect(() => sampleMarginals(m, 5, rng, [{ type: 'mofn', m: 3, conditions: [{ type: 'eq', feature: 'island', value: 'Dream' }, { type: 'eq', feature: 'sex', value: 'MALE' }] }]))
      .toThrow('asks for 3 of 2 conditions');
    expect(() => sampleMarginals(m, 5, rng, [
      { type: 'eq', feature: 'island', value: 'Dream' },
      { type: 'mofn', m: 1, conditions: [{ type: 'eq', feature: 'island', value: 'Biscoe' }, { type: 'eq', feature: 'island', value: 'Torgersen' }] },
    ], { maxTries: 10 })).toThrow('the region looks empty');
    expect(() => sampleMarginals(m, 5, rng, [{ type: 'gt', feature: 'wings', threshold: 1 }])).toThrow('feature "wings", which the data lacks');
    expect(() => sampleMarginals(m, 5, rng, [{ type: 'gt', feature: 'island', threshold: 1 }])).toThrow('column "island": condition');
  });
});
