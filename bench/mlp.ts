/**
 * The 20-64-64-2 MLP (ReLU, softmax) with seeded random weights that the LIME and gradient
 * benchmarks explain, and synthetic data for it (20 standard normal columns, class b when x0 > 0).
 */
import * as tf from '@tensorflow/tfjs';
import type { Dataset, Feature, Row } from '../src/data/types.js';
import { createRng } from '../src/util/rng.js';

/** Layer widths of the benchmark MLP. */
export const SIZES = [20, 64, 64, 2];

/** The MLP as a TF.js Layers model: Glorot-uniform weights and N(0, 0.1²) biases from `seed`. */
export function benchMlp(seed: number): tf.LayersModel {
  const rng = createRng(seed);
  const m = tf.sequential();
  const weights: tf.Tensor[] = [];
  for (let l = 1; l < SIZES.length; l++) {
    const inp = SIZES[l - 1];
    const out = SIZES[l];
    m.add(tf.layers.dense({ units: out, activation: l === SIZES.length - 1 ? 'softmax' : 'relu', inputShape: l === 1 ? [inp] : undefined }));
    const limit = Math.sqrt(6 / (inp + out));
    weights.push(tf.tensor2d(Float32Array.from({ length: inp * out }, () => (2 * rng.uniform() - 1) * limit), [inp, out]));
    weights.push(tf.tensor1d(Float32Array.from({ length: out }, () => 0.1 * rng.normal())));
  }
  m.setWeights(weights);
  return m;
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
