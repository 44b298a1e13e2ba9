/**
 * KernelSHAP (Lundberg & Lee 2017, "A unified approach to interpreting model predictions",
 * NeurIPS) as a local method of the registry: Shapley values of the explained output with the
 * original columns as players (a categorical column is one player), the value of a coalition S
 * being the model's mean output over the background sample with the row's values on S
 * (interventional Shapley values, v(S) = E_b[f(x_S, b_{~S})]).
 *
 * base = v(∅) = E[f(background)]; the attributions add up to f(x) − base exactly (efficiency). With
 * every coalition evaluated (2^M − 2 within the budget) the values are exact; otherwise a seeded
 * sample of coalitions (see ./coalitions.ts) and the constrained weighted least squares of
 * ./solve.ts estimate them. Model queries are batched across rows; each row's coalitions come from
 * its own random stream (seed, row id), so a row's explanation never depends on the other rows.
 */
import type { Row } from '../../data/types.js';
import { maskedBatchRows, maskedMeans, prepareReferences, type MaskedItem } from '../../model/maskedMeans.js';
import { InputError } from '../../util/errors.js';
import { createRng, substream } from '../../util/rng.js';
import { attributionExplanation } from '../explanation.js';
import type { ExplanationT } from '../schema.js';
import type { LocalContext, MethodResult } from '../types.js';
import { coalitionCount, planCoalitions, type CoalitionPlan } from './coalitions.js';
import { defaultShapSamples, minimumShapSamples, type ShapResolvedOptions } from './options.js';
import { constrainedKernelSolve } from './solve.js';

export type { ShapOptions } from './options.js';

/** One row's work: its players (the columns that vary against the background) and coalitions. */
interface RowPlan {
  i: number;
  players: number[];
  plan: CoalitionPlan | null;
}

/** Columns where some background row differs from `x` (the others are null players: 0). */
function varyingColumns(x: Row, background: readonly Row[]): number[] {
  const out: number[] = [];
  for (let j = 0; j < x.length; j++) {
    const v = x[j] ?? null;
    if (background.some((b) => (b[j] ?? null) !== v)) out.push(j);
  }
  return out;
}

/**
 * The registry's SHAP: one explanation per row of `ctx.rows`, for its explained output.
 *
 * @throws InputError naming `--samples` when the budget cannot determine the attributions.
 * @example
 * const file = await explainRows('shap', { model, data: iris, rows: [iris.rows[100]], rowIds: [100] });
 * file.explanations[0].exact; // true: 4 columns, all 14 coalitions evaluated
 */
export async function shapMethod(ctx: LocalContext, o: ShapResolvedOptions): Promise<MethodResult> {
  const { model, background, rows } = ctx;
  const d = model.schema.features.length;
  const budget = o.samples ?? defaultShapSamples(d);
  const min = minimumShapSamples(d);
  if (budget < min) throw new InputError(`shap needs at least ${min} coalitions for ${d} columns, got ${budget}`, { flag: '--samples' });
  const k = model.outputSize;
  const R = background.length;
  const bgOut = await model.predictRows(background as Row[]);
  const base = new Float64Array(k);
  for (let r = 0; r < R; r++) for (let c = 0; c < k; c++) base[c] += bgOut[r * k + c];
  for (let c = 0; c < k; c++) base[c] /= R;
  const refs = prepareReferences(model, background);
  const batchRows = o.batchRows ?? maskedBatchRows(model);

  const explanations: ExplanationT[] = [];
  // Masked rows evaluated for the explained rows (the background's own outputs are shared by the batch).
  let evaluated = 0;
  ctx.progress?.(0, rows.length, 'shap');
  for (let start = 0; start < rows.length; ) {
    const group = planGroup(ctx, start, budget, 4 * batchRows);
    start += group.length;
    for (const g of group) evaluated += (g.plan?.count ?? 0) * R;
    const values = await maskedMeans(model, groupItems(ctx, group), refs, { batchRows });
    let item = 0;
    for (const g of group) explanations.push(rowExplanation(ctx, g, g.plan ? values[item++] : null, base));
    ctx.progress?.(start, rows.length, 'shap');
  }
  return { explanations, samples: evaluated, options: { samples: budget, background: R, link: 'identity' } };
}

/**
 * The rows planned together from `start`, until the group holds about `perGroup` model rows (a
 * few model calls' worth): each row's players and its coalitions, from its own stream.
 */
function planGroup(ctx: LocalContext, start: number, budget: number, perGroup: number): RowPlan[] {
  const { rows, background } = ctx;
  const group: RowPlan[] = [];
  for (let i = start, load = 0; i < rows.length && (group.length === 0 || load < perGroup); i++) {
    const players = varyingColumns(rows[i], background);
    const plan = players.length >= 2 ? planCoalitions(players.length, budget, createRng(substream(ctx.seed, 'shap', ctx.rowIds[i]))) : null;
    group.push({ i, players, plan });
    load += (plan?.count ?? 0) * background.length;
  }
  return group;
}

/** The masked-means items of a group's rows that have coalitions to evaluate: each coalition as a mask over all columns. */
function groupItems(ctx: LocalContext, group: readonly RowPlan[]): MaskedItem[] {
  const d = ctx.model.schema.features.length;
  const items: MaskedItem[] = [];
  for (const { i, players, plan } of group) {
    if (!plan) continue;
    const masks = new Uint8Array(plan.count * d);
    for (let s = 0; s < plan.count; s++) for (let p = 0; p < players.length; p++) masks[s * d + players[p]] = plan.masks[s * players.length + p];
    items.push({ x: ctx.rows[i], masks, count: plan.count, output: ctx.targets[i] });
  }
  return items;
}

/** One row's explanation from its coalitions' values `y` (null without coalitions: fewer than 2 players). */
function rowExplanation(ctx: LocalContext, { i, players, plan }: RowPlan, y: Float64Array | null, base: Float64Array): ExplanationT {
  const k = ctx.model.outputSize;
  const c = ctx.targets[i];
  const delta = ctx.outputs[i * k + c] - base[c];
  const phi = new Float64Array(ctx.model.schema.features.length);
  if (plan && y) {
    for (let s = 0; s < plan.count; s++) y[s] -= base[c];
    const p = constrainedKernelSolve(plan.masks, plan.weights, y, plan.count, plan.players, delta);
    // Rounding noise of the solve (a player the model ignores) reads as 0, as in the reference.
    players.forEach((j, q) => (phi[j] = Math.abs(p[q]) < 1e-13 ? 0 : p[q]));
  } else if (players.length === 1) phi[players[0]] = delta;
  const e = attributionExplanation(ctx, i, 'shap', phi, base[c]);
  e.exact = plan ? plan.exact : true;
  const notes: string[] = [];
  if (plan && !plan.exact) notes.push(`sampled ${plan.count} of ${coalitionCount(plan.players).toLocaleString('en-US')} coalitions (seeded); the values are estimates`);
  const still = e.attributions.filter((_, j) => !players.includes(j)).map((a) => a.feature);
  if (still.length) notes.push(`equal to the row in every background row, hence 0: ${still.join(', ')}`);
  if (notes.length) e.notes = notes;
  return e;
}
