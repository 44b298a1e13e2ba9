/**
 * Layer-wise relevance propagation with the ε-rule (Bach, Binder, Montavon, Klauschen, Müller &
 * Samek 2015, "On pixel-wise explanations for non-linear classifier decisions by layer-wise
 * relevance propagation") on a dense network, applied to the difference from the baseline so
 * that relevance sums to f(x) − f(baseline):
 *
 * - The relevance put on the explained output is f_c(x) − f_c(baseline). It passes through an
 *   elementwise activation unchanged; a softmax output splits it over its logits by DeepLIFT's
 *   rescale rule (src/local/dense/rescale.ts).
 * - Through a dense layer, unit j's relevance R_j goes to its inputs by the ε-rule on the
 *   differences c_ij = w_ij (a_i(x) − a_i(baseline)), whose sum is Δz_j (the biases cancel, so
 *   they absorb nothing, unlike LRP on f(x) itself, where each bias keeps R_j b_j / z_j):
 *   R_i ← R_j c_ij / (Δz_j + ε sign Δz_j). The ε-rule damps units whose inputs nearly cancel, and
 *   would absorb the share R_j ε sign Δz_j / (Δz_j + ε sign Δz_j); that share is handed down to
 *   the inputs in proportion to |c_ij| instead, so that every layer conserves relevance and the
 *   attributions sum to f(x) − f(baseline). An input equal to its baseline value gets nothing.
 * - With ε = 0 the rule is DeepLIFT's rescale rule exactly; ε > 0 moves relevance from signed
 *   shares toward shares of magnitude at units whose net change |Δz_j| is small next to ε.
 */
import { densePasses, outputSeed, rowOf } from '../dense/network.js';
import { rescaleLayer } from '../dense/rescale.js';
import { attributionExplanation, completenessGap } from '../explanation.js';
import { baselineOutputs, encodeInputs } from '../gradient/encoded.js';
import { sumToColumns } from '../../data/encodedColumns.js';
import type { LocalContext, MethodResult } from '../types.js';
import type { LrpOptions } from './options.js';

/**
 * The registry's LRP-ε: one explanation per row.
 *
 * @throws InputError when the model's dense weights cannot be read or do not reproduce its outputs.
 * @example
 * const file = await explainRows('lrp', { model, data, rows, rowIds }, { epsilon: 0.1 });
 */
export async function lrpMethod(ctx: LocalContext, o: LrpOptions): Promise<MethodResult> {
  const e = encodeInputs(ctx, 'lrp');
  const { net, rows, baseline } = densePasses(ctx, e, 'lrp');
  const fb = await baselineOutputs(ctx);
  const k = ctx.model.outputSize;
  const L = net.layers.length;
  const explanations = ctx.rows.map((_, i) => {
    const c = ctx.targets[i];
    const { seed } = outputSeed(net, ctx.model, c);
    // Relevance of the last layer's units: seed_u × Δout_u, summing to Δf_c.
    const top = net.layers[L - 1];
    let r: Float64Array = new Float64Array(top.outputSize);
    const yx = rowOf(rows.post[L], i, top.outputSize);
    for (let u = 0; u < top.outputSize; u++) r[u] = seed[u] * (yx[u] - baseline.post[L][u]);
    for (let l = L - 1; l >= 0; l--) {
      const layer = net.layers[l];
      const no = layer.outputSize;
      const ni = layer.inputSize;
      const zx = rowOf(rows.pre[l], i, no);
      if (layer.activation === 'softmax') {
        // Split over the logits by the rescale rule: multipliers m_post = R / Δp (= seed at the top).
        const px = rowOf(rows.post[l + 1], i, no);
        const m = l === L - 1 ? seed : Float64Array.from(r, (v, j) => (Math.abs(px[j] - baseline.post[l + 1][j]) > 1e-12 ? v / (px[j] - baseline.post[l + 1][j]) : 0));
        const mPre = rescaleLayer('softmax', zx, baseline.pre[l], px, baseline.post[l + 1], m);
        r = Float64Array.from(mPre, (v, j) => v * (zx[j] - baseline.pre[l][j]));
      }
      r = epsilonRule(layer.weights, ni, no, rowOf(rows.post[l], i, ni), baseline.post[l], r, o.epsilon);
    }
    const a = sumToColumns(e.enc, r);
    return attributionExplanation(ctx, i, 'lrp', a, fb[c], { completenessGap: completenessGap(a, ctx.outputs[i * k + c], fb[c]) });
  });
  return { explanations, options: { epsilon: o.epsilon, rule: 'epsilon, on the difference from the baseline, conserving' }, samples: ctx.rows.length };
}

/**
 * The conserving ε-rule through one dense layer (see the module comment): relevance `r` of its
 * units to relevance of its inputs, from the inputs' activations at the row (`ax`) and at the
 * baseline (`ab`).
 */
function epsilonRule(weights: Float64Array, ni: number, no: number, ax: ArrayLike<number>, ab: ArrayLike<number>, r: Float64Array, epsilon: number): Float64Array {
  const da = new Float64Array(ni);
  for (let q = 0; q < ni; q++) da[q] = ax[q] - ab[q];
  const dz = new Float64Array(no);
  const mass = new Float64Array(no);
  for (let q = 0; q < ni; q++) {
    if (da[q] === 0) continue;
    for (let j = 0; j < no; j++) {
      const cij = weights[q * no + j] * da[q];
      dz[j] += cij;
      mass[j] += Math.abs(cij);
    }
  }
  // Per unit: the factor of c_ij and the factor of |c_ij| in R_i = Σ_j R_j (c_ij · f_j + |c_ij| · g_j).
  const f = new Float64Array(no);
  const g = new Float64Array(no);
  for (let j = 0; j < no; j++) {
    if (r[j] === 0 || mass[j] === 0) continue;
    const den = dz[j] + epsilon * (dz[j] >= 0 ? 1 : -1);
    if (den === 0) continue;
    f[j] = r[j] / den;
    g[j] = (r[j] * (den - dz[j])) / den / mass[j];
  }
  const out = new Float64Array(ni);
  for (let q = 0; q < ni; q++) {
    if (da[q] === 0) continue;
    let s = 0;
    for (let j = 0; j < no; j++) {
      const cij = weights[q * no + j] * da[q];
      s += cij * f[j] + Math.abs(cij) * g[j];
    }
    out[q] = s;
  }
  return out;
}
