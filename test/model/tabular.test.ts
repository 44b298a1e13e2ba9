import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fitEncoder, loadDataset } from '../../src/data/index.js';
import { createTabularModel, functionBlackBox, loadModel } from '../../src/model/index.js';
import { writeKerasModel } from './fixtures.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sd-tabular-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Iris classifier by hand: petal length (standardised input 2) < -0.7 -> setosa, < 0.6 -> versicolor, else virginica. */
const petalRule = functionBlackBox(
  (x, n) => {
    const out = new Float32Array(3 * n);
    for (let i = 0; i < n; i++) out[3 * i + (x[i * 4 + 2] < -0.7 ? 0 : x[i * 4 + 2] < 0.6 ? 1 : 2)] = 1;
    return out;
  },
  { task: 'classification', inputSize: 4, outputSize: 3, name: 'petal-rule' },
);

describe('createTabularModel', () => {
  it('encodes raw rows, predicts probabilities and argmax labels with the encoder classes', async () => {
    const iris = await loadDataset('builtin:iris');
    const model = createTabularModel(petalRule, fitEncoder(iris));
    expect(model.classes).toEqual(['setosa', 'versicolor', 'virginica']);
    expect([model.task, model.outputSize, model.backend, model.identity.type, model.identity.source]).toEqual(['classification', 3, 'js', 'function', 'petal-rule']);
    expect(model.identity.hash).toMatch(/^sha256:[0-9a-f]{64}$/);
    const labels = await model.predictLabels(iris.rows);
    const truth = iris.target!.map((c) => model.classes!.indexOf(c as string));
    const agree = truth.filter((t, i) => t === labels[i]).length;
    expect(agree / truth.length).toBeGreaterThan(0.9);
    expect(Array.from(await model.predictRows([iris.rows[0]]))).toEqual([1, 0, 0]);
    expect(await model.predictRows([])).toHaveLength(0);
  });

  it('regression: labels are the output values', async () => {
    const iris = await loadDataset('builtin:iris', { target: 'petal_width' });
    const enc = fitEncoder(iris, { standardize: false });
    const sum = functionBlackBox((x, n) => Float32Array.from({ length: n }, (_, i) => x[i * enc.inputSize] + 1), {
      task: 'regression',
      inputSize: enc.inputSize,
      outputSize: 1,
    });
    const model = createTabularModel(sum, enc);
    expect(model.classes).toBeUndefined();
    const first = iris.rows[0][0] as number;
    expect((await model.predictLabels([iris.rows[0]]))[0]).toBeCloseTo(first + 1, 5);
  });

  it('width mismatch between encoder and model states both widths', async () => {
    const iris = await loadDataset('builtin:iris');
    const three = functionBlackBox((_x, n) => new Float32Array(3 * n), { task: 'classification', inputSize: 3, outputSize: 3, name: 'narrow' });
    expect(() => createTabularModel(three, fitEncoder(iris))).toThrow('narrow: width mismatch: the data/encoder gives 4 input values per row, the model takes 3');
    // a saved Layers model (3 inputs) without encoder, given the 4 numeric iris columns
    await writeKerasModel(join(dir, 'keras'));
    await expect(loadModel(join(dir, 'keras'), { data: iris })).rejects.toThrow(/model\.json: width mismatch: the data\/encoder gives 4 input values per row, the model takes 3/);
    await expect(three.predict(new Float32Array(4), 1)).rejects.toThrow(/expects 3 input values per row, got 4/);
  });

  it('a function returning NaN or the wrong length is named', async () => {
    const nan = functionBlackBox((_x, n) => new Float32Array(n).fill(NaN), { task: 'regression', inputSize: 1, outputSize: 1, name: 'broken' });
    await expect(nan.predict(new Float32Array([1, 2]), 2)).rejects.toThrow('broken: model output is NaN for input row 1 (output 1); the model produces non-finite values');
    const inf = functionBlackBox((_x, n) => Float32Array.from({ length: n }, (_, i) => (i === 1 ? Infinity : 0)), { task: 'regression', inputSize: 1, outputSize: 1, name: 'inf' });
    await expect(inf.predict(new Float32Array([1, 2]), 2)).rejects.toThrow(/inf: model output is Infinity for input row 2/);
    const short = functionBlackBox(() => new Float32Array(1), { task: 'regression', inputSize: 1, outputSize: 1, name: 'short' });
    await expect(short.predict(new Float32Array([1, 2]), 2)).rejects.toThrow('short: function returned 1 values for 2 rows, expected 2');
  });

  it('a model without encoder and without data, or a missing model, is an InputError', async () => {
    await expect(loadModel(join(dir, 'keras'))).rejects.toThrow(/no encoder\.json beside it/);
    await expect(loadModel(join(dir, 'nothing-here'))).rejects.toThrow(/nothing-here: no such model file or folder/);
  });
});
