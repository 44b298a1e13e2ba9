/**
 * What every global extractor shares: the `holdOut` option, the seeded held-out split, labelling
 * rows with the model (with progress), and wrapping a surrogate into a RuleSet with provenance and
 * fidelity measured on the held-out rows. (Options are checked with `parseOptions` of
 * src/util/options.ts; pedagogical extractors assemble these steps through `pedagogical`.)
 */
import { z } from 'zod';
import { alignTable } from '../data/align.js';
import { pickRows, rowCount, rowSlice, tableOf, type DataTable, type RowsLike } from '../data/table.js';
import type { Dataset, Feature } from '../data/types.js';
import { fidelitySummary, scoreRuleSet } from '../metrics/index.js';
import type { TabularModel } from '../model/types.js';
import { computeDataStats } from '../rules/computeRuleStats.js';
import { makeProvenance } from '../rules/provenance.js';
import { RULES_FORMAT, RULES_VERSION, type RuleSet, type SurrogateT } from '../rules/schema.js';
import { InputError } from '../util/errors.js';
import type { ProgressFn } from '../util/progress.js';
import { createRng, substream } from '../util/rng.js';
import { labelInPool, poolOf } from '../scale/pool.js';
import type { ExtractContext } from './types.js';

/**
 * The `holdOut` option of the extractors: the share of the data held out from extraction to
 * measure fidelity on (default 0.2).
 */
export const holdOutOption = z.number().min(0).max(0.9).default(0.2).describe('Share of the data held out from extraction to measure fidelity (default 0.2)');

/**
 * The data rows split into the part used for extraction and the part held out to measure
 * fidelity, each held column by column (read rows with `rowOf`/`rowsOf`, or pass the table to any
 * function that takes `RowsLike`).
 */
export interface HeldOut {
  /** Rows (in the model's feature order) used for extraction. */
  train: DataTable;
  /** Rows held out from extraction. */
  test: DataTable;
  /** Share of rows held out, as asked. */
  fraction: number;
}

/**
 * Aligns the data with the model's features and holds out a seeded share of the rows: a
 * shuffle from `createRng(seed)`, the first `round(fraction × n)` rows held out (at least one row
 * stays for extraction). Every extractor passes its seed itself (the seed's own stream is the
 * held-out split; other random parts use named substreams), so that every method holds out the
 * same rows for the same seed.
 *
 * @throws InputError when the data lacks a feature the model needs, or has no rows
 * @example
 * const { train, test } = holdOutRows(ctx.data, ctx.model.schema.features, 0.2, 42);
 */
export function holdOutRows(data: Dataset, features: readonly Feature[], fraction: number, seed: number): HeldOut {
  const all = alignTable(data.table ?? tableOf(data.rows, data.schema.features), features, data.source);
  const n = all.n;
  if (n === 0) throw new InputError('the data has no rows to extract rules from', { file: data.source });
  const order = createRng(seed).shuffle(Array.from({ length: n }, (_, i) => i));
  const nTest = Math.min(n - 1, Math.round(fraction * n));
  const testIdx = order.slice(0, nTest).sort((a, b) => a - b);
  const trainIdx = order.slice(nTest).sort((a, b) => a - b);
  return { train: pickRows(all, trainIdx), test: pickRows(all, testIdx), fraction };
}

/** Rows from which labelling uses the model's worker threads, when it has some (`withWorkers`): below, starting them costs more than it saves. */
export const LABEL_POOL_MIN_ROWS = 32_768;

/**
 * The model's labels (class index or value) for `rows`, in chunks so that `progress` advances.
 * A model given worker threads (`withWorkers`) labels a large sample there and here at once, in
 * the same chunks; the labels are the same either way.
 *
 * @example
 * const labels = await labelRows(model, rows, progress, 'labelling');
 */
