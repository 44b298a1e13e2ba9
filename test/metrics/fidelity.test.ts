import { describe, expect, it } from 'vitest';
import { bootstrapCi95, fidelity, quantileSorted } from '../../src/index.js';

const f64 = (...x: number[]) => Float64Array.from(x);

describe('fidelity (classification)', () => {
  // model    [0, 0, 1, 1, 2, 2]
  // surrogate[0, 1, 1, 1, NaN, 2]: agree on rows 0, 2, 3, 5 -> 4/6; row 4 has no prediction
  const model = f64(0, 0, 1, 1, 2, 2);
  const sur = f64(0, 1, 1, 1, NaN, 2);
  const r = fidelity(sur, model, { task: 'classification', classes: ['a', 'b', 'c'], bootstrap: 0 });

  it('agreement counts a missing prediction as disagreement', () => {
    if (r.task !== 'classification') throw new Error();
    expect(r.agreement).toBe(4 / 6);
    expect(r.noPrediction).toBe(1);
    expect(r.ci95).toBeNull();
  });

  it('per class and confusion matrix (rows: model, columns: surrogate)', () => {
    if (r.task !== 'classification') throw new Error();
    expect(r.confusion).toEqual({
      classes: ['a', 'b', 'c'],
      matrix: [
        [1, 1, 0],
        [0, 2, 0],
        [0, 0, 1],
      ],
      noPrediction: [0, 0, 1],
    });
    // class a: model 2 rows, surrogate agrees on 1 -> 0.5; surrogate says a once, right -> 1
    // class b: model 2 rows, both agree -> 1; surrogate says b 3 times, 2 right -> 2/3
    // class c: model 2 rows, 1 agrees -> 0.5; surrogate says c once -> 1
    expect(r.perClass).toEqual([
      { class: 'a', modelRows: 2, surrogateRows: 1, agreement: 0.5, precision: 1 },
      { class: 'b', modelRows: 2, surrogateRows: 3, agreement: 1, precision: 2 / 3 },
      { class: 'c', modelRows: 2, surrogateRows: 1, agreement: 0.5, precision: 1 },
    ]);
  });

  it('names classes by index without a class list', () => {
    const q = fidelity(f64(1, 0), f64(1, 1), { task: 'classification', bootstrap: 0 });
    expect(q.task === 'classification' && q.confusion.classes).toEqual(['0', '1']);
  });

  it('bootstrap interval: seeded, deterministic, brackets the estimate', () => {
    // 2000 rows: the replicates' agreement moves in steps of 1/2000, fine enough that two seeds' intervals differ
    const model = Float64Array.from({ length: 2000 }, (_, i) => i % 3);
    const sur = Float64Array.from(model, (m, i) => (i % 10 === 0 ? (m + 1) % 3 : m)); // 200 of 2000 wrong -> 0.9
    const a = fidelity(sur, model, { task: 'classification', seed: 5 });
    const b = fidelity(sur, model, { task: 'classification', seed: 5 });
    const c = fidelity(sur, model, { task: 'classification', seed: 3 });
    if (a.task !== 'classification' || !a.ci95) throw new Error();
    expect(a.agreement).toBe(0.9);
    expect(a.bootstrap).toBe(1000);
    expect(b.ci95).toEqual(a.ci95);
    expect(c.ci95).not.toEqual(a.ci95);
    // binomial SE = sqrt(0.9 * 0.1 / 2000) = 0.0067: the interval is about 0.9 ± 0.013
    expect(a.ci95[0]).toBeGreaterThan(0.88);
    expect(a.ci95[0]).toBeLessThan(0.895);
    expect(a.ci95[1]).toBeGreaterThan(0.905);
    expect(a.ci95[1]).toBeLessThan(0.92);
  });

  it('rejects mismatched or empty inputs', () => {
    expect(() => fidelity(f64(1), f64(1, 2), { task: 'classification' })).toThrow(/1 surrogate predictions but 2/);
    expect(() => fidelity(f64(), f64(), { task: 'classification' })).toThrow(/no rows/);
  });
});

describe('fidelity (regression)', () => {
  it('R² and MAE against the model outputs, over rows with a prediction', () => {
    // model [1, 2, 3, 4], surrogate [1, 2, 4, NaN]: rows 0-2; mean of model there = 2
    // SS_tot = 1 + 0 + 1 = 2, SS_res = 0 + 0 + 1 = 1 -> R² = 0.5; MAE = 1/3
    const r = fidelity(f64(1, 2, 4, NaN), f64(1, 2, 3, 4), { task: 'regression', bootstrap: 0 });
    expect(r).toEqual({ task: 'regression', rows: 4, noPrediction: 1, r2: 0.5, ci95: null, mae: 1 / 3, maeCi95: null, bootstrap: 0, seed: 42 });
  });
});

describe('bootstrap helpers', () => {
  it('quantileSorted interpolates linearly (type 7)', () => {
    // position (4 - 1) * 0.25 = 0.75 -> 1 + 0.75 * (2 - 1)
    expect(quantileSorted([1, 2, 3, 4], 0.25)).toBe(1.75);
    expect(quantileSorted([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantileSorted([5], 0.975)).toBe(5);
  });

  it('a constant statistic has a zero-width interval', () => {
    expect(bootstrapCi95(10, () => 0.7, 50, 1)).toEqual([0.7, 0.7]);
    expect(bootstrapCi95(0, () => 1, 50, 1)).toBeNull();
  });
});
