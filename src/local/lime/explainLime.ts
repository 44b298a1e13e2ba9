/**
 * LIME (Ribeiro, Singh, Guestrin 2016) as a local method of the registry: tabular LIME for one or
 * many rows, with seeded per-row streams, batched model queries, local fidelity on a fresh
 * neighbourhood and optional stability across seeds.
 */
import type { Dataset, Row } from '../../data/types.js';
import type { TabularModel } from '../../model/types.js';
import { InputError } from '../../util/errors.js';
import { checkMemory } from '../../util/memory.js';
import type { ProgressFn } from '../../util/progress.js';
import { createRng } from '../../util/rng.js';
import type { ExplanationFile, ExplanationStabilityT, ExplanationT } from '../schema.js';
import type { LocalContext, MethodResult } from '../types.js';
import { explainWithData, exponentialKernel, kernelWeights, type KernelFn, type LocalModel } from './base.js';
import type { LimeOptions, LimeResolvedOptions } from './options.js';
import { weightedGram, weightedR2 } from './ridge.js';
import { defaultKernelWidth, fitLimeTabular, prepareInstance, sampleNeighbourhood, type LimeTabular, type PreparedInstance, type SampleOptions, type TabularSample } from './tabular.js';

export type { LimeOptions } from './options.js';

interface Job {
  item: number;
  repeat: number;
  inst: PreparedInstance;
  sample?: TabularSample;
  fresh?: TabularSample;
}

/**
 * Explains the model's predictions for `rows` with LIME, following the reference
 * `LimeTabularExplainer`'s behaviour and defaults: 5000 samples, quartile discretisation,
 * exponential kernel of width 0.75·sqrt(features), auto feature selection of 10 features, weighted
 * ridge (alpha 1). A convenience over `explainRows('lime', ...)`: the result is an explanation file
 * whose explanations also carry per-column attributions and faithfulness.
 *
 * @param model the black box with its encoder
 * @param train training data: sampling statistics and discretiser cut points come from it
 * @param rows rows to explain, in `train`'s column order
 * @param opts LIME's options ({@link LimeOptionsSchema}) plus the run's `seed`, `rowIds`, `class` and
 *   `faithfulness` (subsets per n; 0 turns the measurement off)
 * @param progress called after each batch with rows done / total
 * @throws InputError for bad options (naming the CLI flag) or rows of the wrong width.
 * @example
 * const file = await explainLime(model, iris, [iris.rows[0]], { seed: 1, numFeatures: 4 });
 * file.explanations[0].conditions; // [{ feature: 'petal_length', text: 'petal_length <= 1.60', weight: 0.32, ... }, ...]
 */
export async function explainLime(
  model: TabularModel,
  train: Dataset,
  rows: Row[],
  opts: LimeOptions & { seed?: number; rowIds?: number[]; class?: string | number; faithfulness?: number } = {},
  progress?: ProgressFn,
): Promise<ExplanationFile> {
  const { seed, rowIds, class: cls, faithfulness, ...lime } = opts;
  const { explainRows } = await import('../run.js');
  return explainRows('lime', { model, data: train, rows, rowIds, seed, class: cls, faithfulness, progress }, lime);
}

/**
 * The registry's LIME: explanations of `ctx.rows` (one per row and explained class).
 *
 * @throws InputError for a class the model does not have.
 */
