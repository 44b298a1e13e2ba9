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

describe('maskedBatchRows', () => {
  it("sends what the model runs in one go (an ONNX model's batch), at most 65,536 rows, and a model without a preference 65,536", async () => {
    const { denseNetworkToOnnx, onnxBlackBox, maskedBatchRows } = await import('../../src/index.js');
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'distill-masked-'));
    const net = { layers: [{ inputSize: 2, outputSize: 1, weights: Float64Array.of(1, 1), biases: new Float64Array(1), activation: 'linear' as const }] };
    writeFileSync(join(dir, 'm.onnx'), denseNetworkToOnnx(net));
    const enc = fitEncoder({ ...data, schema: { ...data.schema, features: [data.schema.features[0], { name: 'z', type: 'numeric' }] }, rows: [[1, 2]] });
    for (const [batchSize, rows] of [[undefined, 8192], [1000, 1000], [1_000_000, 65_536]] as const) {
      const bb = await onnxBlackBox(join(dir, 'm.onnx'), { task: 'regression', batchSize });
      expect(bb.batchRows).toBe(batchSize ?? 8192);
      expect(maskedBatchRows(createTabularModel(bb, enc))).toBe(rows);
      await bb.dispose?.();
    }
    const js = functionBlackBox((x, n) => new Float32Array(n), { task: 'regression', inputSize: 2, outputSize: 1, name: 'zero' });
    expect(maskedBatchRows(createTabularModel(js, enc))).toBe(65_536);
  });
});
