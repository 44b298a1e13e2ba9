import { describe, expect, it } from 'vitest';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { baselineRow, explainRows, explanationJsonSchema, exportExplanations, importExplanations, type Dataset } from '../../src/index.js';
import { functionModel, gaussianData, sigmoid } from './helpers.js';

const data = gaussianData(300, 4, 11);
const W = [2, -1, 0.5, 0];
const logistic = functionModel(
  data.schema.features,
  (r) => {
    const p = sigmoid(W.reduce((s, w, j) => s + w * (r[j] as number), 0));
    return [1 - p, p];
  },
  { task: 'classification', classes: ['no', 'yes'] },
);
const rows = data.rows.slice(0, 3);

describe('explainRows', () => {
  it('runs several methods into one valid file, row by row, with faithfulness on every attribution', async () => {
    const file = await explainRows(['lime', 'anchors'], { model: logistic, data, rows, rowIds: [0, 1, 2], seed: 4 }, { lime: { samples: 400 }, anchors: { coverageSamples: 500 } });
    expect(file.version).toBe(2);
    expect(file.explanations.map((e) => `${e.row}:${e.method}`)).toEqual(['0:lime', '0:anchors', '1:lime', '1:anchors', '2:lime', '2:anchors']);
    expect(file.provenance.method).toBe('lime,anchors');
    expect(file.provenance.options).toMatchObject({ lime: { samples: 400 }, anchors: { coverageSamples: 500 }, class: null, background: { data: 'synthetic', rows: 300, sample: 100 }, baseline: 'background mean' });
    for (const e of file.explanations) {
      if (e.method === 'lime') {
        expect(e.attributions.map((a) => a.feature)).toEqual(['x0', 'x1', 'x2', 'x3']);
        // LIME's attributions add up to its local prediction from its intercept.
        const sum = e.attributions.reduce((s, a) => s + a.attribution, 0);
        expect(e.base! + sum).toBeCloseTo(e.surrogate!.localPrediction, 9);
        expect(e.faithfulness!.sensitivityN.map((s) => s.n)).toEqual([1, 2]);
        expect(e.faithfulness!.baseline).toBe('background mean');
      } else {
        expect(e.rule!.surrogate.kind).toBe('list');
        expect(e.faithfulness!.precision!.value).toBeGreaterThan(0.5);
      }
    }
    const ajv = new Ajv2020({ strict: false });
    expect(ajv.validate(JSON.parse(explanationJsonSchema()), JSON.parse(exportExplanations(file))), ajv.errorsText()).toBe(true);
    expect(exportExplanations(importExplanations(exportExplanations(file), 'f.json'))).toBe(exportExplanations(file));
  });

  it('explains a given class, and gives a row the same explanation alone as in a batch', async () => {
    const all = await explainRows('lime', { model: logistic, data, rows, rowIds: [0, 1, 2], class: 'no', seed: 4 }, { samples: 300 });
    expect(all.explanations.map((e) => e.class)).toEqual(['no', 'no', 'no']);
    const alone = await explainRows('lime', { model: logistic, data, rows: [rows[1]], rowIds: [1], class: 0, seed: 4 }, { samples: 300 });
    expect(alone.explanations[0]).toEqual(all.explanations[1]);
    await expect(explainRows('lime', { model: logistic, data, rows, class: 'maybe' })).rejects.toThrow('--class: unknown class "maybe"; classes: no, yes');
  });

  it('takes statistics from a background with the same columns, and a given or computed baseline', async () => {
    const bg = gaussianData(50, 4, 2);
    const file = await explainRows('lime', { model: logistic, data, rows: [rows[0]], background: bg, baseline: 'median', seed: 1 }, { samples: 200 });
    expect(file.provenance.options).toMatchObject({ background: { rows: 50, sample: 50 }, baseline: 'background median' });
    const other: Dataset = { ...bg, source: 'other.csv', schema: { features: [...bg.schema.features.slice(0, 3), { name: 'z', type: 'numeric' }] } };
    await expect(explainRows('lime', { model: logistic, data, rows, background: other })).rejects.toThrow('--background: other.csv: its columns differ from the data\'s: it lacks "x3" and has no "z" in the data');
    const fixed = await explainRows('lime', { model: logistic, data, rows: [rows[0]], baseline: { row: [0, 0, 0, 0], name: 'zero row' }, seed: 1 }, { samples: 200 });
    expect(fixed.explanations[0].faithfulness!.baseline).toBe('zero row');
    expect(baselineRow({ ...data, rows: [[1, 2, 3, 4], [3, 2, 1, 4], [5, 2, 2, 4]] }, 'mean')).toEqual([3, 2, 2, 4]);
    expect(baselineRow({ ...data, rows: [[1, 2, 3, 4], [3, 2, 1, 4], [5, 2, 2, 4]] }, 'zeros')).toEqual([0, 0, 0, 0]);
  });

  it('reads version 1 (LIME) files', () => {
    const v1 = {
      format: 'surrogate-distill/explanation',
      version: 1,
      method: 'lime',
      task: 'classification',
      schema: { features: [{ name: 'x', type: 'numeric' }, { name: 'c', type: 'categorical', categories: ['a', 'b'] }], target: { name: 'y', kind: 'class', classes: ['n', 'y'] } },
      provenance: { tool: 't', method: 'lime', options: { samples: 5000 }, seed: 1, samples: 5000, data: 'd.csv', model: null, createdAt: '2026-01-01T00:00:00.000Z' },
      explanations: [
        {
          row: 3,
          instance: [1.5, 'b'],
          imputed: [],
          label: 'y',
          labelIndex: 1,
          predictedClass: 'y',
          prediction: 0.8,
          localPrediction: 0.75,
          intercept: 0.3,
          r2: 0.6,
          fidelity: null,
          features: [
            { feature: 'x', condition: { type: 'gt', feature: 'x', threshold: 1 }, text: 'x > 1', value: 1.5, weight: 0.4 },
            { feature: 'c', condition: { type: 'eq', feature: 'c', value: 'b' }, text: 'c = b', value: 'b', weight: 0.05 },
          ],
        },
      ],
    };
    const file = importExplanations(JSON.stringify(v1), 'old.json');
    const e = file.explanations[0];
    expect(file.version).toBe(2);
    expect(file.provenance.options).toEqual({ lime: { samples: 5000 } });
    expect(e).toMatchObject({ row: 3, method: 'lime', class: 'y', classIndex: 1, base: 0.3, missing: [], faithfulness: null, surrogate: { intercept: 0.3, localPrediction: 0.75, r2: 0.6 } });
    expect(e.attributions).toEqual([
      { feature: 'x', value: 1.5, attribution: 0.4 },
      { feature: 'c', value: 'b', attribution: 0.05 },
    ]);
    expect(e.notes).toEqual(['read from a version 1 file: faithfulness was not measured']);
  });
});
