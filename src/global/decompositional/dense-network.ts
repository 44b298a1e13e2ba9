/**
 * The weights side of the decompositional extractors (cred, deepred, mofn): reading a black box's
 * dense layers, and running them forward in plain JS (src/model/denseForward.ts), so that every
 * hidden unit's activation on the extraction sample is available.
 */
import type { DenseNetwork, TabularModel } from '../../model/types.js';
import { InputError } from '../../util/errors.js';

export { denseLayerForward, forwardDense } from '../../model/denseForward.js';

/**
 * The network behind `model`, for a decompositional method.
 *
 * @param model the black box with its encoder
 * @param method the extractor's name, for the message
 * @throws InputError when the black box does not expose its weights (HTTP endpoints, JS functions),
 *   when it is a regression model, or when the layers do not chain.
 * @example
 * const net = readDenseNetwork(model, 'cred'); // net.layers[0].inputSize === encoder.inputSize
 */
export function readDenseNetwork(model: TabularModel, method: string): DenseNetwork {
  const bb = model.blackBox;
  if (typeof bb.denseNetwork !== 'function') {
    throw new InputError(
      `${method} needs the network's weights; ${model.identity.type} models do not expose them: use a pedagogical method (cart, trepan)`,
    );
  }
  if (model.task !== 'classification') {
    throw new InputError(`${method} extracts classification rules; this model is a regression model: use cart or trepan`);
  }
  const net = bb.denseNetwork();
  if (net.layers.length === 0) throw new InputError(`${method}: the network has no layers`);
  for (let l = 0; l < net.layers.length; l++) {
    const layer = net.layers[l];
    if (layer.weights.length !== layer.inputSize * layer.outputSize || layer.biases.length !== layer.outputSize) {
      throw new InputError(`${method}: layer ${l + 1} has inconsistent weight shapes`);
    }
    if (l > 0 && layer.inputSize !== net.layers[l - 1].outputSize) {
      throw new InputError(`${method}: layer ${l + 1} takes ${layer.inputSize} inputs but layer ${l} gives ${net.layers[l - 1].outputSize}`);
    }
  }
  const last = net.layers[net.layers.length - 1];
  if (last.outputSize !== model.outputSize) {
    throw new InputError(`${method}: the network's last layer has ${last.outputSize} units but the model has ${model.outputSize} outputs`);
  }
  return net;
}

/**
 * The class index the network predicts per row from its output layer's activations: the argmax,
 * or for a single output unit, 1 when it exceeds 0.5 (0 for a linear unit).
 */
export function outputClasses(net: DenseNetwork, outputs: Float64Array, n: number): Int32Array {
  const last = net.layers[net.layers.length - 1];
  const k = last.outputSize;
  const cut = last.activation === 'linear' || last.activation === 'tanh' ? 0 : 0.5;
  const labels = new Int32Array(n);
  for (let r = 0; r < n; r++) {
    if (k === 1) {
      labels[r] = outputs[r] > cut ? 1 : 0;
      continue;
    }
    let best = 0;
    for (let j = 1; j < k; j++) if (outputs[r * k + j] > outputs[r * k + best]) best = j;
    labels[r] = best;
  }
  return labels;
}
