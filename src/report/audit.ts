/**
 * The whole audit of a model in one call: split the data (or take a given test set), extract
 * global rules with every method that applies at a readable size, score each on the test rows,
 * explain a sample of rows (the most confident of each class, the least confident, any asked
 * for) with every local method that applies, rank the columns globally, and gather it all into
 * one report input plus the artefacts behind it. A method that fails is recorded and the audit
 * goes on.
 *
 * Pure over its inputs except for the model calls: the same model, data, options and seed give
 * the same artefacts (timings aside, which the caller records or not).
 */
import { createHash } from 'node:crypto';
import { alignRows, selectRows, splitIndices } from '../data/index.js';
import type { Dataset } from '../data/types.js';
import { extractorApplies, extractorNames, extractors, extractRules } from '../global/registry.js';
import { localExplainer, localExplainerNames, modelOffers } from '../local/registry.js';
import { explainRows } from '../local/run.js';
import type { ExplanationFile } from '../local/schema.js';
import type { TabularModel } from '../model/types.js';
import type { RuleSet } from '../rules/schema.js';
import { InputError, isInputError } from '../util/errors.js';
import type { ProgressFn } from '../util/progress.js';
import { createRng, DEFAULT_SEED, substream } from '../util/rng.js';
import { summarizeExplanations, type ImportanceFile } from '../local/importance.js';
import { buildReport, importanceOf } from './buildReport.js';
import type { ReportFailure, ReportInput, ReportRowInfo } from './types.js';

/**
 * Extractor options for a rule set a reviewer can read: small trees and few rules. Options given
 * to {@link runAudit} override them per method.
 */
export const READABLE_EXTRACT_OPTIONS: Record<string, Record<string, unknown>> = {
  cart: { maxLeaves: 12, maxDepth: 5 },
  trepan: { maxNodes: 6 },
  mofn: {},
  cred: { maxDepth: 3 },
  deepred: {},
};

/** Local methods that explain the sampled rows, in this order, where registered and applicable. */
export const AUDIT_LOCAL_METHODS = ['lime', 'anchors', 'counterfactual'];

/** Attribution methods for the global importance, the first registered one that applies. */
export const IMPORTANCE_METHODS = ['shap', 'occlusion', 'integrated-gradients', 'lime'];

/** Rows whose attributions make the global importance (a seeded sample of the test rows). */
export const IMPORTANCE_ROWS = 40;

/** Default share of the data held out as test rows when no test set is given. */
export const AUDIT_TEST_SHARE = 0.25;

export interface AuditOptions {
  /** Test rows; default: a seeded stratified share {@link AuditOptions.testShare} of `data`. */
  test?: Dataset;
  /** Share of `data` held out for testing when `test` is absent (default 0.25). */
  testShare?: number;
  seed?: number;
  /** Extractors to run (default: every registered one; those that do not apply are skipped with the reason). */
  extractors?: readonly string[];
  /** Per extractor, options over {@link READABLE_EXTRACT_OPTIONS}. */
  extractOptions?: Record<string, Record<string, unknown>>;
  /** Local methods for the sampled rows (default {@link AUDIT_LOCAL_METHODS}). */
  localMethods?: readonly string[];
  /** Per local method, its options. */
  localOptions?: Record<string, Record<string, unknown>>;
  /** Further test rows to explain (0-based indices into the test rows). */
  rows?: readonly number[];
  /** Rows for the global importance (default {@link IMPORTANCE_ROWS}; 0: none). */
  importanceRows?: number;
  /** Random subsets per n of Sensitivity-n for the sampled rows' attributions (run default when absent). */
  faithfulness?: number;
  /** Bootstrap resamples of the fidelity intervals (scoreRuleSet's default when absent). */
  bootstrap?: number;
  title?: string;
  /** Called as each step starts and ends, for progress on a terminal. */
  onStep?: (event: AuditStepEvent) => void;
  progress?: ProgressFn;
}

/** A step starting (`millis` absent) or ending. */
export interface AuditStepEvent {
  step: string;
  index: number;
  total: number;
  status: 'start' | 'ok' | 'failed' | 'skipped';
  detail?: string;
  millis?: number;
}

