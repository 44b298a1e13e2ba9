/**
 * Occlusion (Zeiler & Fergus 2014, "Visualizing and understanding convolutional networks", ECCV;
 * for tabular data, one original column at a time): the attribution of column j is how much the
 * explained output drops when that column alone is replaced,
 *
 *     a_j = f_c(x) − f_c(x with column j replaced),
 *
 * by the baseline's value (default), or by each background row's value in turn, averaged
 * (`replaceWith: 'background'`). A categorical column is replaced whole.
 *
 * `base` is the output at the reference: f_c(baseline), or E[f_c(background)]. Occlusion measures
 * each column alone, so its attributions add up to f(x) − base only for a model without
 * interactions between columns; each explanation reports how far they miss (`completenessGap`).
 */
import type { Row } from '../../data/types.js';
import { maskedMeans, prepareReferences, type MaskedItem } from '../../model/maskedMeans.js';
import { attributionExplanation, completenessGap } from '../explanation.js';
import type { ExplanationT } from '../schema.js';
import type { LocalContext, MethodResult } from '../types.js';
import type { OcclusionResolvedOptions } from './options.js';

export type { OcclusionOptions } from './options.js';

/**
 * The registry's occlusion: one explanation per row of `ctx.rows`, for its explained output.
 *
 * @example
 * const file = await explainRows('occlusion', { model, data, rows }, { replaceWith: 'background' });
 * file.explanations[0].completenessGap; // 0 for an additive model
 */
export async function occlusionMethod(ctx: LocalContext, o: OcclusionResolvedOptions): Promise<MethodResult> {
  const { model, rows } = ctx;
  const d = model.schema.features.length;
  const k = model.outputSize;
  const refRows: Row[] = o.replaceWith === 'background' ? ctx.background : [ctx.baseline];
  const refOut = await model.predictRows(refRows);
  const base = new Float64Array(k);
  for (let r = 0; r < refRows.length; r++) for (let c = 0; c < k; c++) base[c] += refOut[r * k + c];
  for (let c = 0; c < k; c++) base[c] /= refRows.length;
  // Column j occluded: x everywhere but j. A column equal to every reference changes nothing.
  const same = (x: Row, j: number) => refRows.every((r) => (r[j] ?? null) === (x[j] ?? null));
  const columns = rows.map((x) => Array.from({ length: d }, (_, j) => j).filter((j) => !same(x, j)));
  const items: MaskedItem[] = rows.map((x, i) => {
    const masks = new Uint8Array(columns[i].length * d).fill(1);
    columns[i].forEach((j, m) => (masks[m * d + j] = 0));
    return { x, masks, count: columns[i].length, output: ctx.targets[i] };
  });
  ctx.progress?.(0, rows.length, 'occlusion');
  const values = await maskedMeans(model, items, prepareReferences(model, refRows), {
    batchRows: o.batchRows,
    progress: (done, total) => ctx.progress?.(Math.floor((done / Math.max(1, total)) * rows.length), rows.length, 'occlusion'),
  });
  const explanations: ExplanationT[] = rows.map((_, i) => {
    const c = ctx.targets[i];
    const fx = ctx.outputs[i * k + c];
    const a = new Float64Array(d);
    columns[i].forEach((j, m) => (a[j] = fx - values[i][m]));
    return attributionExplanation(ctx, i, 'occlusion', a, base[c], { completenessGap: completenessGap(a, fx, base[c]) });
  });
  ctx.progress?.(rows.length, rows.length, 'occlusion');
  return { explanations, samples: ctx.rows.length * (o.replaceWith === 'background' ? d * refRows.length : d), options: { replaceWith: o.replaceWith, references: refRows.length } };
}