export async function limeMethod(ctx: LocalContext, o: LimeResolvedOptions): Promise<MethodResult> {
  const { model, data: train, rows } = ctx;
  const features = train.schema.features;
  const d = features.length;
  const labelsOpt = resolveLabels(model, o.labels);
  if (model.task === 'classification' && o.topLabels > model.outputSize) {
    throw new InputError(`expected at most ${model.outputSize} (the model has ${model.outputSize} classes), got ${o.topLabels}`, { flag: '--labels' });
  }
  // Each sample: the perturbed row (data columns and the encoded input, as float64), its binary form, the outputs.
  const perSample = 8 * (2 * d + (model.encoder?.inputSize ?? d) + model.outputSize);
  checkMemory(o.samples * perSample, `${o.samples} samples × ${perSample / 8} values`, { flag: '--samples' });
  let labels = o.discretizerLabels;
  if (o.discretizer === 'entropy' && !labels) labels = await entropyLabels(model, train);
  const tab = fitLimeTabular(train, o.discretizer, labels);
  const width = o.kernelWidth ?? defaultKernelWidth(d);
  const kernel = o.kernel ?? exponentialKernel;
  const repeats = Math.max(1, o.stability);
  const sampleOptions = { sampleAround: o.sampleAround, sampling: o.sampling };
  const insts = rows.map((r) => prepareInstance(tab, r));
  const jobs: Job[] = [];
  for (let item = 0; item < rows.length; item++) for (let repeat = 0; repeat < repeats; repeat++) jobs.push({ item, repeat, inst: insts[item] });
  const perJob = o.samples + o.fidelitySamples;
  const jobsPerBatch = Math.max(1, Math.floor(o.batchRows / perJob));
  const mainRuns: { ex: ExplanationT[]; runs: LocalModelRun[][] }[] = rows.map(() => ({ ex: [], runs: [] }));
  const progress = ctx.progress;
  progress?.(0, rows.length, 'lime');
  let done = 0;
  let evaluated = 0;
  const env: FitEnv = { model, ctx, o, tab, d, width, kernel, labelsOpt };
  // The loop's work is in two small functions (sampling a call's rows, fitting one job): V8
  // optimizes them once, where one long loop here was compiled again for each entry into it
  // (on-stack replacement), about 0.75 s of compilation in every fresh worker thread.
  for (let start = 0; start < jobs.length; start += jobsPerBatch) {
    const batch = jobs.slice(start, start + jobsPerBatch);
    const all = sampleJobs(env, batch, sampleOptions);
    const out = await model.predictRows(all);
    evaluated += all.length;
    const k = model.outputSize;
    let offset = 0;
    for (const job of batch) {
      const n = job.sample!.n;
      const y = out.subarray(offset * k, (offset + n) * k);
      offset += n;
      let yFresh: Float32Array | null = null;
      if (job.fresh) {
        yFresh = out.subarray(offset * k, (offset + job.fresh.n - 1) * k);
        offset += job.fresh.n - 1;
      }
      fitJob(env, job, y, yFresh, mainRuns[job.item]);
      if (job.repeat === repeats - 1) done++;
    }
    progress?.(done, rows.length, 'lime');
  }
  const explanations: ExplanationT[] = [];
  for (const m of mainRuns) {
    if (repeats > 1) m.ex.forEach((e, li) => (e.stability = stabilityOf(m.runs.map((r) => r[li].lm), e)));
    explanations.push(...m.ex);
  }
  return {
    explanations,
    samples: evaluated,
    options: {
      samples: o.samples,
      numFeatures: o.numFeatures,
      featureSelection: o.featureSelection,
      discretizer: o.discretizer,
      sampleAround: o.sampleAround,
      sampling: o.sampling,
      kernelWidth: width,
      kernel: o.kernel ? 'custom' : 'exponential',
      labels: o.labels ?? null,
      topLabels: o.labels || ctx.classGiven ? null : Math.min(o.topLabels, model.outputSize),
      alpha: o.alpha,
      stability: o.stability,
      fidelitySamples: o.fidelitySamples,
    },
  };
}

/** What {@link sampleJobs} and {@link fitJob} share over a run. */
interface FitEnv {
  model: TabularModel;
  ctx: LocalContext;
  o: LimeResolvedOptions;
  tab: LimeTabular;
  d: number;
  width: number;
  kernel: KernelFn;
  labelsOpt: number[] | null;
}

/** Draws each job's neighbourhood (and, for a first repeat, its fresh fidelity sample); returns the rows of one model call. */
function sampleJobs(env: FitEnv, batch: Job[], sampleOptions: SampleOptions): Row[] {
  const { ctx, o, tab } = env;
  const all: Row[] = [];
  for (const job of batch) {
    const rng = createRng(streamSeed(ctx.seed, ctx.rowIds[job.item], job.repeat));
    const freshRng = rng.fork();
    job.sample = sampleNeighbourhood(tab, job.inst, o.samples, rng, sampleOptions);
    for (const r of job.sample.rows) all.push(r);
    if (job.repeat === 0 && o.fidelitySamples > 0) {
      job.fresh = sampleNeighbourhood(tab, job.inst, o.fidelitySamples + 1, freshRng, sampleOptions);
      for (let i = 1; i < job.fresh.rows.length; i++) all.push(job.fresh.rows[i]);
    }
  }
  return all;
}

