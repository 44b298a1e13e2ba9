import { describe, expect, it } from 'vitest';
import { computeDataStats, computeRuleStats, countRules, exportRuleSet, importRuleSet, ruleSetFeatures, snapIntegerThresholds, treeToRuleList, type RuleSet } from '../../src/index.js';
import { irisList, irisTree, ruleSetOf } from './fixtures.js';

// Five rows (sepal_length, sepal_width, petal_length, petal_width) and model labels.
const rows = [
  [5.1, 3.5, 1.4, 0.2], // pl <= 2.45                         -> rule 0 (setosa)
  [6.3, 3.3, 6.0, 2.5], // pw > 1.75, pl > 4.85               -> rule 1 (virginica)
  [5.9, 3.0, 5.1, 1.8], // pw > 1.75, pl > 4.85               -> rule 1
  [5.9, 3.0, 4.2, 1.5], // nothing                            -> default (versicolor)
  [4.9, 3.0, 1.4, 1.9], // pl <= 2.45 and pw > 1.75 but pl < 4.85: rule 0
];
const model = new Float64Array([0, 2, 1, 1, 0]);

describe('computeRuleStats', () => {
  it('decision list: rows where each rule fires', () => {
    const s = computeRuleStats(irisList, rows, model).surrogate;
    if (s.kind !== 'list') throw new Error('list expected');
    // rule 0: rows 0 and 4, both setosa: precision 2/2, coverage 2/5
    expect(s.rules[0].stats).toEqual({ support: 2, precision: 1, coverage: 0.4 });
    expect(s.rules[0].output).toEqual({ class: 'setosa', distribution: { setosa: 1, versicolor: 0, virginica: 0 } });
    // rule 1: rows 1 and 2, labels virginica and versicolor: precision 1/2
    expect(s.rules[1].stats).toEqual({ support: 2, precision: 0.5, coverage: 0.4 });
    expect(s.rules[1].output).toEqual({ class: 'virginica', distribution: { setosa: 0, versicolor: 0.5, virginica: 0.5 } });
    // default: row 3 only
    expect(s.default).toEqual({ class: 'versicolor', distribution: { setosa: 0, versicolor: 1, virginica: 0 } });
  });

  it('unordered set: rows where the conditions hold, overlaps included', () => {
    const rs = ruleSetOf({
      kind: 'set',
      resolution: 'confidence',
      rules: [
        { conditions: [{ type: 'gt', feature: 'petal_width', threshold: 1.75 }], output: { class: 'virginica' } },
        { conditions: [{ type: 'le', feature: 'petal_length', threshold: 2.45 }], output: { class: 'setosa' } },
      ],
      default: null,
    });
    const s = computeRuleStats(rs, rows, model).surrogate;
    if (s.kind !== 'set') throw new Error('set expected');
    // pw > 1.75: rows 1, 2, 4 with labels 2, 1, 0 -> precision 1/3
    expect(s.rules[0].stats).toEqual({ support: 3, precision: 1 / 3, coverage: 0.6 });
    // pl <= 2.45: rows 0, 4 -> 2/2
    expect(s.rules[1].stats).toEqual({ support: 2, precision: 1, coverage: 0.4 });
  });

  it('tree: every node, leaves with distributions; the original is not modified', () => {
    const t = computeRuleStats(irisTree, rows, model);
    expect(irisTree.surrogate.kind === 'tree' && irisTree.surrogate.root.stats).toBe(undefined);
    const root = t.surrogate.kind === 'tree' ? t.surrogate.root : null;
    if (!root || root.type !== 'split' || root.no.type !== 'split') throw new Error('split expected');
    expect(root.stats).toEqual({ support: 5, precision: null, coverage: 1 });
    expect(root.yes.stats).toEqual({ support: 2, precision: 1, coverage: 0.4 });
    expect(root.no.stats).toEqual({ support: 3, precision: null, coverage: 0.6 });
    // no.no = pw <= 1.75 among rows 1,2,3: row 3 -> versicolor leaf, label 1
    expect(root.no.no.stats).toEqual({ support: 1, precision: 1, coverage: 0.2 });
  });

  it('regression: precision null, no distribution; an uncovered rule has support 0', () => {
    const rs = ruleSetOf(
      { kind: 'list', rules: [{ conditions: [{ type: 'gt', feature: 'petal_width', threshold: 9 }], output: { value: 1 } }], default: { value: 0 } },
      { features: irisList.schema.features, target: { name: 'y', kind: 'regression' } },
    );
    const s = computeRuleStats(rs, rows, new Float64Array(5)).surrogate;
    expect(s.kind === 'list' && s.rules[0].stats).toEqual({ support: 0, precision: null, coverage: 0 });
  });
});

