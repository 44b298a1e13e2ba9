import { describe, expect, it } from 'vitest';
import type { Dataset, Row } from '../../src/data/types.js';
import type { TabularModel } from '../../src/model/types.js';
import { buildReport, renderReport, summarizeData } from '../../src/report/index.js';
import type { RuleSet } from '../../src/rules/schema.js';
import type { ExplanationFile, ExplanationT } from '../../src/local/schema.js';
import { explainRows } from '../../src/local/run.js';

/** Six rows; the target of row 5 disagrees with the model on purpose. */
const data: Dataset = {
  source: 'toy.csv',
  schema: {
    features: [
      { name: 'x', type: 'numeric' },
      { name: 'colour', type: 'categorical', categories: ['red', 'blue'] },
    ],
    target: { name: 'y', kind: 'class', classes: ['a', 'b'] },
  },
  rows: [
    [0, 'red'],
    [1, 'blue'],
    [2, null],
    [3, 'red'],
    [4, 'blue'],
    [5, 'red'],
  ],
  target: ['a', 'a', 'a', 'b', 'b', 'a'],
  missing: 1,
};

/** The model: class b when x > 2.5 (probabilities as a JS function). */
const model: TabularModel = {
  schema: { features: data.schema.features, target: { name: 'y', kind: 'class', classes: ['a', 'b'] } },
  task: 'classification',
  classes: ['a', 'b'],
  outputSize: 2,
  identity: { type: 'function', source: 'toy', hash: 'sha256:toy' },
  backend: 'js',
  async predictRows(rows: Row[]) {
    const out = new Float32Array(rows.length * 2);
    rows.forEach((r, i) => {
      const p = (r[0] as number) > 2.5 ? 0.9 : 0.1;
      out[2 * i] = 1 - p;
      out[2 * i + 1] = p;
    });
    return out;
  },
  async predictLabels(rows: Row[]) {
    return Float64Array.from(rows, (r) => ((r[0] as number) > 2.5 ? 1 : 0));
  },
  blackBox: undefined as never,
  async dispose() {},
};

/** A tree that splits at 3.5 instead of 2.5: it disagrees with the model on x = 3 only. */
const tree: RuleSet = {
  format: 'surrogate-distill/rules',
  version: 1,
  task: 'classification',
  schema: { features: [{ name: 'x', type: 'numeric' }], target: { name: 'y', kind: 'class', classes: ['a', 'b'] } },
  surrogate: {
    kind: 'tree',
    root: { type: 'split', condition: { type: 'le', feature: 'x', threshold: 3.5 }, yes: { type: 'leaf', output: { class: 'a' } }, no: { type: 'leaf', output: { class: 'b' } } },
  },
  provenance: { tool: 't', method: 'cart', options: {}, seed: 1, samples: 6, data: 'toy.csv', model: null, createdAt: '2026-01-01T00:00:00.000Z' },
  fidelity: null,
};

/** A one-rule list covering x > 4 only, default a. */
const list: RuleSet = {
  ...tree,
  surrogate: { kind: 'list', rules: [{ conditions: [{ type: 'gt', feature: 'x', threshold: 4 }], output: { class: 'b' } }], default: { class: 'a' } },
  provenance: { ...tree.provenance, method: 'trepan' },
};

describe('summarizeData', () => {
  it('gives ranges, means, categories, missing cells and class counts', () => {
    expect(summarizeData(data)).toEqual({
      source: 'toy.csv',
      rows: 6,
      features: [
        { name: 'x', type: 'numeric', min: 0, max: 5, mean: 2.5, missing: 0 },
        { name: 'colour', type: 'categorical', categories: ['red', 'blue'], missing: 1 },
      ],
      target: { name: 'y', kind: 'class', counts: { a: 4, b: 2 } },
    });
  });
});