/** Fits one job's local models from its outputs `y` (and `yFresh`), into its row's runs and explanations; drops its samples. */
function fitJob(env: FitEnv, job: Job, y: Float32Array, yFresh: Float32Array | null, main: { ex: ExplanationT[]; runs: LocalModelRun[][] }): void {
  const { model, ctx, o, tab, d, width, kernel, labelsOpt } = env;
  const k = model.outputSize;
  const s = job.sample!;
  const weights = kernelWeights(s.distances, width, kernel);
  const nb = { data: s.data, n: s.n, d, weights };
  const gram = weightedGram(s.data, s.n, d, weights);
  const chosen =
    job.repeat === 0
      ? chooseLabels(model, y.subarray(0, k), labelsOpt ?? (ctx.classGiven ? [ctx.targets[job.item]] : null), o.topLabels)
      : main.ex.map((e) => e.classIndex ?? 0);
  const runs: LocalModelRun[] = [];
  for (const label of chosen) {
    const col = column(y, s.n, k, label);
    const lm = explainWithData(nb, col, { numFeatures: o.numFeatures, featureSelection: o.featureSelection, alpha: o.alpha }, gram);
    runs.push({ label, lm });
    if (job.repeat === 0) main.ex.push(toExplanation(model, job, lm, label, y.subarray(0, k), col[0], s.data.subarray(0, d), yFresh, tab, width, kernel, ctx.rowIds[job.item]));
  }
  main.runs.push(runs);
  job.sample = undefined;
  job.fresh = undefined;
}

/** Class indices of `labels` (names or indices), or null when none are given. */
function resolveLabels(model: TabularModel, labels: (string | number)[] | undefined): number[] | null {
  if (!labels || model.task !== 'classification') return null;
  const classes = model.classes ?? [];
  return labels.map((l) => {
    const k = typeof l === 'number' ? l : classes.indexOf(l);
    if (!Number.isInteger(k) || k < 0 || k >= model.outputSize) throw new InputError(`unknown class "${l}" (classes: ${classes.join(', ')})`, { flag: '--class' });
    return k;
  });
}

interface LocalModelRun {
  label: number;
  lm: LocalModel;
}

/** Per-row random stream: seed, row id and repeat mixed into one 32-bit seed. */
function streamSeed(seed: number, rowId: number, repeat: number): number {
  let h = seed | 0;
  h = Math.imul(h ^ (h >>> 16), 0x45d9f3b) ^ Math.imul(rowId + 1, 0x9e3779b1);
  h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) ^ Math.imul(repeat + 1, 0x85ebca77);
  return h | 0;
}

function column(y: Float32Array, n: number, k: number, label: number): Float64Array {
  const c = new Float64Array(n);
  for (let i = 0; i < n; i++) c[i] = y[i * k + label];
  return c;
}

function chooseLabels(model: TabularModel, probs: Float32Array, labels: number[] | null, top: number): number[] {
  if (model.task === 'regression') return [0];
  if (labels) return labels;
  return Array.from(probs, (p, i) => ({ p, i }))
    .sort((a, b) => b.p - a.p || a.i - b.i)
    .slice(0, top)
    .map((e) => e.i);
}

