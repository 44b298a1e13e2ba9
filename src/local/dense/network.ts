/**
 * What DeepLIFT and LRP share: the model's dense layers, checked against its encoder and outputs,
 * the forward passes of the explained rows and of the baseline, and the output explained as a
 * weighted sum of the last layer's units.
 */
import { densePass, type DensePass } from '../../model/denseForward.js';
import type { DenseNetwork, TabularModel } from '../../model/types.js';
import { InputError } from '../../util/errors.js';
import type { EncodedInputs } from '../gradient/encoded.js';
import type { LocalContext } from '../types.js';

/** The network with the forward passes of the rows and of the baseline. */
export interface DensePasses {
  net: DenseNetwork;
  rows: DensePass;
  baseline: DensePass;
}

/**
 * Output `c` of the model as `seed · out + constant` over the last layer's units: the unit vector
 * of `c`, or for a single sigmoid unit seen as `[1 − p, p]`, +1 (class 1) or −1 (class 0, whose
 * probability is 1 − p).
 */
export function outputSeed(net: DenseNetwork, model: TabularModel, c: number): { seed: Float64Array; constant: number } {
  const last = net.layers[net.layers.length - 1];
  const seed = new Float64Array(last.outputSize);
  if (last.outputSize === 1 && model.outputSize === 2) {
    seed[0] = c === 1 ? 1 : -1;
    return { seed, constant: c === 1 ? 0 : 1 };
  }
  seed[c] = 1;
  return { seed, constant: 0 };
}

/**
 * The model's dense layers with the forward passes of `e`'s rows and baseline, after checking that
 * the layers take the encoder's inputs, give the model's outputs, and reproduce the model's
 * outputs at the explained rows (so that a layer read wrongly cannot go unnoticed).
 *
 * @throws InputError naming `--method` when the weights cannot be read or do not reproduce the model.
 * @example
 * const { net, rows, baseline } = densePasses(ctx, encodeInputs(ctx, 'deeplift'), 'deeplift');
 */
export function densePasses(ctx: LocalContext, e: EncodedInputs, method: string): DensePasses {
  const { model } = ctx;
  const bb = model.blackBox;
  if (typeof bb.denseNetwork !== 'function') throw new InputError(`${method} needs the model's dense weights, which this model (${model.identity.type}) does not expose`, { flag: '--method' });
  const net = bb.denseNetwork();
  const first = net.layers[0];
  const last = net.layers[net.layers.length - 1];
  const pair = last.outputSize === 1 && last.activation === 'sigmoid' && model.outputSize === 2;
  if (!first || first.inputSize !== e.p || (!pair && last.outputSize !== model.outputSize)) {
    throw new InputError(`${method}: the model's dense layers take ${first?.inputSize} inputs and give ${last?.outputSize} outputs; the model has ${e.p} and ${model.outputSize}`, { flag: '--method' });
  }
  const n = ctx.rows.length;
  const rows = densePass(net, e.x, n);
  const baseline = densePass(net, e.b, 1);
  const out = rows.post[rows.post.length - 1];
  const k = model.outputSize;
  for (let i = 0; i < n; i++) {
    const c = ctx.targets[i];
    const { seed, constant } = outputSeed(net, model, c);
    let f = constant;
    for (let u = 0; u < last.outputSize; u++) f += seed[u] * out[i * last.outputSize + u];
    const y = ctx.outputs[i * k + c];
    if (!(Math.abs(f - y) <= 1e-4 + 1e-3 * Math.abs(y))) {
      throw new InputError(`${method}: the dense layers read from the model do not reproduce its output at row ${ctx.rowIds[i]} (${f.toPrecision(6)} against ${y.toPrecision(6)})`, { flag: '--method' });
    }
  }
  return { net, rows, baseline };
}

/** Row `i` of a per-layer array of `width` values per row. */
export function rowOf(values: Float64Array, i: number, width: number): Float64Array {
  return values.subarray(i * width, (i + 1) * width);
}
