import { describe, expect, it } from 'vitest';
import { applyRuleSet, formatNumber, renderCondition, renderDecision, renderRuleSet, type RuleSet } from '../../src/index.js';
import { irisTree, penguinSchema, ruleSetOf } from './fixtures.js';

describe('renderCondition', () => {
  it('writes each kind of test', () => {
    expect(renderCondition({ type: 'gt', feature: 'petal_width', threshold: 1.75 })).toBe('petal_width > 1.75');
    expect(renderCondition({ type: 'le', feature: 'petal_width', threshold: 1.7500001 })).toBe('petal_width <= 1.75');
    expect(renderCondition({ type: 'interval', feature: 'sepal_width', low: 2.8, high: 3 })).toBe('2.8 < sepal_width <= 3');
    expect(renderCondition({ type: 'interval', feature: 'x', low: null, high: 3 })).toBe('x <= 3');
    expect(renderCondition({ type: 'interval', feature: 'x', low: 3, high: null })).toBe('x > 3');
    expect(renderCondition({ type: 'interval', feature: 'x', low: null, high: null })).toBe('x is not missing');
    expect(renderCondition({ type: 'in', feature: 'island', values: ['Biscoe', 'Dream'] })).toBe('island IN {Biscoe, Dream}');
    expect(renderCondition({ type: 'notIn', feature: 'island', values: ['Biscoe'] })).toBe('island NOT IN {Biscoe}');
    expect(renderCondition({ type: 'eq', feature: 'a', value: '1' })).toBe('a = 1');
    expect(renderCondition({ type: 'neq', feature: 'home town', value: 'New York' })).toBe('"home town" != "New York"');
    expect(
      renderCondition({
        type: 'mofn',
        m: 2,
        conditions: [
          { type: 'eq', feature: 'a', value: '1' },
          { type: 'eq', feature: 'b', value: '1' },
          { type: 'eq', feature: 'c', value: '1' },
        ],
      }),
    ).toBe('AT LEAST 2 OF (a = 1, b = 1, c = 1)');
  });

  it('rounds numbers for reading, keeping an interval\'s bounds apart', () => {
    expect(formatNumber(12345.678)).toBe('12346');
    expect(formatNumber(0.000123456)).toBe('0.000123');
    expect(formatNumber(-2.0004)).toBe('-2');
    expect(formatNumber(7)).toBe('7');
    expect(renderCondition({ type: 'interval', feature: 'x', low: 1.2341, high: 1.2349 })).toBe('1.234 < x <= 1.235');
    expect(renderCondition({ type: 'gt', feature: 'x', threshold: 3.14159 }, { digits: 5 })).toBe('x > 3.1416');
  });
});

