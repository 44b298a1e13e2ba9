import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, type CliResult } from '../helpers/cli.js';
import { EXPECTED, expectInputError, useLabelledCsv } from './fixtures.js';
import { keras2SequentialConfig, keras2Weights, keras3Sequential, writeKeras2, writeKeras3 } from './keras-fixtures.js';
import { skl2onnxMlp } from './onnx-fixtures.js';

const tmp = useLabelledCsv();

/** The probability columns of `distill predict` CSV output. */
function probabilities(stdout: string): number[][] {
  return stdout
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(',').slice(0, 2).map(Number));
}

describe('models as they were saved, through the CLI: a Keras .keras, a Keras .h5, an skl2onnx classifier', () => {
  it('predict, extract, explain and inspect give the hand-computed outputs; a corrupt file exits 2 with one line', async () => {
    const keras = join(tmp.dir(), 'model.keras');
    const h5 = join(tmp.dir(), 'model.h5');
    const onnx = join(tmp.dir(), 'classifier.onnx');
    const { model, vars } = keras3Sequential();
    await writeKeras3(keras, model, vars);
    await writeKeras2(h5, keras2SequentialConfig(), keras2Weights());
    await writeFile(onnx, skl2onnxMlp({ zipmap: true }));
    const cut = join(tmp.dir(), 'cut.h5');
    await writeFile(cut, (await readFile(h5)).subarray(0, 3000));
    const data = ['--data', tmp.csv()];
    // Each file goes through predict, extract or explain, and inspect (runs in turn, in-process).
    const runs = [
      ['predict', '--model', keras, ...data],
      ['predict', '--model', onnx, ...data],
      ['extract', '--method', 'cart', '--samples', '200', '--model', keras, ...data, '--quiet'],
      ['explain', '--row', '0', '--samples', '300', '--faithfulness', '0', '--format', 'json', '--model', h5, ...data],
      ['inspect', '--model', keras, '--format', 'json'],
      ['inspect', '--model', h5, ...data, '--format', 'json'],
      ['inspect', '--model', onnx],
      ['predict', '--model', cut, ...data],
    ];
    const results: CliResult[] = [];
    for (let i = 0; i < runs.length; i += 4) results.push(...(await Promise.all(runs.slice(i, i + 4).map((a) => runCli(a)))));
    const [pk, po, ek, xh, ik, ih, io, bad] = results;
    for (const r of [pk, po]) {
      expect(r.code).toBe(0);
      // classes: the data's no/yes (Keras files name none), the graph's no/yes (skl2onnx)
      expect(r.stdout.split('\n')[0]).toBe('no,yes,predicted');
      probabilities(r.stdout).forEach((row, i) => row.forEach((v, j) => expect(Math.abs(v - EXPECTED[i][j])).toBeLessThan(1e-6)));
      expect(r.stdout.trim().split('\n').slice(1).map((l) => l.split(',')[2])).toEqual(['no', 'yes', 'no', 'no']);
    }
    const sha = async (p: string) => `sha256:${createHash('sha256').update(await readFile(p)).digest('hex')}`;
    expect(ek.code).toBe(0);
    const rs = JSON.parse(ek.stdout);
    expect(rs.provenance.model).toEqual({ type: 'keras', source: keras, hash: await sha(keras) });
    expect(rs.schema.target.classes).toEqual(['no', 'yes']);
    expect(xh.code).toBe(0);
    const why = JSON.parse(xh.stdout);
    expect(why.provenance.model).toEqual({ type: 'keras', source: h5, hash: await sha(h5) });
    expect([why.explanations[0].row, why.explanations[0].predictedClass]).toEqual([0, 'no']);
    expect(why.explanations[0].prediction).toBeCloseTo(EXPECTED[0][0], 6);

    expect(ik.code).toBe(0);
    const k = JSON.parse(ik.stdout);
    expect(k.model).toEqual({ type: 'keras', source: keras, hash: await sha(keras) });
    expect([k.format, k.producer, k.task, k.classesFrom]).toEqual(['Keras 3 (.keras)', 'keras 3.6.0', 'classification', 'placeholder']);
    expect(k.encoder).toEqual({ from: 'none', columns: ['input_1', 'input_2', 'input_3'], inputSize: 3 });
    expect(k.layers.map((l: { type: string }) => l.type)).toEqual(['InputLayer', 'Dense', 'Dense']);
    expect(k.weights).toEqual({ readable: true, layers: [{ inputs: 3, units: 2, activation: 'relu' }, { inputs: 2, units: 2, activation: 'softmax' }] });
    expect(k.methods.extract.map((m: { method: string; applies: boolean }) => [m.method, m.applies])).toEqual([
      ['cart', true],
      ['trepan', true],
      ['ann-dt', true],
      ['mofn', true],
      ['cred', true],
      ['deepred', true],
      ['tsukimoto', true],
    ]);
    expect(k.methods.explain.every((m: { applies: boolean }) => m.applies)).toBe(true);
    expect(ih.code).toBe(0);
    const h = JSON.parse(ih.stdout);
    expect([h.format, h.producer, h.classes, h.classesFrom]).toEqual(['Keras HDF5 (.h5)', 'keras 2.15.0', ['no', 'yes'], 'data']);
    expect(h.encoder.columns).toEqual(['a', 'b', 'c']);
    expect(io.code).toBe(0);
    expect(io.stdout).toMatch(/^format +ONNX, written by skl2onnx 1\.17\.0$/m);
    expect(io.stdout).toMatch(/^task +classification, 2 outputs: no, yes \(class names from the model file\)$/m);
    expect(io.stdout).toMatch(/^ +probabilities +float32 +\[batch, 2\] +read: class probabilities/m);
    expect(io.stdout).toMatch(/^weights +readable: a dense network 3-2-2 \(relu, softmax\)$/m);
    expect(io.stdout).toMatch(/^ +extract +cred +yes$/m);

    // HDF5's own error stack stays off stderr: one line only.
    expectInputError(bad, /^distill: .*cut\.h5: cannot read the HDF5 file: truncated file: eof = 3000/);
  }, 600_000);
});
