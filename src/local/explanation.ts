/**
 * The core every attribution explanation shares (row, class, prediction, base, per-column
 * attributions), built from a run's context so that each attribution method only computes its
 * numbers.
 */
import type { ExplanationT } from './schema.js';
import type { LocalContext } from './types.js';

/**
 * The explanation of row `i` of `ctx` (its explained output `ctx.targets[i]`) by `method`, with one
 * attribution per original column in schema order and `faithfulness` left for the runner.
 *
 * @example
 * const e = attributionExplanation(ctx, 0, 'occlusion', [0.2, -0.1, 0], 0.41);
 * e.attributions[0]; // { feature: 'x0', value: 1.3, attribution: 0.2 }
 */
export function attributionExplanation(ctx: LocalContext, i: number, method: string, attributions: ArrayLike<number>, base: number | null): ExplanationT {
  const { model } = ctx;
  const features = model.schema.features;
  const k = model.outputSize;
  const cls = model.task === 'classification';
  const classes = model.classes ?? [];
  const target = ctx.targets[i];
  let argmax = 0;
  for (let c = 1; c < k; c++) if (ctx.outputs[i * k + c] > ctx.outputs[i * k + argmax]) argmax = c;
  const row = ctx.rows[i];
  const value = (j: number) => row[j] ?? null;
  return {
    row: ctx.rowIds[i],
    method,
    class: cls ? (classes[target] ?? String(target)) : null,
    classIndex: cls ? target : null,
    predictedClass: cls ? (classes[argmax] ?? String(argmax)) : null,
    prediction: ctx.outputs[i * k + target],
    base,
    instance: features.map((_, j) => value(j)),
    missing: features.filter((_, j) => value(j) === null).map((f) => f.name),
    attributions: features.map((f, j) => ({ feature: f.name, value: value(j), attribution: attributions[j] })),
    faithfulness: null,
  };
}
