/**
 * A hand-made report input (iris-like), so the renderer is tested without a trained model.
 * `hostile` puts HTML into every data-derived name to test escaping.
 */
import type { ReportInput } from '../../src/report/types.js';
import type { RuleSet } from '../../src/rules/schema.js';
import { treeDiagram } from '../../src/report/treeDiagram.js';

export const XSS = '<script>alert(1)</script>';

export function sampleReportInput(opts: { hostile?: boolean } = {}): ReportInput {
  const col = opts.hostile ? XSS : 'petal_width';
  const cls = opts.hostile ? ['set<b>osa</b>', 'versicolor', 'virginica'] : ['setosa', 'versicolor', 'virginica'];
  const features = [
    { name: 'sepal_length', type: 'numeric' as const },
    { name: 'sepal_width', type: 'numeric' as const },
    { name: 'petal_length', type: 'numeric' as const },
    { name: col, type: 'numeric' as const },
  ];
  const base = {
    format: 'surrogate-distill/rules' as const,
    version: 1 as const,
    task: 'classification' as const,
    schema: { features, target: { name: 'species', kind: 'class' as const, classes: cls } },
  };
  const prov = (method: string) => ({
    tool: 'surrogate-distill@0.1.0',
    method,
    options: { maxDepth: 3 },
    seed: 42,
    samples: 1000,
    data: 'builtin:iris',
    model: { type: 'tfjs-layers', source: 'model/model.json', hash: 'sha256:abc' },
    createdAt: '2026-01-01T00:00:00.000Z',
  });
  const tree: RuleSet = {
    ...base,
    surrogate: {
      kind: 'tree',
      root: {
        type: 'split',
        condition: { type: 'le', feature: col, threshold: 0.8 },
        yes: { type: 'leaf', output: { class: cls[0] }, stats: { support: 330, precision: 1, coverage: 0.33 } },
        no: {
          type: 'split',
          condition: { type: 'le', feature: col, threshold: 1.75 },
          yes: { type: 'leaf', output: { class: cls[1] }, stats: { support: 350, precision: 0.94, coverage: 0.35 } },
          no: { type: 'leaf', output: { class: cls[2] }, stats: { support: 320, precision: 0.98, coverage: 0.32 } },
        },
      },
    },
    provenance: prov('cart'),
    fidelity: { data: 'held-out 20% of builtin:iris', rows: 30, metric: 'agreement', value: 0.9667, ci95: [0.9, 1], completeness: 1 },
  };
  const list: RuleSet = {
    ...base,
    surrogate: {
      kind: 'list',
      rules: [
        { conditions: [{ type: 'le', feature: col, threshold: 0.8 }], output: { class: cls[0] }, stats: { support: 330, precision: 1, coverage: 0.33 } },
        {
          conditions: [{ type: 'mofn', m: 2, conditions: [{ type: 'gt', feature: 'petal_length', threshold: 4.9 }, { type: 'gt', feature: col, threshold: 1.6 }, { type: 'gt', feature: 'sepal_length', threshold: 6.5 }] }],
          output: { class: cls[2] },
          stats: { support: 310, precision: 0.97, coverage: 0.31 },
        },
      ],
      default: { class: cls[1] },
    },
    provenance: prov('trepan'),
    fidelity: null,
  };
  const anchor: RuleSet = {
    ...base,
    surrogate: {
      kind: 'list',
      rules: [{ conditions: [{ type: 'gt', feature: col, threshold: 1.75 }], output: { class: cls[2] }, stats: { support: 500, precision: 0.985, coverage: 0.31 } }],
      default: null,
    },
    provenance: prov('anchors'),
    fidelity: null,
  };
  const fmtC = (c: { type: string; feature?: string; threshold?: number }) => `${c.feature} ${c.type === 'le' ? '<=' : '>'} ${c.threshold}`;
  return {
    tool: 'surrogate-distill@0.1.0',
    createdAt: '2026-01-01T00:00:00.000Z',
    seed: 42,
    model: {
      identity: { type: 'tfjs-layers', source: 'model/model.json', hash: 'sha256:0123456789abcdef' },
      backend: 'wasm',
      task: 'classification',
      classes: cls,
      facts: { 'test accuracy': 0.9667, hidden: '16, 8' },
    },
    data: {
      source: 'builtin:iris',
      rows: 150,
      features: [
        { name: 'sepal_length', type: 'numeric', min: 4.3, max: 7.9, mean: 5.8433, missing: 0 },
        { name: 'sepal_width', type: 'numeric', min: 2, max: 4.4, mean: 3.0573, missing: 0 },
        { name: 'petal_length', type: 'numeric', min: 1, max: 6.9, mean: 3.758, missing: 0 },
        { name: col, type: 'numeric', min: 0.1, max: 2.5, mean: 1.1993, missing: 0 },
        { name: 'colour', type: 'categorical', categories: opts.hostile ? ['<i>red</i>', 'blue'] : ['red', 'blue'], missing: 2 },
      ],
      target: { name: 'species', kind: 'class', counts: Object.fromEntries(cls.map((c) => [c, 50])) },
    },
    ruleSets: [
      {
        name: 'cart',
        ruleSet: tree,
        score: {
          data: 'held-out 20% of builtin:iris',
          rows: 30,
          fidelity: { metric: 'agreement', value: 0.9667, ci95: [0.9, 1] },
          completeness: 1,
          accuracy: 0.9333,
          macroF1: 0.9658,
          complexity: { rules: 3, conditions: 5, meanConditions: 1.67, maxConditions: 2, features: 1 },
        },
        text: `IF ${col} <= 0.8 THEN ${cls[0]}\nELSE ...`,
        diagram: treeDiagram(tree.surrogate as Extract<RuleSet['surrogate'], { kind: 'tree' }>, fmtC as never),
      },
      {
        name: 'trepan',
        ruleSet: list,
        score: {
          data: 'held-out 20% of builtin:iris',
          rows: 30,
          fidelity: { metric: 'agreement', value: 0.9, ci95: [0.8, 1] },
          completeness: 0.7,
          accuracy: 0.9,
          macroF1: 0.89,
          complexity: { rules: 2, conditions: 4 },
        },
        text: `1. IF ${col} <= 0.8 THEN ${cls[0]}\n2. IF 2 of {...} THEN ${cls[2]}\nELSE ${cls[1]}`,
      },
    ],
    explanations: [
      {
        row: 120,
        method: 'lime',
        class: cls[2],
        prediction: 0.97,
        base: 0.21,
        attributions: [],
        surrogate: { intercept: 0.21, localPrediction: 0.95, r2: 0.81, fidelity: { samples: 500, r2: 0.7, agreement: 0.96 } },
        conditions: [
          { condition: `${col} > 1.8`, weight: 0.52 },
          { condition: 'petal_length > 5.1', weight: 0.31 },
          { condition: 'sepal_width <= 2.8', weight: -0.08 },
          { condition: 'sepal_length > 6.4', weight: 0.04 },
        ],
        faithfulness: { sensitivityN: [{ n: 1, correlation: 0.91 }, { n: 2, correlation: 0.88 }], deletion: { auc: 0.31, randomAuc: 0.62 } },
      },
      {
        row: 120,
        method: 'anchors',
        class: cls[2],
        prediction: 0.97,
        base: null,
        attributions: [],
        rule: { ruleSet: anchor, conditions: [`${col} > 1.75`], confident: true },
        faithfulness: { sensitivityN: [], deletion: null, precision: { value: 0.98, ci95: [0.93, 1], samples: 120 }, coverage: 0.3 },
      },
    ],
    importance: [
      {
        method: 'shap',
        rows: 12,
        explains: "each row's explained class",
        features: [
          { feature: col, meanAbs: 0.27, ci95: [0.22, 0.31] },
          { feature: 'petal_length', meanAbs: 0.21, ci95: [0.17, 0.25] },
          { feature: 'colour', meanAbs: 0.06, ci95: [0.03, 0.09] },
          { feature: 'sepal_length', meanAbs: 0.04, ci95: [0.02, 0.05] },
          { feature: 'sepal_width', meanAbs: 0.01, ci95: null },
        ],
        points: Array.from({ length: 12 }, (_, r) => [
          { feature: col, row: r, attribution: 0.3 * Math.sin(r + 1), value: 0.1 + 0.2 * r },
          { feature: 'petal_length', row: r, attribution: 0.2 * Math.cos(r), value: 1 + 0.5 * r },
          { feature: 'colour', row: r, attribution: r % 3 === 0 ? 0.06 : -0.05, value: r % 2 ? 'red' : null },
          { feature: 'sepal_length', row: r, attribution: 0.04 * ((r % 5) - 2), value: 4.5 + 0.3 * r },
          { feature: 'sepal_width', row: r, attribution: 0.01, value: 3 },
        ]).flat(),
      },
    ],
    stability: [{ method: 'lime', measure: 'mean Jaccard of top-4 features over 5 seeds', value: 0.92, detail: opts.hostile ? XSS : '' }],
    rows: {
      120: [
        { feature: 'sepal_length', value: 6.9 },
        { feature: 'sepal_width', value: 3.2 },
        { feature: 'petal_length', value: 5.7 },
        { feature: col, value: 2.3 },
        { feature: 'colour', value: opts.hostile ? XSS : null },
      ],
    },
  };
}
