import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDataset } from '../../src/data/index.js';
import { createRng } from '../../src/util/rng.js';
import { denseNetworkToOnnx, loadModel, trainMlp } from '../../src/model/index.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sd-train-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const weightsOf = (r: Awaited<ReturnType<typeof trainMlp>>) => r.model.blackBox.denseNetwork!().layers.flatMap((l) => [...l.weights, ...l.biases]);

describe('trainMlp', () => {
  it('same seed, same weights and outputs; another seed, other weights', async () => {
    const iris = await loadDataset('builtin:iris');
    const opts = { epochs: 15, hidden: [8], seed: 7 };
    const a = await trainMlp(iris, opts);
    const b = await trainMlp(iris, opts);
    const c = await trainMlp(iris, { ...opts, seed: 8 });
    expect(weightsOf(a)).toEqual(weightsOf(b));
    expect(Array.from(await a.model.predictRows(iris.rows))).toEqual(Array.from(await b.model.predictRows(iris.rows)));
    expect(weightsOf(a)).not.toEqual(weightsOf(c));
    expect(a.metrics).toEqual(b.metrics);
    expect(a.model.identity.hash).toBe(b.model.identity.hash);
  });

  it('learns iris; save writes model.json, weights.bin, encoder.json, metrics.json that load back to the same outputs', async () => {
    const iris = await loadDataset('builtin:iris');
    const steps: number[] = [];
    const r = await trainMlp(iris, { seed: 1 }, (done, total, label) => {
      expect(label).toBe('training');
      expect(total).toBe(200);
      steps.push(done);
    });
    expect(steps[0]).toBe(1);
    expect(steps.length).toBe(r.metrics.epochs);
    expect(r.metrics.bestEpoch).toBeLessThanOrEqual(r.metrics.epochs);
    expect(r.metrics.train.rows + r.metrics.validation!.rows).toBe(150);
    expect(r.metrics.validation!.rows).toBe(30); // stratified: 10 per class
    expect(r.metrics.train.accuracy).toBeGreaterThan(0.95);
    expect(r.metrics.validation!.accuracy).toBeGreaterThanOrEqual(0.85);
    const out = join(dir, 'iris');
    await r.save(out);
    expect((await readdir(out)).sort()).toEqual(['encoder.json', 'metrics.json', 'model.json', 'weights.bin']);
    const saved = JSON.parse(await readFile(join(out, 'metrics.json'), 'utf8'));
    expect(saved).toMatchObject({ format: 'surrogate-distill/metrics', task: 'classification', data: 'builtin:iris', seed: 1 });
    const loaded = await loadModel(out);
    expect(loaded.classes).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(loaded.identity.hash).toBe(r.model.identity.hash);
    const x = Array.from(await r.model.predictRows(iris.rows));
    const y = Array.from(await loaded.predictRows(iris.rows));
    x.forEach((v, i) => expect(Math.abs(v - y[i])).toBeLessThan(1e-6));
    // the same network exported to ONNX gives the same outputs
    await writeFile(join(out, 'model.onnx'), denseNetworkToOnnx(r.model.blackBox.denseNetwork!()));
    const onnx = await loadModel(join(out, 'model.onnx'));
    const z = Array.from(await onnx.predictRows(iris.rows));
    x.forEach((v, i) => expect(Math.abs(v - z[i])).toBeLessThan(1e-5));
    await Promise.all([loaded.dispose(), onnx.dispose()]);
  });

  it('sigmoid hidden units and no validation split train too', async () => {
    const monk = await loadDataset('builtin:monk1');
    const r = await trainMlp(monk, { activation: 'sigmoid', hidden: [8], epochs: 60, validationSplit: 0, seed: 3 });
    expect(r.metrics.validation).toBeNull();
    expect(r.metrics.train.rows).toBe(432);
    expect(r.metrics.train.accuracy).toBeGreaterThan(0.9);
    expect(r.model.blackBox.denseNetwork!().layers.map((l) => l.activation)).toEqual(['sigmoid', 'softmax']);
  });

  it('regression: MSE on a standardised target, folded back into the output layer', async () => {
    const rng = createRng(5);
    const lines = ['x1,x2,y'];
    for (let i = 0; i < 300; i++) {
      const a = rng.uniform() * 10;
      const b = rng.uniform() * 10;
      lines.push(`${a},${b},${100 + 3 * a - 2 * b}`);
    }
    const csv = join(dir, 'lin.csv');
    await writeFile(csv, lines.join('\n') + '\n');
    const ds = await loadDataset(csv);
    const r = await trainMlp(ds, { hidden: [8], epochs: 80, seed: 2 });
    expect(r.metrics.task).toBe('regression');
    expect(r.metrics.validation!.r2).toBeGreaterThan(0.97);
    const [v] = await r.model.predictLabels([[5, 5]]);
    expect(Math.abs(v - 105)).toBeLessThan(2);
  });

  it('rejects bad options and unlabelled data naming the flag', async () => {
    const iris = await loadDataset('builtin:iris');
    await expect(trainMlp(iris, { validationSplit: 1 })).rejects.toThrow('--validation-split: expected a number in [0, 1), got 1');
    await expect(trainMlp(iris, { hidden: [0] })).rejects.toThrow(/--hidden/);
    await expect(trainMlp(iris, { epochs: 0 })).rejects.toThrow(/--epochs/);
    const unlabelled = await loadDataset('builtin:iris', { noTarget: true });
    await expect(trainMlp(unlabelled)).rejects.toThrow(/training needs a target column/);
  });
});
