import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { explainRows, exportImportance, IMPORTANCE_SCHEMA_PATH, importanceJsonSchema, importImportance, renderImportance, summarizeExplanations } from '../../src/index.js';
import { attributionEntries } from '../../src/cli/commands/explain.js';
import { ROOT } from '../helpers/cli.js';
import { functionModel, gaussianData } from './helpers.js';

const W = [2, -1, 0.25];
const data = gaussianData(80, W.length, 6);
const linear = functionModel(data.schema.features, (r) => [W.reduce((s, w, j) => s + w * (r[j] as number), 0)], { task: 'regression' });
const rows = data.rows.slice(0, 40);
const rowIds = rows.map((_, i) => i);

describe('importance from local attributions', () => {
  it('gives mean |attribution| per column with a bootstrap interval around it, in a valid versioned file', async () => {
    const file = await explainRows(['shap', 'occlusion'], { model: linear, data, rows, rowIds, faithfulness: 0, seed: 2 });
    const summary = summarizeExplanations(file, { resamples: 300 });
    expect(summary).toMatchObject({ format: 'surrogate-distill/importance', version: 1, task: 'regression', bootstrap: { resamples: 300, seed: 2 } });
    expect(summary.summaries.map((s) => s.method)).toEqual(['shap', 'occlusion']);
    for (const s of summary.summaries) {
      expect(s).toMatchObject({ rows: 40, class: null, classes: null });
      expect(s.features.map((f) => f.feature)).toEqual(['x0', 'x1', 'x2']);
      for (const [j, f] of s.features.entries()) {
        const values = file.explanations.filter((e) => e.method === s.method).map((e) => e.attributions[j].attribution);
        expect(f.meanAbs).toBeCloseTo(values.reduce((a, v) => a + Math.abs(v), 0) / values.length, 12);
        expect(f.mean).toBeCloseTo(values.reduce((a, v) => a + v, 0) / values.length, 12);
        expect(f.ci95![0]).toBeLessThanOrEqual(f.meanAbs);
        expect(f.ci95![1]).toBeGreaterThanOrEqual(f.meanAbs);
        expect(f.ci95![1]).toBeGreaterThan(f.ci95![0]);
      }
      // A linear model's columns rank by |w_j|.
      expect(s.features[0].meanAbs).toBeGreaterThan(s.features[1].meanAbs);
      expect(s.features[1].meanAbs).toBeGreaterThan(s.features[2].meanAbs);
    }
    const text = exportImportance(summary);
    const ajv = new Ajv2020({ strict: false });
    expect(ajv.validate(JSON.parse(importanceJsonSchema()), JSON.parse(text)), ajv.errorsText()).toBe(true);
    expect(exportImportance(importImportance(text, 'imp.json'))).toBe(text);
    // The same seed gives the same intervals; no resamples, no intervals.
    expect(exportImportance(summarizeExplanations(file, { resamples: 300 }))).toBe(text);
    expect(summarizeExplanations(file, { resamples: 0 }).summaries[0].features[0].ci95).toBeNull();
    expect(renderImportance(summary).split('\n')[2]).toMatch(/^ {2}x0 +\d\.\d{4} +\[\d\.\d{4}, \d\.\d{4}\] +[+-]\d\.\d{4} +#{24}$/);
  });

  it('refuses rule explanations and bad files with one line naming the flag or path', async () => {
    const cls = functionModel(data.schema.features, (r) => ((r[0] as number) > 0 ? [0.1, 0.9] : [0.9, 0.1]), { task: 'classification' });
    const anchors = await explainRows('anchors', { model: cls, data, rows: rows.slice(0, 1), faithfulness: 0 }, { coverageSamples: 100 });
    expect(() => summarizeExplanations(anchors)).toThrow('--method: anchors explains with rules, not attributions: there is no per-column importance to summarise');
    await expect(attributionEntries(['shap', 'anchors'], '--compare')).rejects.toThrow('--compare: anchors explains with rules, not per-column attributions; attribution methods: lime, shap, occlusion');
    expect(() => importImportance('{"format":"surrogate-distill/importance","version":2}', 'imp.json')).toThrow(/^imp\.json: at \$\.version: /);
  });

  it('the committed rules/importance.schema.json is up to date (npm run schema)', () => {
    expect(readFileSync(join(ROOT, IMPORTANCE_SCHEMA_PATH), 'utf8')).toBe(importanceJsonSchema());
  });
});
