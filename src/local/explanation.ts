/**
 * The core of one attribution explanation (row, class, prediction, base, one attribution per
 * original column), built the same way for every attribution method from the run's context.
 */
import type { ExplanationT } from './schema.js';
import type { LocalContext } from './types.js';

/**
 * The explanation of row `i` of `ctx` by `method`: the class explained is `ctx.targets[i]`, the
 * prediction the model's output for it, `attributions` one value per original column (schema
 * order). `faithfulness` is left null for the runner to measure; `extra` adds method-specific
 * fields (`completenessGap`, `notes`, ...).
 *
 * @example
 * attributionExplanation(ctx, 0, 'saliency', [0.12, -0.4], null);
 * // { row: 17, method: 'saliency', class: 'yes', prediction: 0.81, base: null, attributions: [{ feature: 'age', value: 41, attribution: 0.12 }, ...], ... }
 */
export function attributionExplanation(
  ctx: LocalContext,
  i: number,
  method: string,
  attributions: ArrayLike<number>,
  base: number | null,
  extra: Partial<ExplanationT> = {},
): ExplanationT {
  const { model } = ctx;
  const k = model.outputSize;
  const features = model.schema.features;
  const classification = model.task === 'classification';
  const classes = model.classes ?? [];
  const c = ctx.targets[i];
  let argmax = 0;
  for (let j = 1; j < k; j++) if (ctx.outputs[i * k + j] > ctx.outputs[i * k + argmax]) argmax = j;
  const row = ctx.rows[i];
  return {
    row: ctx.rowIds[i],
    method,
    class: classification ? (classes[c] ?? String(c)) : null,
    classIndex: classification ? c : null,
    predictedClass: classification ? (classes[argmax] ?? String(argmax)) : null,
    prediction: ctx.outputs[i * k + c],
    base,
    instance: row.map((v) => (v === undefined ? null : v)),
    missing: features.filter((_, j) => row[j] === null || row[j] === undefined || (typeof row[j] === 'number' && !Number.isFinite(row[j]))).map((f) => f.name),
    attributions: features.map((f, j) => ({ feature: f.name, value: row[j] ?? null, attribution: attributions[j] })),
    faithfulness: null,
    ...extra,
  };
}

/**
 * |Σ attributions − (prediction − base)|: how far attributions miss summing to the output's
 * difference from the base.
 *
 * @example
 * completenessGap([0.2, 0.1], 0.8, 0.5); // 0 (within rounding)
 */
export function completenessGap(attributions: ArrayLike<number>, prediction: number, base: number): number {
  let s = 0;
  for (let j = 0; j < attributions.length; j++) s += attributions[j];
  return Math.abs(s - (prediction - base));
}
