/**
 * Gathers a report's plain input from live objects: the model's labels on the data, each rule
 * set's score (scoreRuleSet) and text (renderRuleSet), tree diagrams, explanations and anchors.
 */
import { alignRows, targetValues } from '../data/index.js';
import type { Dataset } from '../data/types.js';
import { summarizeExplanations } from '../local/importance.js';
import type { ExplanationFile, ExplanationT } from '../local/schema.js';
import { scoreRuleSet, type Score } from '../metrics/index.js';
import type { TabularModel } from '../model/types.js';
import { checkRuleSetAgainst, renderCondition, renderRuleSet } from '../rules/index.js';
import { creationTime, TOOL } from '../rules/provenance.js';
import type { RuleSet } from '../rules/schema.js';
import { treeDiagram } from './treeDiagram.js';
import type { ReportData, ReportExplanation, ReportFeature, ReportImportance, ReportInput, ReportRowInfo, ReportRuleSet, ReportScore, ReportStability } from './types.js';

export interface BuildReportOptions {
  /** Heading of each rule set, in order (default: its method, numbered when repeated). */
  names?: string[];
  /** Explanation files (explainRows' results, any methods) to show. */
  explanations?: ExplanationFile | readonly ExplanationFile[] | null;
  /** Further stability measurements to list (those in the explanations are taken from them). */
  stability?: ReportStability[];
  /** Seed of the bootstrap intervals (and recorded in the report). */
  seed?: number;
  /** Bootstrap resamples for the fidelity intervals (scoreRuleSet's default when absent). */
  bootstrap?: number;
  title?: string;
  /** Extra model facts, e.g. training metrics. */
  modelFacts?: Record<string, string | number>;
  /** Decimal digits of thresholds in rule text. */
  digits?: number;
  /** What the rows of `data` are, for the report (default "all N rows of SOURCE"). */
  dataLabel?: string;
  /** Per explained row (index in `data`), its id and why it was chosen (default id: "row N"). */
  rowInfo?: Record<number, Partial<ReportRowInfo>>;
}

/** Key of the model's accuracy on the report's data in `ReportModel.facts`. */
export const MODEL_ACCURACY_FACT = 'accuracy on these rows';

/**
 * Builds the {@link ReportInput} for `model` on `data`: scores every rule set against the model's
 * labels on all rows of `data` (fidelity with a bootstrap interval, completeness, size, accuracy
 * and macro-F1 against the true labels when `data` has them) and collects the explanations.
 *
 * @throws InputError when `data` lacks a column the model or a rule set needs.
 * @example
 * const input = await buildReport(model, data, [cartRules], { explanations, seed: 42 });
 * await writeFileAtomic('report.html', await renderReport(input));
 */
