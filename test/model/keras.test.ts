import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadBlackBox, loadModel, resolveModelSpec } from '../../src/model/index.js';
import { B1, EXPECTED, INPUTS, NETWORK, W1, expectOutputs, expectSameNetwork, flatInputs, useTempDir } from './fixtures.js';
import { keras2SequentialConfig, keras2Weights, keras3Call, keras3Layer, keras3Sequential, writeKeras2, writeKeras3 } from './keras-fixtures.js';

const tmp = useTempDir('sd-keras-');

const sha256 = async (path: string) => `sha256:${createHash('sha256').update(await readFile(path)).digest('hex')}`;

describe('Keras files load as saved', () => {
  it('a Keras 3 .keras Sequential model computes the hand-computed outputs', async () => {
    const path = join(tmp(), 'seq.keras');
    const { model, vars } = keras3Sequential();
    await writeKeras3(path, model, vars);
    expect(await resolveModelSpec(path)).toEqual({ kind: 'keras', path });
    const bb = await loadBlackBox(path, { backend: 'wasm' });
    expect([bb.task, bb.inputSize, bb.outputSize, bb.backend]).toEqual(['classification', 3, 2, 'wasm']);
    expect(bb.identity).toEqual({ type: 'keras', source: path, hash: await sha256(path) });
    expectOutputs(await bb.predict(flatInputs(), INPUTS.length), EXPECTED);
    expectSameNetwork(bb.denseNetwork!(), NETWORK);
    const d = bb.describe!();
    expect([d.format, d.producer]).toEqual(['Keras 3 (.keras)', 'keras 3.6.0']);
    expect(d.layers!.map((l) => [l.name, l.type, l.params, l.activation])).toEqual([
      ['input_layer', 'InputLayer', 0, undefined],
      ['dense', 'Dense', 8, 'relu'],
      ['dense_1', 'Dense', 6, 'softmax'],
    ]);
    await bb.dispose?.();
  });

  it('a Keras 2 .h5 Sequential model (weight_names, layer_names) computes the same outputs', async () => {
    const path = join(tmp(), 'seq.h5');
    await writeKeras2(path, keras2SequentialConfig(), keras2Weights());
    const bb = await loadBlackBox(path, { backend: 'wasm' });
    expect(bb.identity).toEqual({ type: 'keras', source: path, hash: await sha256(path) });
    expectOutputs(await bb.predict(flatInputs(), INPUTS.length), EXPECTED);
    expectSameNetwork(bb.denseNetwork!(), NETWORK);
    expect([bb.describe!().format, bb.describe!().producer]).toEqual(['Keras HDF5 (.h5)', 'keras 2.15.0']);
    await bb.dispose?.();
  });

  it('a functional model with BatchNormalization, LeakyReLU and Concatenate: Keras 3 keys by class, not by name', async () => {
    // x -> hidden (Dense, linear) -> bn -> act (LeakyReLU 0.1) -> cat [act, x] -> out (Dense 5 -> 2, softmax)
    const gamma = [2, 0.5];
    const beta = [0.1, -0.1];
    const mean = [0.5, 1];
    const variance = [4, 0.25];
    const eps = 0.001;
    const W3 = [1, -1, 0.5, 0.5, 0.2, 0, 0, 0.3, -0.4, 0.1];
    const B3 = [0, 0.1];
    const expected = INPUTS.map((x) => {
      const z = [0, 1].map((j) => B1[j] + x.reduce((s, v, i) => s + v * W1[i * 2 + j], 0));
      const y = z.map((v, j) => (gamma[j] * (v - mean[j])) / Math.sqrt(variance[j] + eps) + beta[j]);
      const a = y.map((v) => (v > 0 ? v : 0.1 * v));
      const cat = [...a, ...x];
      const o = [0, 1].map((j) => B3[j] + cat.reduce((s, v, i) => s + v * W3[i * 2 + j], 0));
      const e = o.map((v) => Math.exp(v - Math.max(...o)));
      return e.map((v) => v / (e[0] + e[1]));
    });
    const model = {
      class_name: 'Functional',
      config: {
        name: 'functional',
        trainable: true,
        layers: [
          keras3Layer('InputLayer', { batch_shape: [null, 3], dtype: 'float32', sparse: false, name: 'input_layer' }, { name: 'input_layer', inbound_nodes: [] }),
          keras3Layer('Dense', { name: 'hidden', units: 2, activation: 'linear' }, { name: 'hidden', inbound_nodes: keras3Call(['input_layer', [null, 3]]) }),
          keras3Layer('BatchNormalization', { name: 'bn', axis: -1, momentum: 0.99, epsilon: eps, center: true, scale: true, synchronized: false }, { name: 'bn', inbound_nodes: keras3Call(['hidden', [null, 2]]) }),
          keras3Layer('LeakyReLU', { name: 'act', negative_slope: 0.1 }, { name: 'act', inbound_nodes: keras3Call(['bn', [null, 2]]) }),
          keras3Layer('Concatenate', { name: 'cat', axis: -1 }, { name: 'cat', inbound_nodes: keras3Call(['act', [null, 2]], ['input_layer', [null, 3]]) }),
          keras3Layer('Dense', { name: 'out', units: 2, activation: 'softmax' }, { name: 'out', inbound_nodes: keras3Call(['cat', [null, 5]]) }),
        ],
        // Keras 3 writes a single input or output tensor as one [layer, node, tensor] triple.
        input_layers: ['input_layer', 0, 0],
        output_layers: [['out', 0, 0]],
      },
    };
    const path = join(tmp(), 'functional.keras');
    await writeKeras3(path, model, {
      'layers/input_layer': [],
      'layers/dense': [{ name: '0', shape: [3, 2], values: W1 }, B1],
      'layers/batch_normalization': [gamma, beta, mean, variance],
      'layers/leaky_re_lu': [],
      'layers/concatenate': [],
      'layers/dense_1': [{ name: '0', shape: [5, 2], values: W3 }, B3],
    });
    const bb = await loadBlackBox(path, { backend: 'wasm' });
    expectOutputs(await bb.predict(flatInputs(), INPUTS.length), expected);
    expect(() => bb.denseNetwork!()).toThrow(/not a plain dense network: layer "bn" is a BatchNormalization/);
    await bb.dispose?.();
  });

  it('a Keras 2 functional ("Model") file with attributes split into chunks', async () => {
    const config = {
      class_name: 'Model',
      config: {
        name: 'model',
        layers: [
          { class_name: 'InputLayer', name: 'input_1', config: { batch_input_shape: [null, 3], dtype: 'float32', sparse: false, name: 'input_1' }, inbound_nodes: [] },
          { class_name: 'Dense', name: 'dense', config: { name: 'dense', units: 2, activation: 'relu', use_bias: true }, inbound_nodes: [[['input_1', 0, 0, {}]]] },
          { class_name: 'Dense', name: 'dense_1', config: { name: 'dense_1', units: 2, activation: 'softmax', use_bias: true }, inbound_nodes: [[['dense', 0, 0, {}]]] },
        ],
        input_layers: [['input_1', 0, 0]],
        output_layers: [['dense_1', 0, 0]],
      },
    };
    const path = join(tmp(), 'functional.h5');
    await writeKeras2(path, config, [{ name: 'input_1', weights: [] }, ...keras2Weights()], { chunked: true });
    const bb = await loadBlackBox(path, { backend: 'wasm' });
    expectOutputs(await bb.predict(flatInputs(), INPUTS.length), EXPECTED);
    await bb.dispose?.();
  });

  it('an encoder for a Keras model: --encoder (or encoder.json beside it) standardises raw columns', async () => {
    const path = join(tmp(), 'std.keras');
    const { model, vars } = keras3Sequential();
    await writeKeras3(path, model, vars);
    // The network was trained on (x - 1) / 2 of each column.
    const encoder = {
      format: 'surrogate-distill/encoder',
      version: 1,
      schema: { features: ['a', 'b', 'c'].map((name) => ({ name, type: 'numeric' })), target: { name: 'label', kind: 'class', classes: ['no', 'yes'] } },
      features: ['a', 'b', 'c'].map((name) => ({ name, type: 'numeric', standardize: true, mean: 1, std: 2 })),
      inputSize: 3,
    };
    const encPath = join(tmp(), 'std-encoder.json');
    await writeFile(encPath, JSON.stringify(encoder));
    const m = await loadModel(path, { encoderPath: encPath, backend: 'wasm' });
    expect(m.classes).toEqual(['no', 'yes']);
    const raw = INPUTS.map((r) => r.map((v) => 2 * v + 1));
    expectOutputs(await m.predictRows(raw), EXPECTED);
    await m.dispose();
  });
});

