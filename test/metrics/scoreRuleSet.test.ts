import { describe, expect, it } from 'vitest';
import { fidelitySummary, renderScore, ruleCoverage, scoreRuleSet } from '../../src/index.js';
import { irisList, irisTree, ruleSetOf } from '../rules/fixtures.js';

const rows = [
  [5.1, 3.5, 1.4, 0.2], // rule 0 (setosa); pw <= 1.75
  [6.3, 3.3, 6.0, 2.5], // rule 1 (virginica)
  [5.9, 3.0, 5.1, 1.8], // rule 1
  [5.9, 3.0, 4.2, 1.5], // default (versicolor)
  [4.9, 3.0, 1.4, 1.9], // rule 0, and pw > 1.75 but pl <= 4.85 so not rule 1
];
const model = Float64Array.from([0, 2, 1, 1, 0]);
const truth = Float64Array.from([0, 2, 2, 1, NaN]);

describe('ruleCoverage', () => {
  it('completeness and overlap by hand', () => {
    // unordered rules pw > 1.75 (rows 1, 2, 4) and pl <= 2.45 (rows 0, 4):
    // covered rows 0, 1, 2, 4 -> 4/5; both rules on row 4 -> 1/5
    const rs = ruleSetOf({
      kind: 'set',
      resolution: 'confidence',
      rules: [
        { conditions: [{ type: 'gt', feature: 'petal_width', threshold: 1.75 }], output: { class: 'virginica' } },
        { conditions: [{ type: 'le', feature: 'petal_length', threshold: 2.45 }], output: { class: 'setosa' } },
      ],
      default: null,
    });
    expect(ruleCoverage(rs, rows)).toEqual({ completeness: 0.8, overlap: 0.2, covered: 4, overlapping: 1, rows: 5 });
    expect(ruleCoverage(irisTree, rows)).toEqual({ completeness: 1, overlap: 0, covered: 5, overlapping: 0, rows: 5 });
  });
});

describe('scoreRuleSet', () => {
  const score = scoreRuleSet(irisList, rows, model, truth, { bootstrap: 200, seed: 1 });

  it('fidelity, truth side by side, coverage and complexity', () => {
    // surrogate: [0, 2, 2, 1, 0]; model [0, 2, 1, 1, 0] -> 4/5 agree
    expect(score.fidelity.task === 'classification' && score.fidelity.agreement).toBe(0.8);
    // truth known on rows 0-3: model [0,2,1,1] vs [0,2,2,1] -> 3/4; surrogate [0,2,2,1] -> 4/4
    expect(score.truth?.rows).toBe(4);
    expect(score.truth?.model).toEqual({ task: 'classification', accuracy: 0.75, macroF1: expect.closeTo((1 + 2 / 3 + 2 / 3) / 3, 12) });
    expect(score.truth?.surrogate).toEqual({ task: 'classification', accuracy: 1, macroF1: 1 });
    // list rules cover rows 0, 1, 2, 4 (row 3 only by the default): 4/5; no row satisfies both rules
    expect(score.coverage.completeness).toBe(0.8);
    expect(score.coverage.overlap).toBe(0);
    expect(score.complexity).toEqual({ rules: 2, conditions: 3, meanConditions: 1.5, maxConditions: 2, features: 2 });
  });

  it('without labels there is no truth section', () => {
    expect(scoreRuleSet(irisList, rows, model, undefined, { bootstrap: 0 }).truth).toBeNull();
  });

  it('fidelitySummary is what a rule set file stores, and validates', () => {
    const s = fidelitySummary(score, 'test rows');
    expect(s).toEqual({ data: 'test rows', rows: 5, metric: 'agreement', value: 0.8, ci95: score.fidelity.ci95, completeness: 0.8 });
  });

  it('renderScore prints every figure', () => {
    const text = renderScore(score);
    expect(text).toContain('Fidelity (agreement with the model): 0.800 (95% CI');
    expect(text).toContain('Rows with no surrogate prediction: 0');
    expect(text).toContain('Against true labels (4 rows):  model accuracy 0.750');
    expect(text).toContain('surrogate accuracy 1.000, macro-F1 1.000');
    expect(text).toContain('Completeness: 0.800   Overlap: 0.000');
    expect(text).toContain('Rules: 2   Conditions: 3 (mean 1.50, max 2 per rule)   Features used: 2');
    expect(text).toMatch(/Confusion \(rows: model, columns: surrogate\):\n\s+setosa\s+versicolor\s+virginica\s+none\n\s+setosa\s+2\s+0\s+0\s+0\n\s+versicolor\s+0\s+1\s+1\s+0/);
  });

  it('regression: R² and MAE', () => {
    const rs = ruleSetOf(
      { kind: 'list', rules: [{ conditions: [{ type: 'le', feature: 'petal_length', threshold: 2.45 }], output: { value: 1 } }], default: { value: 3 } },
      { features: irisList.schema.features, target: { name: 'y', kind: 'regression' } },
    );
    // surrogate [1, 3, 3, 3, 1]; model [1, 3, 3, 2, 1]: mean 2, SS_tot 1+1+1+0+1 = 4, SS_res 1 -> R² 0.75; MAE 0.2
    const s = scoreRuleSet(rs, rows, Float64Array.from([1, 3, 3, 2, 1]), undefined, { bootstrap: 0 });
    expect(s.fidelity.task === 'regression' && [s.fidelity.r2, s.fidelity.mae]).toEqual([0.75, 0.2]);
    expect(fidelitySummary(s, 'x').metric).toBe('r2');
    expect(renderScore(s)).toContain('Fidelity R² (against the model\'s outputs): 0.750');
  });
});
