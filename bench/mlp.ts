/**
 * The benchmarks' networks: dense MLPs (ReLU hidden layers, softmax output) with seeded random
 * weights (Glorot-uniform weights, small normal biases), as a DenseNetwork and as a TF.js model.
 */
import * as tf from '@tensorflow/tfjs';
import type { DenseNetwork } from '../src/model/types.js';
import { createRng } from '../src/util/rng.js';

/** A `sizes[0]`-…-`sizes[last]` network with seeded random weights. */
export function randomMlp(sizes: readonly number[], seed: number): DenseNetwork {
  const rng = createRng(seed);
  return {
    layers: sizes.slice(1).map((out, l) => {
      const inp = sizes[l];
      const limit = Math.sqrt(6 / (inp + out));
      return {
        inputSize: inp,
        outputSize: out,
        weights: Float64Array.from({ length: inp * out }, () => (2 * rng.uniform() - 1) * limit),
        biases: Float64Array.from({ length: out }, () => 0.1 * rng.normal()),
        activation: l === sizes.length - 2 ? 'softmax' : 'relu',
      };
    }),
  };
}

/** The same network as a TF.js Layers model. */
export function layersModel(net: DenseNetwork): tf.LayersModel {
  const m = tf.sequential();
  net.layers.forEach((l, i) => m.add(tf.layers.dense({ units: l.outputSize, activation: l.activation, inputShape: i === 0 ? [l.inputSize] : undefined })));
  m.setWeights(net.layers.flatMap((l) => [tf.tensor2d(Float32Array.from(l.weights), [l.inputSize, l.outputSize]), tf.tensor1d(Float32Array.from(l.biases))]));
  return m;
}
