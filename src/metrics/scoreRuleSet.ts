/**
 * Everything that says how far a rule set can be trusted, in one report: fidelity to the model,
 * accuracy against the truth (model and surrogate side by side), coverage and size.
 */
import { rowCount, type RowsLike } from '../data/table.js';
import { countRules, type RuleCounts } from '../rules/countRules.js';
import { escapeControls } from '../util/text.js';
import { predictLabels } from '../rules/evaluate.js';
import type { FidelitySummaryT, RuleSet } from '../rules/schema.js';
import { accuracyScore, macroF1Score } from './classification.js';
import type { Bootstrapper } from './bootstrap.js';
import { fidelity, fidelityWith, type FidelityReport } from './fidelity.js';
import { meanAbsoluteError, r2Score } from './regression.js';
import { ruleCoverage, type RuleCoverage } from './ruleCoverage.js';

/** Quality against the true labels. */
export type LabelQuality =
  | { task: 'classification'; accuracy: number; macroF1: number }
  | { task: 'regression'; r2: number; mae: number };

export interface Score {
  task: 'classification' | 'regression';
  rows: number;
  /** Surrogate against model. */
  fidelity: FidelityReport;
  /** Model and surrogate against the true labels (rows with a known label), when the data has them. */
  truth: { rows: number; model: LabelQuality; surrogate: LabelQuality } | null;
  coverage: RuleCoverage;
  complexity: RuleCounts;
}

/**
 * Scores a rule set on `rows`: fidelity to `modelLabels` (with a bootstrap interval, per class,
 * confusion matrix), accuracy and macro-F1 (or R² and MAE) of model and surrogate against
 * `trueLabels` when given, completeness, overlap and size.
 *
 * @param modelLabels the model's class index or value per row
 * @param trueLabels true class index or value per row (`NaN`: unknown), as `targetValues(ds)`
 * @example
 * const score = scoreRuleSet(rs, rows, await model.predictLabels(rows), targetValues(ds), { seed: 42 });
 * console.log(renderScore(score));
 */
export function scoreRuleSet(
  rs: RuleSet,
  rows: RowsLike,
  modelLabels: Float64Array,
  trueLabels?: Float64Array,
  opts: { seed?: number; bootstrap?: number } = {},
): Score {
  const surrogate = predictLabels(rs, rows);
  const fid = fidelity(surrogate, modelLabels, fidelityOptions(rs, opts));
  return completeScore(rs, rows, surrogate, modelLabels, trueLabels, fid);
}

/**
 * {@link scoreRuleSet} with the bootstrap replicates computed by `bootstrapper` (e.g. split over
 * worker threads): the same score whichever bootstrapper computes them.
 *
 * @example
 * const score = await scoreRuleSetWith(rs, rows, labels, undefined, { bootstrap: 1000 }, localBootstrap);
 */
export async function scoreRuleSetWith(
  rs: RuleSet,
  rows: RowsLike,
  modelLabels: Float64Array,
  trueLabels: Float64Array | undefined,
  opts: { seed?: number; bootstrap?: number },
  bootstrapper: Bootstrapper,
): Promise<Score> {
  const surrogate = predictLabels(rs, rows);
  const fid = await fidelityWith(surrogate, modelLabels, fidelityOptions(rs, opts), bootstrapper);
  return completeScore(rs, rows, surrogate, modelLabels, trueLabels, fid);
}

function fidelityOptions(rs: RuleSet, opts: { seed?: number; bootstrap?: number }) {
  const classes = rs.schema.target.kind === 'class' ? rs.schema.target.classes : undefined;
  return { task: rs.task, classes, seed: opts.seed, bootstrap: opts.bootstrap };
}

/** The score around a fidelity report: truth metrics, coverage and size. */
function completeScore(rs: RuleSet, rows: RowsLike, surrogate: Float64Array, modelLabels: Float64Array, trueLabels: Float64Array | undefined, fid: FidelityReport): Score {
  let truth: Score['truth'] = null;
  if (trueLabels) {
    const known: number[] = [];
    for (let i = 0; i < trueLabels.length; i++) if (!Number.isNaN(trueLabels[i])) known.push(i);
    if (known.length) {
      const pick = (a: Float64Array) => Float64Array.from(known, (i) => a[i]);
      const t = pick(trueLabels);
      const quality = (p: Float64Array): LabelQuality => {
        if (rs.task === 'classification') return { task: 'classification', accuracy: accuracyScore(p, t), macroF1: macroF1Score(p, t) };
        const ok = Array.from(p.keys()).filter((i) => !Number.isNaN(p[i]));
        return { task: 'regression', r2: r2Score(p, t, ok), mae: meanAbsoluteError(p, t, ok) };
      };
      truth = { rows: known.length, model: quality(pick(modelLabels)), surrogate: quality(pick(surrogate)) };
    }
  }
  return { task: rs.task, rows: rowCount(rows), fidelity: fid, truth, coverage: ruleCoverage(rs, rows), complexity: countRules(rs) };
}

