/**
 * Plain-text rendering of explanation files, one block per explanation, shaped by what the
 * explanation holds (not by its method's name): LIME's weighted conditions, a rule, or per-column
 * attributions; each with its faithfulness.
 */
import { renderRule } from '../rules/render.js';
import { escapeControls as safe } from '../util/text.js';
import type { ImportanceFile } from './importance.js';
import type { ExplanationFile, ExplanationT, FaithfulnessT } from './schema.js';

export interface RenderExplanationOptions {
  /** Width of the bars in characters (default 24). */
  width?: number;
  /** Decimal digits of weights and attributions (default 4). */
  digits?: number;
  /** Columns listed per attribution explanation, strongest first (default 10). */
  top?: number;
}

/**
 * Renders an explanation file as text, one block per explanation.
 *
 * @example
 * console.log(renderExplanations(file, { width: 20 }));
 * // row 0: lime, class setosa (model 0.970, local 0.950), R² 0.810, fresh-sample R² 0.780, agreement 0.990
 * //   petal_length <= 1.60        +0.3210  ##########
 * //   ...
 * //   faithfulness: sensitivity-1 0.97, sensitivity-2 0.95; deletion area 0.21 (random order 0.48)
 */
export function renderExplanations(file: ExplanationFile, opts: RenderExplanationOptions = {}): string {
  return file.explanations.map((e) => renderExplanation(e, opts)).join('\n');
}

/** Renders one explanation (see {@link renderExplanations}). */
export function renderExplanation(e: ExplanationT, opts: RenderExplanationOptions = {}): string {
  const lines = e.counterfactual !== undefined ? counterfactualBlock(e) : e.rule ? ruleBlock(e) : e.conditions ? conditionsBlock(e, opts) : attributionBlock(e, opts);
  if (e.missing.length) lines.splice(1, 0, `  (missing in the row: ${e.missing.map((m) => safe(m)).join(', ')})`);
  for (const n of e.notes ?? []) lines.push(`  note: ${safe(n)}`);
  const f = faithfulnessText(e.faithfulness);
  if (f) lines.push(`  faithfulness: ${f}`);
  return lines.join('\n') + '\n';
}

const num = (x: number | null | undefined, digits = 3) => (x === null || x === undefined || !Number.isFinite(x) ? 'n/a' : x.toFixed(digits));
const signed = (x: number, digits: number) => (x >= 0 ? '+' : '-') + Math.abs(x).toFixed(digits);

function what(e: ExplanationT): string {
  let s = e.class !== null ? `class ${safe(e.class)}` : 'value';
  if (e.predictedClass !== null && e.predictedClass !== e.class) s += ` (predicted ${safe(e.predictedClass)})`;
  return s;
}

function bars(values: number[], width: number): string[] {
  const max = Math.max(1e-300, ...values.map(Math.abs));
  return values.map((v) => (v >= 0 ? '#' : '=').repeat(Math.max(v === 0 ? 0 : 1, Math.round((Math.abs(v) / max) * width))));
}

function conditionsBlock(e: ExplanationT, opts: RenderExplanationOptions): string[] {
  const width = opts.width ?? 24;
  const digits = opts.digits ?? 4;
  const s = e.surrogate;
  let head = `row ${e.row}: ${safe(e.method)}, ${what(e)} (model ${num(e.prediction)}, local ${num(s?.localPrediction)})`;
  if (s) head += `, R² ${num(s.r2)}`;
  if (s?.fidelity) {
    head += `, fresh-sample R² ${num(s.fidelity.r2)}`;
    if (s.fidelity.agreement !== null) head += `, agreement ${num(s.fidelity.agreement)}`;
  }
  if (e.stability) head += `, stability Jaccard ${num(e.stability.jaccard)} over ${e.stability.runs} seeds`;
  const conds = (e.conditions ?? []).map((x) => ({ ...x, text: safe(x.text) }));
  const condWidth = conds.reduce((m, x) => Math.max(m, x.text.length), 9);
  const b = bars(conds.map((c) => c.weight), width);
  const lines = [head, `  ${'condition'.padEnd(condWidth)}  ${'weight'.padStart(digits + 3)}`];
  conds.forEach((x, i) => {
    let line = `  ${x.text.padEnd(condWidth)}  ${signed(x.weight, digits).padStart(digits + 3)}  ${b[i]}`;
    const st = e.stability?.features[i];
    if (st) line += `  (selected ${st.selected.toFixed(2)}, same sign ${st.signAgreement.toFixed(2)})`;
    lines.push(line);
  });
  if (s) lines.push(`  ${'intercept'.padEnd(condWidth)}  ${signed(s.intercept, digits).padStart(digits + 3)}`);
  return lines;
}

function attributionBlock(e: ExplanationT, opts: RenderExplanationOptions): string[] {
  const width = opts.width ?? 24;
  const digits = opts.digits ?? 4;
  const top = opts.top ?? 10;
  const facts = [`model ${num(e.prediction)}`];
  if (e.base !== null) facts.push(`base ${num(e.base)}`);
  if (e.exact !== undefined) facts.push(e.exact ? 'exact' : 'sampled');
  if (e.completenessGap !== undefined) facts.push(`completeness gap ${e.completenessGap.toExponential(2)}`);
  const lines = [`row ${e.row}: ${safe(e.method)}, ${what(e)} (${facts.join(', ')})`];
  const ranked = e.attributions.map((a, j) => ({ ...a, j })).sort((x, y) => Math.abs(y.attribution) - Math.abs(x.attribution) || x.j - y.j);
  const shown = ranked.slice(0, top);
  const cell = (v: (typeof shown)[number]) => safe(`${v.feature} = ${v.value === null ? 'missing' : typeof v.value === 'number' ? +v.value.toPrecision(6) : v.value}`);
  const w = shown.reduce((m, v) => Math.max(m, cell(v).length), 6);
  const b = bars(shown.map((v) => v.attribution), width);
  lines.push(`  ${'column'.padEnd(w)}  ${'attribution'.padStart(digits + 3)}`);
  shown.forEach((v, i) => lines.push(`  ${cell(v).padEnd(w)}  ${signed(v.attribution, digits).padStart(Math.max(11, digits + 3))}  ${b[i]}`));
  if (ranked.length > shown.length) lines.push(`  (${ranked.length - shown.length} more columns, smaller)`);
  return lines;
}

