/**
 * Running local explainers: one entry point for every method of the registry. It lines the data
 * up with the model, draws the background sample, fixes the baseline and the class explained, runs
 * each method, measures every attribution's faithfulness against the model, and wraps the result
 * in one versioned explanation file with provenance.
 */
import { mean, median } from 'simple-statistics';
import { alignRows } from '../data/align.js';
import type { Dataset, Row, Value } from '../data/types.js';
import { measureFaithfulness } from '../metrics/faithfulness.js';
import type { TabularModel } from '../model/types.js';
import { makeProvenance } from '../rules/provenance.js';
import { InputError } from '../util/errors.js';
import type { ProgressFn } from '../util/progress.js';
import { createRng, DEFAULT_SEED, substream } from '../util/rng.js';
import { parseMethodOptions } from './options.js';
import { checkExplainer, localExplainer } from './registry.js';
import { EXPLANATION_FORMAT, EXPLANATION_VERSION, type ExplanationFile, type ExplanationT } from './schema.js';
import type { LocalContext } from './types.js';

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
}

/**
 * Explains `input.rows` with one method, or with several (the `--compare` case), and returns one
 * explanation file. With several methods, `options` is keyed by method name, and explanations come
 * row by row, each row's methods in the order given.
 *
 * @throws InputError for an unknown method, a method the model cannot serve (naming the ones that
 *   can), bad options (naming the CLI flag), an unknown class, or data that does not fit the model.
 * @example
 * const file = await explainRows('lime', { model, data: iris, rows: [iris.rows[100]], rowIds: [100] }, { samples: 2000 });
 * const both = await explainRows(['lime', 'anchors'], { model, data: iris, rows, rowIds }, { lime: {}, anchors: { threshold: 0.9 } });
 */
export async function explainRows(methods: string | readonly string[], input: ExplainInput, options: Record<string, unknown> = {}): Promise<ExplanationFile> {
  const list = typeof methods === 'string' ? [methods] : [...methods];
  if (!list.length) throw new InputError('expected at least one method', { flag: '--method' });
  const entries = list.map((m) => localExplainer(m, list.length > 1 ? '--compare' : '--method'));
  const byMethod = (m: string) => (typeof methods === 'string' ? options : ((options[m] ?? {}) as Record<string, unknown>));
  const parsed = entries.map((e) => parseMethodOptions(e, byMethod(e.name)));
  const { model } = input;
  for (const e of entries) checkExplainer(e, model);
  const ctx = await prepareContext(input);
  const subsets = input.faithfulness ?? FAITHFULNESS_SUBSETS;
  if (!Number.isInteger(subsets) || subsets < 0) throw new InputError(`expected an integer >= 0, got ${subsets}`, { flag: '--faithfulness' });

  const results: ExplanationT[][] = [];
  const usedOptions: Record<string, unknown> = {};
  let samples = 0;
  for (let m = 0; m < entries.length; m++) {
    const t0 = performance.now();
    const method = await entries[m].load();
    const r = await method.explain(ctx, parsed[m]);
    usedOptions[entries[m].name] = r.options;
    samples += r.samples ?? 0;
    if (entries[m].kind === 'attribution' && subsets > 0) await addFaithfulness(ctx, r.explanations, subsets);
    results.push(r.explanations);
    input.timing?.(entries[m].name, performance.now() - t0);
  }

  // Row by row, each row's methods in the order given.
  const explanations: ExplanationT[] = [];
  const position = new Map(ctx.rowIds.map((id, i) => [id, i]));
  const rowOf = (e: ExplanationT) => position.get(e.row) ?? 0;
  for (let i = 0; i < ctx.rows.length; i++) for (const r of results) for (const e of r) if (rowOf(e) === i) explanations.push(e);

  const bg = input.background ?? input.data;
  return {
    format: EXPLANATION_FORMAT,
    version: EXPLANATION_VERSION,
    task: model.task,
    schema: { features: model.schema.features, target: model.schema.target },
    provenance: makeProvenance({
      method: list.join(','),
      options: {
        ...usedOptions,
        class: input.class ?? null,
        background: { data: bg.source, rows: bg.rows.length, sample: ctx.background.length },
        baseline: ctx.baselineName,
        faithfulness: subsets > 0 ? { subsets, randomOrders: 8 } : null,
      },
      seed: ctx.seed,
      samples,
      data: input.data.source,
      model: model.identity,
    }),
    explanations,
  };
}