export async function buildReport(model: TabularModel, data: Dataset, ruleSets: readonly RuleSet[], opts: BuildReportOptions = {}): Promise<ReportInput> {
  const modelRows = alignRows(data, model.schema.features);
  const modelLabels = await model.predictLabels(modelRows);
  const truth = targetValues(data);
  const dataClasses = data.schema.target?.kind === 'class' ? data.schema.target.classes : [];
  const names = ruleSetNames(ruleSets, opts.names);
  const dataLabel = opts.dataLabel ?? `all ${data.rows.length} rows of ${data.source}`;

  const reportSets: ReportRuleSet[] = ruleSets.map((rs, i) => {
    checkRuleSetAgainst(rs, data.schema.features, names[i]);
    const rows = alignRows(data, rs.schema.features);
    const rsClasses = rs.schema.target.kind === 'class' ? rs.schema.target.classes : [];
    // Labels are class indices: re-index the model's and the data's classes into the rule set's.
    const modelL = rs.task === 'classification' ? reindex(modelLabels, model.classes ?? [], rsClasses) : modelLabels;
    const trueL = rs.task === 'classification' ? reindex(truth, dataClasses, rsClasses) : truth;
    const score = scoreRuleSet(rs, rows, modelL, data.target ? trueL : undefined, { seed: opts.seed, bootstrap: opts.bootstrap });
    const out: ReportRuleSet = {
      name: names[i],
      ruleSet: rs,
      score: reportScore(score, dataLabel),
      text: renderRuleSet(rs, { digits: opts.digits }),
    };
    if (rs.surrogate.kind === 'tree') out.diagram = treeDiagram(rs.surrogate, (c) => renderCondition(c, { digits: opts.digits }));
    return out;
  });

  const given = opts.explanations;
  const files: readonly ExplanationFile[] = !given ? [] : Array.isArray(given) ? (given as readonly ExplanationFile[]) : [given as ExplanationFile];
  const all = files.flatMap((f) => f.explanations);
  const explanations = all.map((e) => reportExplanation(e, opts.digits));
  const stability: ReportStability[] = [...(opts.stability ?? [])];
  for (const e of all) {
    if (!e.stability) continue;
    stability.push({
      method: e.method,
      measure: `row ${e.row}: mean Jaccard index of the selected features over ${e.stability.runs} seeds`,
      value: e.stability.jaccard,
      detail: e.stability.features.map((f) => `${f.feature} ${Math.round(f.selected * 100)}%`).join(', '),
    });
  }
  const importance = files.flatMap((f) => importanceOf(f, opts));
  const shownRows = [...new Set(explanations.map((e) => e.row))];
  const rows: ReportInput['rows'] = {};
  const rowInfo: Record<number, ReportRowInfo> = {};
  for (const r of shownRows) {
    if (r < 0 || r >= data.rows.length) continue;
    rows[r] = data.schema.features.map((f, j) => ({ feature: f.name, value: data.rows[r][j] }));
    const given = opts.rowInfo?.[r] ?? {};
    rowInfo[r] = { id: given.id ?? `row ${r}`, ...(data.target ? { truth: data.target[r] ?? null } : {}), ...(given.reason ? { reason: given.reason } : {}) };
  }

  const facts: Record<string, string | number> = {};
  if (model.task === 'classification' && data.target) {
    const known = Array.from(truth.keys()).filter((i) => !Number.isNaN(truth[i]));
    if (known.length) {
      const labels = reindex(modelLabels, model.classes ?? [], dataClasses);
      facts[MODEL_ACCURACY_FACT] = known.filter((i) => labels[i] === truth[i]).length / known.length;
    }
  }
  Object.assign(facts, opts.modelFacts ?? {});

  return {
    title: opts.title,
    tool: TOOL,
    createdAt: creationTime(),
    seed: opts.seed ?? null,
    model: {
      identity: model.identity,
      backend: model.backend,
      task: model.task,
      classes: model.classes,
      facts,
    },
    data: { ...summarizeData(data), ...(opts.dataLabel ? { description: opts.dataLabel } : {}) },
    ruleSets: reportSets,
    explanations,
    ...(importance.length ? { importance } : {}),
    stability,
    rows,
    ...(Object.keys(rowInfo).length ? { rowInfo } : {}),
  };
}

/** Explanations of one method the report needs before it summarises them across rows. */
export const MIN_SUMMARY_ROWS = 3;

/**
 * The summaries of a file's attribution methods with at least {@link MIN_SUMMARY_ROWS}
 * explanations: mean |attribution|
 * per column with its bootstrap interval (the report's bootstrap resamples and seed), strongest
 * first, and every explanation's attributions.
 */
export function importanceOf(file: ExplanationFile, opts: Pick<BuildReportOptions, 'bootstrap' | 'seed'> = {}): ReportImportance[] {
  const explanations = file.explanations.filter((e) => e.attributions.length > 0);
  if (!explanations.length) return [];
  const summary = summarizeExplanations({ ...file, explanations }, { resamples: opts.bootstrap, seed: opts.seed });
  return summary.summaries
    .filter((s) => s.rows >= MIN_SUMMARY_ROWS)
    .map((s) => ({
      method: s.method,
      rows: s.rows,
      explains: s.class !== null ? `class ${s.class}` : s.classes ? "each row's explained class" : 'the value',
      features: s.features
        .map((f, j) => ({ f, j }))
        .sort((a, b) => b.f.meanAbs - a.f.meanAbs || a.j - b.j)
        .map(({ f }) => ({ feature: f.feature, meanAbs: f.meanAbs, ci95: f.ci95 })),
      points: explanations.filter((e) => e.method === s.method).flatMap((e) => e.attributions.map((a) => ({ feature: a.feature, row: e.row, attribution: a.attribution, value: a.value }))),
    }));
}

/**
 * Summary of a dataset for the report: per column the range and mean (numeric) or categories,
 * missing cells, and rows per class.
 *
 * @example
 * summarizeData(iris).features[0]; // { name: 'sepal_length', type: 'numeric', min: 4.3, max: 7.9, mean: 5.843..., missing: 0 }
 */
export function summarizeData(data: Dataset): ReportData {
  const features: ReportFeature[] = data.schema.features.map((f, j) => {
    let missing = 0;
    if (f.type === 'categorical') {
      for (const r of data.rows) if (r[j] === null) missing++;
      return { name: f.name, type: 'categorical', categories: [...f.categories], missing };
    }
    let min = Infinity;
    let max = -Infinity;
    let sum = 0;
    let n = 0;
    for (const r of data.rows) {
      const v = r[j];
      if (v === null || typeof v !== 'number' || Number.isNaN(v)) {
        missing++;
        continue;
      }
      if (v < min) min = v;
      if (v > max) max = v;
      sum += v;
      n++;
    }
    return n ? { name: f.name, type: 'numeric', min, max, mean: sum / n, missing } : { name: f.name, type: 'numeric', min: null, max: null, mean: null, missing };
  });
  const out: ReportData = { source: data.source, rows: data.rows.length, features };
  const t = data.schema.target;
  if (t) {
    out.target = { name: t.name, kind: t.kind };
    if (t.kind === 'class' && data.target) {
      const counts: Record<string, number> = Object.fromEntries(t.classes.map((c) => [c, 0]));
      for (const v of data.target) if (v !== null && String(v) in counts) counts[String(v)]++;
      out.target.counts = counts;
    }
  }
  return out;
}