describe('renderRuleSet', () => {
  it('a decision list with its sample figures labelled, default as ELSE', () => {
    const rs = ruleSetOf({
      kind: 'list',
      rules: [
        {
          conditions: [
            { type: 'gt', feature: 'petal_width', threshold: 1.75 },
            { type: 'gt', feature: 'petal_length', threshold: 4.85 },
          ],
          output: { class: 'virginica' },
          stats: { support: 46, precision: 0.978, coverage: 0.31 },
        },
        { conditions: [], output: { class: 'versicolor' } },
      ],
      default: { class: 'setosa' },
    });
    expect(renderRuleSet(rs)).toBe(
      [
        'Decision list (the first rule that holds decides):',
        "Figures: sample = the model-labelled sample the rules were fitted to; precision = share of those rows the model puts in the rule's class (no figures on real rows in this file: --data D --model M counts them)",
        'IF petal_width > 1.75 AND petal_length > 4.85 THEN virginica  [sample: 46 rows, precision 0.98]',
        'IF TRUE THEN versicolor',
        'ELSE setosa',
        '',
      ].join('\n'),
    );
  });

  it('distinct thresholds on one feature stay distinct', () => {
    const rs = ruleSetOf({
      kind: 'set',
      resolution: 'confidence',
      rules: [
        { conditions: [{ type: 'le', feature: 'petal_width', threshold: 1.7512 }], output: { class: 'setosa' } },
        { conditions: [{ type: 'gt', feature: 'petal_width', threshold: 1.7534 }], output: { class: 'virginica' } },
        { conditions: [{ type: 'gt', feature: 'petal_length', threshold: 1.7534 }], output: { class: 'virginica' } },
      ],
      default: null,
    });
    expect(renderRuleSet(rs).split('\n')).toEqual([
      'Unordered rules (of the rules that hold, the highest sample precision wins, ties by sample support):',
      'IF petal_width <= 1.751 THEN setosa',
      'IF petal_width > 1.753 THEN virginica',
      'IF petal_length > 1.75 THEN virginica',
      'ELSE no prediction',
      '',
    ]);
  });

  it('a tree as an indented yes/no tree, with fidelity', () => {
    const rs: RuleSet = { ...irisTree, fidelity: { data: 'held-out 20% of builtin:iris', rows: 30, metric: 'agreement', value: 0.9666, ci95: [0.9, 1], completeness: 1 } };
    expect(renderRuleSet(rs)).toBe(
      [
        'Decision tree (a row goes "yes" where the test holds, otherwise "no", missing values included):',
        'petal_length <= 2.45?',
        '  yes: setosa',
        '  no: petal_width > 1.75?',
        '    yes: petal_length > 4.85?',
        '      yes: virginica',
        '      no: versicolor',
        '    no: versicolor',
        'Fidelity: agreement 0.967 (95% CI 0.900-1.000) on 30 rows of held-out 20% of builtin:iris, completeness 1.000',
        '',
      ].join('\n'),
    );
  });

  it('regression outputs and categorical sets', () => {
    const rs = ruleSetOf(
      { kind: 'list', rules: [{ conditions: [{ type: 'in', feature: 'island', values: ['Biscoe', 'Dream'] }], output: { value: 4321.5678 }, stats: { support: 3, precision: null, coverage: 0.5 } }], default: { value: 3 } },
      { ...penguinSchema, target: { name: 'mass', kind: 'regression' } },
    );
    expect(renderRuleSet(rs)).toContain('IF island IN {Biscoe, Dream} THEN 4322  [sample: 3 rows]\nELSE 3\n');
  });

  it('real-row figures beside the sample ones, each labelled; --stats picks which, and the legend says so', () => {
    const rs: RuleSet = {
      ...irisTree,
      // A copy: the figures set below must not reach the shared fixture.
      surrogate: structuredClone(irisTree.surrogate),
      statsOn: { sample: 'the 1000 model-labelled rows the tree was fitted to', data: { rows: 5, description: 'the 5 rows of test.csv' } },
    };
    const s = rs.surrogate;
    if (s.kind !== 'tree' || s.root.type !== 'split') throw new Error('tree expected');
    s.root.stats = { support: 1000, precision: null, coverage: 1, data: { support: 5, precision: null, coverage: 1 } };
    s.root.yes.stats = { support: 400, precision: 0.52, coverage: 0.4, data: { support: 2, precision: 1, coverage: 0.4 } };
    const both = renderRuleSet(rs).split('\n');
    expect(both[1]).toBe("Figures: data = the 5 rows of test.csv; sample = the 1000 model-labelled rows the tree was fitted to; precision = share of those rows the model puts in the rule's class");
    expect(both[2]).toBe('petal_length <= 2.45?  [data: 5 rows; sample: 1000 rows]');
    expect(both[3]).toBe('  yes: setosa  [data: 2 rows, precision 1.00; sample: 400 rows, precision 0.52]');
    const data = renderRuleSet(rs, { stats: 'data' }).split('\n');
    expect(data[1]).toBe("Figures: data = the 5 rows of test.csv; precision = share of those rows the model puts in the rule's class");
    expect(data[3]).toBe('  yes: setosa  [data: 2 rows, precision 1.00]');
    expect(renderRuleSet(rs, { stats: 'sample' }).split('\n')[3]).toBe('  yes: setosa  [sample: 400 rows, precision 0.52]');
    const none = renderRuleSet(rs, { stats: 'none' }).split('\n');
    expect(none.slice(1, 3)).toEqual(['petal_length <= 2.45?', '  yes: setosa']);
  });
});

describe('renderDecision', () => {
  it('names the tree path with NOT for no steps', () => {
    const rows = [[5.9, 3.0, 4.2, 1.5]];
    const [d] = applyRuleSet(irisTree, rows);
    expect(d.rule).toBe('nn');
    expect(renderDecision(irisTree, d)).toBe('IF NOT (petal_length <= 2.45) AND NOT (petal_width > 1.75) THEN versicolor');
  });
});
