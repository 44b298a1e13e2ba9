import { describe, expect, it } from 'vitest';
import { predictLabels, simplifyRuleSet } from '../../../src/index.js';
import { penguinSchema, ruleSetOf } from '../../rules/fixtures.js';

// island, bill_length, flipper; model labels Adelie 0, Chinstrap 1, Gentoo 2
const rows = [
  ['Biscoe', 40, 180],
  ['Dream', 45, 190],
  ['Biscoe', 50, 215],
  ['Torgersen', 38, 185],
  ['Dream', 49, 195],
  ['Biscoe', 47, 220],
];
const model = new Float64Array([0, 1, 2, 0, 1, 2]);

describe('simplifyRuleSet', () => {
  it('merges tests on one feature into an interval, drops redundant conditions and rules', () => {
    const rs = ruleSetOf(
      {
        kind: 'list',
        rules: [
          {
            conditions: [
              { type: 'gt', feature: 'flipper', threshold: 200 },
              { type: 'le', feature: 'flipper', threshold: 230 },
              { type: 'gt', feature: 'flipper', threshold: 205 },
              { type: 'eq', feature: 'island', value: 'Biscoe' },
            ],
            output: { class: 'Gentoo' },
          },
          // never fires on the sample
          { conditions: [{ type: 'gt', feature: 'flipper', threshold: 300 }], output: { class: 'Chinstrap' } },
          { conditions: [{ type: 'in', feature: 'island', values: ['Dream'] }, { type: 'gt', feature: 'bill_length', threshold: 44 }], output: { class: 'Chinstrap' } },
        ],
        default: { class: 'Adelie' },
      },
      penguinSchema,
    );
    const { ruleSet, before, after } = simplifyRuleSet(rs, rows, model);
    expect(before).toEqual({ rules: 3, conditions: 7, fidelity: 1 });
    // rule 0: flipper conditions merge to 205 < flipper <= 230, then all but one test go
    // (flipper > 205 alone... is also dropped as long as predictions stay); rule 1 never fires
    expect(after.rules).toBe(2);
    expect(after.fidelity).toBe(1);
    expect(after.conditions).toBeLessThanOrEqual(2);
    expect(Array.from(predictLabels(ruleSet, rows))).toEqual([0, 1, 2, 0, 1, 2]);
    expect(ruleSet.simplification).toEqual({ before, after });
    expect(ruleSet.surrogate.kind === 'list' && ruleSet.surrogate.rules[0].stats).toEqual({ support: 2, precision: 1, coverage: 2 / 6 });
  });

  it('interval merge is exact: a rule whose tests cannot all hold disappears', () => {
    const rs = ruleSetOf(
      {
        kind: 'list',
        rules: [
          { conditions: [{ type: 'gt', feature: 'flipper', threshold: 200 }, { type: 'le', feature: 'flipper', threshold: 190 }, { type: 'eq', feature: 'island', value: 'Dream' }], output: { class: 'Gentoo' } },
        ],
        default: { class: 'Adelie' },
      },
      penguinSchema,
    );
    const { after } = simplifyRuleSet(rs, [], new Float64Array(0));
    expect(after).toEqual({ rules: 0, conditions: 0, fidelity: null });
  });

  it('merges adjacent rules with the same class into one interval or set test', () => {
    const rs = ruleSetOf(
      {
        kind: 'list',
        rules: [
          { conditions: [{ type: 'eq', feature: 'island', value: 'Biscoe' }, { type: 'interval', feature: 'flipper', low: 200, high: 218 }], output: { class: 'Gentoo' } },
          { conditions: [{ type: 'eq', feature: 'island', value: 'Biscoe' }, { type: 'interval', feature: 'flipper', low: 218, high: 240 }], output: { class: 'Gentoo' } },
          { conditions: [{ type: 'eq', feature: 'island', value: 'Dream' }], output: { class: 'Chinstrap' } },
        ],
        default: { class: 'Adelie' },
      },
      penguinSchema,
    );
    const { ruleSet } = simplifyRuleSet(rs, rows, model);
    const s = ruleSet.surrogate;
    if (s.kind !== 'list') throw new Error('list expected');
    expect(s.rules.length).toBe(2);
    expect(Array.from(predictLabels(ruleSet, rows))).toEqual([0, 1, 2, 0, 1, 2]);
  });

  it('a tolerance trades fidelity for brevity, never more than the tolerance', () => {
    const rs = ruleSetOf(
      {
        kind: 'list',
        rules: [
          { conditions: [{ type: 'gt', feature: 'flipper', threshold: 200 }], output: { class: 'Gentoo' } },
          { conditions: [{ type: 'eq', feature: 'island', value: 'Dream' }], output: { class: 'Chinstrap' } },
        ],
        default: { class: 'Adelie' },
      },
      penguinSchema,
    );
    // Dropping the Chinstrap rule loses 2 of 6 rows (fidelity 4/6): allowed at 0.4, not at 0.3.
    expect(simplifyRuleSet(rs, rows, model, { tolerance: 0.3 }).after.rules).toBe(2);
    const loose = simplifyRuleSet(rs, rows, model, { tolerance: 0.4 }).after;
    expect(loose.fidelity).toBeGreaterThanOrEqual(1 - 0.4);
    expect(loose.rules + loose.conditions).toBeLessThan(4);
  });
});
