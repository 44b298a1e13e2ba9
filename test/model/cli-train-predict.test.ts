import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { loadDataset } from '../../src/data/index.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sd-cli-train-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('distill train / predict', () => {
  it('trains on iris, then predicts labelled and unlabelled data with the Layers model and its ONNX copy', async () => {
    const out = join(dir, 'iris');
    const t = await runCli(['train', '--data', 'builtin:iris', '--out', out, '--onnx', '--hidden', '16', '--seed', '3']);
    expect(t.stderr).toBe('backend: wasm\n');
    expect(t.code).toBe(0);
    expect(t.stdout).toMatch(/^Trained a 4-16-3 MLP \(relu\) on builtin:iris: \d+ epochs, weights of epoch \d+ kept, seed 3\n/);
    expect(t.stdout).toMatch(/ train +120 rows {2}accuracy 0\.9\d+ {2}loss /);
    expect(t.stdout).toMatch(/ validation +30 rows {2}accuracy /);
    expect((await readdir(out)).sort()).toEqual(['encoder.json', 'metrics.json', 'model.json', 'model.onnx', 'weights.bin']);

    const iris = await loadDataset('builtin:iris');
    const p = await runCli(['predict', '--model', out, '--data', 'builtin:iris', '--quiet']);
    expect(p.stderr).toBe('');
    expect(p.code).toBe(0);
    const lines = p.stdout.trim().split('\n');
    expect(lines[0]).toBe('setosa,versicolor,virginica,predicted');
    expect(lines).toHaveLength(151);
    const predicted = lines.slice(1).map((l) => l.split(',')[3]);
    const correct = predicted.filter((c, i) => c === iris.target![i]).length;
    expect(correct / 150).toBeGreaterThan(0.93);
    lines.slice(1).forEach((l) => {
      const probs = l.split(',').slice(0, 3).map(Number);
      expect(Math.abs(probs.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-5);
    });

    // a CSV without the label column, JSON output to a file, through the ONNX copy
    const csv = join(dir, 'nolabel.csv');
    await writeFile(csv, ['sepal_length,sepal_width,petal_length,petal_width', ...iris.rows.map((r) => r.join(','))].join('\n') + '\n');
    const file = join(dir, 'preds.json');
    const q = await runCli(['predict', '--model', join(out, 'model.onnx'), '--data', csv, '--format', 'json', '--out', file]);
    expect(q.stderr).toMatch(/^model: onnx .*model\.onnx \(sha256:[0-9a-f]{12}…\), backend onnxruntime, 150 rows\n$/);
    expect(q.code).toBe(0);
    const json = JSON.parse(await readFile(file, 'utf8')) as { probabilities: Record<string, number>; predicted: string }[];
    expect(json).toHaveLength(150);
    expect(Object.keys(json[0].probabilities)).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(json.map((r) => r.predicted)).toEqual(predicted);
  });
});
