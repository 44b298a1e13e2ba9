/**
 * Running local explainers: one entry point for every method of the registry. It lines the data
 * up with the model, draws the background sample, fixes the baseline and the class explained, runs
 * each method, measures every attribution's faithfulness against the model, and wraps the result
 * in one versioned explanation file with provenance.
 */
import { mean, median } from 'simple-statistics';
import { alignRows } from '../data/align.js';
import type { Dataset, Row, Schema, Value } from '../data/types.js';
import { measureFaithfulness } from '../metrics/faithfulness.js';
import type { TabularModel } from '../model/types.js';
import { atCreationTime, creationTime, makeProvenance } from '../rules/provenance.js';
import { InputError } from '../util/errors.js';
import type { ProgressFn } from '../util/progress.js';
import { createRng, DEFAULT_SEED, substream } from '../util/rng.js';
import { parseMethodOptions } from './options.js';
import { checkExplainer, localExplainer } from './registry.js';
import { EXPLANATION_FORMAT, EXPLANATION_VERSION, type ExplanationFile, type ExplanationT } from './schema.js';
import type { LocalContext, LocalExplainer } from './types.js';

/** Largest background sample: more rows than this are reduced to a seeded sample of this size. */
export const BACKGROUND_ROWS = 100;

/** Default random subsets per n of Sensitivity-n. */
export const FAITHFULNESS_SUBSETS = 32;

/** How a removed column is filled: a statistic of the background, or a given row. */
export type BaselineSpec = 'mean' | 'median' | 'zeros' | { row: Row; name: string };

export interface ExplainInput {
  model: TabularModel;
  /** The data the rows come from. Its rows are the statistics and background unless `background` is given. */
  data: Dataset;
  /** Rows to explain, in `data`'s columns. */
  rows: Row[];
  /** Index of each row in `data` (default 0, 1, …): reported, and the key of its random stream. */
  rowIds?: number[];
  /** Where statistics, samplers and the background sample come from (default `data`). */
  background?: Dataset;
  /** What a removed column is set to (default `mean`: the background mean, most frequent category). */
  baseline?: BaselineSpec;
  /** Class to explain, by name or index (default: each row's predicted class). */
  class?: string | number;
  /** Seed (default 42). */
  seed?: number;
  /** Random subsets per n of Sensitivity-n (default 32; 0: faithfulness not measured). */
  faithfulness?: number;
  progress?: ProgressFn;
  /** Called after each method with its wall time in milliseconds (not recorded in the file). */
  timing?: (method: string, millis: number) => void;
  /** Rows per batch of work (default {@link defaultRowsPerBatch}); never changes the result. */
  rowsPerBatch?: number;
  /** Where the batches run (worker threads, a queue of machines); default: one after the other in this thread. */
  runner?: BatchRunner;
}

/**
 * One explanation run as plain data, everything a batch needs besides the model and its rows:
 * what is sent to worker threads and queue workers. Options are as given (each place that runs a
 * batch checks them and fills in the defaults the same way).
 */
export interface ExplainJob {
  methods: string[];
  /** Given options per method name. */
  options: Record<string, Record<string, unknown>>;
  /** Source and columns of the data the explained rows come from. */
  data: { source: string; schema: Schema };
  /** The data statistics, samplers and the background sample come from (`background`, else `data`). */
  stats: Dataset;
  baseline?: BaselineSpec;
  class?: string | number;
  seed: number;
  faithfulness: number;
  /** The run's creation time, recorded by every provenance made while explaining. */
  createdAt: string;
}

/** A batch of rows to explain: its place in the run, the rows (in the data's columns) and their ids. */
export interface RowBatch {
  index: number;
  rows: Row[];
  rowIds: number[];
}

/** What one method made of one batch. */
export interface MethodBatchResult {
  explanations: ExplanationT[];
  options: Record<string, unknown>;
  samples: number;
  millis: number;
}

/** What the methods of a job made of one batch, in `job.methods` order. */
export interface BatchResult {
  methods: MethodBatchResult[];
}

/**
 * Runs the batches of a job somewhere: worker threads, machines behind a queue. Whatever runs a
 * batch must compute it with {@link explainBatch}, so that the result is the same wherever it ran.
 */
