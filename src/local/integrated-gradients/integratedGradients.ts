/**
 * Integrated gradients (Sundararajan, Taly & Yan 2017, "Axiomatic attribution for deep
 * networks"): the gradient integrated along the straight line from the baseline to the row, times
 * the row's difference from the baseline,
 *
 *   a_k = (x_k − b_k) · ∫₀¹ ∂f_c/∂e_k (b + α (x − b)) dα,
 *
 * in the network's encoded input space (one-hot inputs move from the baseline's category to the
 * row's along the way), summed per original column. By completeness the attributions sum to
 * f(x) − f(baseline); the integral is approximated, and `completenessGap` reports how far the sum
 * misses.
 *
 * The integral is taken by the trapezoid rule with `steps` intervals (steps + 1 gradient
 * evaluations, α = s/steps). A ReLU network's gradient jumps along the path, so any fixed rule
 * converges only as 1/steps there; as the paper advises, the gap is checked: a row whose gap
 * exceeds `tolerance` × |f(x) − f(baseline)| has its steps doubled (the trapezoid rule reuses every
 * point it has, adding only the new midpoints) until the gap is within tolerance or `maxSteps` is
 * reached. A refined row says so in its `notes`.
 */
import { attributionExplanation, completenessGap } from '../explanation.js';
import { baselineOutputs, encodeInputs, gradientsFor, rowsPerBatch, timesDifference, type EncodedInputs } from '../gradient/encoded.js';
import type { ExplanationT } from '../schema.js';
import type { LocalContext, MethodResult } from '../types.js';
import type { IntegratedGradientsOptions } from './options.js';

/** Below this the gap is float rounding of the model's outputs: no refinement helps. */
const ROUNDING = 1e-6;

/** One row's running trapezoid sum. */
interface PathSum {
  i: number;
  /** ½ g(0) + g(1/N) + … + g((N−1)/N) + ½ g(1), per encoded input. */
  sum: Float64Array;
  steps: number;
  attributions: Float64Array;
  gap: number;
}

/**
 * The registry's integrated gradients: one explanation per row, rows batched so that one call of
 * the model's gradients holds at most `batchRows` path points.
 *
 * @example
 * const file = await explainRows('integrated-gradients', { model, data, rows, rowIds }, { steps: 128 });
 * file.explanations[0].completenessGap; // 2.1e-5
 */
export async function integratedGradientsMethod(ctx: LocalContext, o: IntegratedGradientsOptions): Promise<MethodResult> {
  const e = encodeInputs(ctx, 'integrated-gradients');
  const n = ctx.rows.length;
  const k = ctx.model.outputSize;
  const fb = await baselineOutputs(ctx);
  const delta = (i: number) => ctx.outputs[i * k + ctx.targets[i]] - fb[ctx.targets[i]];
  const per = rowsPerBatch(o.batchRows, o.steps + 1);
  const explanations: ExplanationT[] = [];
  let evaluated = 0;
  ctx.progress?.(0, n, 'integrated-gradients');
  for (let start = 0; start < n; start += per) {
    const sums: PathSum[] = [];
    for (let i = start; i < Math.min(n, start + per); i++) sums.push({ i, sum: new Float64Array(e.p), steps: o.steps, attributions: new Float64Array(0), gap: Infinity });
    // The first pass: α = s/steps, s = 0 … steps, the two ends with weight ½.
    evaluated += await addPoints(ctx, e, sums, o.steps + 1, (s) => s / o.steps, (s) => (s === 0 || s === o.steps ? 0.5 : 1), o.batchRows);
    const finish = (r: PathSum) => {
      r.attributions = timesDifference(e, r.i, r.sum.map((v) => v / r.steps));
      r.gap = completenessGap(r.attributions, ctx.outputs[r.i * k + ctx.targets[r.i]], fb[ctx.targets[r.i]]);
    };
    sums.forEach(finish);
    // Refinement: double the steps of rows whose gap is out of tolerance, adding the midpoints.
    for (;;) {
      const todo = sums.filter((r) => o.tolerance > 0 && r.gap > Math.max(o.tolerance * Math.abs(delta(r.i)), ROUNDING) && 2 * r.steps <= o.maxSteps);
      if (!todo.length) break;
      const groups = new Map<number, PathSum[]>();
      for (const r of todo) groups.set(r.steps, [...(groups.get(r.steps) ?? []), r]);
      for (const [steps, group] of groups) {
        evaluated += await addPoints(ctx, e, group, steps, (s) => (2 * s + 1) / (2 * steps), () => 1, o.batchRows);
        for (const r of group) r.steps = 2 * steps;
      }
      todo.forEach(finish);
    }
    for (const r of sums) {
      const base = fb[ctx.targets[r.i]];
      const notes: string[] = [];
      const rel = Math.abs(delta(r.i)) > 0 ? r.gap / Math.abs(delta(r.i)) : 0;
      if (r.steps > o.steps) notes.push(`integrated with ${r.steps} steps (from ${o.steps}) to bring the completeness gap within ${o.tolerance} of |f(x) − f(baseline)|`);
      if (o.tolerance > 0 && r.gap > ROUNDING && rel > o.tolerance) notes.push(`the completeness gap is still ${(100 * rel).toPrecision(2)} % of |f(x) − f(baseline)| at ${r.steps} steps (--max-steps ${o.maxSteps})`);
      explanations.push(attributionExplanation(ctx, r.i, 'integrated-gradients', r.attributions, base, { completenessGap: r.gap, ...(notes.length ? { notes } : {}) }));
    }
    ctx.progress?.(Math.min(n, start + per), n, 'integrated-gradients');
  }
  return {
    explanations,
    options: { steps: o.steps, tolerance: o.tolerance, maxSteps: o.maxSteps, rule: 'trapezoid' },
    samples: evaluated,
  };
}

/**
 * Adds `weight(s) × gradient at α(s)` for s = 0 … count − 1 to each row's sum, the rows' points
 * sent in batches of at most `batchRows`; returns the number of points evaluated.
 */
async function addPoints(
  ctx: LocalContext,
  e: EncodedInputs,
  rows: PathSum[],
  count: number,
  alpha: (s: number) => number,
  weight: (s: number) => number,
  batchRows: number,
): Promise<number> {
  const { p } = e;
  const per = rowsPerBatch(batchRows, count);
  for (let start = 0; start < rows.length; start += per) {
    const part = rows.slice(start, start + per);
    const points = new Float32Array(part.length * count * p);
    part.forEach((r, q) => {
      const xo = r.i * p;
      for (let s = 0; s < count; s++) {
        const a = alpha(s);
        const at = (q * count + s) * p;
        for (let j = 0; j < p; j++) points[at + j] = e.b[j] + a * (e.x[xo + j] - e.b[j]);
      }
    });
    const g = await gradientsFor(
      ctx.model,
      points,
      part.length,
      count,
      part.map((r) => ctx.targets[r.i]),
    );
    part.forEach((r, q) => {
      for (let s = 0; s < count; s++) {
        const w = weight(s);
        const at = (q * count + s) * p;
        for (let j = 0; j < p; j++) r.sum[j] += w * g[at + j];
      }
    });
  }
  return rows.length * count;
}