/** One step as recorded: what ran, how it ended, how long it took. */
export interface AuditStep {
  step: string;
  status: 'ok' | 'failed' | 'skipped';
  detail: string;
  millis: number;
}

/** A sampled row: its index in the test rows, its id and why it was chosen. */
export interface AuditRow {
  row: number;
  id: string;
  reasons: string[];
}

export interface AuditResult {
  /** The report's input, failures and row facts included. */
  report: ReportInput;
  /** Extracted rule sets by method. */
  ruleSets: { method: string; ruleSet: RuleSet }[];
  /** Explanations of the sampled rows, one file per local method. */
  explanations: { method: string; file: ExplanationFile }[];
  /** Attributions of the importance rows and their summary per column (null when not computed). */
  importance: { method: string; file: ExplanationFile; summary: ImportanceFile } | null;
  rows: AuditRow[];
  steps: AuditStep[];
  split: { test: 'given' | 'held out'; trainRows: number; testRows: number; testShare: number | null };
  /** Content hashes (sha256) of the training and test rows. */
  dataHashes: { train: string; test: string };
}

/**
 * Runs the audit of `model` on `data` ({@link AuditOptions}). Every extractor and local method is
 * a step of its own: one that throws is recorded as failed (in `steps` and the report's
 * failures) and the audit goes on; one that does not apply to the model is skipped with the
 * reason.
 *
 * @throws InputError for bad options (a test share outside (0, 1), an unknown method, a row out of
 *   range), data without rows, or a test set whose columns do not fit the model.
 * @example
 * const audit = await runAudit(model, data, { seed: 7 });
 * await writeFile('report.html', await renderReport(audit.report));
 */
