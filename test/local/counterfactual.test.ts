/**
 * Counterfactuals through the public entry point (explainRows): on a logistic model with a known
 * boundary the counterfactual lies on the line w·x + b = 0 (just on the wanted side) and changes
 * the column that is cheapest to move; a rule set's region is tried first; fixed columns stay;
 * the result is the same for the same seed and valid in the explanation format.
 */
import { describe, expect, it } from 'vitest';
import type { Dataset } from '../../src/data/types.js';
import { explainRows, renderExplanation } from '../../src/local/index.js';
import { ExplanationFile } from '../../src/local/schema.js';
import type { RuleSet } from '../../src/rules/schema.js';
import { functionModel, gaussianData, sigmoid } from './helpers.js';

const W = [2, -1, 0.5];
const B = -0.5;
const z = (r: readonly (number | string | null)[]) => W.reduce((s, w, j) => s + w * (r[j] as number), B);
const data: Dataset = gaussianData(200, 3, 11);
const features = data.schema.features;
const model = functionModel(features, (r) => [1 - sigmoid(z(r)), sigmoid(z(r))], { task: 'classification', classes: ['no', 'yes'] });
/** Rows the model answers "no" for, well away from the boundary. */
const noRows = data.rows.map((r, i) => [r, i] as const).filter(([r]) => z(r) < -1.5).slice(0, 3);

/** A one-rule set: x0 > 0.5 gives yes. */
const ruleSet: RuleSet = {
  format: 'surrogate-distill/rules',
  version: 1,
  task: 'classification',
  schema: { features, target: { name: 'y', kind: 'class', classes: ['no', 'yes'] } },
  surrogate: { kind: 'list', rules: [{ conditions: [{ type: 'gt', feature: features[0].name, threshold: 0.5 }], output: { class: 'yes' } }], default: { class: 'no' } },
  provenance: { tool: 'test', method: 'hand', options: {}, seed: null, samples: null, data: null, model: null, createdAt: '2026-01-01T00:00:00.000Z' },
  fidelity: null,
} as unknown as RuleSet;

describe('counterfactual', () => {
  it('lands on the logistic boundary, flips the answer and reports changes, distance and the model answer', async () => {
    const file = await explainRows('counterfactual', { model, data, rows: noRows.map(([r]) => r), rowIds: noRows.map(([, i]) => i), seed: 3 }, { searchSamples: 400 });
    expect(ExplanationFile.safeParse(file).success).toBe(true);
    for (const e of file.explanations) {
      const cf = e.counterfactual!;
      expect(cf.wanted).toBe('yes');
      expect(e.predictedClass).toBe('no');
      expect(cf.prediction.flips).toBe(true);
      expect(cf.prediction.class).toBe('yes');
      // On the line: w·x' + b just above 0.
      expect(z(cf.row)).toBeGreaterThanOrEqual(0);
      expect(z(cf.row)).toBeLessThan(0.05);
      expect(cf.prediction.probability).toBeCloseTo(0.5, 1);
      // Changes list exactly the columns that differ, with from/to.
      const changed = features.map((f, j) => [f.name, j] as const).filter(([, j]) => cf.row[j] !== e.instance[j]);
      expect(cf.changes.map((c) => c.feature)).toEqual(changed.map(([n]) => n));
      for (const c of cf.changes) expect(c.from).toBe(e.instance[features.findIndex((f) => f.name === c.feature)]);
      const spreads = cf.spreads.map((s) => s.spread!);
      const d = cf.row.reduce((s: number, v, j) => s + Math.abs((v as number) - (e.instance[j] as number)) / spreads[j], 0);
      expect(cf.distance).toBeCloseTo(d, 9);
    }
    const again = await explainRows('counterfactual', { model, data, rows: noRows.map(([r]) => r), rowIds: noRows.map(([, i]) => i), seed: 3 }, { searchSamples: 400 });
    expect(JSON.stringify(again.explanations)).toBe(JSON.stringify(file.explanations));
  });

  it('starts from the nearest rule region of the wanted class and keeps fixed columns', async () => {
    const [row, id] = noRows[0];
    const file = await explainRows('counterfactual', { model, data, rows: [row], rowIds: [id], seed: 3 }, { ruleSet, fixed: features[1].name, searchSamples: 0 });
    const cf = file.explanations[0].counterfactual!;
    expect(cf.source).toBe('rule');
    expect(cf.rule).toBe(`${features[0].name} > 0.5`);
    expect(cf.prediction.flips).toBe(true);
    expect(cf.row[1]).toBe(row[1]);
    expect(cf.changes.map((c) => c.feature)).not.toContain(features[1].name);
    expect(z(cf.row)).toBeLessThan(0.05);
    expect(file.provenance.options.counterfactual).toMatchObject({ fixed: features[1].name, ruleSet: { method: 'hand' } });
    const text = renderExplanation(file.explanations[0]);
    expect(text).toContain(`\n  ${features[0].name}`);
    expect(text).toMatch(/-> [-\d.]+\n/);
    expect(text).toContain(`the model flips to yes`);
    expect(text).toContain(`from the rule region ${features[0].name} > 0.5`);
  });

  it('says so when no counterfactual exists within the observed ranges', async () => {
    const [row, id] = noRows[0];
    const all = features.map((f) => f.name).join(',');
    const file = await explainRows('counterfactual', { model, data, rows: [row], rowIds: [id], seed: 3 }, { fixed: all, searchSamples: 50 });
    expect(file.explanations[0].counterfactual).toBeNull();
    expect(file.explanations[0].notes?.join(' ')).toMatch(/no counterfactual of class yes found/);
    expect(renderExplanation(file.explanations[0])).toContain("no counterfactual found within the data's observed values");
  });

  it('names --fixed for an unknown column', async () => {
    await expect(explainRows('counterfactual', { model, data, rows: [data.rows[0]], rowIds: [0] }, { fixed: 'nope' })).rejects.toThrow(/--fixed: unknown column "nope"/);
  });
});