export interface BatchRunner {
  /**
   * Runs `batches` (rows of a job), calling `done` with the rows of each batch that finishes;
   * resolves with the results in batch order. A runner that resumes an earlier run (the queue)
   * sets `job.createdAt` to that run's creation time, which the file then records. `shared` is
   * this thread's context of the job, for a runner that explains some batches here too.
   */
  run(job: ExplainJob, batches: RowBatch[], done: (rows: number) => void, shared?: SharedContext): Promise<BatchResult[]>;
}

/** What a process computes once per job before its batches: statistics, background, baseline, class. */
export interface SharedContext {
  stats: Dataset;
  background: Row[];
  baseline: Row;
  baselineName: string;
  /** The class index asked for, or null (each row's predicted class). */
  given: number | null;
  entries: LocalExplainer[];
  parsed: unknown[];
}

/**
 * Rows per batch when none is asked for: about 32 batches, from 25 to 1000 rows each. The split
 * depends on the number of rows only, never on how many workers run it.
 *
 * @example
 * defaultRowsPerBatch(1000); // 32
 */
export function defaultRowsPerBatch(rows: number): number {
  return Math.min(1000, Math.max(25, Math.ceil(rows / 32)));
}

/**
 * The batches of `rows`: consecutive runs of `size` rows (the last may be shorter); one empty
 * batch when there are no rows, so that the methods still report their options.
 */
export function splitBatches(rows: Row[], rowIds: number[], size: number): RowBatch[] {
  if (!rows.length) return [{ index: 0, rows: [], rowIds: [] }];
  const out: RowBatch[] = [];
  for (let s = 0; s < rows.length; s += size) out.push({ index: out.length, rows: rows.slice(s, s + size), rowIds: rowIds.slice(s, s + size) });
  return out;
}

/**
 * Explains `input.rows` with one method, or with several (the `--compare` case), and returns one
 * explanation file. With several methods, `options` is keyed by method name, and explanations come
 * row by row, each row's methods in the order given.
 *
 * The rows are explained in batches ({@link splitBatches}), by `input.runner` when given (worker
 * threads, a queue) and else one after the other here; every method explains each row on its
 * own, so the file is the same however and wherever the batches ran.
 *
 * @throws InputError for an unknown method, a method the model cannot serve (naming the ones that
 *   can), bad options (naming the CLI flag), an unknown class, or data that does not fit the model.
 * @example
 * const file = await explainRows('lime', { model, data: iris, rows: [iris.rows[100]], rowIds: [100] }, { samples: 2000 });
 * const both = await explainRows(['lime', 'anchors'], { model, data: iris, rows, rowIds }, { lime: {}, anchors: { threshold: 0.9 } });
 */
export async function explainRows(methods: string | readonly string[], input: ExplainInput, options: Record<string, unknown> = {}): Promise<ExplanationFile> {
  if (!methods.length) throw new InputError('expected at least one method', { flag: '--method' });
  const job = explainJob(methods, input, options);
  const { model } = input;
  const shared = prepareShared(model, job);
  const rowIds = input.rowIds ?? input.rows.map((_, i) => i);
  if (rowIds.length !== input.rows.length) throw new InputError(`rowIds has ${rowIds.length} entries for ${input.rows.length} rows`);
  const size = input.rowsPerBatch ?? defaultRowsPerBatch(input.rows.length);
  if (!Number.isInteger(size) || size < 1) throw new InputError(`expected a positive integer, got ${size}`, { flag: '--rows-per-batch' });
  const batches = splitBatches(input.rows, rowIds, size);
  const total = input.rows.length;
  let done = 0;
  let results: BatchResult[];
  if (input.runner && batches.length > 1) {
    // The rows must fit the model before any work starts elsewhere.
    for (const b of batches) batchRows(model, job, b);
    input.progress?.(0, total, 'explain');
    results = await input.runner.run(job, batches, (n) => input.progress?.((done += n), total, 'explain'), shared);
  } else {
    const progress: ProgressFn | undefined = input.progress && ((d, _t, label) => input.progress!(done + d, total, label));
    results = await explainHere(model, job, batches, (n) => (done += n), shared, progress);
  }
  return assembleFile(model, job, shared, input, rowIds, results);
}

