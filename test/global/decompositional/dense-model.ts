/**
 * Test helper: a TabularModel around a hand-built DenseNetwork (the black box runs it forward in
 * JS and exposes its weights), so decompositional extractors can be tested without training.
 */
import { fitEncoder, type EncoderJSON } from '../../../src/data/index.js';
import type { Dataset } from '../../../src/data/types.js';
import { createTabularModel } from '../../../src/model/createTabularModel.js';
import { functionBlackBox } from '../../../src/model/functionBlackBox.js';
import type { DenseActivation, DenseLayer, DenseNetwork, TabularModel } from '../../../src/model/types.js';
import { forwardDense } from '../../../src/global/decompositional/dense-network.js';

/** A dense layer from a weight matrix given as `inputs × units` nested arrays. */
export function layer(weights: number[][], biases: number[], activation: DenseActivation): DenseLayer {
  return {
    inputSize: weights.length,
    outputSize: biases.length,
    weights: Float64Array.from(weights.flat()),
    biases: Float64Array.from(biases),
    activation,
  };
}

/** A classification TabularModel that computes `net` on the encoded rows and exposes its weights. */
export function denseModel(net: DenseNetwork, enc: EncoderJSON, opts: { weights?: boolean } = {}): TabularModel {
  const last = net.layers[net.layers.length - 1];
  const bb = functionBlackBox(
    (x, n) => {
      const acts = forwardDense(net, x, n);
      return Float32Array.from(acts[acts.length - 1]);
    },
    { task: 'classification', inputSize: net.layers[0].inputSize, outputSize: last.outputSize, name: 'dense-test-net' },
  );
  return createTabularModel(opts.weights === false ? bb : { ...bb, predict: bb.predict, denseNetwork: () => net }, enc);
}

/** The standardised encoder the toolkit fits to `ds`. */
export function encoderFor(ds: Dataset): EncoderJSON {
  return fitEncoder(ds);
}