/**
 * The context every method is given: data aligned with the model, background sample, baseline,
 * the model's outputs for the rows and the output explained for each.
 *
 * @throws InputError as {@link explainRows}.
 */
export async function prepareContext(input: ExplainInput): Promise<LocalContext> {
  const { model } = input;
  const seed = input.seed ?? DEFAULT_SEED;
  if (!Number.isInteger(seed)) throw new InputError(`expected an integer, got ${seed}`, { flag: '--seed' });
  const features = model.schema.features;
  const statsData = input.background ?? input.data;
  if (input.background) checkSameColumns(input.background, input.data);
  const d = features.length;
  // The data itself when it already has the model's columns, so that what methods fit on it (LIME's
  // discretiser, say) is cached across runs on the same data.
  const stats: Dataset = sameColumns(statsData, model) ? statsData : { ...statsData, schema: { features, target: statsData.schema.target }, rows: alignRows(statsData, features) };
  const rows = sameColumns(input.data, model) ? input.rows : alignRows({ ...input.data, rows: input.rows }, features);
  rows.forEach((r, i) => {
    if (r.length !== d) throw new InputError(`row ${i} has ${r.length} values, expected ${d}`, { file: input.data.source });
  });
  const rowIds = input.rowIds ?? rows.map((_, i) => i);
  if (rowIds.length !== rows.length) throw new InputError(`rowIds has ${rowIds.length} entries for ${rows.length} rows`);
  if (!stats.rows.length) throw new InputError('the background data has no rows', { file: stats.source });

  let background = stats.rows;
  if (background.length > BACKGROUND_ROWS) {
    const order = createRng(substream(seed, 'background')).shuffle(background.map((_, i) => i));
    background = order
      .slice(0, BACKGROUND_ROWS)
      .sort((a, b) => a - b)
      .map((i) => stats.rows[i]);
  }
  const spec = input.baseline ?? 'mean';
  const baseline = typeof spec === 'object' ? checkBaselineRow(spec.row, d) : baselineRow(stats, spec);
  const baselineName = typeof spec === 'object' ? spec.name : `background ${spec === 'zeros' ? 'zeros (most frequent category for categorical columns)' : spec}`;

  const outputs = rows.length ? await model.predictRows(rows) : new Float32Array(0);
  const k = model.outputSize;
  let given: number | null = null;
  if (input.class !== undefined && input.class !== null) {
    if (model.task !== 'classification') throw new InputError('the model is a regression model: there is no class to choose', { flag: '--class' });
    const classes = model.classes ?? [];
    const idx = typeof input.class === 'number' ? input.class : classes.indexOf(String(input.class));
    if (!Number.isInteger(idx) || idx < 0 || idx >= k) throw new InputError(`unknown class "${input.class}"; classes: ${classes.join(', ')}`, { flag: '--class' });
    given = idx;
  }
  const targets = rows.map((_, i) => {
    if (model.task !== 'classification') return 0;
    if (given !== null) return given;
    let best = 0;
    for (let c = 1; c < k; c++) if (outputs[i * k + c] > outputs[i * k + best]) best = c;
    return best;
  });
  return { model, data: stats, background, baseline, baselineName, rows, rowIds, outputs, targets, classGiven: given !== null, seed, progress: input.progress };
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

function sameColumns(data: Dataset, model: TabularModel): boolean {
  const f = model.schema.features;
  return data.schema.features.length === f.length && data.schema.features.every((g, j) => g.name === f[j].name && g.type === f[j].type);
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