/**
 * Explains `batches` of `job` one after the other in this thread, calling `done` with each
 * batch's rows as it finishes (`progress`: within the current batch).
 */
export async function explainHere(
  model: TabularModel,
  job: ExplainJob,
  batches: RowBatch[],
  done: (rows: number) => void,
  shared: SharedContext = prepareShared(model, job),
  progress?: ProgressFn,
): Promise<BatchResult[]> {
  const out: BatchResult[] = [];
  for (const b of batches) {
    out.push(await explainBatch(model, job, shared, b, progress));
    done(b.rows.length);
  }
  return out;
}

/** The job of a run: methods and options checked, everything else as plain data. */
function explainJob(methods: string | readonly string[], input: ExplainInput, options: Record<string, unknown>): ExplainJob {
  const list = typeof methods === 'string' ? [methods] : [...methods];
  const entries = list.map((m) => localExplainer(m, list.length > 1 ? '--compare' : '--method'));
  const byMethod = (m: string) => (typeof methods === 'string' ? options : ((options[m] ?? {}) as Record<string, unknown>));
  for (const e of entries) parseMethodOptions(e, byMethod(e.name));
  for (const e of entries) checkExplainer(e, input.model);
  const seed = input.seed ?? DEFAULT_SEED;
  if (!Number.isInteger(seed)) throw new InputError(`expected an integer, got ${seed}`, { flag: '--seed' });
  const subsets = input.faithfulness ?? FAITHFULNESS_SUBSETS;
  if (!Number.isInteger(subsets) || subsets < 0) throw new InputError(`expected an integer >= 0, got ${subsets}`, { flag: '--faithfulness' });
  if (input.background) checkSameColumns(input.background, input.data);
  return {
    methods: list,
    options: Object.fromEntries(list.map((m) => [m, byMethod(m)])),
    data: { source: input.data.source, schema: input.data.schema },
    stats: input.background ?? input.data,
    baseline: input.baseline,
    class: input.class,
    seed,
    faithfulness: subsets,
    createdAt: creationTime(),
  };
}

/**
 * What every batch of `job` shares, computed once per process: the statistics' data aligned with
 * the model, the seeded background sample, the baseline and the class asked for.
 *
 * @throws InputError for data without rows, a baseline row of the wrong width, or an unknown class.
 */
export function prepareShared(model: TabularModel, job: ExplainJob): SharedContext {
  const features = model.schema.features;
  const d = features.length;
  const statsData = job.stats;
  // The data itself when it already has the model's columns, so that what methods fit on it (LIME's
  // discretiser, say) is cached across runs on the same data.
  const stats: Dataset = sameColumns(statsData.schema, model) ? statsData : { ...statsData, schema: { features, target: statsData.schema.target }, rows: alignRows(statsData, features) };
  if (!stats.rows.length) throw new InputError('the background data has no rows', { file: stats.source });
  let background = stats.rows;
  if (background.length > BACKGROUND_ROWS) {
    const order = createRng(substream(job.seed, 'background')).shuffle(background.map((_, i) => i));
    background = order
      .slice(0, BACKGROUND_ROWS)
      .sort((a, b) => a - b)
      .map((i) => stats.rows[i]);
  }
  const spec = job.baseline ?? 'mean';
  const baseline = typeof spec === 'object' ? checkBaselineRow(spec.row, d) : baselineRow(stats, spec);
  const baselineName = typeof spec === 'object' ? spec.name : `background ${spec === 'zeros' ? 'zeros (most frequent category for categorical columns)' : spec}`;
  let given: number | null = null;
  if (job.class !== undefined && job.class !== null) {
    if (model.task !== 'classification') throw new InputError('the model is a regression model: there is no class to choose', { flag: '--class' });
    const classes = model.classes ?? [];
    const idx = typeof job.class === 'number' ? job.class : classes.indexOf(String(job.class));
    if (!Number.isInteger(idx) || idx < 0 || idx >= model.outputSize) throw new InputError(`unknown class "${job.class}"; classes: ${classes.join(', ')}`, { flag: '--class' });
    given = idx;
  }
  const entries = job.methods.map((m) => localExplainer(m));
  const parsed = entries.map((e) => parseMethodOptions(e, job.options[e.name]));
  return { stats, background, baseline, baselineName, given, entries, parsed };
}

