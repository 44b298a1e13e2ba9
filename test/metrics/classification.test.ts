import { describe, expect, it } from 'vitest';
import { accuracyScore, macroF1Score, meanAbsoluteError, r2Score } from '../../src/index.js';

const f64 = (...x: number[]) => Float64Array.from(x);

describe('accuracy and macro-F1', () => {
  it('accuracy: missing prediction is wrong, unknown truth is skipped', () => {
    // rows with known truth: 0, 1, 2, 4 (row 3 unknown); correct: 0 and 1 -> 2/4
    expect(accuracyScore(f64(0, 1, NaN, 1, 2), f64(0, 1, 1, NaN, 0))).toBe(0.5);
  });

  it('macro-F1 by hand', () => {
    // truth [0,0,1,1], pred [0,1,1,1]
    // class 0: TP 1, FP 0, FN 1 -> 2/3; class 1: TP 2, FP 1, FN 0 -> 4/5; mean = 11/15
    expect(macroF1Score(f64(0, 1, 1, 1), f64(0, 0, 1, 1))).toBeCloseTo(11 / 15, 12);
    // truth [0,1,2], pred [0,NaN,0]: class 0 TP1 FP1 FN0 -> 2/3; class 1 TP0 FN1 -> 0; class 2 FN1 -> 0; mean 2/9
    expect(macroF1Score(f64(0, NaN, 0), f64(0, 1, 2))).toBeCloseTo(2 / 9, 12);
    // a class only predicted counts too: truth [0,0], pred [0,1]: class 0 TP1 FN1 -> 2/3, class 1 FP1 -> 0 -> 1/3
    expect(macroF1Score(f64(0, 1), f64(0, 0))).toBeCloseTo(1 / 3, 12);
  });

  it('perfect predictions score 1', () => {
    expect(accuracyScore(f64(2, 1, 0), f64(2, 1, 0))).toBe(1);
    expect(macroF1Score(f64(2, 1, 0), f64(2, 1, 0))).toBe(1);
  });
});

describe('R² and MAE', () => {
  it('by hand', () => {
    // ref [1,2,3] mean 2: SS_tot 2; pred [1,2,4]: SS_res 1 -> 0.5; MAE 1/3
    expect(r2Score(f64(1, 2, 4), f64(1, 2, 3))).toBe(0.5);
    expect(meanAbsoluteError(f64(1, 2, 4), f64(1, 2, 3))).toBe(1 / 3);
    // constant reference: 1 when matched, else 0
    expect(r2Score(f64(5, 5), f64(5, 5))).toBe(1);
    expect(r2Score(f64(5, 6), f64(5, 5))).toBe(0);
  });
});