/**
 * The fidelity record stored in a rule set file (`RuleSet.fidelity`).
 *
 * @param data which rows it was measured on, e.g. `held-out 20% of builtin:iris`
 * @throws RangeError for a regression surrogate that predicts no row (R² undefined)
 * @example
 * rs.fidelity = fidelitySummary(scoreRuleSet(rs, test, labels), 'held-out 20% of builtin:iris');
 */
export function fidelitySummary(score: Score, data: string): FidelitySummaryT {
  const f = score.fidelity;
  const value = f.task === 'classification' ? f.agreement : f.r2;
  if (!Number.isFinite(value)) throw new RangeError('fidelitySummary: the surrogate predicts no row, so its R² is undefined');
  return {
    data,
    rows: f.rows,
    metric: f.task === 'classification' ? 'agreement' : 'r2',
    value,
    ci95: f.ci95,
    completeness: score.coverage.completeness,
  };
}

const fmt = (x: number | null, d = 3) => (x === null || Number.isNaN(x) ? 'n/a' : x.toFixed(d));
const ci = (c: [number, number] | null) => (c ? ` (95% CI ${fmt(c[0])}-${fmt(c[1])})` : '');

/**
 * A score as text for people: fidelity with its interval, per class, the confusion matrix,
 * truth metrics side by side, coverage and size.
 *
 * @example
 * process.stdout.write(renderScore(scoreRuleSet(rs, rows, labels)));
 */
export function renderScore(score: Score): string {
  const f = score.fidelity;
  const out: string[] = [`Rows: ${score.rows}`];
  if (f.task === 'classification') {
    out.push(`Fidelity (agreement with the model): ${fmt(f.agreement)}${ci(f.ci95)}${f.bootstrap ? `, bootstrap ${f.bootstrap}, seed ${f.seed}` : ''}`);
    out.push(`Rows with no surrogate prediction: ${f.noPrediction}`);
    out.push('Per class (model class: rows, surrogate agrees, surrogate precision):');
    // Class names come from files: shown with control characters escaped.
    const names = f.perClass.map((c) => escapeControls(c.class));
    const w = names.reduce((m, n) => Math.max(m, n.length), 5);
    f.perClass.forEach((c, k) => out.push(`  ${names[k].padEnd(w)}  ${String(c.modelRows).padStart(6)}  ${fmt(c.agreement)}  ${fmt(c.precision)}`));
    out.push('Confusion (rows: model, columns: surrogate):');
    const classes = f.confusion.classes.map((c) => escapeControls(c));
    const cols = [...classes, 'none'];
    const cw = cols.reduce((m, c) => Math.max(m, c.length), 5);
    out.push(`  ${''.padEnd(w)}  ${cols.map((c) => c.padStart(cw)).join(' ')}`);
    f.confusion.matrix.forEach((row, m) => {
      const cells = [...row, f.confusion.noPrediction[m]].map((x) => String(x).padStart(cw));
      out.push(`  ${classes[m].padEnd(w)}  ${cells.join(' ')}`);
    });
  } else {
    out.push(`Fidelity R² (against the model's outputs): ${fmt(f.r2)}${ci(f.ci95)}`);
    out.push(`Fidelity MAE: ${fmt(f.mae, 4)}${ci(f.maeCi95)}`);
    out.push(`Rows with no surrogate prediction: ${f.noPrediction}`);
  }
  if (score.truth) {
    const t = score.truth;
    if (t.model.task === 'classification' && t.surrogate.task === 'classification') {
      out.push(`Against true labels (${t.rows} rows):  model accuracy ${fmt(t.model.accuracy)}, macro-F1 ${fmt(t.model.macroF1)};  surrogate accuracy ${fmt(t.surrogate.accuracy)}, macro-F1 ${fmt(t.surrogate.macroF1)}`);
    } else if (t.model.task === 'regression' && t.surrogate.task === 'regression') {
      out.push(`Against true values (${t.rows} rows):  model R² ${fmt(t.model.r2)}, MAE ${fmt(t.model.mae, 4)};  surrogate R² ${fmt(t.surrogate.r2)}, MAE ${fmt(t.surrogate.mae, 4)}`);
    }
  } else out.push('Against true labels: n/a (the data has no target column)');
  out.push(`Completeness: ${fmt(score.coverage.completeness)}   Overlap: ${fmt(score.coverage.overlap)}`);
  const c = score.complexity;
  out.push(`Rules: ${c.rules}   Conditions: ${c.conditions} (mean ${c.meanConditions.toFixed(2)}, max ${c.maxConditions} per rule)   Features used: ${c.features}`);
  return out.join('\n') + '\n';
}
