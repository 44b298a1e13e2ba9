import { describe, expect, it } from 'vitest';
import { createTabularModel, fitEncoder, functionBlackBox, maskedMeans, prepareReferences, type Dataset, type Row } from '../../src/index.js';
import { functionModel } from '../local/helpers.js';

// Two columns: a number and a colour; f = x + 10 · [colour = blue] (one output, regression).
const data: Dataset = {
  source: 'toy',
  schema: {
    features: [
      { name: 'x', type: 'numeric' },
      { name: 'colour', type: 'categorical', categories: ['red', 'blue', 'green'] },
    ],
    target: { name: 'y', kind: 'regression' },
  },
  rows: [
    [1, 'red'],
    [2, 'blue'],
    [4, 'green'],
  ],
  target: [0, 0, 0],
  missing: 0,
};
const f = (r: Row) => (r[0] as number) + (r[1] === 'blue' ? 10 : 0);

describe('maskedMeans', () => {
  it('averages the model over the references with the masked columns taken from the row, in one call or many', async () => {
    const raw = functionModel(data.schema.features, (r) => [f(r)], { task: 'regression' });
    const enc = fitEncoder(data);
    const num = enc.features[0] as { mean: number; std: number };
    const calls: number[] = [];
    const bb = functionBlackBox((x, n) => {
      calls.push(n);
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) out[i] = x[i * 4] * num.std + num.mean + (x[i * 4 + 2] ? 10 : 0);
      return out;
    }, { task: 'regression', inputSize: 4, outputSize: 1 });
    const encoded = createTabularModel(bb, enc);
    const x: Row = [5, 'blue'];
    // masks: nothing from x, x's number, x's colour, both
    const item = { x, masks: Uint8Array.of(0, 0, 1, 0, 0, 1, 1, 1), count: 4, output: 0 };
    const expected = [0, 1, 2, 3].map((m) => data.rows.reduce((s, r) => s + f([m & 1 ? x[0] : r[0], m & 2 ? x[1] : r[1]]), 0) / 3);
    for (const model of [raw, encoded]) {
      const refs = prepareReferences(model, data.rows);
      expect(refs.encoded === null).toBe(model === raw);
      const [all] = await maskedMeans(model, [item], refs);
      all.forEach((v, m) => expect(v).toBeCloseTo(expected[m], 5));
      const [split] = await maskedMeans(model, [item, item], refs, { batchRows: 3 });
      expect(Array.from(split)).toEqual(Array.from(all));
    }
    // Encoded: one call of 4 masks × 3 references, then one call per mask.
    expect(calls).toEqual([12, 3, 3, 3, 3, 3, 3, 3, 3]);
  });
});