describe('computeDataStats', () => {
  it('adds figures on real rows beside the sample figures, names the rows, and round-trips', () => {
    const withSample = computeRuleStats(irisList, rows, model);
    // The same rows as "real" data but other model labels: only stats.data changes.
    const shown = computeDataStats(withSample, rows.slice(0, 4), new Float64Array([0, 2, 2, 1]), 'the 4 rows of check.csv');
    const s = shown.surrogate;
    if (s.kind !== 'list') throw new Error('list expected');
    expect(s.rules[0].stats).toEqual({ support: 2, precision: 1, coverage: 0.4, data: { support: 1, precision: 1, coverage: 0.25 } });
    expect(s.rules[1].stats).toEqual({ support: 2, precision: 0.5, coverage: 0.4, data: { support: 2, precision: 1, coverage: 0.5 } });
    expect(s.rules[1].output).toEqual((withSample.surrogate as typeof s).rules[1].output); // distributions stay the sample's
    expect(shown.statsOn).toEqual({ sample: expect.any(String), data: { rows: 4, description: 'the 4 rows of check.csv' } });
    expect(importRuleSet(exportRuleSet(shown), 'x.json')).toEqual(shown);
    // Recomputing the sample figures keeps the real-row ones.
    const again = computeRuleStats(shown, rows, model).surrogate;
    expect(again.kind === 'list' && again.rules[1].stats?.data).toEqual({ support: 2, precision: 1, coverage: 0.5 });
  });

  it('trees: every node, split nodes without precision', () => {
    const t = computeDataStats(irisTree, rows, model, 'five rows').surrogate;
    if (t.kind !== 'tree' || t.root.type !== 'split') throw new Error('tree expected');
    expect(t.root.stats).toEqual({ support: 0, precision: null, coverage: 0, data: { support: 5, precision: null, coverage: 1 } });
    expect(t.root.yes.stats?.data).toEqual({ support: 2, precision: 1, coverage: 0.4 });
  });

  it('old files (no stats.data, no statsOn) stay valid', () => {
    const old = exportRuleSet(computeRuleStats(irisList, rows, model));
    expect(old).not.toContain('statsOn');
    expect(() => importRuleSet(old, 'old.json')).not.toThrow();
  });
});

describe('snapIntegerThresholds', () => {
  it('writes thresholds on integer columns as integers, deciding integer rows as before', () => {
    const s = snapIntegerThresholds(
      {
        kind: 'list',
        rules: [
          {
            conditions: [
              { type: 'le', feature: 'age', threshold: 1.86 },
              { type: 'gt', feature: 'bmi', threshold: 22.5 },
              { type: 'mofn', m: 1, conditions: [{ type: 'gt', feature: 'age', threshold: -0.5 }, { type: 'interval', feature: 'age', low: 0.5, high: 3.7 }] },
              { type: 'interval', feature: 'age', low: 1.2, high: 1.8 },
            ],
            output: { class: 'a' },
          },
        ],
        default: null,
      },
      new Set(['age']),
    );
    expect(s.kind === 'list' && s.rules[0].conditions).toEqual([
      { type: 'le', feature: 'age', threshold: 1 },
      { type: 'gt', feature: 'bmi', threshold: 22.5 },
      { type: 'mofn', m: 1, conditions: [{ type: 'gt', feature: 'age', threshold: -1 }, { type: 'interval', feature: 'age', low: 0, high: 3 }] },
      { type: 'interval', feature: 'age', low: 1.2, high: 1.8 }, // empty on integers: left as it is
    ]);
  });
});

describe('treeToRuleList', () => {
  it('one rule per leaf with the yes conditions, the all-no leaf as default', () => {
    const l = treeToRuleList(irisTree.surrogate as Extract<RuleSet['surrogate'], { kind: 'tree' }>);
    expect(l).toEqual({
      kind: 'list',
      rules: [
        { id: 'y', conditions: [{ type: 'le', feature: 'petal_length', threshold: 2.45 }], output: { class: 'setosa' } },
        {
          id: 'nyy',
          conditions: [
            { type: 'gt', feature: 'petal_width', threshold: 1.75 },
            { type: 'gt', feature: 'petal_length', threshold: 4.85 },
          ],
          output: { class: 'virginica' },
        },
        { id: 'nyn', conditions: [{ type: 'gt', feature: 'petal_width', threshold: 1.75 }], output: { class: 'versicolor' } },
      ],
      default: { class: 'versicolor' },
    });
  });
});

describe('countRules', () => {
  it('list: rules, conditions, mean, max, features', () => {
    // rules with 1 and 2 conditions: 3 conditions, mean 1.5, max 2, features petal_length and petal_width
    expect(countRules(irisList)).toEqual({ rules: 2, conditions: 3, meanConditions: 1.5, maxConditions: 2, features: 2 });
    expect(ruleSetFeatures(irisList)).toEqual(['petal_length', 'petal_width']);
  });

  it('tree: leaves are rules, conditions are path lengths (1 + 3 + 3 + 2 = 9)', () => {
    expect(countRules(irisTree)).toEqual({ rules: 4, conditions: 9, meanConditions: 2.25, maxConditions: 3, features: 2 });
  });

  it('M-of-N counts its members', () => {
    const rs = ruleSetOf({
      kind: 'list',
      rules: [
        {
          conditions: [
            { type: 'mofn', m: 2, conditions: [{ type: 'gt', feature: 'sepal_length', threshold: 1 }, { type: 'gt', feature: 'sepal_width', threshold: 1 }, { type: 'gt', feature: 'petal_width', threshold: 1 }] },
            { type: 'le', feature: 'petal_width', threshold: 2 },
          ],
          output: { class: 'setosa' },
        },
      ],
      default: null,
    });
    expect(countRules(rs)).toEqual({ rules: 1, conditions: 4, meanConditions: 4, maxConditions: 4, features: 3 });
  });
});