describe('buildReport', () => {
  it('scores each rule set against the model on the data and draws trees', async () => {
    const input = await buildReport(model, data, [tree, list], { seed: 7, bootstrap: 200 });
    expect(input.ruleSets.map((r) => r.name)).toEqual(['cart', 'trepan']);
    const [t, l] = input.ruleSets;
    // Model labels a a a b b b; the tree says a a a a b b (5/6 agree), the list a a a a a b (4/6).
    expect(t.score!.fidelity.value).toBeCloseTo(5 / 6, 12);
    expect(l.score!.fidelity.value).toBeCloseTo(4 / 6, 12);
    expect(t.score!.fidelity.ci95![0]).toBeLessThanOrEqual(5 / 6);
    // Against the truth (a a a b b a): tree a a a a b b -> 4/6; list a a a a a b -> 3/6.
    expect(t.score!.accuracy).toBeCloseTo(4 / 6, 12);
    expect(l.score!.accuracy).toBeCloseTo(3 / 6, 12);
    // Completeness: a tree covers every row; the list's one rule covers x = 5 only.
    expect(t.score!.completeness).toBe(1);
    expect(l.score!.completeness).toBeCloseTo(1 / 6, 12);
    expect(t.score!.complexity).toMatchObject({ rules: 2, conditions: 2 });
    expect(t.diagram?.lines).toEqual(['x <= 3.5']);
    expect(t.diagram?.children?.map((c) => c.lines[0])).toEqual(['a', 'b']);
    expect(l.diagram).toBeUndefined();
    expect(l.text).toContain('ELSE a');
    // The model's accuracy on the data (a a a b b b vs truth a a a b b a): 5/6.
    expect(input.model.facts?.['accuracy on these rows']).toBeCloseTo(5 / 6, 12);
    expect(input.seed).toBe(7);
  });

  it('collects explanations of every method, stability and the explained rows', async () => {
    const anchor: RuleSet = {
      ...list,
      surrogate: { kind: 'list', rules: [{ conditions: [{ type: 'gt', feature: 'x', threshold: 2.5 }], output: { class: 'b' }, stats: { support: 40, precision: 0.99, coverage: 0.5 } }], default: null },
      provenance: { ...list.provenance, method: 'anchors' },
    };
    const lime: ExplanationT = {
      row: 4,
      method: 'lime',
      class: 'b',
      classIndex: 1,
      predictedClass: 'b',
      prediction: 0.9,
      base: 0.2,
      instance: [4, 'blue'],
      missing: [],
      attributions: [
        { feature: 'x', value: 4, attribution: 0.6 },
        { feature: 'colour', value: 'blue', attribution: -0.01 },
      ],
      faithfulness: { baseline: 'background mean', sensitivityN: [{ n: 1, subsets: 32, correlation: 0.9 }], deletion: { steps: 2, auc: 0.3, randomAuc: 0.5, randomOrders: 8, normalized: -0.4 } },
      conditions: [
        { feature: 'x', condition: { type: 'gt' as const, feature: 'x', threshold: 3 }, text: 'x > 3', value: 4, weight: 0.6 },
        { feature: 'colour', condition: { type: 'eq' as const, feature: 'colour', value: 'blue' }, text: 'colour = blue', value: 'blue', weight: -0.01 },
      ],
      surrogate: { intercept: 0.2, localPrediction: 0.85, r2: 0.7, fidelity: null },
      stability: { runs: 3, jaccard: 0.75, features: [{ feature: 'x', selected: 1, signAgreement: 1 }, { feature: 'colour', selected: 0.5, signAgreement: 1 }] },
    };
    const anchorEx: ExplanationT = {
      ...lime,
      method: 'anchors',
      base: null,
      attributions: [],
      conditions: undefined,
      surrogate: undefined,
      stability: undefined,
      faithfulness: { baseline: 'rows drawn under the rule', sensitivityN: [], deletion: null, precision: { value: 0.99, ci95: [0.95, 1], samples: 100 }, coverage: 0.5 },
      rule: anchor,
      confident: true,
    };
    const explanations: ExplanationFile = {
      format: 'surrogate-distill/explanation',
      version: 2,
      task: 'classification',
      schema: { features: data.schema.features, target: model.schema.target },
      provenance: { ...tree.provenance, method: 'lime,anchors' },
      explanations: [lime, JSON.parse(JSON.stringify(anchorEx))],
    };
    const input = await buildReport(model, data, [], { explanations });
    expect(input.explanations[0]).toEqual({
      row: 4,
      method: 'lime',
      class: 'b',
      prediction: 0.9,
      base: 0.2,
      attributions: [
        { feature: 'x', value: 4, attribution: 0.6 },
        { feature: 'colour', value: 'blue', attribution: -0.01 },
      ],
      conditions: [{ condition: 'x > 3', weight: 0.6 }, { condition: 'colour = blue', weight: -0.01 }],
      surrogate: { intercept: 0.2, localPrediction: 0.85, r2: 0.7, fidelity: null },
      faithfulness: { sensitivityN: [{ n: 1, correlation: 0.9 }], deletion: { auc: 0.3, randomAuc: 0.5 } },
    });
    expect(input.explanations[1].rule?.conditions).toEqual(['x > 2.5']);
    expect(input.stability).toEqual([{ method: 'lime', measure: 'row 4: mean Jaccard index of the selected features over 3 seeds', value: 0.75, detail: 'x 100%, colour 50%' }]);
    expect(input.rows).toEqual({ 4: [{ feature: 'x', value: 4 }, { feature: 'colour', value: 'blue' }] });
    const html = await renderReport(input);
    expect(html).toContain('<code>x &gt; 2.5</code> <span class="kw">THEN</span> <strong>b</strong>');
    expect(html).toContain('precision <strong>0.990</strong> [0.950 – 1.000] · coverage <strong>0.500</strong>');
    expect(html).toContain('faithfulness: sensitivity-1 <strong>0.900</strong> · deletion area <strong>0.300</strong> (random order 0.500)');
    // A failed anchor search is shown as failed, not as an anchor.
    const failed = await renderReport(await buildReport(model, data, [], { explanations: { ...explanations, explanations: [{ ...anchorEx, confident: false }] } }));
    expect(failed).toContain('<strong>Search failed:</strong> no rule reached the precision threshold');
  });

  it('summarises an attribution method across its rows: mean |attribution| with intervals and a strip plot', async () => {
    const file = await explainRows(['shap', 'anchors'], { model, data, rows: data.rows, rowIds: [0, 1, 2, 3, 4, 5], class: 'b', faithfulness: 0, seed: 3 }, { anchors: { coverageSamples: 100 } });
    const input = await buildReport(model, data, [], { explanations: file, seed: 5, bootstrap: 200 });
    expect(input.importance).toHaveLength(1);
    const [imp] = input.importance!;
    expect(imp).toMatchObject({ method: 'shap', rows: 6, explains: 'class b' });
    // Only x matters to this model: it comes first, colour gets 0.
    expect(imp.features.map((f) => f.feature)).toEqual(['x', 'colour']);
    expect(imp.features[1]).toEqual({ feature: 'colour', meanAbs: 0, ci95: [0, 0] });
    const [lo, hi] = imp.features[0].ci95!;
    expect(lo).toBeLessThanOrEqual(imp.features[0].meanAbs);
    expect(hi).toBeGreaterThanOrEqual(imp.features[0].meanAbs);
    expect(imp.points).toHaveLength(12);
    expect(imp.points[0]).toMatchObject({ feature: 'x', row: 0, value: 0 });
    const html = await renderReport(input);
    const block = html.slice(html.indexOf('<article class="importance" id="importance-shap">'), html.indexOf('</article>', html.indexOf('id="importance-shap"')));
    expect(block).toContain('<h3>shap across 6 rows</h3>');
    expect(block.match(/<svg /g)).toHaveLength(2);
    // Two explained rows are too few for a summary.
    const two = await buildReport(model, data, [], { explanations: { ...file, explanations: file.explanations.slice(0, 4) } });
    expect(two.importance).toBeUndefined();
  });

  it('names the rule set when the data lacks one of its columns', async () => {
    const other: RuleSet = { ...tree, schema: { ...tree.schema, features: [{ name: 'z', type: 'numeric' }] }, surrogate: { kind: 'list', rules: [{ conditions: [{ type: 'gt', feature: 'z', threshold: 1 }], output: { class: 'b' } }], default: null } };
    await expect(buildReport(model, data, [other], { names: ['rules/z.json'] })).rejects.toThrow(/rules\/z\.json.*"z"|"z".*rules\/z\.json/);
  });
});
