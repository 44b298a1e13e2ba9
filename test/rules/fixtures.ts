/** Small hand-written rule sets shared by the rules and metrics tests. */
import type { RuleSet, SurrogateT } from '../../src/index.js';

export const irisFeatures = [
  { name: 'sepal_length', type: 'numeric' as const },
  { name: 'sepal_width', type: 'numeric' as const },
  { name: 'petal_length', type: 'numeric' as const },
  { name: 'petal_width', type: 'numeric' as const },
];
export const irisClasses = ['setosa', 'versicolor', 'virginica'];

/** A rule set around `surrogate` on the iris schema (or another schema). */
export function ruleSetOf(surrogate: SurrogateT, schema: RuleSet['schema'] = { features: irisFeatures, target: { name: 'species', kind: 'class', classes: irisClasses } }): RuleSet {
  return {
    format: 'surrogate-distill/rules',
    version: 1,
    task: schema.target.kind === 'class' ? 'classification' : 'regression',
    schema,
    surrogate,
    provenance: {
      tool: 'surrogate-distill@0.1.0',
      method: 'hand',
      options: {},
      seed: 42,
      samples: null,
      data: 'builtin:iris',
      model: null,
      createdAt: '2026-01-01T00:00:00.000Z',
    },
    fidelity: null,
  };
}

/** The classic iris decision list. */
export const irisList: RuleSet = ruleSetOf({
  kind: 'list',
  rules: [
    { conditions: [{ type: 'le', feature: 'petal_length', threshold: 2.45 }], output: { class: 'setosa' } },
    {
      conditions: [
        { type: 'gt', feature: 'petal_width', threshold: 1.75 },
        { type: 'gt', feature: 'petal_length', threshold: 4.85 },
      ],
      output: { class: 'virginica' },
    },
  ],
  default: { class: 'versicolor' },
});

/** The same decisions as a tree. */
export const irisTree: RuleSet = ruleSetOf({
  kind: 'tree',
  root: {
    type: 'split',
    condition: { type: 'le', feature: 'petal_length', threshold: 2.45 },
    yes: { type: 'leaf', output: { class: 'setosa' } },
    no: {
      type: 'split',
      condition: { type: 'gt', feature: 'petal_width', threshold: 1.75 },
      yes: {
        type: 'split',
        condition: { type: 'gt', feature: 'petal_length', threshold: 4.85 },
        yes: { type: 'leaf', output: { class: 'virginica' } },
        no: { type: 'leaf', output: { class: 'versicolor' } },
      },
      no: { type: 'leaf', output: { class: 'versicolor' } },
    },
  },
});

/** Penguins-like mixed schema: one categorical, two numeric features. */
export const penguinSchema: RuleSet['schema'] = {
  features: [
    { name: 'island', type: 'categorical', categories: ['Biscoe', 'Dream', 'Torgersen'] },
    { name: 'bill_length', type: 'numeric' },
    { name: 'flipper', type: 'numeric' },
  ],
  target: { name: 'species', kind: 'class', classes: ['Adelie', 'Chinstrap', 'Gentoo'] },
};
