/**
 * The scale tests' fixture: a small ONNX classifier (4 inputs, 6 ReLU units, 2 softmax outputs,
 * seeded weights) with its encoder.json, and a CSV of seeded rows labelled by a simple rule.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { createRng, denseNetworkToOnnx, identityEncoder, loadDataset, loadModel, type Dataset, type TabularModel } from '../../src/index.js';

/** Writes `model/model.onnx`, `model/encoder.json` and `data.csv` (`rows` rows) under `dir`. */
export function writeScaleFixture(dir: string, rows = 2000): void {
  const rng = createRng(1);
  const d = 4;
  const h = 6;
  const net = {
    layers: [
      { inputSize: d, outputSize: h, weights: Float64Array.from({ length: d * h }, () => rng.normal()), biases: new Float64Array(h), activation: 'relu' as const },
      { inputSize: h, outputSize: 2, weights: Float64Array.from({ length: h * 2 }, () => rng.normal()), biases: new Float64Array(2), activation: 'softmax' as const },
    ],
  };
  mkdirSync(join(dir, 'model'), { recursive: true });
  writeFileSync(join(dir, 'model', 'model.onnx'), denseNetworkToOnnx(net));
  const features = Array.from({ length: d }, (_, j) => ({ name: `x${j}`, type: 'numeric' as const }));
  const values = Array.from({ length: rows }, () => features.map(() => Math.round(rng.normal() * 1000) / 1000));
  const target = values.map((r) => (r[0] > 0 ? 'b' : 'a'));
  const data: Dataset = { source: 'synthetic', schema: { features, target: { name: 'y', kind: 'class', classes: ['a', 'b'] } }, rows: values, target, missing: 0 };
  writeFileSync(join(dir, 'model', 'encoder.json'), JSON.stringify(identityEncoder(data)));
  writeFileSync(join(dir, 'data.csv'), ['x0,x1,x2,x3,y', ...values.map((r, i) => [...r, target[i]].join(','))].join('\n') + '\n');
}

/** `distill explain` of every row of the fixture in `dir`, cheap options (LIME, `samples` samples, no fresh samples), JSON to `out`. */
export function explainFixtureArgs(dir: string, out: string, samples = 100): string[] {
  const data = ['--data', join(dir, 'data.csv'), '--target', 'y'];
  return ['explain', '--model', join(dir, 'model'), ...data, '--all', '--samples', String(samples), '--fidelity-samples', '0', '--format', 'json', '--out', out];
}

/**
 * Registers the hooks of a test file that works on the fixture: before its tests, the fixture
 * (`rows` rows) written to a temporary folder, its data and model loaded, and a fixed creation
 * time (`SOURCE_DATE_EPOCH`, as byte-identical outputs need); after them, everything undone.
 * The returned object's fields are set once the hooks have run.
 */
export function useScaleFixture(rows = 2000): { dir: string; model: TabularModel; data: Dataset } {
  const f = {} as { dir: string; model: TabularModel; data: Dataset };
  const epoch = process.env.SOURCE_DATE_EPOCH;
  beforeAll(async () => {
    process.env.SOURCE_DATE_EPOCH = '1767225600';
    f.dir = mkdtempSync(join(tmpdir(), 'distill-scale-'));
    writeScaleFixture(f.dir, rows);
    f.data = await loadDataset(join(f.dir, 'data.csv'), { target: 'y' });
    f.model = await loadModel(join(f.dir, 'model'));
  });
  afterAll(async () => {
    if (epoch === undefined) delete process.env.SOURCE_DATE_EPOCH;
    else process.env.SOURCE_DATE_EPOCH = epoch;
    await f.model?.dispose();
    if (f.dir) rmSync(f.dir, { recursive: true, force: true });
  });
  return f;
}
