/**
 * SmoothGrad (Smilkov, Thorat, Kim, Viégas & Wattenberg 2017, "SmoothGrad: removing noise by
 * adding noise"): the gradient averaged over `samples` noisy copies of the row,
 *
 *   ĝ = (1/N) Σ_s ∇f_c(x + ε_s),  ε_s,j ~ N(0, (noise · (max_j − min_j))²),
 *
 * with the noise of each numeric column a share of its range in the background data (the paper's
 * σ / (x_max − x_min), 10–20 % recommended). Categorical columns are not perturbed (a one-hot
 * input has no neighbourhood). The averaged gradient is reported per column as saliency reports
 * one (a rate; no `base`), or with `timesInput` multiplied by the difference from the baseline as
 * gradient × input does (then `base` is f(baseline) and `completenessGap` is reported). Each row
 * draws its noise from its own stream (seed, 'smoothgrad', row number).
 */
import type { Dataset } from '../../data/types.js';
import { createRng, substream } from '../../util/rng.js';
import { attributionExplanation, completenessGap } from '../explanation.js';
import { baselineOutputs, columnGradients, encodeInputs, gradientsFor, rowsPerBatch, timesDifference, type EncodedInputs } from '../gradient/encoded.js';
import type { LocalContext, MethodResult } from '../types.js';
import type { SmoothGradOptions } from './options.js';

/**
 * The registry's SmoothGrad: one explanation per row.
 *
 * @example
 * const file = await explainRows('smoothgrad', { model, data, rows, rowIds, seed: 7 }, { samples: 100, noise: 0.1 });
 */
export async function smoothGradMethod(ctx: LocalContext, o: SmoothGradOptions): Promise<MethodResult> {
  const e = encodeInputs(ctx, 'smoothgrad');
  const { p } = e;
  const n = ctx.rows.length;
  const k = ctx.model.outputSize;
  const sigma = encodedNoise(e, ctx.data, o.noise);
  const fb = o.timesInput ? await baselineOutputs(ctx) : null;
  const per = rowsPerBatch(o.batchRows, o.samples);
  const explanations = [];
  ctx.progress?.(0, n, 'smoothgrad');
  for (let start = 0; start < n; start += per) {
    const m = Math.min(per, n - start);
    const points = new Float32Array(m * o.samples * p);
    for (let r = 0; r < m; r++) {
      const i = start + r;
      const rng = createRng(substream(ctx.seed, 'smoothgrad', ctx.rowIds[i]));
      for (let s = 0; s < o.samples; s++) {
        const at = (r * o.samples + s) * p;
        for (let q = 0; q < p; q++) points[at + q] = e.x[i * p + q] + (sigma[q] > 0 ? sigma[q] * rng.normal() : 0);
      }
    }
    const g = await gradientsFor(ctx.model, points, m, o.samples, ctx.targets.slice(start, start + m));
    for (let r = 0; r < m; r++) {
      const i = start + r;
      const avg = new Float64Array(p);
      for (let s = 0; s < o.samples; s++) {
        const at = (r * o.samples + s) * p;
        for (let q = 0; q < p; q++) avg[q] += g[at + q];
      }
      for (let q = 0; q < p; q++) avg[q] /= o.samples;
      const c = ctx.targets[i];
      if (fb) {
        const a = timesDifference(e, i, avg);
        explanations.push(attributionExplanation(ctx, i, 'smoothgrad', a, fb[c], { completenessGap: completenessGap(a, ctx.outputs[i * k + c], fb[c]) }));
      } else explanations.push(attributionExplanation(ctx, i, 'smoothgrad', columnGradients(e, i, avg), null));
    }
    ctx.progress?.(start + m, n, 'smoothgrad');
  }
  return { explanations, options: { samples: o.samples, noise: o.noise, timesInput: o.timesInput }, samples: ctx.rows.length * o.samples };
}

/**
 * The noise standard deviation of each encoded input: `noise × (max − min)` of its numeric column
 * over `data`, in encoded units (× ∂e/∂raw); 0 for one-hot inputs and constant columns.
 */
function encodedNoise(e: EncodedInputs, data: Dataset, noise: number): Float64Array {
  const sigma = new Float64Array(e.p);
  let k = 0;
  e.enc.features.forEach((f, j) => {
    if (f.type !== 'numeric') {
      k += f.categories.length;
      return;
    }
    let lo = Infinity;
    let hi = -Infinity;
    for (const row of data.rows) {
      const v = row[j];
      if (typeof v === 'number' && Number.isFinite(v)) {
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
    }
    sigma[k] = hi > lo ? noise * (hi - lo) * e.jacobian[k] : 0;
    k++;
  });
  return sigma;
}
