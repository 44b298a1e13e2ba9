/**
 * Plain-text rendering of LIME explanations: per row and label a header (model and local
 * prediction, R², local fidelity) and a ranked table of conditions with signed weights and a bar.
 */
import type { ExplanationFile, ExplanationT } from './schema.js';

/**
 * Renders an explanation file as text, one block per explained row and label.
 *
 * @example
 * console.log(renderExplanations(file, { width: 20 }));
 * // row 0: class setosa (model 0.97, local 0.95), R² 0.81, fresh-sample R² 0.78, agreement 0.99
 * //   petal_length <= 1.6         +0.3210  ##########
 */
export function renderExplanations(file: ExplanationFile, opts: { width?: number; digits?: number } = {}): string {
  return file.explanations.map((e) => renderExplanation(e, opts)).join('\n');
}

/** Renders one explanation (see {@link renderExplanations}). */
export function renderExplanation(e: ExplanationT, opts: { width?: number; digits?: number } = {}): string {
  const width = opts.width ?? 24;
  const digits = opts.digits ?? 4;
  const f = (x: number | null) => (x === null ? 'n/a' : x.toFixed(digits >= 3 ? 3 : digits));
  const what = e.label !== null ? `class ${e.label}` : 'value';
  let head = `row ${e.row}: ${what} (model ${f(e.prediction)}, local ${f(e.localPrediction)})`;
  if (e.predictedClass !== null && e.predictedClass !== e.label) head += `, predicted ${e.predictedClass}`;
  head += `, R² ${f(e.r2)}`;
  if (e.fidelity) {
    head += `, fresh-sample R² ${f(e.fidelity.r2)}`;
    if (e.fidelity.agreement !== null) head += `, agreement ${f(e.fidelity.agreement)}`;
  }
  if (e.stability) head += `, stability Jaccard ${f(e.stability.jaccard)} over ${e.stability.runs} seeds`;
  const lines = [head];
  if (e.imputed.length) lines.push(`  (missing, imputed for sampling: ${e.imputed.join(', ')})`);
  const max = Math.max(1e-300, ...e.features.map((x) => Math.abs(x.weight)));
  const condWidth = Math.max(9, ...e.features.map((x) => x.text.length));
  lines.push(`  ${'condition'.padEnd(condWidth)}  ${'weight'.padStart(digits + 3)}`);
  e.features.forEach((x, i) => {
    const w = (x.weight >= 0 ? '+' : '-') + Math.abs(x.weight).toFixed(digits);
    const bar = (x.weight >= 0 ? '#' : '=').repeat(Math.max(x.weight === 0 ? 0 : 1, Math.round((Math.abs(x.weight) / max) * width)));
    let line = `  ${x.text.padEnd(condWidth)}  ${w.padStart(digits + 3)}  ${bar}`;
    const s = e.stability?.features[i];
    if (s) line += `  (selected ${s.selected.toFixed(2)}, same sign ${s.signAgreement.toFixed(2)})`;
    lines.push(line);
  });
  lines.push(`  ${'intercept'.padEnd(condWidth)}  ${((e.intercept >= 0 ? '+' : '-') + Math.abs(e.intercept).toFixed(digits)).padStart(digits + 3)}`);
  return lines.join('\n') + '\n';
}
