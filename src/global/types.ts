/**
 * The one small interface every global extractor implements: given a black box and its data,
 * produce a rule set (the common representation) with provenance and held-out fidelity.
 * A new extractor is a new folder plus one line in `registry.ts`.
 */
import type { z } from 'zod';
import type { Dataset } from '../data/types.js';
import type { TabularModel } from '../model/types.js';
import type { RuleSet } from '../rules/schema.js';
import type { ProgressFn } from '../util/progress.js';

export interface ExtractContext {
  /** The black box with its encoder. */
  model: TabularModel;
  /** The training data (target optional: the model's labels are what is distilled). */
  data: Dataset;
  /** Seed for every random choice (held-out split, sampling, tie-breaking). */
  seed: number;
  progress?: ProgressFn;
  /** Where an extractor says something the user should know (a setting that defeats itself); the CLI writes it to stderr. */
  warn?: (message: string) => void;
}

export interface Extractor<O = Record<string, unknown>> {
  /** Name used by `distill extract --method NAME`. */
  name: string;
  /** One line for `--help` and the docs. */
  description: string;
  /** True when it reads the network's weights (needs `model.blackBox.denseNetwork`). */
  decompositional: boolean;
  /** Tasks it extracts rules for (default: classification and regression). */
  tasks?: readonly ('classification' | 'regression')[];
  /**
   * The options as a zod object schema: names, types, defaults and allowed values, checked with
   * `parseOptions` (src/util/options.ts).
   */
  options: z.ZodObject;
  /** Option defaults (those of `options`), recorded in provenance with the options used. */
  defaults: O;
  /** Extracts a rule set with provenance and fidelity measured on data held out from extraction. */
  extract(ctx: ExtractContext, options: Partial<O>): Promise<RuleSet>;
}
