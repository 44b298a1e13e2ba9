/**
 * Saliency (Simonyan, Vedaldi & Zisserman 2014, "Deep inside convolutional networks"): the
 * gradient of the explained output with respect to each original column at the row, ∂f_c/∂x_j,
 * signed. Numeric columns in output units per unit of the raw column (through the encoder's
 * standardisation); a categorical column gets the directional derivative from the baseline's
 * category to the row's (see src/local/gradient/encoded.ts). A gradient is a rate, not a share of
 * an output difference, so the explanation has no `base`.
 */
import { attributionExplanation } from '../explanation.js';
import { columnGradients, encodeInputs, gradientsFor } from '../gradient/encoded.js';
import type { LocalContext, MethodResult } from '../types.js';

/**
 * The registry's saliency: one explanation per row, one gradient per original column.
 *
 * @example
 * const file = await explainRows('saliency', { model, data, rows: [data.rows[3]], rowIds: [3] });
 * file.explanations[0].attributions; // [{ feature: 'age', value: 41, attribution: 0.013 }, ...] (∂p/∂age per year)
 */
export async function saliencyMethod(ctx: LocalContext): Promise<MethodResult> {
  const e = encodeInputs(ctx, 'saliency');
  const n = ctx.rows.length;
  const g = await gradientsFor(ctx.model, e.x, n, 1, ctx.targets);
  const explanations = ctx.rows.map((_, i) => attributionExplanation(ctx, i, 'saliency', columnGradients(e, i, g.subarray(i * e.p, (i + 1) * e.p)), null));
  return { explanations, options: {}, samples: n };
}
