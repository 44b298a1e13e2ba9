/**
 * What every global extractor shares: option checking, the seeded held-out split, labelling rows
 * with the model (with progress), and wrapping a surrogate into a RuleSet with provenance and
 * fidelity measured on the held-out rows.
 */
import { alignRows } from '../data/index.js';
import type { Dataset, Feature, Row } from '../data/types.js';
import { fidelitySummary, scoreRuleSet } from '../metrics/index.js';
import type { TabularModel } from '../model/types.js';
import { makeProvenance } from '../rules/provenance.js';
import { RULES_FORMAT, RULES_VERSION, type RuleSet, type SurrogateT } from '../rules/schema.js';
import { InputError } from '../util/errors.js';
import type { ProgressFn } from '../util/progress.js';
import { createRng } from '../util/rng.js';
import { labelInPool, poolOf } from '../scale/pool.js';
import type { ExtractContext } from './types.js';

/** How an option is checked: its kind and, for numbers, bounds; for strings, the allowed values. */
export type OptionSpec =
  | { type: 'int'; min: number; max?: number }
  | { type: 'number'; min: number; max?: number }
  | { type: 'enum'; values: readonly string[] }
  | { type: 'boolean' };

/**
 * Merges `options` over `defaults` after checking each given option against `specs`.
 *
 * @param method extractor name, for messages
 * @throws InputError naming an unknown option (with the known ones) or a bad value
 * @example
 * resolveOptions('cart', { maxDepth: 6 }, { maxDepth: { type: 'int', min: 1 } }, { maxDepth: 3 }); // { maxDepth: 3 }
 */
export function resolveOptions<O extends object>(
  method: string,
  defaults: O,
  specs: Record<keyof O, OptionSpec>,
  options: Partial<O> | Record<string, unknown> = {},
): O {
  const out = { ...defaults } as Record<string, unknown>;
  for (const [key, value] of Object.entries(options)) {
    if (value === undefined) continue;
    const spec = (specs as Record<string, OptionSpec>)[key];
    if (!spec) {
      throw new InputError(`${method}: unknown option "${key}"; options: ${Object.keys(specs).join(', ')}`);
    }
    const bad = (what: string) => new InputError(`${method}: option ${key} must be ${what}, got ${JSON.stringify(value)}`);
    switch (spec.type) {
      case 'int':
      case 'number': {
        if (typeof value !== 'number' || Number.isNaN(value)) throw bad('a number');
        if (spec.type === 'int' && !Number.isInteger(value) && value !== Infinity) throw bad('an integer');
        if (value < spec.min || (spec.max !== undefined && value > spec.max)) {
          throw bad(spec.max !== undefined ? `between ${spec.min} and ${spec.max}` : `>= ${spec.min}`);
        }
        break;
      }
      case 'enum':
        if (typeof value !== 'string' || !spec.values.includes(value)) throw bad(`one of ${spec.values.join(', ')}`);
        break;
      case 'boolean':
        if (typeof value !== 'boolean') throw bad('true or false');
        break;
    }
    out[key] = value;
  }
  return out as O;
}

/** The data rows split into the part used for extraction and the part held out to measure fidelity. */
export interface HeldOut {
  /** Rows (in the model's feature order) used for extraction. */
  train: Row[];
  /** Rows held out from extraction. */
  test: Row[];
  /** Share of rows held out, as asked. */
  fraction: number;
}

/**
 * Aligns the data with the model's features and holds out a seeded share of the rows: a
 * shuffle from `createRng(seed)`, the first `round(fraction × n)` rows held out (at least one row
 * stays for extraction).
 *
 * @throws InputError when the data lacks a feature the model needs, or has no rows
 * @example
 * const { train, test } = holdOutRows(ctx.data, ctx.model.schema.features, 0.2, 42);
 */
export function holdOutRows(data: Dataset, features: readonly Feature[], fraction: number, seed: number): HeldOut {
  const rows = alignRows(data, features);
  if (rows.length === 0) throw new InputError('the data has no rows to extract rules from', { file: data.source });
  const order = createRng(seed).shuffle(rows.map((_, i) => i));
  const nTest = Math.min(rows.length - 1, Math.round(fraction * rows.length));
  const testIdx = order.slice(0, nTest).sort((a, b) => a - b);
  const trainIdx = order.slice(nTest).sort((a, b) => a - b);
  return { train: trainIdx.map((i) => rows[i]), test: testIdx.map((i) => rows[i]), fraction };
}

/** Rows from which labelling uses the model's worker threads, when it has some (`withWorkers`): below, starting them costs more than it saves. */
export const LABEL_POOL_MIN_ROWS = 32_768;

/**
 * The model's labels (class index or value) for `rows`, in chunks so that `progress` advances.
 * A model given worker threads (`withWorkers`) labels a large sample there, the same chunks in
 * flight at once; the labels are the same either way.
 *
 * @example
 * const labels = await labelRows(model, rows, progress, 'labelling');
 */
export async function labelRows(model: TabularModel, rows: Row[], progress?: ProgressFn, label = 'labelling', chunk = 4096): Promise<Float64Array> {
  const pool = rows.length >= LABEL_POOL_MIN_ROWS ? poolOf(model) : undefined;
  if (pool) return labelInPool(pool, rows, chunk, (done) => progress?.(done, rows.length, label));
  const out = new Float64Array(rows.length);
  for (let i = 0; i < rows.length; i += chunk) {
    const part = await model.predictLabels(rows.slice(i, i + chunk));
    out.set(part, i);
    progress?.(Math.min(rows.length, i + chunk), rows.length, label);
  }
  if (rows.length === 0) progress?.(0, 0, label);
  return out;
}

/**
 * Wraps an extracted surrogate into a complete RuleSet: schema and task of the model, provenance
 * (method, options, seed, sample size, data source, model identity) and fidelity to the model on
 * the held-out rows (agreement with bootstrap CI, or R²; null when nothing was held out).
 *
 * @param p.samples size of the model-labelled sample the surrogate was fitted to
 * @example
 * const rs = await finishRuleSet({ ctx, method: 'cart', options, surrogate, samples: 10346, heldOut });
 */
export async function finishRuleSet(p: {
  ctx: ExtractContext;
  method: string;
  options: object;
  surrogate: SurrogateT;
  samples: number;
  heldOut: HeldOut;
  simplification?: RuleSet['simplification'];
}): Promise<RuleSet> {
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
  if (p.heldOut.test.length > 0) {
    const labels = await labelRows(model, p.heldOut.test, ctx.progress, 'held-out');
    const score = scoreRuleSet(rs, p.heldOut.test, labels, undefined, { seed: ctx.seed });
    const pct = Math.round(p.heldOut.fraction * 100);
    rs.fidelity = fidelitySummary(score, `held-out ${pct}% of ${ctx.data.source} (${p.heldOut.test.length} rows)`);
  }
  return rs;
}

function copyFeature(f: Feature): Feature {
  return f.type === 'numeric' ? { name: f.name, type: 'numeric' } : { name: f.name, type: 'categorical', categories: f.categories.slice() };
}
