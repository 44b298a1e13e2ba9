/**
 * The one small interface every local explainer implements, and what the registry declares of it.
 * A new local method is a new folder plus one line in `registry.ts`: the CLI's flags, the option
 * checks (whose messages name the CLI flag), the docs and the provenance all come from the entry.
 */
import type { z } from 'zod';
import type { Dataset, Row } from '../data/types.js';
import type { TabularModel } from '../model/types.js';
import type { ProgressFn } from '../util/progress.js';
import type { ExplanationT } from './schema.js';

/**
 * What a method needs from the model:
 * - `outputs`: predictions only (every model, HTTP endpoints and functions included);
 * - `gradients`: ∂output/∂input (`blackBox.gradients`: TF.js models, dense ONNX graphs);
 * - `weights`: the readable dense layers (`blackBox.denseNetwork`).
 */
export type ModelNeed = 'outputs' | 'gradients' | 'weights';

/**
 * Everything a local method is given. The explained rows and the statistics' data are aligned with
 * the model's features (raw values, original columns).
 *
 * A method must explain each row independently of the others: a row's explanation may depend on
 * the seed, its row id, the options, `data`, `background` and `baseline`, never on which other rows
 * are explained with it. That is what lets a run be split into batches (threads, machines) and
 * still give the same bytes.
 */
export interface LocalContext {
  model: TabularModel;
  /** The data the statistics and samplers come from (`--background`, else `--data`). */
  data: Dataset;
  /** A seeded sample of at most 100 rows of `data`: SHAP's background, occlusion's draws. */
  background: Row[];
  /** The reference row a removed column takes (default: the background mean / most frequent category). */
  baseline: Row;
  /** What `baseline` is, for the output (e.g. "background mean"). */
  baselineName: string;
  /** The rows to explain. */
  rows: Row[];
  /** Index of each row in its data (reported, and the key of its random stream). */
  rowIds: number[];
  /** The model's outputs for `rows` (`rows.length × model.outputSize`). */
  outputs: Float32Array;
  /** Per row, the output explained: the requested class, else the predicted one (0 for regression). */
  targets: number[];
  /** Whether `targets` come from `--class` (true) or from the prediction (false). */
  classGiven: boolean;
  /** The run's seed. */
  seed: number;
  progress?: ProgressFn;
}

/** What a method returns: one or more explanations per row, and its options as used. */
export interface MethodResult {
  /** In row order; `faithfulness` may be left null for the runner to measure. */
  explanations: ExplanationT[];
  /** The options as used (resolved values such as a derived kernel width), recorded in provenance. */
  options: Record<string, unknown>;
  /**
   * Model rows the method evaluated for these rows, row by row (recorded in provenance). Additive:
   * a run split into batches records the sum over its batches, so count what each row cost, not a
   * per-row setting, and leave out work a batch shares (the background's or the baseline's own
   * outputs, computed once per batch): the total is then the same however the run is split.
   */
  samples?: number;
}

/** A loaded local method. */
export interface LocalMethod<O> {
  explain(ctx: LocalContext, options: O): Promise<MethodResult>;
}

/** A registry entry: light to import (no engine), the method itself behind `load()`. */
export interface LocalExplainer<S extends z.ZodObject = z.ZodObject> {
  /** Name used by `distill explain --method NAME`. */
  name: string;
  /** One line for `--help` and the docs. */
  description: string;
  needs: ModelNeed;
  /**
   * `attribution`: per-column attributions, scored by Sensitivity-n and deletion; `rule`: an
   * IF-THEN rule, scored by precision and coverage; `counterfactual`: a changed row, verified
   * against the model.
   */
  kind: 'attribution' | 'rule' | 'counterfactual';
  /** Tasks it explains. */
  tasks: readonly ('classification' | 'regression')[];
  /** Its options: types, defaults, bounds and descriptions (the CLI flags are derived from it). */
  options: S;
  /** CLI flag of an option when it is not the option's name in kebab case (e.g. `numFeatures` → `--features`). */
  flags?: Partial<Record<keyof z.infer<S> & string, string>>;
  /** Where its documentation lives, relative to the package root. */
  docs: string;
  /** Imports the method (and whatever engine it needs). */
  load(): Promise<LocalMethod<z.output<S>>>;
}
