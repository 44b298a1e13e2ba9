import { describe, expect, it } from 'vitest';
import { refineThresholds } from '../../../src/global/decompositional/index.js';
import type { Feature } from '../../../src/data/types.js';
import type { DecisionListT } from '../../../src/rules/schema.js';

const features: Feature[] = [
  { name: 'a', type: 'numeric' },
  { name: 'b', type: 'numeric' },
];
// labels: 1 iff a > 0.3 or b > 0.7, over a grid
const sample = Array.from({ length: 400 }, (_, i) => [(i % 20) / 20, Math.floor(i / 20) / 20]);
const labels = sample.map(([a, b]) => (a > 0.3 || b > 0.7 ? '1' : '0'));

describe('refineThresholds', () => {
  it('moves thresholds, inside M-of-N tests too, to where the labels change', () => {
    const list: DecisionListT = {
      kind: 'list',
      rules: [
        {
          conditions: [{ type: 'mofn', m: 1, conditions: [{ type: 'gt', feature: 'a', threshold: 0.33 }, { type: 'gt', feature: 'b', threshold: 0.68 }] }],
          output: { class: '1' },
        },
      ],
      default: { class: '0' },
    };
    const { list: out, agreement } = refineThresholds(list, sample, labels, features);
    expect(agreement).toBe(1);
    const m = out.rules[0].conditions[0] as Extract<DecisionListT['rules'][0]['conditions'][0], { type: 'mofn' }>;
    const [ta, tb] = m.conditions.map((c) => (c as { threshold: number }).threshold);
    expect(ta).toBeGreaterThanOrEqual(0.3);
    expect(ta).toBeLessThan(0.35);
    expect(tb).toBeGreaterThanOrEqual(0.7);
    expect(tb).toBeLessThan(0.75);
    // the input is left alone
    expect((list.rules[0].conditions[0] as { conditions: { threshold: number }[] }).conditions[0].threshold).toBe(0.33);
  });

  it('keeps a threshold where nothing is gained', () => {
    const list: DecisionListT = { kind: 'list', rules: [{ conditions: [{ type: 'le', feature: 'a', threshold: 0.3 }], output: { class: '0' } }], default: { class: '1' } };
    const { list: out } = refineThresholds(list, sample, sample.map(([a]) => (a > 0.3 ? '1' : '0')), features);
    expect((out.rules[0].conditions[0] as { threshold: number }).threshold).toBe(0.3);
  });
});