function toExplanation(
  model: TabularModel,
  job: Job,
  lm: LocalModel,
  label: number,
  probs: Float32Array,
  prediction: number,
  interpretable: Float64Array,
  yFresh: Float32Array | null,
  tab: LimeTabular,
  width: number,
  kernel: KernelFn,
  rowId: number,
): ExplanationT {
  const classes = model.classes ?? (model.schema.target.kind === 'class' ? model.schema.target.classes : []);
  const cls = model.task === 'classification';
  let argmax = 0;
  for (let i = 1; i < probs.length; i++) if (probs[i] > probs[argmax]) argmax = i;
  const inst = job.inst;
  let fidelity: NonNullable<ExplanationT['surrogate']>['fidelity'] = null;
  if (job.fresh && yFresh) {
    const f = job.fresh;
    const m = f.n - 1;
    const k = model.outputSize;
    const w = kernelWeights(f.distances.subarray(1), width, kernel);
    const yf = new Float64Array(m);
    const pred = new Float64Array(m);
    let agree = 0;
    let sw = 0;
    for (let i = 0; i < m; i++) {
      yf[i] = yFresh[i * k + label];
      let p = lm.intercept;
      const o = (i + 1) * f.d;
      for (const { index, weight } of lm.features) p += weight * f.data[o + index];
      pred[i] = p;
      sw += w[i];
      if (p > 0.5 === yf[i] > 0.5) agree += w[i];
    }
    const r2 = weightedR2(yf, pred, w);
    fidelity = { samples: m, r2: Number.isFinite(r2) ? r2 : null, agreement: cls && sw > 0 ? agree / sw : null };
  }
  // Per original column: weight × the row's interpretable value (1 for its bin or category, the
  // scaled value for a continuous column), so that intercept + Σ attributions = local prediction.
  const attribution = new Float64Array(tab.features.length);
  for (const { index, weight } of lm.features) attribution[index] += weight * interpretable[index];
  return {
    row: rowId,
    method: 'lime',
    class: cls ? (classes[label] ?? String(label)) : null,
    classIndex: cls ? label : null,
    predictedClass: cls ? (classes[argmax] ?? String(argmax)) : null,
    prediction,
    base: lm.intercept,
    instance: inst.row.map((v) => (v === undefined ? null : v)),
    missing: inst.imputed,
    attributions: tab.features.map((f, j) => ({ feature: f.name, value: inst.row[j] ?? null, attribution: attribution[j] })),
    faithfulness: null,
    conditions: lm.features.map(({ index, weight }) => ({
      feature: tab.features[index].name,
      condition: inst.conditions[index].condition,
      text: inst.conditions[index].text,
      // the row's own value: null where it was missing (the text names what was imputed)
      value: inst.row[index] ?? null,
      weight,
    })),
    surrogate: { intercept: lm.intercept, localPrediction: lm.localPrediction, r2: lm.r2, fidelity },
  };
}

/** Mean pairwise Jaccard of the selected sets, and per reported feature its selection and sign agreement. */
function stabilityOf(runs: LocalModel[], main: ExplanationT): ExplanationStabilityT {
  const sets = runs.map((r) => new Map(r.features.map((f) => [f.index, f.weight])));
  let jac = 0;
  let pairs = 0;
  for (let a = 0; a < sets.length; a++)
    for (let b = a + 1; b < sets.length; b++) {
      let inter = 0;
      for (const key of sets[a].keys()) if (sets[b].has(key)) inter++;
      const union = sets[a].size + sets[b].size - inter;
      jac += union === 0 ? 1 : inter / union;
      pairs++;
    }
  const reported = runs[0].features;
  return {
    runs: runs.length,
    jaccard: pairs ? jac / pairs : 1,
    features: reported.map(({ index, weight }, i) => {
      let sel = 0;
      let same = 0;
      for (const s of sets) {
        const w = s.get(index);
        if (w === undefined) continue;
        sel++;
        if (Math.sign(w) === Math.sign(weight)) same++;
      }
      return { feature: main.conditions![i].feature, selected: sel / sets.length, signAgreement: same / sets.length };
    }),
  };
}

/** Labels for the entropy discretiser: the data's class target, else the model's predicted labels. */
async function entropyLabels(model: TabularModel, train: Dataset): Promise<Float64Array> {
  const t = train.schema.target;
  if (t?.kind === 'class' && train.target) {
    const idx = new Map(t.classes.map((c, i) => [c, i]));
    const out = new Float64Array(train.rows.length);
    let ok = true;
    train.target.forEach((v, i) => {
      const k = v === null ? undefined : idx.get(String(v));
      if (k === undefined) ok = false;
      out[i] = k ?? NaN;
    });
    if (ok || out.some((v) => Number.isFinite(v))) return out;
  }
  const labels = await model.predictLabels(train.rows);
  if (model.task === 'regression') {
    // regression: quartile classes of the model's outputs
    const sorted = Array.from(labels).sort((a, b) => a - b);
    const q = [0.25, 0.5, 0.75].map((p) => sorted[Math.floor(p * (sorted.length - 1))]);
    return labels.map((v) => q.filter((c) => v > c).length);
  }
  return labels;
}
