/**
 * The benchmarks' networks and data: dense MLPs (ReLU hidden layers, softmax output) with seeded
 * random weights (Glorot-uniform weights, N(0, 0.1²) biases), as a DenseNetwork and as a TF.js
 * model; the 20-64-64-2 MLP that the LIME and gradient benchmarks explain, and synthetic data for
 * it (20 standard normal columns, class b when x0 > 0).
 */
import * as tf from '@tensorflow/tfjs';
import type { Dataset, Feature, Row } from '../src/data/types.js';
import type { DenseNetwork } from '../src/model/types.js';
import { createRng } from '../src/util/rng.js';

/** Layer widths of the benchmark MLP. */
export const SIZES = [20, 64, 64, 2];

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

/** A network as a TF.js Layers model. */
export function layersModel(net: DenseNetwork): tf.LayersModel {
  const m = tf.sequential();
  net.layers.forEach((l, i) => m.add(tf.layers.dense({ units: l.outputSize, activation: l.activation, inputShape: i === 0 ? [l.inputSize] : undefined })));
  m.setWeights(net.layers.flatMap((l) => [tf.tensor2d(Float32Array.from(l.weights), [l.inputSize, l.outputSize]), tf.tensor1d(Float32Array.from(l.biases))]));
  return m;
}

/** The benchmark MLP (SIZES) as a TF.js Layers model, weights from `seed`. */
export function benchMlp(seed: number): tf.LayersModel {
  return layersModel(randomMlp(SIZES, seed));
}

/** `n` rows of 20 standard normal columns x0..x19 from `seed`, labelled b when x0 > 0, else a. */
export function benchData(n: number, seed: number): Dataset {
  const rng = createRng(seed);
  const features: Feature[] = Array.from({ length: SIZES[0] }, (_, j) => ({ name: `x${j}`, type: 'numeric' }));
  const rows: Row[] = Array.from({ length: n }, () => features.map(() => rng.normal()));
  return { source: 'synthetic', schema: { features, target: { name: 'y', kind: 'class', classes: ['a', 'b'] } }, rows, target: rows.map((r) => ((r[0] as number) > 0 ? 'b' : 'a')), missing: 0 };
}

/** Median of `v`. */
export const median = (v: number[]) => [...v].sort((x, y) => x - y)[Math.floor(v.length / 2)];
