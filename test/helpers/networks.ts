/**
 * Small hand-written networks for the gradient and dense-network tests: seeded weights set into a
 * TF.js Layers model, its ONNX copy (denseNetworkToOnnx), and a dataset with a categorical column
 * and two numeric ones of different scales, encoded with standardisation.
 */
import * as tf from '@tensorflow/tfjs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fitEncoder, type EncoderJSON } from '../../src/data/encoder.js';
import type { Dataset, Feature, Row } from '../../src/data/types.js';
import { createTabularModel, denseNetworkToOnnx, layersBlackBox, layersDenseNetwork, onnxBlackBox } from '../../src/model/index.js';
import type { TabularModel } from '../../src/model/types.js';
import { createRng } from '../../src/util/rng.js';

/** `n` rows: colour (red/green/blue), size (~N(10, 3)), weight (~N(0, 0.5)); class from `classes` in turn. */
export function mixedData(n = 60, seed = 5, classes = ['yes', 'no', 'maybe']): Dataset {
  const rng = createRng(seed);
  const features: Feature[] = [
    { name: 'colour', type: 'categorical', categories: ['red', 'green', 'blue'] },
    { name: 'size', type: 'numeric' },
    { name: 'weight', type: 'numeric' },
  ];
  const rows: Row[] = Array.from({ length: n }, () => [['red', 'green', 'blue'][rng.int(3)], 10 + 3 * rng.normal(), 0.5 * rng.normal()]);
  return { source: 'mixed', schema: { features, target: { name: 'y', kind: 'class', classes } }, rows, target: rows.map((_, i) => classes[i % 3]), missing: 0 };
}

/**
 * A Sequential Layers model with seeded weights (uniform in ±scale·sqrt(6/(in+out)), biases
 * N(0, 0.3²)): `sizes[0]` inputs, then one Dense layer per further size with `activations[l]`.
 */
export function layersNet(sizes: number[], activations: string[], seed: number, scale = 1.5): tf.LayersModel {
  const rng = createRng(seed);
  const m = tf.sequential();
  const weights: tf.Tensor[] = [];
  for (let l = 1; l < sizes.length; l++) {
    const [inp, out] = [sizes[l - 1], sizes[l]];
    m.add(tf.layers.dense({ units: out, activation: activations[l - 1] as 'relu', inputShape: l === 1 ? [inp] : undefined }));
    const limit = scale * Math.sqrt(6 / (inp + out));
    weights.push(tf.tensor2d(Float32Array.from({ length: inp * out }, () => (2 * rng.uniform() - 1) * limit), [inp, out]));
    weights.push(tf.tensor1d(Float32Array.from({ length: out }, () => 0.3 * rng.normal())));
  }
  m.setWeights(weights);
  return m;
}

/** The TF.js model and its ONNX copy (written under `dir`) as TabularModels over `enc`. */
export async function modelPair(net: tf.LayersModel, enc: EncoderJSON, dir: string, name: string): Promise<{ tfjs: TabularModel; onnx: TabularModel }> {
  const path = join(dir, `${name}.onnx`);
  await writeFile(path, denseNetworkToOnnx(layersDenseNetwork(net)));
  return { tfjs: createTabularModel(layersBlackBox(net, { source: name }), enc), onnx: createTabularModel(await onnxBlackBox(path), enc) };
}

export { fitEncoder };