export async function runAudit(model: TabularModel, data: Dataset, opts: AuditOptions = {}): Promise<AuditResult> {
  const seed = opts.seed ?? DEFAULT_SEED;
  const share = opts.testShare ?? AUDIT_TEST_SHARE;
  if (!(share > 0 && share < 1)) throw new InputError(`expected a share between 0 and 1 (exclusive), got ${share}`, { flag: '--test-share' });
  const extractors = [...(opts.extractors ?? extractorNames())];
  const known = extractorNames();
  for (const m of extractors) if (!known.includes(m)) throw new InputError(`unknown extraction method "${m}"; methods: ${known.join(', ')}`, { flag: '--methods' });
  const localNames = [...(opts.localMethods ?? AUDIT_LOCAL_METHODS.filter((m) => localExplainerNames().includes(m)))];
  for (const m of localNames) localExplainer(m, '--explain-methods');
  if (data.rows.length < 2) throw new InputError(`the data has ${data.rows.length} rows; an audit needs at least 2`, { file: data.source });

  // 1. Train and test rows, each row named by its place in its file.
  let train: Dataset;
  let test: Dataset;
  let ids: string[];
  if (opts.test) {
    train = data;
    test = opts.test;
    ids = test.rows.map((_, i) => String(i));
  } else {
    const [tr, te] = splitIndices(data, 1 - share, substream(seed, 'audit-split'));
    if (!tr.length || !te.length) throw new InputError(`the data has ${data.rows.length} rows: too few to hold out a test share of ${share}`, { flag: '--test-share' });
    train = selectRows(data, tr);
    test = selectRows(data, te);
    ids = te.map(String);
  }
  if (!test.rows.length) throw new InputError('the test data has no rows', { file: test.source });
  for (const r of opts.rows ?? []) {
    if (!Number.isInteger(r) || r < 0 || r >= test.rows.length) throw new InputError(`row ${r} is out of range: the test data has ${test.rows.length} rows (0 to ${test.rows.length - 1})`, { flag: '--rows' });
  }
  const testLabel = opts.test ? `all ${test.rows.length} rows of ${test.source}` : `${test.rows.length} rows of ${data.source} held out from extraction (share ${share}, seed ${seed})`;

  const importanceMethod = IMPORTANCE_METHODS.find((m) => localExplainerNames().includes(m) && applies(m, model) === null) ?? null;
  const importanceRows = opts.importanceRows ?? IMPORTANCE_ROWS;
  const total = extractors.length + localNames.length + 2 + (importanceRows > 0 ? 1 : 0);
  const log = stepLog(total, opts.onStep);
  const step = <T>(name: string, fn: () => Promise<StepOutcome<T>>) => runStep(log, name, fn);

  // 2. Global rules, one step per extractor.
  const ruleSets = await extractEach(model, train, { extractors, extractOptions: opts.extractOptions, seed, progress: opts.progress }, log);

  // 3. The rows to explain, from the model's answers on the test rows.
  const testRows = alignRows(test, model.schema.features);
  const chosen = (await step('choose rows', async () => {
    const outputs = await model.predictRows(testRows);
    const picked = pickRows(model, outputs, opts.rows ?? [], ids);
    return { value: picked, detail: `${picked.length} rows: ${picked.map((p) => `${p.row} (${p.reasons.join('; ')})`).join(', ')}` };
  })) ?? [];

  // 4. Local explanations of the chosen rows, one step per method.
  const explanations: { method: string; file: ExplanationFile }[] = [];
  const best = bestRuleSet(ruleSets);
  for (const method of localNames) {
    const file = await step(`explain ${method}`, async () => {
      const reason = applies(method, model);
      if (reason) return { skip: reason };
      if (!chosen.length) return { skip: 'no rows to explain' };
      const options: Record<string, unknown> = { ...(opts.localOptions?.[method] ?? {}) };
      if (method === 'counterfactual' && best && options.ruleSet === undefined) options.ruleSet = best.ruleSet;
      const f = await explainRows(method, { model, data: test, background: train, rows: chosen.map((c) => test.rows[c.row]), rowIds: chosen.map((c) => c.row), seed, faithfulness: opts.faithfulness, progress: opts.progress }, options);
      return { value: f, detail: `${f.explanations.length} explanations` };
    });
    if (file) explanations.push({ method, file });
  }

  // 5. Global importance: attributions over a seeded sample of test rows.
  let importance: AuditResult['importance'] = null;
  if (importanceRows > 0) {
    const file = await step('importance', async () => {
      if (!importanceMethod) return { skip: `none of ${IMPORTANCE_METHODS.join(', ')} applies to this model` };
      const n = Math.min(importanceRows, test.rows.length);
      const order = createRng(substream(seed, 'audit-importance')).shuffle(test.rows.map((_, i) => i));
      const rows = order.slice(0, n).sort((a, b) => a - b);
      const f = await explainRows(importanceMethod, { model, data: test, background: train, rows: rows.map((r) => test.rows[r]), rowIds: rows, seed, faithfulness: 0, progress: opts.progress }, opts.localOptions?.[importanceMethod] ?? {});
      return { value: f, detail: `${importanceMethod} on ${n} test rows` };
    });
    if (file && importanceMethod) importance = { method: importanceMethod, file, summary: summarizeExplanations(file, { resamples: opts.bootstrap, seed }) };
  }

  // 6. The report: every rule set scored on the test rows, the explanations, the failures.
  const report = (await step('score and report', async () => {
    const input = await buildReport(
      model,
      test,
      ruleSets.map((r) => r.ruleSet),
      {
        names: ruleSets.map((r) => r.method),
        explanations: explanations.map((e) => e.file),
        seed,
        bootstrap: opts.bootstrap,
        title: opts.title ?? 'Model audit',
        dataLabel: testLabel,
        rowInfo: rowInfo(chosen, test),
      },
    );
    // The column importance over its own sample of rows, before the views of the explained rows.
    if (importance) input.importance = [...importanceOf(importance.file, { bootstrap: opts.bootstrap, seed }), ...(input.importance ?? [])];
    return { value: input, detail: `${ruleSets.length} rule sets scored on ${test.rows.length} test rows` };
  }))!;
  if (!report) throw new Error(log.steps[log.steps.length - 1].detail);
  const { steps, failures } = log;
  const skipped = steps.filter((s) => s.status === 'skipped').map((s) => ({ step: s.step, reason: s.detail }));
  report.failures = failures;
  if (skipped.length) report.skipped = skipped;
  return {
    report,
    ruleSets,
    explanations,
    importance,
    rows: chosen,
    steps,
    split: { test: opts.test ? 'given' : 'held out', trainRows: train.rows.length, testRows: test.rows.length, testShare: opts.test ? null : share },
    dataHashes: { train: datasetHash(train), test: datasetHash(test) },
  };
}

