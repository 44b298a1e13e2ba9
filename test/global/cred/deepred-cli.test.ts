import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRng, denseNetworkToOnnx, fitEncoder, loadDataset, type DenseLayer } from '../../../src/index.js';
import { runCli } from '../../helpers/cli.js';

const DATA = 'builtin:xor?n=1000&seed=3';
let dir: string;

/** A random 4-class tanh network over the xor columns: a boundary no 40 rules describe exactly. */
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sd-deepred-cli-'));
  const enc = fitEncoder(await loadDataset(DATA));
  const rng = createRng(5);
  const dense = (ni: number, no: number, activation: DenseLayer['activation'], scale: number): DenseLayer => ({
    inputSize: ni,
    outputSize: no,
    activation,
    weights: Float64Array.from({ length: ni * no }, () => rng.normal() * scale),
    biases: Float64Array.from({ length: no }, () => rng.normal() * 0.5),
  });
  const net = { layers: [dense(enc.inputSize, 12, 'tanh', 1.5), dense(12, 8, 'tanh', 1.5), dense(8, 4, 'softmax', 2)] };
  await writeFile(join(dir, 'model.onnx'), denseNetworkToOnnx(net));
  const target = { name: 'label', kind: 'class' as const, classes: ['a', 'b', 'c', 'd'] };
  await writeFile(join(dir, 'encoder.json'), JSON.stringify({ ...enc, schema: { ...enc.schema, target } }));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('deepred from the command line', () => {
  it('writes rules that `rules show` prints in at most 80 lines at the default settings, saying what the size budget cut', async () => {
    const out = join(dir, 'rules.json');
    const x = await runCli(['extract', '--model', join(dir, 'model.onnx'), '--data', DATA, '--method', 'deepred', '--out', out]);
    expect(x.code, x.stderr).toBe(0);
    expect(x.stderr).toMatch(/^deepred: 40 rules, \d+ conditions/);
    expect(x.stderr).toMatch(/\nnote: the search was cut by its budget \(size: the list stops at 40 rules \(maxRules\) with sample fidelity 0\.\d{3}; \d+ rules would reach 0\.\d{3}\)\n$/);
    const show = await runCli(['rules', 'show', out]);
    expect(show.code, show.stderr).toBe(0);
    const lines = show.stdout.trimEnd().split('\n');
    expect(lines.length).toBeLessThanOrEqual(80);
    expect(lines.filter((l) => l.startsWith('IF '))).toHaveLength(40);
    expect(show.stdout).toContain('\nNote: the search was cut by its budget (size: the list stops at 40 rules');
  });
});