/** The rows of a batch in the model's columns. */
function batchRows(model: TabularModel, job: ExplainJob, batch: RowBatch): Row[] {
  const features = model.schema.features;
  const rows = sameColumns(job.data.schema, model) ? batch.rows : alignRows({ source: job.data.source, schema: job.data.schema, rows: batch.rows, missing: 0 }, features);
  rows.forEach((r, i) => {
    if (r.length !== features.length) throw new InputError(`row ${i} has ${r.length} values, expected ${features.length}`, { file: job.data.source });
  });
  return rows;
}

/**
 * Explains one batch of a job: the model's outputs for its rows, then each method in turn, with
 * faithfulness measured for attributions. This is the one function that computes explanations,
 * in this thread, in worker threads and on queue workers alike.
 *
 * @throws InputError as {@link explainRows}; whatever the model throws.
 * @example
 * const shared = prepareShared(model, job);
 * const part = await explainBatch(model, job, shared, { index: 0, rows, rowIds });
 */
export async function explainBatch(model: TabularModel, job: ExplainJob, shared: SharedContext, batch: RowBatch, progress?: ProgressFn): Promise<BatchResult> {
  return atCreationTime(job.createdAt, async () => {
    const ctx = await batchContext(model, job, shared, batch, progress);
    const methods: MethodBatchResult[] = [];
    for (let m = 0; m < shared.entries.length; m++) {
      const t0 = performance.now();
      const entry = shared.entries[m];
      const method = await entry.load();
      const r = await method.explain(ctx, shared.parsed[m] as never);
      if (entry.kind === 'attribution' && job.faithfulness > 0) await addFaithfulness(ctx, r.explanations, job.faithfulness);
      methods.push({ explanations: r.explanations, options: r.options, samples: r.samples ?? 0, millis: performance.now() - t0 });
    }
    return { methods };
  });
}

async function batchContext(model: TabularModel, job: ExplainJob, shared: SharedContext, batch: RowBatch, progress?: ProgressFn): Promise<LocalContext> {
  const rows = batchRows(model, job, batch);
  const outputs = rows.length ? await model.predictRows(rows) : new Float32Array(0);
  const k = model.outputSize;
  const targets = rows.map((_, i) => {
    if (model.task !== 'classification') return 0;
    if (shared.given !== null) return shared.given;
    let best = 0;
    for (let c = 1; c < k; c++) if (outputs[i * k + c] > outputs[i * k + best]) best = c;
    return best;
  });
  const { stats, background, baseline, baselineName } = shared;
  return { model, data: stats, background, baseline, baselineName, rows, rowIds: batch.rowIds, outputs, targets, classGiven: shared.given !== null, seed: job.seed, progress };
}

/**
 * The context every method is given: data aligned with the model, background sample, baseline,
 * the model's outputs for the rows and the output explained for each (all rows as one batch).
 *
 * @throws InputError as {@link explainRows}.
 */
export async function prepareContext(input: ExplainInput): Promise<LocalContext> {
  const job = explainJob([], input, {});
  const shared = prepareShared(input.model, job);
  const rowIds = input.rowIds ?? input.rows.map((_, i) => i);
  if (rowIds.length !== input.rows.length) throw new InputError(`rowIds has ${rowIds.length} entries for ${input.rows.length} rows`);
  return batchContext(input.model, job, shared, { index: 0, rows: input.rows, rowIds }, input.progress);
}