/** Steps run so far, with the failures among them, and who hears of each step. */
export interface StepLog {
  steps: AuditStep[];
  failures: ReportFailure[];
  index: number;
  total: number;
  onStep?: (event: AuditStepEvent) => void;
}

/** What a step's work returns: a value with a one-line detail, or why the step does not apply. */
export type StepOutcome<T> = { value: T; detail: string } | { skip: string };

/** A log for `total` steps. */
export function stepLog(total: number, onStep?: (event: AuditStepEvent) => void): StepLog {
  return { steps: [], failures: [], index: 0, total, onStep };
}

/**
 * Runs one step, timing it: its value, or null when it was skipped or failed. A failure is
 * recorded (an internal error as such, with its message) and does not propagate.
 */
export async function runStep<T>(log: StepLog, name: string, fn: () => Promise<StepOutcome<T>>): Promise<T | null> {
  const index = ++log.index;
  const { total } = log;
  log.onStep?.({ step: name, index, total, status: 'start' });
  const t0 = performance.now();
  try {
    const r = await fn();
    const millis = performance.now() - t0;
    const status = 'skip' in r ? 'skipped' : 'ok';
    const detail = 'skip' in r ? r.skip : r.detail;
    log.steps.push({ step: name, status, detail, millis });
    log.onStep?.({ step: name, index, total, status, detail, millis });
    return 'skip' in r ? null : r.value;
  } catch (e) {
    const millis = performance.now() - t0;
    const message = isInputError(e) ? (e as Error).message : `internal error: ${(e as Error)?.message ?? String(e)}`;
    log.steps.push({ step: name, status: 'failed', detail: message, millis });
    log.failures.push({ step: name, message });
    log.onStep?.({ step: name, index, total, status: 'failed', detail: message, millis });
    return null;
  }
}

/**
 * Extracts rule sets from `model` on `data` with each of `opts.extractors` (default: every
 * registered one) at a readable size ({@link READABLE_EXTRACT_OPTIONS}, overridden by
 * `opts.extractOptions`), one step of `log` each: a method that does not apply is skipped with
 * the reason, one that fails is recorded, and the others still run.
 *
 * @example
 * const log = stepLog(5);
 * const sets = await extractEach(model, train, { seed: 42 }, log); // [{ method: 'cart', ruleSet }, ...]
 */
export async function extractEach(
  model: TabularModel,
  data: Dataset,
  opts: { extractors?: readonly string[]; extractOptions?: Record<string, Record<string, unknown>>; seed: number; progress?: ProgressFn },
  log: StepLog,
): Promise<{ method: string; ruleSet: RuleSet }[]> {
  const out: { method: string; ruleSet: RuleSet }[] = [];
  for (const method of opts.extractors ?? extractorNames()) {
    const ruleSet = await runStep(log, `extract ${method}`, async () => {
      const ok = extractorApplies(method, model);
      if (!ok.applies) return { skip: ok.reason };
      const options = { ...(READABLE_EXTRACT_OPTIONS[method] ?? {}), ...(opts.extractOptions?.[method] ?? {}) };
      try {
        const rs = await extractRules(method, { model, data, seed: opts.seed, progress: opts.progress }, options);
        return { value: rs, detail: ruleSetSize(rs) };
      } catch (e) {
        // A decompositional method refuses a network it cannot read (activations, depth) with an
        // input error: the method does not apply to this model, which is not a failure of the run.
        if (extractors[method]?.decompositional && isInputError(e)) return { skip: (e as Error).message };
        throw e;
      }
    });
    if (ruleSet) out.push({ method, ruleSet });
  }
  return out;
}