describe('Keras files that cannot be loaded: one line naming the file and what is wrong', () => {
  it('an unsupported layer is named by class and name', async () => {
    const { model, vars } = keras3Sequential();
    const layers = (model.config as { layers: unknown[] }).layers;
    layers.splice(1, 0, keras3Layer('Normalization', { name: 'normalization', axis: -1, mean: null, variance: null }));
    const path = join(tmp(), 'norm.keras');
    await writeKeras3(path, model, vars);
    await expect(loadBlackBox(path, { backend: 'wasm' })).rejects.toThrow(
      /norm\.keras!\/config\.json: at \$\.config\.layers\[1\]: layer "normalization" \(Normalization\) is not supported; the layers that can be loaded: InputLayer, Dense, /,
    );
    const gelu = keras2SequentialConfig({ class_name: 'Activation', config: { name: 'act', activation: 'hard_sigmoid' } });
    await writeKeras2(join(tmp(), 'act.h5'), gelu, keras2Weights());
    await expect(loadBlackBox(join(tmp(), 'act.h5'), { backend: 'wasm' })).rejects.toThrow(/layer "act" \(Activation\) cannot be loaded: activation "hard_sigmoid" is not one TF\.js computes the same way/);
  });

  it('a corrupt zip, a truncated or foreign HDF5 file, missing and misshapen weights', async () => {
    const { model, vars } = keras3Sequential();
    const good = join(tmp(), 'good.keras');
    await writeKeras3(good, model, vars);
    const bytes = await readFile(good);
    await writeFile(join(tmp(), 'cut.keras'), bytes.subarray(0, bytes.length - 100));
    await expect(loadBlackBox(join(tmp(), 'cut.keras'))).rejects.toThrow(/cut\.keras: not a readable \.keras file \(a zip of config\.json and model\.weights\.h5\): invalid zip data/);
    await writeKeras3(join(tmp(), 'noh5.keras'), model, vars, { omitEntries: ['model.weights.h5'] });
    await expect(loadBlackBox(join(tmp(), 'noh5.keras'))).rejects.toThrow(/noh5\.keras: the archive has no model\.weights\.h5/);
    await writeKeras3(join(tmp(), 'lost.keras'), model, { 'layers/dense': vars['layers/dense'] });
    await expect(loadBlackBox(join(tmp(), 'lost.keras'))).rejects.toThrow(/lost\.keras!\/model\.weights\.h5: no weights for layer "dense_1" \(Dense\): layers\/dense_1\/vars is missing/);

    await writeKeras2(join(tmp(), 'full.h5'), keras2SequentialConfig(), keras2Weights());
    const h5 = await readFile(join(tmp(), 'full.h5'));
    await writeFile(join(tmp(), 'cut.h5'), h5.subarray(0, 3000));
    await expect(loadBlackBox(join(tmp(), 'cut.h5'))).rejects.toThrow(/cut\.h5: cannot read the HDF5 file: truncated file: eof = 3000.*; the file is corrupt or truncated$/);
    await writeFile(join(tmp(), 'text.h5'), 'not hdf5 at all');
    await expect(loadBlackBox(join(tmp(), 'text.h5'))).rejects.toThrow(/text\.h5: not an HDF5 file \(no HDF5 signature\)/);
    await writeKeras2(join(tmp(), 'half.h5'), keras2SequentialConfig(), keras2Weights().slice(0, 1));
    await expect(loadBlackBox(join(tmp(), 'half.h5'))).rejects.toThrow(/half\.h5: no weights for layer "dense_1" \(Dense\): model_weights\/dense_1 is missing/);
    const wrong = keras2Weights();
    wrong[1].weights[0].shape = [1, 4];
    await writeKeras2(join(tmp(), 'shape.h5'), keras2SequentialConfig(), wrong);
    await expect(loadBlackBox(join(tmp(), 'shape.h5'))).rejects.toThrow(/layer "dense_1" \(Dense\): model_weights\/dense_1\/dense_1\/kernel:0 has shape \[1, 4\], the layer's kernel needs \[2, 2\]/);
  });
});