export async function labelRows(model: TabularModel, rows: RowsLike, progress?: ProgressFn, label = 'labelling', chunk = 4096): Promise<Float64Array> {
  const n = rowCount(rows);
  const pool = n >= LABEL_POOL_MIN_ROWS ? poolOf(model) : undefined;
  if (pool) return labelInPool(pool, model, rows, chunk, (done) => progress?.(done, n, label));
  const out = new Float64Array(n);
  for (let i = 0; i < n; i += chunk) {
    const part = await model.predictLabels(rowSlice(rows, i, i + chunk));
    out.set(part, i);
    progress?.(Math.min(n, i + chunk), n, label);
  }
  if (n === 0) progress?.(0, 0, label);
  return out;
}

/** What a rule set is made of besides the model: the surrogate and how it was obtained. */
export interface RuleSetParts {
  ctx: ExtractContext;
  method: string;
  /** The options as used (defaults filled in), recorded in provenance. */
  options: object;
  surrogate: SurrogateT;
  /** Size of the model-labelled sample the surrogate was fitted to. */
  samples: number;
  simplification?: RuleSet['simplification'];
  /** What the surrogate's `stats` were counted on (`statsOn.sample`); default: the labelled sample. */
  sample?: string;
}

/**
 * A RuleSet around a surrogate, without fidelity: schema and task of the model, provenance
 * (method, options, seed, sample size, data source, model identity).
 *
 * @example
 * const draft = assembleRuleSet({ ctx, method: 'cart', options, surrogate, samples: 10346 });
 */
export function assembleRuleSet(p: RuleSetParts): RuleSet {
  const { ctx } = p;
  const model = ctx.model;
  const rs: RuleSet = {
    format: RULES_FORMAT,
    version: RULES_VERSION,
    task: model.task,
    schema: { features: model.schema.features.map(copyFeature), target: structuredClone(model.schema.target) },
    surrogate: p.surrogate,
    provenance: makeProvenance({
      method: p.method,
      options: p.options as Record<string, unknown>,
      seed: ctx.seed,
      samples: p.samples,
      data: ctx.data.source,
      model: model.identity,
    }),
    fidelity: null,
  };
  if (p.simplification) rs.simplification = p.simplification;
  return rs;
}

/**
 * Wraps an extracted surrogate into a complete RuleSet ({@link assembleRuleSet}) with its fidelity
 * to the model on the held-out rows (agreement with a bootstrap CI from the `'bootstrap'` substream
 * of the seed, or R²; null when nothing was held out), and every rule's (or node's) figures on the
 * real extraction rows beside those on the sample (`stats.data`, `computeDataStats`; `statsOn`
 * says what each counts).
 *
 * @param p.trainLabels the model's labels of `heldOut.train` when the extractor has them (else they are labelled here)
 * @example
 * const rs = await finishRuleSet({ ctx, method: 'cart', options, surrogate, samples: 10346, heldOut });
 */
export async function finishRuleSet(p: RuleSetParts & { heldOut: HeldOut; trainLabels?: Float64Array }): Promise<RuleSet> {
  const { ctx } = p;
  let rs = assembleRuleSet(p);
  rs.statsOn = { sample: p.sample ?? `the ${p.samples} model-labelled rows of the extraction sample`, data: null };
  if (p.heldOut.train.n > 0) {
    const labels = p.trainLabels ?? (await labelRows(ctx.model, p.heldOut.train));
    const n = p.heldOut.train.n;
    rs = computeDataStats(rs, p.heldOut.train, labels, `the ${n} extraction rows of ${ctx.data.source} (real rows, model-labelled)`);
  }
  if (p.heldOut.test.n > 0) {
    const labels = await labelRows(ctx.model, p.heldOut.test, ctx.progress, 'held-out');
    const score = scoreRuleSet(rs, p.heldOut.test, labels, undefined, { seed: substream(ctx.seed, 'bootstrap') });
    const pct = Math.round(p.heldOut.fraction * 100);
    rs.fidelity = fidelitySummary(score, `held-out ${pct}% of ${ctx.data.source} (${p.heldOut.test.n} rows)`);
  }
  return rs;
}

function copyFeature(f: Feature): Feature {
  return f.type === 'numeric' ? { name: f.name, type: 'numeric' } : { name: f.name, type: 'categorical', categories: f.categories.slice() };
}
