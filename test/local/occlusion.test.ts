import { describe, expect, it } from 'vitest';
import { explainRows, type Dataset } from '../../src/index.js';
import { functionModel, gaussianData } from './helpers.js';

const W = [2, -1, 0.5, 0, 3];
const data = gaussianData(150, W.length, 4);
const linear = functionModel(data.schema.features, (r) => [W.reduce((s, w, j) => s + w * (r[j] as number), 1)], { task: 'regression' });
const rows = data.rows.slice(0, 4) as number[][];
const rowIds = [0, 1, 2, 3];

describe('occlusion', () => {
  it('gives w_j (x_j − b_j) on a linear model, with base f(baseline) and no completeness gap', async () => {
    const b = [0.5, -1, 2, 0, 1];
    const file = await explainRows('occlusion', { model: linear, data, rows, rowIds, baseline: { row: b, name: 'given row' }, faithfulness: 0 });
    for (const [i, e] of file.explanations.entries()) {
      e.attributions.forEach((a, j) => expect(a.attribution).toBeCloseTo(W[j] * (rows[i][j] - b[j]), 5));
      expect(e.base).toBeCloseTo(W.reduce((s, w, j) => s + w * b[j], 1), 5);
      expect(e.completenessGap!).toBeLessThan(1e-5);
      expect(e.exact).toBeUndefined();
    }
    expect(file.provenance.options).toMatchObject({ occlusion: { replaceWith: 'baseline', references: 1 } });
  });

  it('averages over background rows, and shows the completeness it lacks under interactions', async () => {
    const background: Dataset = { ...data, rows: data.rows.slice(50, 70) };
    const mean = W.map((_, j) => background.rows.reduce((s, r) => s + (r[j] as number), 0) / background.rows.length);
    const file = await explainRows('occlusion', { model: linear, data, rows, rowIds, background, faithfulness: 0 }, { replaceWith: 'background' });
    for (const [i, e] of file.explanations.entries()) e.attributions.forEach((a, j) => expect(a.attribution).toBeCloseTo(W[j] * (rows[i][j] - mean[j]), 4));
    // f = x0 · x1: occluding either column alone removes the whole product, twice over.
    const product = functionModel(data.schema.features, (r) => [(r[0] as number) * (r[1] as number)], { task: 'regression' });
    const x = [2, 3, 0, 0, 0];
    const [e] = (await explainRows('occlusion', { model: product, data, rows: [x], baseline: { row: [0, 0, 0, 0, 0], name: 'zeros' }, faithfulness: 8 })).explanations;
    expect(e.attributions.map((a) => a.attribution)).toEqual([6, 6, 0, 0, 0]);
    expect(e.completenessGap).toBe(6);
    expect(e.faithfulness!.sensitivityN.length).toBeGreaterThan(0);
  });
});