/** Null when local method `method` can explain `model`, else why not. */
function applies(method: string, model: TabularModel): string | null {
  const e = localExplainer(method);
  if (!e.tasks.includes(model.task)) return `${method} explains ${e.tasks.join(' and ')} models only; this is a ${model.task} model`;
  if (!modelOffers(model, e.needs)) return `${method} needs the model's ${e.needs}, which this model (${model.identity.type}) does not expose`;
  return null;
}

/**
 * The rows worth explaining: per class, the test row the model assigns to it most confidently;
 * the least confident row; then `extra` (regression: the highest and lowest prediction). Each row
 * once, with every reason it was chosen for, in the order first chosen.
 */
export function pickRows(model: Pick<TabularModel, 'task' | 'outputSize' | 'classes'>, outputs: Float32Array, extra: readonly number[], ids: readonly string[]): AuditRow[] {
  const k = model.outputSize;
  const n = outputs.length / k;
  const out: AuditRow[] = [];
  const add = (row: number, reason: string) => {
    const have = out.find((r) => r.row === row);
    if (have) have.reasons.push(reason);
    else out.push({ row, id: ids[row] ?? String(row), reasons: [reason] });
  };
  if (model.task === 'classification' && k > 1) {
    const classes = model.classes ?? Array.from({ length: k }, (_, c) => String(c));
    const best = new Array<number>(k).fill(-1);
    const bestP = new Array<number>(k).fill(-Infinity);
    let least = -1;
    let leastP = Infinity;
    for (let i = 0; i < n; i++) {
      let c = 0;
      for (let j = 1; j < k; j++) if (outputs[i * k + j] > outputs[i * k + c]) c = j;
      const p = outputs[i * k + c];
      if (p > bestP[c]) [bestP[c], best[c]] = [p, i];
      if (p < leastP) [leastP, least] = [p, i];
    }
    best.forEach((i, c) => i >= 0 && add(i, `most confident ${classes[c]} (${bestP[c].toFixed(3)})`));
    if (least >= 0) add(least, `least confident (${leastP.toFixed(3)})`);
  } else if (n > 0) {
    let hi = 0;
    let lo = 0;
    for (let i = 1; i < n; i++) {
      if (outputs[i * k] > outputs[hi * k]) hi = i;
      if (outputs[i * k] < outputs[lo * k]) lo = i;
    }
    add(hi, `highest prediction (${outputs[hi * k].toPrecision(4)})`);
    add(lo, `lowest prediction (${outputs[lo * k].toPrecision(4)})`);
  }
  for (const r of extra) add(r, 'asked for');
  return out;
}

/** The facts of each chosen row the report shows: its id and why it was chosen (the true label comes from the data). */
function rowInfo(chosen: readonly AuditRow[], test: Dataset): Record<number, Partial<ReportRowInfo>> {
  const out: Record<number, Partial<ReportRowInfo>> = {};
  for (const c of chosen) out[c.row] = { id: `row ${c.id} of ${test.source}`, reason: c.reasons.join('; ') };
  return out;
}

/** The rule set with the best recorded fidelity (the first on ties), or null. */
function bestRuleSet(list: readonly { method: string; ruleSet: RuleSet }[]): { method: string; ruleSet: RuleSet } | null {
  let best: { method: string; ruleSet: RuleSet } | null = null;
  for (const r of list) if (!best || (r.ruleSet.fidelity?.value ?? -Infinity) > (best.ruleSet.fidelity?.value ?? -Infinity)) best = r;
  return best;
}

function ruleSetSize(rs: RuleSet): string {
  const f = rs.fidelity;
  const n = rs.surrogate.kind === 'tree' ? 'tree' : `${rs.surrogate.rules.length} rules`;
  return f ? `${n}, held-out fidelity ${f.value.toFixed(3)}` : n;
}

/**
 * A content hash of a dataset's schema, rows and target (`sha256:` and hex): the same rows give
 * the same hash wherever they were read from.
 *
 * @example
 * datasetHash(iris); // 'sha256:…'
 */
export function datasetHash(ds: Dataset): string {
  const h = createHash('sha256');
  h.update(JSON.stringify(ds.schema));
  for (const r of ds.rows) h.update(JSON.stringify(r) + '\n');
  h.update(JSON.stringify(ds.target ?? null));
  return `sha256:${h.digest('hex')}`;
}
