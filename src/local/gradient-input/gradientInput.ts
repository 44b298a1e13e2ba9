/**
 * Gradient × input (Shrikumar, Greenside, Shcherbina & Kundaje 2016): the gradient at the row
 * times the row's difference from the baseline, per original column (for a numeric column
 * ∂f/∂x_j × (x_j − baseline_j); for a categorical one Σ over its one-hot inputs of
 * ∂f/∂e_k × (x_k − b_k)). With `--baseline zeros` on unstandardised numeric columns it is the
 * classic gradient × input. The attributions are the first-order estimate of f(x) − f(baseline):
 * `base` is f(baseline), and `completenessGap` shows how far the model is from linear between the two.
 */
import { attributionExplanation, completenessGap } from '../explanation.js';
import { baselineOutputs, encodeInputs, gradientsFor, timesDifference } from '../gradient/encoded.js';
import type { LocalContext, MethodResult } from '../types.js';

/**
 * The registry's gradient × input: one explanation per row.
 *
 * @example
 * const file = await explainRows('gradient-input', { model, data, rows, rowIds, baseline: 'zeros' });
 * file.explanations[0].completenessGap; // 0.031: the model is not linear between baseline and row
 */
export async function gradientInputMethod(ctx: LocalContext): Promise<MethodResult> {
  const e = encodeInputs(ctx, 'gradient-input');
  const n = ctx.rows.length;
  const k = ctx.model.outputSize;
  const fb = await baselineOutputs(ctx);
  const g = await gradientsFor(ctx.model, e.x, n, 1, ctx.targets);
  const explanations = ctx.rows.map((_, i) => {
    const a = timesDifference(e, i, g.subarray(i * e.p, (i + 1) * e.p));
    const base = fb[ctx.targets[i]];
    return attributionExplanation(ctx, i, 'gradient-input', a, base, { completenessGap: completenessGap(a, ctx.outputs[i * k + ctx.targets[i]], base) });
  });
  return { explanations, options: {}, samples: n };
}