/** The explanation file from the batches' results: explanations row by row, provenance of the whole run. */
function assembleFile(model: TabularModel, job: ExplainJob, shared: SharedContext, input: ExplainInput, rowIds: number[], results: BatchResult[]): Promise<ExplanationFile> {
  const usedOptions: Record<string, unknown> = {};
  let samples = 0;
  const position = new Map(rowIds.map((id, i) => [id, i]));
  const perRow: ExplanationT[][] = input.rows.map(() => []);
  job.methods.forEach((name, m) => {
    const first = JSON.stringify(results[0].methods[m].options);
    let millis = 0;
    for (const r of results) {
      const part = r.methods[m];
      if (JSON.stringify(part.options) !== first) throw new Error(`${name} resolved its options differently in two batches: it must explain each row on its own`);
      samples += part.samples;
      millis += part.millis;
    }
    // Row by row, each row's methods in the order given.
    for (const r of results) for (const e of r.methods[m].explanations) perRow[position.get(e.row) ?? 0].push(e);
    usedOptions[name] = results[0].methods[m].options;
    input.timing?.(name, millis);
  });
  const explanations = perRow.flat();
  const bg = input.background ?? input.data;
  const subsets = job.faithfulness;
  return atCreationTime(job.createdAt, async () => ({
    format: EXPLANATION_FORMAT,
    version: EXPLANATION_VERSION,
    task: model.task,
    schema: { features: model.schema.features, target: model.schema.target },
    provenance: makeProvenance({
      method: job.methods.join(','),
      options: {
        ...usedOptions,
        class: input.class ?? null,
        background: { data: bg.source, rows: bg.rows.length, sample: shared.background.length },
        baseline: shared.baselineName,
        faithfulness: subsets > 0 ? { subsets, randomOrders: 8 } : null,
      },
      seed: job.seed,
      samples,
      data: input.data.source,
      model: model.identity,
    }),
    explanations,
  }));
}

/** Adds faithfulness to the explanations that have attributions and none yet. */
async function addFaithfulness(ctx: LocalContext, explanations: ExplanationT[], subsets: number): Promise<void> {
  const position = new Map(ctx.rowIds.map((id, i) => [id, i]));
  const todo = explanations.filter((e) => e.faithfulness === null && e.attributions.length > 0);
  const scores = await measureFaithfulness(
    ctx.model,
    todo.map((e) => ({ row: ctx.rows[position.get(e.row) ?? 0], rowId: e.row, output: e.classIndex ?? 0, attributions: e.attributions.map((a) => a.attribution) })),
    ctx.baseline,
    { seed: ctx.seed, subsets, baselineName: ctx.baselineName },
  );
  todo.forEach((e, i) => (e.faithfulness = scores[i]));
}

function sameColumns(schema: Schema, model: TabularModel): boolean {
  const f = model.schema.features;
  return schema.features.length === f.length && schema.features.every((g, j) => g.name === f[j].name && g.type === f[j].type);
}

/** The background must describe the same columns as the data. */
function checkSameColumns(background: Dataset, data: Dataset): void {
  const a = new Set(background.schema.features.map((f) => f.name));
  const b = new Set(data.schema.features.map((f) => f.name));
  const missing = [...b].filter((n) => !a.has(n));
  const extra = [...a].filter((n) => !b.has(n));
  if (missing.length || extra.length) {
    const parts = [missing.length ? `lacks ${missing.map((n) => `"${n}"`).join(', ')}` : '', extra.length ? `has no ${extra.map((n) => `"${n}"`).join(', ')} in the data` : ''].filter(Boolean);
    throw new InputError(`its columns differ from the data's: it ${parts.join(' and ')}`, { flag: '--background', file: background.source });
  }
}

function checkBaselineRow(row: Row, d: number): Row {
  if (row.length !== d) throw new InputError(`expected ${d} values, got ${row.length}`, { flag: '--baseline' });
  return row;
}

/**
 * The baseline row of a statistic of `data`: per numeric column its mean, median or 0; per
 * categorical column its most frequent category (a removed category has no "zero").
 *
 * @example
 * baselineRow(iris, 'mean'); // [5.843, 3.057, 3.758, 1.199]
 */
export function baselineRow(data: Dataset, stat: 'mean' | 'median' | 'zeros'): Row {
  return data.schema.features.map((f, j): Value => {
    if (f.type === 'categorical') {
      const counts = new Map<string, number>();
      for (const r of data.rows) if (r[j] !== null) counts.set(String(r[j]), (counts.get(String(r[j])) ?? 0) + 1);
      let best: string | null = null;
      let bestN = -1;
      for (const c of f.categories) if ((counts.get(c) ?? 0) > bestN) (best = c), (bestN = counts.get(c) ?? 0);
      return best;
    }
    if (stat === 'zeros') return 0;
    const xs = data.rows.map((r) => r[j]).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
    if (!xs.length) return 0;
    return stat === 'mean' ? mean(xs) : median(xs);
  });
}