/**
 * The report's view of one explanation: attributions strongest first, conditions and rules as text.
 *
 * @example
 * reportExplanation(file.explanations[0]).attributions[0]; // { feature: 'petal_width', value: 2.3, attribution: 0.41 }
 */
export function reportExplanation(e: ExplanationT, digits?: number): ReportExplanation {
  const out: ReportExplanation = {
    row: e.row,
    method: e.method,
    prediction: e.prediction,
    base: e.base,
    attributions: e.attributions
      .map((a, j) => ({ a, j }))
      .sort((x, y) => Math.abs(y.a.attribution) - Math.abs(x.a.attribution) || x.j - y.j)
      .map(({ a }) => ({ feature: a.feature, value: a.value, attribution: a.attribution })),
    faithfulness: e.faithfulness
      ? {
          sensitivityN: e.faithfulness.sensitivityN.map((s) => ({ n: s.n, correlation: s.correlation })),
          deletion: e.faithfulness.deletion ? { auc: e.faithfulness.deletion.auc, randomAuc: e.faithfulness.deletion.randomAuc } : null,
          ...(e.faithfulness.precision ? { precision: e.faithfulness.precision } : {}),
          ...(e.faithfulness.coverage !== undefined ? { coverage: e.faithfulness.coverage } : {}),
        }
      : null,
  };
  if (e.class !== null) out.class = e.class;
  if (e.predictedClass !== null && e.predictedClass !== e.class) out.predictedClass = e.predictedClass;
  if (e.conditions) out.conditions = e.conditions.map((c) => ({ condition: c.text, weight: c.weight }));
  if (e.surrogate) out.surrogate = { intercept: e.surrogate.intercept, localPrediction: e.surrogate.localPrediction, r2: e.surrogate.r2, fidelity: e.surrogate.fidelity };
  if (e.rule) {
    const s = e.rule.surrogate;
    out.rule = { ruleSet: e.rule, conditions: s.kind === 'tree' ? [] : (s.rules[0]?.conditions ?? []).map((c) => renderCondition(c, { digits })), confident: e.confident !== false };
  }
  if (e.counterfactual !== undefined) out.counterfactual = e.counterfactual;
  if (e.exact !== undefined) out.exact = e.exact;
  if (e.completenessGap !== undefined) out.completenessGap = e.completenessGap;
  if (e.notes?.length) out.notes = e.notes;
  return out;
}

/** The report's view of a score. */
function reportScore(s: Score, data: string): ReportScore {
  const f = s.fidelity;
  const t = s.truth?.surrogate;
  return {
    data,
    rows: s.rows,
    fidelity: f.task === 'classification' ? { metric: 'agreement', value: f.agreement, ci95: f.ci95 } : { metric: 'r2', value: f.r2, ci95: f.ci95 },
    completeness: s.coverage.completeness,
    overlap: s.coverage.overlap,
    accuracy: t?.task === 'classification' ? t.accuracy : null,
    macroF1: t?.task === 'classification' ? t.macroF1 : null,
    complexity: {
      rules: s.complexity.rules,
      conditions: s.complexity.conditions,
      meanConditions: s.complexity.meanConditions,
      maxConditions: s.complexity.maxConditions,
      features: s.complexity.features,
    },
    ...(f.task === 'classification' ? { confusion: f.confusion } : {}),
  };
}

/** Class indices into `from` re-expressed as indices into `to` (by name); unknown classes become NaN. */
function reindex(labels: Float64Array, from: readonly string[], to: readonly string[]): Float64Array {
  if (from.length === to.length && from.every((c, i) => c === to[i])) return labels;
  const map = from.map((c) => to.indexOf(c));
  return labels.map((v) => (Number.isNaN(v) ? NaN : (map[v] ?? -1) < 0 ? NaN : map[v]));
}

function ruleSetNames(ruleSets: readonly RuleSet[], given?: string[]): string[] {
  const seen = new Map<string, number>();
  return ruleSets.map((rs, i) => {
    if (given?.[i]) return given[i];
    const m = rs.provenance.method;
    const k = (seen.get(m) ?? 0) + 1;
    seen.set(m, k);
    const total = ruleSets.filter((r) => r.provenance.method === m).length;
    return total > 1 ? `${m} #${k}` : m;
  });
}