/** A counterfactual: the changed columns (from → to), the distance, and the model's answer there. */
function counterfactualBlock(e: ExplanationT): string[] {
  const c = e.counterfactual;
  const head = `row ${e.row}: ${safe(e.method)}, ${what(e)} (model ${num(e.prediction)})`;
  if (!c) return [head, '  no counterfactual found within the data\'s observed values'];
  const cell = (v: unknown) => (v === null ? 'missing' : typeof v === 'number' ? String(+v.toPrecision(6)) : safe(String(v)));
  const w = c.changes.reduce((m, x) => Math.max(m, safe(x.feature).length), 6);
  const lines = [head, `  ${'change'.padEnd(w)}  from -> to`];
  for (const x of c.changes) lines.push(`  ${safe(x.feature).padEnd(w)}  ${cell(x.from)} -> ${cell(x.to)}`);
  const answer = `${c.prediction.flips ? 'flips to' : 'stays at'} ${safe(c.prediction.class)} (${num(c.prediction.probability)} for ${safe(c.wanted)})`;
  lines.push(`  distance ${num(c.distance)} column spreads; the model ${answer}`);
  lines.push(`  from ${c.source === 'rule' && c.rule ? `the rule region ${safe(c.rule)}` : 'a seeded search over observed values'}`);
  return lines;
}

function ruleBlock(e: ExplanationT): string[] {
  const head = `row ${e.row}: ${safe(e.method)}, ${what(e)}: ${e.confident === false ? 'no rule reached the precision threshold; best found' : 'anchor'}`;
  return [head, `  ${renderRule(e.rule!, 0)}`];
}

/** One line of an explanation's faithfulness, or '' when none was measured. */
export function faithfulnessText(f: FaithfulnessT | null): string {
  if (!f) return '';
  const parts: string[] = [];
  if (f.precision) parts.push(`precision ${num(f.precision.value)}${f.precision.ci95 ? ` [${num(f.precision.ci95[0])}, ${num(f.precision.ci95[1])}]` : ''} on ${f.precision.samples} samples`);
  if (f.coverage !== undefined) parts.push(`coverage ${num(f.coverage)}`);
  if (f.sensitivityN.length) parts.push(f.sensitivityN.map((s) => `sensitivity-${s.n} ${num(s.correlation, 2)}`).join(', '));
  if (f.deletion) parts.push(`deletion area ${num(f.deletion.auc)} (random order ${num(f.deletion.randomAuc)})`);
  return parts.join('; ');
}

/**
 * Renders an importance file as text: per method, the columns by decreasing mean |attribution|
 * with their 95 % interval, mean signed attribution and a bar.
 *
 * @example
 * console.log(renderImportance(summarizeExplanations(file)));
 * // shap: mean |attribution| over 20 rows (each row's predicted class: setosa 7, versicolor 6, virginica 7); 95% bootstrap interval of 1000 resamples
 * //   column         mean |attr|  95% interval        mean
 * //   petal_length        0.2310  [0.1900, 0.2710]  +0.0120  ########################
 */
export function renderImportance(file: ImportanceFile, opts: RenderExplanationOptions = {}): string {
  const width = opts.width ?? 24;
  const digits = opts.digits ?? 4;
  const blocks = file.summaries.map((s) => {
    const classes = s.classes ? Object.entries(s.classes).map(([c, n]) => `${c} ${n}`).join(', ') : '';
    const what = s.class !== null ? `class ${s.class}` : s.classes ? `each row's explained class: ${classes}` : 'the value';
    const ci = file.bootstrap.resamples > 0 ? `; 95% bootstrap interval of ${file.bootstrap.resamples} resamples` : '';
    const head = `${s.method}: mean |attribution| over ${s.rows} row${s.rows === 1 ? '' : 's'} (${what})${ci}`;
    const ranked = s.features.map((f, j) => ({ ...f, j })).sort((a, b) => b.meanAbs - a.meanAbs || a.j - b.j);
    const w = Math.max(6, ...ranked.map((f) => f.feature.length));
    const b = bars(ranked.map((f) => f.meanAbs), width);
    const interval = (f: (typeof ranked)[number]) => (f.ci95 ? `[${f.ci95[0].toFixed(digits)}, ${f.ci95[1].toFixed(digits)}]` : '-');
    const iw = Math.max(12, ...ranked.map((f) => interval(f).length));
    const lines = [head, `  ${'column'.padEnd(w)}  ${'mean |attr|'.padStart(11)}  ${'95% interval'.padEnd(iw)}  ${'mean'.padStart(digits + 3)}`];
    ranked.forEach((f, i) => lines.push(`  ${f.feature.padEnd(w)}  ${f.meanAbs.toFixed(digits).padStart(11)}  ${interval(f).padEnd(iw)}  ${signed(f.mean, digits).padStart(digits + 3)}  ${b[i]}`));
    return lines.join('\n') + '\n';
  });
  return blocks.join('\n');
}
