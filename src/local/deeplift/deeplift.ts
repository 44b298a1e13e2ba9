/**
 * DeepLIFT with the rescale rule (Shrikumar, Greenside & Kundaje 2017, "Learning important
 * features through propagating activation differences") on a dense network: the explained
 * output's difference from its value at the reference (the baseline) is propagated back as
 * multipliers — through each dense layer by its weights, through each activation by the ratio
 * Δy/Δz (src/local/dense/rescale.ts, which also splits a softmax) — and each encoded input's
 * contribution is its multiplier × (x_k − b_k), summed per original column. By summation to
 * delta the attributions add up to f(x) − f(baseline) (exactly, up to float rounding of the
 * model's own outputs): `completenessGap` reports the rest.
 */
import { rowOf, densePasses, outputSeed } from '../dense/network.js';
import { rescaleLayer } from '../dense/rescale.js';
import { attributionExplanation, completenessGap } from '../explanation.js';
import { baselineOutputs, encodeInputs, timesDifference } from '../gradient/encoded.js';
import type { LocalContext, MethodResult } from '../types.js';

/**
 * The registry's DeepLIFT: one explanation per row.
 *
 * @throws InputError when the model's dense weights cannot be read or do not reproduce its outputs.
 * @example
 * const file = await explainRows('deeplift', { model, data, rows, rowIds, baseline: 'median' });
 * file.explanations[0].completenessGap; // 3e-8
 */
export async function deepLiftMethod(ctx: LocalContext): Promise<MethodResult> {
  const e = encodeInputs(ctx, 'deeplift');
  const { net, rows, baseline } = densePasses(ctx, e, 'deeplift');
  const fb = await baselineOutputs(ctx);
  const k = ctx.model.outputSize;
  const explanations = ctx.rows.map((_, i) => {
    const c = ctx.targets[i];
    let m: Float64Array = outputSeed(net, ctx.model, c).seed;
    for (let l = net.layers.length - 1; l >= 0; l--) {
      const layer = net.layers[l];
      const no = layer.outputSize;
      const pre = rescaleLayer(layer.activation, rowOf(rows.pre[l], i, no), baseline.pre[l], rowOf(rows.post[l + 1], i, no), baseline.post[l + 1], m);
      m = new Float64Array(layer.inputSize);
      for (let q = 0; q < layer.inputSize; q++) {
        let s = 0;
        for (let j = 0; j < no; j++) s += layer.weights[q * no + j] * pre[j];
        m[q] = s;
      }
    }
    const a = timesDifference(e, i, m);
    return attributionExplanation(ctx, i, 'deeplift', a, fb[c], { completenessGap: completenessGap(a, ctx.outputs[i * k + c], fb[c]) });
  });
  return { explanations, options: { rule: 'rescale' }, samples: ctx.rows.length };
}
