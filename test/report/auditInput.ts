/**
 * A report input shaped like an audit of a wide model (WDBC-like column names): a deep CART tree,
 * a TREPAN tree of M-of-N tests with long labels, failed and left-out methods, explained rows with
 * their id and true label, a LIME fit with a low fresh-sample R², a failed anchor and a
 * counterfactual. Built by hand, so the browser test needs no model.
 */
import type { ReportInput } from '../../src/report/index.js';
import { treeDiagram } from '../../src/report/index.js';
import { renderCondition } from '../../src/rules/index.js';
import type { ConditionT, RuleSet, TreeNodeT } from '../../src/rules/schema.js';
import { sampleReportInput } from './sampleInput.js';

const COLS = ['radius_mean', 'texture_se', 'concave_points_worst', 'smoothness_worst', 'area_se', 'perimeter_worst'];
const CLASSES = ['benign', 'malignant'];

/** A full binary tree of `depth` levels over COLS, leaves alternating classes. */
function deepTree(depth: number, mofn: boolean, k = { n: 0 }): TreeNodeT {
  if (depth === 0) {
    const i = k.n++;
    return { type: 'leaf', output: { class: CLASSES[i % 2] }, stats: { support: 40 + i, precision: 0.9, coverage: 0.1 } };
  }
  const c = (j: number): ConditionT => ({ type: 'interval', feature: COLS[(depth + j) % COLS.length], low: 0.0661 + j, high: 0.1432 + j });
  const condition: ConditionT = mofn ? { type: 'mofn', m: 2, conditions: [c(0), c(1), { type: 'gt', feature: COLS[(depth + 2) % COLS.length], threshold: 1.2345 }] } : c(0);
  return { type: 'split', condition, yes: deepTree(depth - 1, mofn, k), no: deepTree(depth - 1, mofn, k) };
}

export function auditReportInput(): ReportInput {
  const base = sampleReportInput();
  const features = COLS.map((name) => ({ name, type: 'numeric' as const }));
  const ruleSet = (root: TreeNodeT, method: string): RuleSet => ({
    format: 'surrogate-distill/rules',
    version: 1,
    task: 'classification',
    schema: { features, target: { name: 'diagnosis', kind: 'class', classes: CLASSES } },
    surrogate: { kind: 'tree', root },
    provenance: { ...base.ruleSets[0].ruleSet.provenance, method },
    fidelity: null,
  });
  const score = (rules: number) => ({
    data: '143 rows of wdbc.csv held out from extraction (share 0.25, seed 42)',
    rows: 143,
    fidelity: { metric: 'agreement' as const, value: 0.937, ci95: [0.895, 0.972] as [number, number] },
    completeness: 1,
    accuracy: 0.93,
    macroF1: 0.925,
    complexity: { rules, conditions: rules * 3 },
    confusion: { classes: CLASSES, matrix: [[85, 4], [5, 49]], noPrediction: [0, 0] },
  });
  const fmt = (c: ConditionT) => renderCondition(c, { digits: 3 });
  const cart = ruleSet(deepTree(4, false), 'cart');
  const trepan = ruleSet(deepTree(3, true), 'trepan');
  const row = COLS.map((feature, j) => ({ feature, value: 0.05 + j * 3.17 }));
  return {
    ...base,
    title: 'Model audit',
    model: { ...base.model, classes: CLASSES },
    ruleSets: [
      { name: 'cart', ruleSet: cart, score: score(16), text: 'IF ...', diagram: treeDiagram(cart.surrogate as never, fmt) },
      { name: 'trepan', ruleSet: trepan, score: score(8), text: 'IF ...', diagram: treeDiagram(trepan.surrogate as never, fmt) },
    ],
    failures: [{ step: 'extract mofn', message: 'mofn needs sigmoid or tanh hidden units; hidden layer 1 uses relu: use cred or deepred' }],
    skipped: [{ step: 'explain deeplift', reason: 'deeplift needs the model weights, which this model (http) does not expose' }],
    explanations: [
      {
        row: 7,
        method: 'lime',
        class: 'malignant',
        prediction: 0.55,
        base: 0.4,
        attributions: [],
        surrogate: { intercept: 0.4, localPrediction: 0.52, r2: 0.41, fidelity: { samples: 2000, r2: 0.12, agreement: 0.71 } },
        conditions: [
          { condition: '0.0661 < concave_points_worst <= 0.1432', weight: 0.21 },
          { condition: 'texture_se > 1.2345', weight: -0.12 },
          { condition: '13.37 < radius_mean <= 15.78', weight: 0.05 },
        ],
        faithfulness: { sensitivityN: [{ n: 1, correlation: 0.4 }], deletion: null },
      },
      {
        row: 7,
        method: 'anchors',
        class: 'malignant',
        prediction: 0.55,
        base: null,
        attributions: [],
        rule: { ruleSet: base.explanations[1].rule!.ruleSet, conditions: ['0.0661 < concave_points_worst <= 0.1432', 'texture_se > 1.2345', 'smoothness_worst > 0.1'], confident: false },
        faithfulness: { sensitivityN: [], deletion: null, precision: { value: 0.81, ci95: [0.74, 0.87], samples: 150 }, coverage: 0.04 },
      },
      {
        row: 7,
        method: 'counterfactual',
        class: 'benign',
        predictedClass: 'malignant',
        prediction: 0.45,
        base: null,
        attributions: [],
        faithfulness: null,
        counterfactual: {
          wanted: 'benign',
          changes: [{ feature: 'concave_points_worst', from: 0.1123, to: 0.0871 }],
          row: row.map((r) => r.value),
          distance: 0.38,
          spreads: COLS.map((feature) => ({ feature, spread: 1 })),
          prediction: { class: 'benign', probability: 0.503, flips: true },
          source: 'rule',
          rule: 'concave_points_worst <= 0.0871 AND texture_se > 1.2345',
        },
      },
    ],
    rows: { 7: row },
    rowInfo: { 7: { id: 'row 842517 of wdbc.csv', truth: 'malignant', reason: 'least confident (0.551)' } },
  };
}
